"""The answering engine: which article answers a question, with which passage, or nothing.

Every article is cut into passages (its sentences, each knowing its article) and carries the questions
it answers (`questions:`, HR-editable) plus its title and keywords. For a question, each article gets a
few kinds of evidence, each the best match among its passages or among its questions:

- lexical: BM25 (bm25s) over spaCy lemmas, and the share of the question's information (IDF-weighted
  terms, typos mapped to known terms with rapidfuzz) that the article contains;
- character 3–5-grams within words (TF-IDF, bot/knowledge/char_ngrams.py, on accent-folded text): typos, missing
  accents, glued words, SMS spellings;
- dense: cosine of the mean spaCy word vectors of the content words (off: the action server's lemma table has
  no vectors, bot/core/text.py).

A logistic regression over these features (bot/knowledge/ranker.json, trained by `python -m bench.train_ranker`
on the development gold set) gives each article a probability of answering. Intent and entities are
small signals added to that score. The engine answers with the best article's best passage, asks back
when two or three articles are too close to tell, and abstains below a threshold chosen on the
development set.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
from rapidfuzz import fuzz, process
from threadpoolctl import threadpool_limits

# One BLAS thread: a matrix-vector product per question is tiny, and threads fighting for two shared cores
# made it 50 times slower (measured: 2.5 ms against 0.05 ms).
threadpool_limits(limits=1, user_api="blas")

# Imported after the limit, so that the BLAS libraries they load are limited too.
from bot.core.models import Article  # noqa: E402
from bot.core.text import ORDINAL_WORDS, analyse, analyse_query, analyse_with_vectors, fold, lexicon  # noqa: E402
from bot.knowledge.char_ngrams import CharNgrams  # noqa: E402
from bot.knowledge.details import missing_details  # noqa: E402
from bot.knowledge.expansion import in_french, readings  # noqa: E402

RANKER_FILE = Path(__file__).with_name("ranker.json")

FEATURES = (
    "bm25_question",  # best BM25 among the article's questions, relative to the best of all units
    "bm25_passage",  # best BM25 among its passages, relative
    "bm25_article",  # BM25 of the whole article, relative
    "char_question",  # best character n-gram cosine among its questions
    "char_passage",  # best character n-gram cosine among its passages
    "dense_question",  # best word-vector cosine among its questions
    "dense_passage",  # best word-vector cosine among its passages
    "coverage",  # IDF-weighted share of the question's terms found in the article
    "bm25_strength",  # log(1 + best raw BM25 of the article's units): how much the question matches at all
)

# How a sentence of the chosen article is scored as the passage to show (a logistic regression too).
SENTENCE_FEATURES = (
    "bm25",  # the sentence's BM25, relative to the best unit of the base
    "bm25_in_article",  # relative to the article's best sentence
    "chars",  # character n-gram cosine
    "chars_in_article",  # relative to the article's best sentence
    "dense",  # word-vector cosine
    "position",  # 0 for the first sentence
    "first",  # 1 for the first sentence (an article's main rule)
    "has_number",  # the sentence states a figure
    "number_asked",  # the question asks for a figure and the sentence states one
    "length",  # characters / 200
    "after_best",  # the previous sentence's BM25 relative to the article's best: the sentence continues it
    "anaphoric",  # the sentence opens on a pronoun (« Elle s'élève à 1,47 € »): it says more of the one before
    "amount_asked",  # the question asks for an amount or a share and the sentence states one (€, %)
    "notice_asked",  # the question asks how long in advance or how soon, and the sentence states a notice or a delay
    "condition_asked",  # the question asks on what condition or who is entitled, and the sentence states a condition
    "duration_asked",  # the question asks how long, and the sentence states a duration
    "count_asked",  # the question asks how many of something (« combien d'enfants ») and the sentence counts them
    "ordinal_asked",  # the question asks for the n-th item of a list (« le sixième principe ») and the sentence is it
    "limit_asked",  # the question asks for a maximum or a ceiling, and the sentence states a limit
    "pay_asked",  # the question asks whether or how much one is paid, and the sentence speaks of pay
    "title_terms",  # the share of the article title's terms the sentence names (an introduction repeats the title)
    "procedure_asked",  # the question asks how to do something or whom to turn to, and the sentence is of « how to »
)
# On folded text: a question that asks how to proceed, where or whom to turn to.
_ASKS_PROCEDURE = re.compile(
    r"\b(comment (faire|on fait|je fais|proceder|demander|obtenir|poser|s inscrire|m inscrire|prendre|declarer|signaler|"
    r"contacter|beneficier|faire pour)|(je|on) (fais|fait) (quoi|comment)|que (dois je|faire)|quelle(s)? demarches?|demarche|"
    r"procedure|a qui|aupres de qui|qui (contacter|dois je|faut il|je dois|appeler|prevenir)|ou (s adresser|m adresser|"
    r"envoyer|deposer|trouver)|how (do|can|should) (i|we)|how to|who (do|should|can) i|where (do|can|should) i|"
    r"what should i do|apply|request)\b"
)
# A question that asks for a figure, an amount, a duration or a limit.
_ASKS_NUMBER = re.compile(
    r"\b(combien|cb|how (many|much|long)|quel(le)?s? (montant|age|duree|delai|taux|plafond|pourcentage)|jusqu|"
    r"maximum|max|plafond|montant|taux|delai|duree|pourcentage|nombre|tarif|prix|cout|cost|price|amount|"
    r"days|jours|semaines|weeks|mois|months)\b"
)
_ASKS_AMOUNT = re.compile(
    # « combien » alone, not « combien de jours »: that one counts something else.
    r"\b((combien|cb)(?!\s+(de|d)\s)|how much|montant|tarif|prix|cout|cost|price|amount|taux|pourcentage|percent|"
    r"bonif\w*|euros?)\b"
)
_STATES_AMOUNT = re.compile(r"€|\beuros?\b|%|\bpour ?cent\b")
# On folded text: how long in advance / how soon, and sentences that state a notice or a delay.
_ASKS_NOTICE = re.compile(
    r"\b(combien de temps (a l )?(avant|d avance|pour)|a l avance|en avance|delai|preavis|prevenir|how (long|soon|far) "
    r"(before|in advance|ahead|does|do|will)|notice|in advance|deadline|respond|repondre|reponse)\b"
)
_STATES_NOTICE = re.compile(
    r"\b(preavis|delai|au plus tard|(\d+|un|une|deux|trois|quatre|six|huit|quinze) (jours?|semaines?|mois) "
    r"(avant|a l avance|au moins))\b"
)
_ASKS_CONDITION = re.compile(
    r"\b(condition|conditions|anciennete|faut il|eligible|eligibility|entitled|droit|requirement|required|"
    r"qui peut|who can|qualify|seniority|obligatoire|must i|do i need|dois je|besoin)\b"
)
_STATES_CONDITION = re.compile(
    r"\b(condition|anciennete|si vous|a condition|au moins|sous reserve|apres|sans|reserve|ouvert aux|peut|pouvez)\b"
)
# « combien d'enfants », « how many days » (read in French: bot/knowledge/expansion.py): the thing counted.
_COUNTED = re.compile(r"\b(?:combien|cb|nombre|how many|how much)\s+(?:de\s+|d\s+)?([a-z]{3,})")
_NUMBER_WORDS = "un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|trente|cent"
_ORDINALS = {word: n for n, words in ORDINAL_WORDS.items() for word in words}
# On folded text: a maximum or a ceiling asked, a limit stated; pay asked, pay stated.
_ASKS_LIMIT = re.compile(
    r"\b(max|maxi|maximum|maximal|maximale|plafond|plafonne|plafonnee|limite|at most|up to|cap|capped)\b"
)
_STATES_LIMIT = re.compile(
    r"\b(jusqu|au plus|au maximum|maximum|maximale?|plafon\w*|limite|depasser|dans la limite|ne peut exceder|plus de)\b"
)
_ASKS_PAY = re.compile(
    r"\b(paye|payee|payes|remunere|remuneree|salaire|traitement|paid|pay|salary|indemnise|indemnisee)\b"
)
_STATES_PAY = re.compile(r"\b(remuner\w*|pay\w*|salaire|traitement|indemni\w*|allocation|non remunere)\b")
_ASKS_DURATION = re.compile(r"\b(combien de (temps|jours|semaines|mois|ans)|how long|duree|dure|jusqu)\b")
_STATES_DURATION = re.compile(r"\b\d+\s*(jours?|semaines?|mois|ans|annees?|heures?|h)\b|\bjusqu")
# On folded text: a question asking what something is (its article's own account answers it, never a sentence
# saying what the base does not know about it).
_ASKS_DEFINITION = re.compile(
    # French only: "what is…" asks for figures as often (« what's the average salary? »).
    r"^(?:\w+\s+){0,3}?(c est quoi|c quoi|c koi|cest quoi|qu est ce que|qu est ce qu|quest ce que|kesako)\b"
    # … but not its amount, date, name or another detail (« c'est quoi le montant du colis ? »).
    r"(?!\s+(?:(?:le|la|les|l|un|une)\s+)?(?:montants?|prix|tarifs?|taux|dates?|noms?|numeros?|adresses?|delais?|"
    r"durees?|plafonds?|horaires?|salaires?)\b)"
)
_ANAPHORIC = re.compile(r"^(elle|il|ils|elles|ce|cet|cette|ces|cela|celle|celui|son|sa|ses|leur|leurs|y)\b")
_STATES_NUMBER = re.compile(
    r"\d|\b(un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|quinze|vingt|trente|cent|mille)\b"
)
PASSAGE_SENTENCES = 3
FOCUS_FLOOR = 0.6  # the question of a long message, asked alone, answers only this surely
# A sentence that states something is shown instead of the article's best-matching « l'assistant ne le connaît pas »
# sentence when it scores at least this share of that sentence's score.
KNOWN_MARGIN = 0.85
# A term used by at least this share of the « l'assistant ne le connaît pas » sentences (and by three) is their common
# wording.
KNOWS_NOT_WORDING_SHARE = 0.2

# Words that carry no topic in a question to an assistant.
_FILLER = {
    fold(w)
    for w in "savoir vouloir pouvoir question demander demande aimer bonjour merci svp stp plaît "
    "info information renseignement renseigner dire expliquer connaitre connaître besoin "
    "ce cela ça quoi koi quel quelle truc chose exister existe être avoir faire slt bjr "
    "hello hi please thanks the a an is are do does can what how "
    # Function words as people type them on a phone (« jsuis », « ya », « cest »): no topic, and an unknown term would
    # count against every article's coverage. Their de-pluralised forms too (« jsuis » -> « jsui »).
    "jsuis jsui chuis chui jss jai gt cest ct kwa kel kelle kels pk pq pkoi pourkoi qd ya jpeux jpe jveux jvais "
    "jsais jcrois tkt bcp tjr tjrs cb cmb "
    # Words that ask for a limit (« télétravail max par semaine ? »): what is limited is in the other words.
    "max maxi maximum minimum mini "
    # Days of the week name no topic (« jeudi » alone, « je pars lundi »); a date asked is read by details.py.
    "lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday friday saturday sunday".split()
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[«A-ZÀ-Ý0-9])")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_DIGIT = re.compile(r"\d")
# A passage in which the article itself says that the fact is not known (« l'assistant ne les connaît pas »).
# Also the source's own silence: « la page ne précise pas le délai », « leurs montants ne sont pas détaillés ici »,
# « les jours flottants n'ont pas pu être vérifiés ».
KNOWS_NOT = re.compile(
    r"l'assistant ne (les |le |la |l'|en )?(connaît|sait|dispose)|l'assistant ne peut pas|"
    r"\bne (précise|donne|dit|détaille|mentionne|fixe|indique)(nt)? (pas|ni)\b|n'indique pas|"
    r"\b(n'est|ne sont) pas (détaillée?s?|précisée?s?)|"
    r"\bn'(a|ont) pas (pu être|été) (vérifiée?s?|retrouvée?s?|trouvée?s?)|\bn'est pas établie?\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _english_terms() -> frozenset[str]:
    """The search terms of English function words (« the », « does », « any »)."""
    return frozenset(term for word in lexicon().english_stop_words for term in analyse(word))


def _counted(folded_question: str) -> re.Pattern[str] | None:
    """« combien d'enfants ? » -> a number followed (within a word) by « enfant… »; English read in French."""
    match = _COUNTED.search(folded_question)
    if not match:
        return None
    word = match.group(1)
    french = fold(in_french(word)).split()
    stems = {w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in [word, *french[:1]]}
    return re.compile(rf"(\d+(?:[.,]\d+)?|\b(?:{_NUMBER_WORDS}))\s+(?:\w+\s+)?(?:{'|'.join(map(re.escape, stems))})")


_QUESTION_SENTENCE = re.compile(r"(?<=[.!?…])\s+")


def question_focus(text: str) -> str | None:
    """The last sentence that asks (ends with « ? ») of a message of several sentences; None for a single one."""
    parts = [p.strip() for p in _QUESTION_SENTENCE.split(" ".join(text.split())) if p.strip()]
    if len(parts) < 2:
        return None
    asking = [p for p in parts if p.endswith("?")]
    return asking[-1] if asking else None


def sentences(text: str) -> list[str]:
    """A paragraph cut into sentences (« n° 2025-564 » and « 1er » stay whole)."""
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


@dataclass(frozen=True)
class Ranker:
    """Logistic regression weights over FEATURES, with the standardisation and the decision thresholds."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float = 0.5  # below: abstain
    close: float = 0.8  # a second article at least this close to the first (probability ratio): ask back
    topic_bonus: float = 0.3  # added to the logit of an article of the intent's topic
    tag_bonus: float = 1.0  # added to the logit of the article tagged with a specific entity value
    # The sentence scorer; untrained, the plain sum that preceded it.
    sentence_coef: np.ndarray = field(
        default_factory=lambda: np.array([1, 0, 1, 0, 0.5, -0.04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0])
    )
    sentence_intercept: float = 0.0

    @classmethod
    def untrained(cls) -> Ranker:
        """An even mix of the evidence: what bench/train_ranker.py starts from."""
        n = len(FEATURES)
        return cls(np.zeros(n), np.ones(n), np.ones(n), -4.0)

    @classmethod
    def load(cls, path: Path = RANKER_FILE) -> Ranker:
        if not path.exists():
            return cls.untrained()
        data = json.loads(path.read_text(encoding="utf-8"))
        assert tuple(data["features"]) == FEATURES, "bot/knowledge/ranker.json was trained on other features"
        sentence = data.get("sentence") or {}
        if sentence:
            assert tuple(sentence["features"]) == SENTENCE_FEATURES, (
                "bot/knowledge/ranker.json: other sentence features"
            )
        return cls(
            np.array(data["mean"]),
            np.array(data["scale"]),
            np.array(data["coef"]),
            float(data["intercept"]),
            **{k: float(data[k]) for k in ("threshold", "close", "topic_bonus", "tag_bonus") if k in data},
            **(
                {"sentence_coef": np.array(sentence["coef"]), "sentence_intercept": float(sentence["intercept"])}
                if sentence
                else {}
            ),
        )

    def logits(self, features: np.ndarray) -> np.ndarray:
        return ((features - self.mean) / self.scale) @ self.coef + self.intercept


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass(frozen=True)
class Candidate:
    article: Article
    probability: float


@dataclass(frozen=True)
class Result:
    """What the engine found: the ranked candidates, and the decision."""

    candidates: list[Candidate]
    decision: str  # "answer" | "unknown" (the article says it does not know) | "clarify" | "abstain"
    passage: str | None = None
    choices: list[Candidate] = field(default_factory=list)
    missing: tuple[str, ...] = ()  # « unknown »: the details asked that the best article does not state

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


class KnowledgeIndex:
    """An immutable index of a set of articles: their passages and their questions, indexed together."""

    def __init__(
        self,
        articles: list[Article],
        ranker: Ranker | None = None,
        analysed: Mapping[str, list[str]] | None = None,
        previous: KnowledgeIndex | None = None,
    ) -> None:
        """`analysed`: search terms of texts already analysed (another index's units); only the other texts are
        analysed here, and not kept (a preview's draft). `previous`: an earlier index, whose words already cut
        into character n-grams are not cut again. Neither changes the index built."""
        self.articles = articles
        self.ranker = ranker or Ranker.load()
        self.by_id = {a.id: i for i, a in enumerate(articles)}
        unit_text: list[str] = []
        unit_article: list[int] = []
        unit_is_question: list[bool] = []
        # A sentence saying what the base does not know (« le congé de longue maladie : l'assistant ne le connaît
        # pas ») draws the questions it names to its article, where it answers « je ne sais pas »; it is kept out
        # of the whole article's terms (BM25 of the article, coverage), which it would dilute, and out of what the
        # article states (bot/knowledge/details.py).
        unit_knows_not: list[bool] = []
        self.passages: list[list[int]] = []  # per article, its passage units in reading order
        self.stated: list[tuple[str, str]] = []  # per article, its body and « how to » without such sentences
        self.how_to_start: list[int] = []  # per article, the position in its passages where its « how to » starts
        for index, article in enumerate(articles):
            asked = [article.title, *(article.questions or []), *(article.keywords or [])]
            for text in asked:
                unit_text.append(text)
                unit_article.append(index)
                unit_is_question.append(True)
                unit_knows_not.append(False)
            own: list[int] = []
            stated: tuple[list[str], list[str]] = ([], [])
            for part, texts in enumerate((sentences(article.body), sentences(article.how_to or ""))):
                if part == 1:
                    self.how_to_start.append(len(own))
                for text in texts:
                    own.append(len(unit_text))
                    unit_text.append(text)
                    unit_article.append(index)
                    unit_is_question.append(False)
                    unit_knows_not.append(KNOWS_NOT.search(text) is not None)
                    if not unit_knows_not[-1]:
                        stated[part].append(text)
            self.passages.append(own)
            self.stated.append((" ".join(stated[0]), " ".join(stated[1])))
        self.unit_text = unit_text
        # Units are article-major, questions then passages: one reduceat gives both maxima of every article.
        bounds = []
        for index in range(len(articles)):
            first_passage = self.passages[index][0] if self.passages[index] else None
            start = unit_article.index(index)
            bounds += [start, first_passage if first_passage is not None else start]
        self._bounds = np.array(bounds, dtype=np.int64)
        self.unit_article = np.array(unit_article, dtype=np.int64)
        self.unit_is_question = np.array(unit_is_question, dtype=bool)
        self.unit_knows_not = np.array(unit_knows_not, dtype=bool)
        n = len(articles)
        self.unit_terms: list[list[str]] = []
        if not unit_text:
            return
        if analysed is None:
            unit_terms = [terms for terms, _ in analyse_with_vectors(unit_text)]
        else:
            unit_terms = [analysed[t] if t in analysed else analyse(t) for t in unit_text]
        self.unit_terms = unit_terms
        # The dense evidence is off without a pipeline's static vectors (bot/core/text.py): one zero per unit.
        self.unit_vectors = np.zeros((len(unit_text), 1), dtype=np.float32)
        self._unit_bm25 = bm25s.BM25()
        self._unit_bm25.index([t or [""] for t in unit_terms], show_progress=False)
        article_terms: list[list[str]] = [[] for _ in range(n)]
        for terms, index, knows_not in zip(unit_terms, unit_article, self.unit_knows_not):
            if not knows_not:
                article_terms[index].extend(terms)
        self._article_bm25 = bm25s.BM25()
        self._article_bm25.index([t or [""] for t in article_terms], show_progress=False)
        article_sets = [set(t) for t in article_terms]
        df: dict[str, int] = {}
        for terms in article_sets:
            for term in terms:
                df[term] = df.get(term, 0) + 1
        self._column = {term: i for i, term in enumerate(df)}
        from scipy.sparse import csr_matrix

        rows = [i for i, terms in enumerate(article_sets) for _ in terms]
        columns = [self._column[t] for terms in article_sets for t in terms]
        self._incidence = csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(n, len(self._column)))
        self._idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self._unknown_idf = math.log(1 + (n + 0.5) / 0.5)
        self._vocabulary_by_letter: dict[str, list[str]] = {}
        for term in self._idf:
            self._vocabulary_by_letter.setdefault(term[0], []).append(term)
        # The words every « l'assistant ne le connaît pas » sentence uses (« assistant », « service », « RH »…): what
        # such a sentence names is in its other words.
        knows_not_units = [unit_terms[u] for u in np.flatnonzero(self.unit_knows_not)]
        counts = Counter(term for terms in knows_not_units for term in set(terms))
        least = max(3, KNOWS_NOT_WORDING_SHARE * len(knows_not_units))
        self._knows_not_wording = frozenset(t for t, c in counts.items() if c >= least)
        # Each article's title terms (its first unit is its title).
        self._title_terms = [frozenset(unit_terms[start]) for start in self._bounds[0::2]]
        self._chars = CharNgrams()
        self.unit_chars = self._chars.fit_transform(unit_text, getattr(previous, "_chars", None))

    def replacing(self, draft: Article) -> KnowledgeIndex:
        """A new index of these articles with `draft` in place of the one of the same id (or added), the same
        as an index built from scratch on those articles; only the draft's texts are analysed (and not kept).
        This index is not changed (HR's preview, bot/knowledge/preview.py)."""
        articles = sorted([*(a for a in self.articles if a.id != draft.id), draft], key=lambda article: article.id)
        return KnowledgeIndex(articles, self.ranker, dict(zip(self.unit_text, self.unit_terms)), previous=self)

    # ------------------------------------------------------------------ evidence

    def _query_terms(
        self, weighted: list[tuple[str, float]], foreign: frozenset[str] = frozenset()
    ) -> dict[str, float]:
        """The question's terms and weights, typos mapped to known terms. `foreign`: terms of words read in French
        (their French words are among the terms) and English function words, dropped unless the base knows them:
        an unknown term counts against every article's coverage."""
        terms: dict[str, float] = {}
        for term, weight in weighted:
            if term in _FILLER or term in foreign and term not in self._idf:
                continue
            if term not in self._idf and len(term) >= 5 and term not in lexicon().known_terms:
                # A typo keeps its first letter: « teletravil » -> « teletravail ». A real word is not a typo.
                match = process.extractOne(
                    term, self._vocabulary_by_letter.get(term[0], []), scorer=fuzz.ratio, score_cutoff=84
                )
                term = match[0] if match else term
            terms[term] = max(weight, terms.get(term, 0.0))
        return terms

    def is_generic(self, text: str) -> bool:
        """A question that names a topic and little else (« télétravail ? », « infos sur les congés »)."""
        return len(self._query_terms(analyse_query(text)[0])) <= 2

    def features(self, text: str, exclude_unit: int | None = None) -> np.ndarray:
        """One row of FEATURES per article."""
        return self._evidence(text, exclude_unit)[0]

    def _evidence(self, text: str, exclude_unit: int | None = None):
        """The FEATURES of every article, and each unit's relative BM25, character and dense scores."""
        n = len(self.articles)
        out = np.zeros((n, len(FEATURES)), dtype=np.float64)
        if not n or not self.unit_text:
            return out, None
        # English words, SMS forms and slang are read in plain French too (bot/knowledge/expansion.py); the
        # question's own terms for them, and English function words, count only where the base knows them.
        read = readings(text)
        if read:
            text = f"{text} {' '.join(french for _, french in read)}"
        weighted, vector = analyse_query(text)
        terms = self._query_terms(weighted, _english_terms() | {t for written, _ in read for t in analyse(written)})
        if terms:
            unit_scores = self._unit_bm25.get_scores(list(terms)).astype(np.float64)
            article_scores = self._article_bm25.get_scores(list(terms)).astype(np.float64)
        else:
            unit_scores = np.zeros(len(self.unit_text))
            article_scores = np.zeros(n)
        chars = self.unit_chars @ self._chars.transform(text).toarray().ravel()
        dense = self.unit_vectors @ vector if vector.any() else np.zeros(len(self.unit_text))
        if exclude_unit is not None:
            unit_scores[exclude_unit] = chars[exclude_unit] = dense[exclude_unit] = 0.0
        top = unit_scores.max()
        relative = unit_scores / top if top > 0 else unit_scores
        for (question, passage), values in (((0, 1), relative), ((3, 4), chars), ((5, 6), dense)):
            maxima = np.maximum.reduceat(values, self._bounds)
            out[:, question], out[:, passage] = maxima[0::2], maxima[1::2]
        top_article = article_scores.max()
        out[:, 2] = article_scores / top_article if top_article > 0 else 0.0
        maxima = np.maximum.reduceat(unit_scores, self._bounds)
        out[:, 8] = np.log1p(np.maximum(maxima[0::2], maxima[1::2]))
        if terms:
            weights = np.zeros(len(self._column))
            total = 0.0
            for term, weight in terms.items():
                value = weight * self._idf.get(term, self._unknown_idf)
                total += value
                if term in self._column:
                    weights[self._column[term]] = value
            out[:, 7] = self._incidence @ weights / total
        return out, (relative, chars, dense, terms)

    # ------------------------------------------------------------------ decision

    def probabilities(self, text: str, *, topic: str | None = None, tags: tuple[str, ...] = ()):
        features, evidence = self._evidence(text)
        logits = self.ranker.logits(features)
        for index, article in enumerate(self.articles):
            if topic and article.topic == topic:
                logits[index] += self.ranker.topic_bonus
            if tags and (article.leave_type in tags or article.aid_type in tags):
                logits[index] += self.ranker.tag_bonus
        return sigmoid(logits), evidence

    def leading(self, text: str) -> Candidate | None:
        """The most probable article for `text` when it is probable enough to answer (ask() would not abstain), without
        choosing its passage."""
        if not self.articles:
            return None
        probabilities, _ = self.probabilities(text)
        best = int(np.argmax(probabilities))
        return (
            Candidate(self.articles[best], float(probabilities[best]))
            if probabilities[best] >= self.ranker.threshold
            else None
        )

    def ask(self, text: str, *, topic: str | None = None, tags: tuple[str, ...] = ()) -> Result:
        result = self._ask(text, topic=topic, tags=tags)
        # « Bonjour, je viens d'arriver comme gestionnaire. Combien de jours de congés j'ai par an ? »: the context
        # around the question drowns it; when the whole message finds nothing, its question alone is asked.
        focus = question_focus(text) if result.decision == "abstain" else None
        if focus:
            alone = self._ask(focus, topic=topic, tags=tags)
            if alone.decision != "abstain" and alone.candidates[0].probability >= FOCUS_FLOOR:
                return alone
        return result

    def _ask(self, text: str, *, topic: str | None = None, tags: tuple[str, ...] = ()) -> Result:
        if not self.articles:
            return Result([], "abstain")
        probabilities, evidence = self.probabilities(text, topic=topic, tags=tags)
        order = np.argsort(-probabilities)[:5]
        candidates = [Candidate(self.articles[i], float(probabilities[i])) for i in order]
        best = candidates[0]
        if best.probability < self.ranker.threshold:
            return Result(candidates, "abstain")
        close = [
            c
            for c in candidates[:3]
            if c.probability >= self.ranker.threshold and c.probability >= self.ranker.close * best.probability
        ]
        named = bool(tags) and (best.article.leave_type in tags or best.article.aid_type in tags)
        # Two or three articles too close to tell, unless the message names the best one's leave or aid type.
        if len(close) >= 2 and not named:
            return Result(candidates, "clarify", choices=close)
        passage, known, missing = self.verdict(int(order[0]), evidence, text)
        return Result(candidates, "answer" if known else "unknown", passage=passage, missing=missing)

    def verdict(self, article_index: int, evidence, text: str) -> tuple[str, bool, tuple[str, ...]]:
        """The passage of the article that answers `text`, whether it answers, and the details asked that the
        article does not state. It does not answer when its best sentence says the base does not know, or when
        the question asks for a detail (a date, a name…) the article does not state at all: then an honest
        « je ne sais pas », with what the article does say."""
        passage, known = self._passage(article_index, evidence, text)
        # What the article states: « son traitement fiscal : l'assistant ne le connaît pas » states no tax rule.
        missing = tuple(missing_details(text, *self.stated[article_index]))
        return passage, known and not missing, missing

    def verdict_for(self, article_index: int, text: str) -> tuple[str, bool, tuple[str, ...]]:
        """verdict() of one given article for `text` (a follow-up question on the article just shown)."""
        return self.verdict(article_index, self._evidence(text)[1], text)

    def passage_for(self, article_index: int, text: str) -> str:
        """The passage of one given article that best answers `text` (the person chose the article)."""
        return self._passage(article_index, self._evidence(text)[1], text)[0]

    def sentence_features(self, question: str, article_index: int, evidence) -> np.ndarray:
        """One row of SENTENCE_FEATURES per sentence of the article."""
        units = self.passages[article_index]
        relative, chars, dense, _ = evidence
        bm25 = np.array([relative[u] for u in units])
        char = np.array([chars[u] for u in units])
        folded_question = fold(question)
        asks = 1.0 if _ASKS_NUMBER.search(folded_question) else 0.0
        asks_amount = 1.0 if _ASKS_AMOUNT.search(folded_question) else 0.0
        asks_notice = 1.0 if _ASKS_NOTICE.search(folded_question) else 0.0
        asks_condition = 1.0 if _ASKS_CONDITION.search(folded_question) else 0.0
        asks_duration = 1.0 if _ASKS_DURATION.search(folded_question) else 0.0
        asks_limit = 1.0 if _ASKS_LIMIT.search(folded_question) else 0.0
        asks_pay = 1.0 if _ASKS_PAY.search(folded_question) else 0.0
        asks_procedure = 1.0 if _ASKS_PROCEDURE.search(folded_question) else 0.0
        how_to_start = self.how_to_start[article_index]
        counted = _counted(folded_question)
        ordinal = next((_ORDINALS[w] for w in folded_question.split() if w in _ORDINALS), None)
        best_bm25 = bm25.max() or 1.0
        title = self._title_terms[article_index]
        rows = []
        for position, unit in enumerate(units):
            raw = self.unit_text[unit]
            text = fold(raw)
            number = 1.0 if _STATES_NUMBER.search(text) else 0.0
            rows.append(
                [
                    bm25[position],
                    bm25[position] / best_bm25,
                    char[position],
                    char[position] / (char.max() or 1.0),
                    dense[unit],
                    position,
                    float(position == 0),
                    number,
                    asks * number,
                    len(text) / 200,
                    bm25[position - 1] / best_bm25 if position else 0.0,
                    1.0 if _ANAPHORIC.match(text) else 0.0,
                    asks_amount * (1.0 if _STATES_AMOUNT.search(raw) else 0.0),
                    asks_notice * (1.0 if _STATES_NOTICE.search(text) else 0.0),
                    asks_condition * (1.0 if _STATES_CONDITION.search(text) else 0.0),
                    asks_duration * (1.0 if _STATES_DURATION.search(text) else 0.0),
                    1.0 if counted and counted.search(text) else 0.0,
                    1.0 if ordinal and re.match(rf"{ordinal}\s*[).]", raw) else 0.0,
                    asks_limit * (1.0 if _STATES_LIMIT.search(text) else 0.0),
                    asks_pay * (1.0 if _STATES_PAY.search(text) else 0.0),
                    len(title & set(self.unit_terms[unit])) / len(title) if title else 0.0,
                    asks_procedure * float(position >= how_to_start),
                ]
            )
        return np.array(rows, dtype=np.float64)

    def _passage(self, article_index: int, evidence, question: str = "") -> tuple[str, bool]:
        """The passage (the best sentences, at most PASSAGE_SENTENCES, in reading order), and False when
        its best sentence says that the base does not know."""
        units = self.passages[article_index]
        if not units or evidence is None:
            return self.articles[article_index].body, True
        scores = self.sentence_features(question, article_index, evidence) @ self.ranker.sentence_coef
        scores = sigmoid(scores + self.ranker.sentence_intercept)
        order = [int(i) for i in np.argsort(-scores)]
        known = [i for i in order if not self.unit_knows_not[units[i]]]
        # The article's own « l'assistant ne le connaît pas » answers when it is the sentence that best matches the
        # question, unless a sentence that states something scores nearly as well (KNOWN_MARGIN). Until 2026-12-05
        # the stated sentence won from a score of 0.5: out of fold on dev 313 right and 34 unanswerable answered,
        # against 314 and 31 with the margin 0.85 (313 and 30 at 0.9, which hid the count of first-aiders behind
        # « la page ne donne ni leurs noms… »; 309 and 24 with no margin at all).
        # It gives way, though, when it names only the topic (its article's title words) and a sentence that states
        # something names what the question asks beyond the topic (« avancement » in « Le Rôle de Développeur de
        # talents n'intervient ni dans … ni dans votre avancement » against « Les noms des développeurs de talents :
        # l'assistant ne les connaît pas »).
        if (
            order[0] not in known
            and not (known and _ASKS_DEFINITION.search(fold(question)))
            and (not known or scores[known[0]] < KNOWN_MARGIN * scores[order[0]])
            and (
                self._names_what_is_asked(units[order[0]], article_index, evidence[3])
                or not any(self._names_what_is_asked(units[i], article_index, evidence[3]) for i in known)
            )
        ):
            return self.unit_text[units[order[0]]], False
        chosen = with_antecedent(known[:PASSAGE_SENTENCES], [self.unit_text[u] for u in units])
        return " ".join(self.unit_text[units[i]] for i in sorted(chosen)), True

    def _names_what_is_asked(self, unit: int, article_index: int, asked: Mapping[str, float]) -> bool:
        """Whether a sentence of the article shares with the question a term other than the article's title's and
        the « l'assistant ne le connaît pas » sentences' common wording (« assistant », « service », « RH »…)."""
        return bool(
            set(self.unit_terms[unit]) & set(asked) - self._title_terms[article_index] - self._knows_not_wording
        )


def refers_back(sentence: str) -> bool:
    """A sentence that opens on a pronoun (« Elle s'élève à 2,88 € »), or does so after a short opening clause
    (« À temps partiel, ce nombre suit votre quotité »): it says more of the sentence before."""
    head, comma, rest = sentence.partition(",")
    return bool(
        _ANAPHORIC.match(fold(sentence)) or comma and len(head.split()) <= 9 and _ANAPHORIC.match(fold(rest.strip()))
    )


def with_antecedent(chosen: list[int], texts: list[str]) -> list[int]:
    """The chosen sentences (best first), where the best one refers back (refers_back) and the sentence it refers
    to is not among them: that sentence takes the place of the last chosen; and the sentence before the first one
    shown, when that one refers back."""
    best = chosen[0] if chosen else 0
    if chosen and best > 0 and best - 1 not in chosen and refers_back(texts[best]):
        chosen = [*chosen[: PASSAGE_SENTENCES - 1], best - 1]
    # The passage never opens on a sentence that refers back (« À temps partiel, ce nombre… » shown without the
    # number): the sentence before it comes too.
    first = min(chosen, default=0)
    for _ in range(2):  # « Elle s'élève à … » after « Elle concerne … »: two steps back at most
        if first == 0 or not refers_back(texts[first]):
            break
        first -= 1
        chosen = [*chosen, first]
    return chosen


class KnowledgeBase:
    """Keeps a KnowledgeIndex in step with the database: rebuilt when the content revision changes."""

    def __init__(self, database, ranker: Ranker | None = None) -> None:
        self.database = database
        self.ranker = ranker
        self._lock = threading.Lock()
        self._revision = None
        self._index: KnowledgeIndex | None = None

    def index(self) -> KnowledgeIndex:
        from sqlalchemy import select

        from bot.knowledge.content import content_revision

        revision = content_revision(self.database)
        with self._lock:
            if self._index is None or revision != self._revision:
                with self.database.session() as session:
                    articles = list(session.scalars(select(Article).order_by(Article.id)))
                self._index = KnowledgeIndex(articles, self.ranker, previous=self._index)
                self._revision = revision
            return self._index

    def by_tag(self, kind: str, value: str) -> Article | None:
        return next((a for a in self.index().articles if getattr(a, kind) == value), None)

    def default_for(self, intent: str) -> Article | None:
        return next((a for a in self.index().articles if intent in (a.default_for or [])), None)

    def get(self, article_id: str) -> Article | None:
        index = self.index()
        position = index.by_id.get(article_id)
        return index.articles[position] if position is not None else None
