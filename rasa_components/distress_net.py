"""Last NLU component: the crisis net, three outcomes (crisis, ask, not a crisis).

A crisis message must get the crisis answer (3114 first) in any state of the
conversation; a tired or joking person must not. Two signals decide:
- the maintained lexicon (data/safety/distress_lexicon.yml): strong, explainable
  patterns, editable without retraining; a match is a crisis;
- a dedicated binary model (rasa_components/crisis_model.py: a calibrated linear SVM over
  the intent model's features, a logistic regression over word and character indicators
  weighted by naive Bayes ratios, and the crisis share of the nearest training messages,
  combined by a logistic regression fitted on inner-fold scores), trained on
  the crisis corpus of data/safety/crisis/ (crisis messages and hard negatives written
  by several writers with different briefs, French, English and mixed) and on the
  intent examples (`urgent_distress` against every other intent).
Its probability p sets the outcome: p >= crisis_threshold is a crisis (intent
`urgent_distress`); check_threshold <= p < crisis_threshold, or the intent model's
own first choice being `urgent_distress` (the crisis model giving it 5 % at least), is the middle zone (intent `crisis_check`:
the assistant asks plainly whether the person thinks of ending their life);
below, the message keeps its intent. Thresholds are chosen on out-of-fold
predictions of the training corpus (bench/crisis_model.py), never on the held-out sets.
It sits after the FallbackClassifier in config.yml so that it overrides it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.core.risk import about_someone_else, only_unsure
from bot.core.text import fold
from rasa_components.crisis_model import CrisisModel
from rasa_components.linear_intent import SPACY_DOC, LinearModelComponent
from rasa_components.spacy_nlp import UNUSED, load_lean
from rasa_components.stored_parts import save_parts
from rasa_components.text_features import as_rasa_reads, view_of

DISTRESS_INTENT = "urgent_distress"
CHECK_INTENT = "crisis_check"
FALLBACK_INTENT = "nlu_fallback"
NET_KEY = "distress_net"
DATA = Path(__file__).resolve().parent.parent / "data" / "safety"
DEFAULT_LEXICON = DATA / "distress_lexicon.yml"
CORPUS = DATA / "crisis"
# Intents whose confident messages are never asked the crisis question (« je vous dis à bientôt »).
QUIET_INTENTS = (
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "bot_challenge",
    "ask_capabilities",
    "inform",
    "ask_menu",
    "list_bookings",
    "cancel_booking",
    "book_appointment",
    # Answers to the « Ask HR » offer and requests about one's own requests (« no don't », « retirez-la »);
    # not send_to_hr, whose message may carry what the person wants to say.
    "confirm_send_to_hr",
    "cancel_send_to_hr",
    "my_requests",
    "withdraw_request",
)
MODEL_FILE = "crisis_model"
# The spaCy model of config.yml's LeanSpacyNLP, which parses the crisis corpus at training.
SPACY_MODEL = "fr_core_news_md"


_REPEATED = re.compile(r"([a-z])\1{2,}")


@dataclass(frozen=True)
class Lexicon:
    patterns: list[re.Pattern[str]]
    shorthand: dict[str, str]
    glued: list[re.Pattern[str]]
    idioms: list[re.Pattern[str]] = field(default_factory=list)

    def normalised(self, text: str) -> str:
        """Folded (lowercase, no accents or punctuation), letters typed 3 times or more read once, SMS
        shorthand written out, space-padded."""
        words = [self.shorthand.get(word, word) for word in _REPEATED.sub(r"\1", fold(text)).split()]
        return f" {' '.join(words)} "

    def matches(self, text: str) -> bool:
        normalised = self.normalised(text)
        if any(pattern.search(normalised) for pattern in self.patterns):
            return True
        # Glued patterns look inside single words only: « enviedemourir » is a message typed without
        # spaces, « envie d'en finir avec ce poste » is not.
        return any(pattern.search(word) for word in normalised.split() for pattern in self.glued)

    def idiom_tokens(self, doc) -> set[int]:
        """The positions of the tokens of `doc` that are part of an idiom (« une balle dans le pied »), each token
        read as `normalised` reads it."""
        spans, parts, position = [], [], 1
        for token in doc:
            word = self.normalised(token.text).strip()
            if word:
                spans.append((position, position + len(word), token.i))
                parts.append(word)
                position += len(word) + 1
        text = f" {' '.join(parts)} "
        return {
            index
            for pattern in self.idioms
            for match in pattern.finditer(text)
            for start, end, index in spans
            if start < match.end() and end > match.start()
        }


def load_lexicon(path: Path) -> Lexicon:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    patterns = data.get("patterns") or []
    if not patterns:
        raise ValueError(f"the distress lexicon {path} has no patterns")
    shorthand = {str(k): str(v) for k, v in (data.get("shorthand") or {}).items()}
    glued = [re.compile(p) for p in data.get("glued") or []]
    idioms = [re.compile(p) for p in data.get("idioms") or []]
    return Lexicon([re.compile(p) for p in patterns], shorthand, glued, idioms)


def corpus_lines(kind: str, folder: Path = CORPUS) -> list[str]:
    """Every message of the crisis corpus of one kind (« crisis » or « negative »)."""
    lines: list[str] = []
    for path in sorted(folder.glob(f"*_{kind}.txt")):
        lines += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def training_set(training_data: TrainingData, folder: Path = CORPUS) -> tuple[list[str], np.ndarray]:
    """The crisis corpus and the intent examples (`urgent_distress` against the rest), labelled 1 / 0."""
    positives, negatives = corpus_lines("crisis", folder), corpus_lines("negative", folder)
    for example in training_data.intent_examples:
        if example.get(TEXT) and example.get(INTENT) != CHECK_INTENT:
            (positives if example.get(INTENT) == DISTRESS_INTENT else negatives).append(example.get(TEXT))
    return positives + negatives, np.array([1] * len(positives) + [0] * len(negatives))


def outcome(
    lexicon: bool,
    probability: float,
    intent_says_distress: bool,
    check: float,
    crisis: float,
    quiet: bool = False,
    someone_else: bool = False,
) -> str:
    """« crisis », « check » (the middle zone's question) or « none ». `quiet`: the intent model is sure the
    message is a greeting, thanks, a goodbye, a yes or no or a form answer: not asked about, though a crisis
    is still a crisis. `someone_else`: the message speaks of someone else at risk (bot/core/risk.py): the
    middle zone's question, asked of the writer, would miss the point; the crisis answer speaks to the entourage."""
    if lexicon or probability >= crisis:
        return "crisis"
    if probability >= check and not quiet or intent_says_distress:
        return "crisis" if someone_else else "check"
    return "none"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class DistressNet(LinearModelComponent):
    model_file = MODEL_FILE

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # lexicon / corpus None: the project's own, found next to this code (a path stored in the
        # model would break when the project moves).
        return {
            "lexicon": None,
            "corpus": None,
            "check_threshold": 0.1,
            "crisis_threshold": 0.9,
            "C": 1.0,
            "random_seed": 2026,
            "quiet_intents": list(QUIET_INTENTS),
            "quiet_confidence": 0.8,
            "intent_floor": 0.05,
            "fallback_threshold": 0.45,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage | None = None,
        resource: Resource | None = None,
        model: CrisisModel | None = None,
    ) -> None:
        super().__init__(config, model_storage, resource)
        self.model = model  # without a trained model, the lexicon alone still decides
        self.lexicon = load_lexicon(Path(self.config["lexicon"] or DEFAULT_LEXICON))
        self.check_threshold = float(self.config["check_threshold"])
        self.crisis_threshold = float(self.config["crisis_threshold"])
        self.quiet_intents = set(self.config["quiet_intents"])
        self.quiet_confidence = float(self.config["quiet_confidence"])
        # The intent model's own « urgent_distress » raises the question only if the crisis model gives it this much.
        self.intent_floor = float(self.config["intent_floor"])
        self.fallback_threshold = float(self.config["fallback_threshold"])  # the FallbackClassifier's

    @classmethod
    def restored(cls, parts: dict) -> tuple:
        return (CrisisModel.from_parts(parts),)

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = training_set(training_data, Path(self.config["corpus"] or CORPUS))
        # The intent examples come with the Doc the pipeline's spaCy model made; only the corpus is parsed here,
        # by the same model (loaded once per process).
        docs = {e.get(TEXT): e.get(SPACY_DOC) for e in training_data.intent_examples if e.get(SPACY_DOC) is not None}
        unparsed = list(dict.fromkeys(text for text in texts if text not in docs))
        docs |= zip(unparsed, load_lean(SPACY_MODEL, UNUSED).model.pipe(map(as_rasa_reads, unparsed), batch_size=64))
        views = [view_of(docs[text]) for text in texts]
        self.model = CrisisModel.fit(views, labels, float(self.config["C"]), 5, int(self.config["random_seed"]))
        save_parts(self._model_storage, self._resource, MODEL_FILE, self.model.parts())
        return self._resource

    def probability(self, doc) -> float:
        """The crisis model's probability, the message read without its idioms (« mort de fatigue »)."""
        if self.model is None or doc is None:
            return 0.0
        return float(self.model.probabilities([view_of(doc, self.lexicon.idiom_tokens(doc))])[0])

    def process(self, messages: list[Message], **kwargs: Any | None) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or text.startswith("/"):
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != FALLBACK_INTENT]
            first = ranking[0].get(INTENT_NAME_KEY) if ranking else None
            quiet = (
                bool(ranking)
                and first in self.quiet_intents
                and float(ranking[0].get(PREDICTED_CONFIDENCE_KEY, 0.0)) >= self.quiet_confidence
            )
            lexicon = self.lexicon.matches(text)
            # « je ne sais pas » alone answers a question (the eligibility check invites it): never asked about.
            probability = 0.0 if only_unsure(text) else self.probability(message.get(SPACY_DOC))
            intent_says = first == DISTRESS_INTENT and (self.model is None or probability >= self.intent_floor)
            decided = outcome(
                lexicon,
                probability,
                intent_says,
                self.check_threshold,
                self.crisis_threshold,
                quiet,
                about_someone_else(text),
            )
            # The intent that answers the message if the person says it is not a crisis (never distress).
            others = [r for r in ranking if r.get(INTENT_NAME_KEY) not in (DISTRESS_INTENT, CHECK_INTENT)]
            intent = message.get(INTENT) or {}
            answer_intent = (
                intent.get(INTENT_NAME_KEY)
                if intent.get(INTENT_NAME_KEY) not in (DISTRESS_INTENT, CHECK_INTENT)
                else (others[0][INTENT_NAME_KEY] if others else FALLBACK_INTENT)
            )
            # Why the net decided, for the benchmark and debugging (no text).
            message.set(
                NET_KEY,
                {
                    "lexicon": lexicon,
                    "probability": round(probability, 4),
                    "outcome": decided,
                    "answer_intent": answer_intent,
                },
                add_to_output=True,
            )
            if decided == "none":
                if first == DISTRESS_INTENT:
                    # The intent model's distress guess, overruled by the crisis model: the next intent answers if
                    # it is likely enough, else the fallback (which searches the whole base).
                    confidence = float(
                        next((r[PREDICTED_CONFIDENCE_KEY] for r in ranking if r[INTENT_NAME_KEY] == answer_intent), 0.0)
                    )
                    if confidence < self.fallback_threshold:
                        answer_intent, confidence = FALLBACK_INTENT, self.fallback_threshold
                    self._set_intent(message, {INTENT_NAME_KEY: answer_intent, PREDICTED_CONFIDENCE_KEY: confidence})
                continue
            self._set_intent(
                message,
                {
                    INTENT_NAME_KEY: DISTRESS_INTENT if decided == "crisis" else CHECK_INTENT,
                    PREDICTED_CONFIDENCE_KEY: 1.0,
                },
            )
        return messages

    @staticmethod
    def _set_intent(message: Message, intent: dict[str, Any]) -> None:
        """`intent` first, in the intent and at the head of the ranking."""
        rest = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != intent[INTENT_NAME_KEY]]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent, *rest], add_to_output=True)
