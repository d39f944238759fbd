"""Deterministic entity extraction: canonical values of the closed vocabularies, and date expressions.

One source of truth for what a word means (bot/core/vocabulary.py) serves the NLU (the Rasa
component rasa_components/canonical_entities.py), the actions and the buttons alike.
Matching is over folded tokens (no case, no accents), with light plural folding, small
words skipped inside a phrase (« congé de maternité » = « congé maternité »), and
typos forgiven by edit distance (rapidfuzz: Damerau-Levenshtein, so « pyschologue »
is one edit away). A value is found only from a word that names it: never from a stop
word, and a short ambiguous acronym (« AS », « CA ») only when typed in capitals.
A date is the text of a date or time expression, resolved later by bot/core/dates.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein

from bot.core.text import fold

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)

# Small words that may stand inside a vocabulary phrase without changing it.
GLUE = frozenset(
    "de du des d la le l les un une a au aux en pour mon ma mes son sa ses votre vos ton ta tes "
    "of the for my a an to with".split()
)
# Acronyms that are also common words: found only when typed in capitals.
CAPITALS_ONLY = frozenset({"as", "ca"})
MAX_WORDS = 5


@dataclass(frozen=True)
class Found:
    entity: str
    value: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Token:
    folded: str
    key: str
    start: int
    end: int
    raw: str


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        for part in fold(match.group()).split():
            tokens.append(_Token(part, _stem(part), match.start(), match.end(), match.group()))
    return tokens


def phrase_key(phrase: str) -> tuple[str, ...]:
    """How a vocabulary phrase is compared: folded, small words out, plurals folded."""
    return tuple(_stem(word) for word in fold(phrase).split() if word not in GLUE) or tuple(
        _stem(word) for word in fold(phrase).split()
    )


def _allowed_edits(word: str) -> int:
    return 0 if len(word) <= 4 else 1 if len(word) <= 7 else 2


def _close(word: str, form: str) -> bool:
    if word == form:
        return True
    if word[0] != form[0] or abs(len(word) - len(form)) > 2:
        return False
    return DamerauLevenshtein.distance(word, form, score_cutoff=_allowed_edits(form)) <= _allowed_edits(form)


class Vocabulary:
    """Phrases of every entity value, indexed for exact and fuzzy lookup."""

    def __init__(self, forms: dict[str, dict[str, list[str]]]) -> None:
        self.exact: dict[tuple[str, ...], tuple[str, str]] = {}
        for entity, values in forms.items():
            for value, phrases in values.items():
                for phrase in phrases:
                    key = phrase_key(phrase)
                    if key:
                        self.exact.setdefault(key, (entity, value))
        self.by_shape: dict[tuple[int, str], list[tuple[str, ...]]] = {}
        for key in self.exact:
            self.by_shape.setdefault((len(key), key[0][0]), []).append(key)

    def lookup(self, words: tuple[str, ...]) -> tuple[str, str] | None:
        if words in self.exact:
            return self.exact[words]
        if all(len(w) < 5 for w in words):
            return None
        for key in self.by_shape.get((len(words), words[0][0]), []):
            if all(_close(w, k) for w, k in zip(words, key)):
                return self.exact[key]
        return None


def _spans(tokens: list[_Token]):
    """Candidate phrases: runs of up to MAX_WORDS content words, with small words between them only."""
    content = [i for i, t in enumerate(tokens) if t.folded not in GLUE]
    for a, first in enumerate(content):
        for b in range(a, min(a + MAX_WORDS, len(content))):
            last = content[b]
            if b > a and any(tokens[i].folded not in GLUE for i in range(content[b - 1] + 1, last)):
                break
            yield first, last, tuple(tokens[i].key for i in content[a : b + 1])


def find_values(text: str, vocabulary: Vocabulary) -> list[Found]:
    """Vocabulary values named in a text, longest phrase first, each word used once."""
    tokens = _tokens(text)
    candidates = []
    for first, last, words in _spans(tokens):
        if len(words) == 1 and words[0] in CAPITALS_ONLY and not tokens[first].raw.isupper():
            continue
        hit = vocabulary.lookup(words)
        if hit:
            candidates.append((last - first, len(words), first, last, hit))
    candidates.sort(key=lambda c: (-c[1], -c[0], c[2]))
    used: set[int] = set()
    found = []
    named: set[tuple[str, str]] = set()
    for _, _, first, last, (entity, value) in candidates:
        if used.intersection(range(first, last + 1)):
            continue
        used.update(range(first, last + 1))
        # A value named twice (« enceinte … congé de maternité ») is one entity: its longest wording.
        if (entity, value) in named:
            continue
        named.add((entity, value))
        start, end = tokens[first].start, tokens[last].end
        found.append(Found(entity, value, start, end, text[start:end]))
    return sorted(found, key=lambda f: f.start)


# ---------------------------------------------------------------------------------------------- dates

_DAYS = "lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday friday saturday sunday"
_MONTHS = (
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre janv fevr oct nov dec "
    "january february march april june july august september october november december"
)
_STRONG = set(
    f"{_DAYS} {_MONTHS} demain aujourd hui hier tomorrow today tonight yesterday matin matinee midi aprem apm "
    "soir soiree morning afternoon evening noon asap rentree toussaint paques noel weekend".split()
)
# Words that make a date only next to a strong word or a modifier (« 3 jours par semaine » is no date).
_WEAK = set(
    "jour jours semaine semaines mois an ans annee annees week weeks month months year years day days "
    "ete hiver printemps automne summer winter spring autumn".split()
)
_MODIFIERS = set(
    "prochain prochaine prochains prochaines dernier derniere ce cette cet next this dans in fin debut mi "
    "courant suivant suivante".split()
)
_LINKS = set(
    "le la l les du de d des au a et ou entre avant apres vers dans en ce cette cet ces the at on in from to until "
    "jusqu by this next or and of after before around au plus tot possible que".split()
)
_LEADING_DROP = set("a au en pour de d et ou at on to and or of que plus".split())
_TRAILING_DROP = set(_LINKS) - {"prochain", "prochaine", "tot", "possible"}
_TIME = re.compile(r"^(?:(?:[01]?\d|2[0-3])h(?:[0-5]\d)?|(?:[1-9]|1[0-2])(?:am|pm))$")
_NUMBER_WORDS = set(
    "un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt trente "
    "premier 1er one two three four five ten fifteen".split()
)
_PHRASES = [
    re.compile(p)
    for p in (
        r"\bdes que possible\b",
        r"\ble plus tot possible\b",
        r"\bn importe quand\b",
        r"\bquand (?:vous voulez|tu veux|ca vous arrange)\b",
        r"\bpeu importe (?:le jour|quand)\b",
        r"\bas soon as possible\b",
    )
]


def _date_kind(tokens: list[_Token], i: int) -> str:
    word = tokens[i].folded
    if word in _STRONG or _TIME.match(word):
        return "strong"
    # « 10 h », « 9 : 30 »: digits followed by h or a minute count.
    if word.isdigit() and i + 1 < len(tokens) and tokens[i + 1].folded == "h":
        return "strong"
    if word.isdigit() and len(word) <= 4 or word in _NUMBER_WORDS or re.match(r"^\d{1,2}(?:er|e|eme)$", word):
        return "number"
    if word in _WEAK:
        return "weak"
    if word in _MODIFIERS:
        return "modifier"
    if word in _LINKS or word == "h":
        return "link"
    return "other"


def _slashed_dates(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b", text)]


def find_dates(text: str) -> list[Found]:
    """Date and time expressions, as the person typed them."""
    folded_text = fold(text)
    tokens = _tokens(text)
    spans: list[tuple[int, int]] = []
    run: list[int] = []

    def close_run() -> None:
        kinds = {_date_kind(tokens, i) for i in run}
        if "strong" in kinds or {"weak", "modifier"} <= kinds:
            items = list(run)
            while items and tokens[items[0]].folded in _LEADING_DROP:
                items.pop(0)
            while items and _date_kind(tokens, items[-1]) == "link" and tokens[items[-1]].folded in _TRAILING_DROP:
                items.pop()
            if items:
                spans.append((tokens[items[0]].start, tokens[items[-1]].end))
        run.clear()

    for i in range(len(tokens)):
        if _date_kind(tokens, i) != "other":
            run.append(i)
        else:
            close_run()
    close_run()
    for start, end in _slashed_dates(text):
        if not any(s <= start < e for s, e in spans):
            spans.append((start, end))
    if not spans:
        for pattern in _PHRASES:
            if pattern.search(folded_text):
                # The whole expression: a short message is the answer itself.
                return [Found("date", text.strip(), 0, len(text), text)] if len(text) < 60 else []
    return [Found("date", text[s:e], s, e, text[s:e]) for s, e in sorted(spans)]


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    from bot.core.vocabulary import all_forms

    return Vocabulary(all_forms())


def find_entities(text: str) -> list[Found]:
    """Every entity of the NLU contract found in a text: canonical values, then dates."""
    values = find_values(text, default_vocabulary())
    taken = [(f.start, f.end) for f in values]
    dates = [d for d in find_dates(text) if not any(s < d.end and d.start < e for s, e in taken)]
    return sorted(values + dates, key=lambda f: f.start)
