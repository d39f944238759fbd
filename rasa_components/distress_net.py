"""Last NLU component: a safety net that forces `urgent_distress`.

DIET misses some ways of saying one wants to die. This component sets the intent
to `urgent_distress`, whatever DIET or the FallbackClassifier decided, when the
message matches the maintained lexicon (data/safety/distress_lexicon.yml), or
when DIET itself leans that way: `urgent_distress` first of its ranking (the
FallbackClassifier may have replaced it by `nlu_fallback`, and « je n'ai pas
compris » must never answer someone in danger), or above `min_confidence`
even in second place (a false alarm costs far less than a miss). It sits after
the FallbackClassifier in config.yml for that reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.text import fold
from rasa_components.base import ConfiguredComponent

DISTRESS_INTENT = "urgent_distress"
FALLBACK_INTENT = "nlu_fallback"
NET_KEY = "distress_net"
DEFAULT_LEXICON = Path(__file__).resolve().parent.parent / "data" / "safety" / "distress_lexicon.yml"


_REPEATED = re.compile(r"([a-z])\1{2,}")


@dataclass(frozen=True)
class Lexicon:
    patterns: list[re.Pattern[str]]
    shorthand: dict[str, str]
    glued: list[re.Pattern[str]]

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


def load_lexicon(path: Path) -> Lexicon:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    patterns = data.get("patterns") or []
    if not patterns:
        raise ValueError(f"the distress lexicon {path} has no patterns")
    shorthand = {str(k): str(v) for k, v in (data.get("shorthand") or {}).items()}
    glued = [re.compile(p) for p in data.get("glued") or []]
    return Lexicon([re.compile(p) for p in patterns], shorthand, glued)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DistressNet(ConfiguredComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # None: the project's lexicon, found next to this code when Rasa starts (a path
        # stored in the model would break when the project moves).
        return {"lexicon": None, "min_confidence": 0.2}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self.lexicon = load_lexicon(Path(config["lexicon"] or DEFAULT_LEXICON))
        self.min_confidence = float(config["min_confidence"])

    def classifier_view(self, message: Message) -> tuple[int | None, float]:
        """Where DIET put `urgent_distress` (0 = first, ignoring the fallback) and with what confidence."""
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != FALLBACK_INTENT]
        for position, entry in enumerate(ranking):
            if entry.get(INTENT_NAME_KEY) == DISTRESS_INTENT:
                return position, float(entry.get(PREDICTED_CONFIDENCE_KEY, 0.0))
        return None, 0.0

    def process(self, messages: List[Message], **kwargs: Optional[Any]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str):
                continue
            position, confidence = self.classifier_view(message)
            lexicon = self.lexicon.matches(text)
            # Why the net decided, for the benchmark and debugging (no text).
            message.set(NET_KEY, {"lexicon": lexicon, "classifier_rank": position,
                                  "classifier_confidence": round(confidence, 4)}, add_to_output=True)
            if not (lexicon or position == 0 or confidence >= self.min_confidence):
                continue
            forced = {INTENT_NAME_KEY: DISTRESS_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != DISTRESS_INTENT]
            message.set(INTENT, forced, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [forced, *ranking], add_to_output=True)
        return messages
