"""Features of a message for the linear classifiers (intents, crisis).

Four views of one text, each cheap and robust to how staff type:
- TF-IDF of folded words and word pairs (no accents, no case, no punctuation);
- TF-IDF of character n-grams within words (typos, missing accents, SMS spellings);
- TF-IDF of folded spaCy lemmas (« congés » and « congé », « prendrai » and « prendre »);
- the mean spaCy word vector, scaled to unit length (meaning beyond the words seen in training).

Only standard scikit-learn objects are fitted, so that a model is saved with skops
(no pickle of project code) like Rasa's own scikit-learn components.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from weakref import WeakKeyDictionary

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from bot.core.text import fold

# How much the dense vector weighs next to the sparse blocks (each row of a sparse block has unit norm).
VECTOR_WEIGHT = 1.0


@dataclass(frozen=True)
class TextView:
    """What the features need of one message."""

    folded: str
    lemmas: str
    vector: np.ndarray


def view_of(doc, without: Collection[int] = ()) -> TextView:
    """A TextView of a spaCy Doc (SpacyNLP puts one on every message); `without`: the positions of tokens read as
    if they were not there (the crisis net's idioms)."""
    tokens = [token for token in doc if token.i not in without] if without else list(doc)
    lemmas = " ".join(fold(token.lemma_ or token.text) for token in tokens if not (token.is_punct or token.is_space))
    if not doc.has_vector or not tokens:
        vector = np.zeros(doc.vocab.vectors_length, dtype=np.float32)
    elif without:  # the Doc's vector is the mean of its tokens' vectors
        vector = np.mean([token.vector for token in tokens], axis=0).astype(np.float32)
    else:
        vector = np.asarray(doc.vector, dtype=np.float32)
    text = "".join(token.text_with_ws for token in tokens) if without else doc.text
    return TextView(fold(text), lemmas, vector)


_IDF: WeakKeyDictionary[TfidfVectorizer, np.ndarray] = WeakKeyDictionary()


def _idf(vectorizer: TfidfVectorizer) -> np.ndarray:
    """The vectorizer's idf weights (scikit-learn rebuilds them from a sparse matrix at every read)."""
    if vectorizer not in _IDF:
        _IDF[vectorizer] = np.asarray(vectorizer.idf_, dtype=np.float64)
    return _IDF[vectorizer]


def vectorized(vectorizer: CountVectorizer, texts: Sequence[str]) -> csr_matrix:
    """`vectorizer.transform(texts)`, computed directly: the same matrix without scikit-learn's checks and
    conversions, which cost about a millisecond a call, most of the time a single message takes."""
    analyse = vectorizer.build_analyzer()
    vocabulary = vectorizer.vocabulary_
    tfidf = isinstance(vectorizer, TfidfVectorizer)
    data: list[float] = []
    indices: list[int] = []
    indptr = [0]
    for text in texts:
        counts: dict[int, int] = {}
        for term in analyse(text):
            column = vocabulary.get(term)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns = sorted(counts)
        if vectorizer.binary:
            values = np.ones(len(columns))
        else:
            values = np.array([counts[c] for c in columns], dtype=np.float64)
        if tfidf:
            if vectorizer.sublinear_tf:
                values = np.log(values) + 1.0
            if vectorizer.use_idf:
                values = values * _idf(vectorizer)[columns]
            if vectorizer.norm == "l2" and len(values):
                values = values / np.sqrt(np.dot(values, values))
        indices += columns
        data += values.tolist()
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(texts), len(vocabulary)), dtype=np.float64)


def side_by_side(blocks: Sequence[csr_matrix]) -> csr_matrix:
    """`scipy.sparse.hstack(blocks, format="csr")` for CSR blocks, without scipy's general block machinery
    (about half a millisecond a call, whatever the size)."""
    rows = blocks[0].shape[0]
    counts = [np.diff(block.indptr) for block in blocks]
    indptr = np.concatenate([[0], np.cumsum(np.sum(counts, axis=0))]).astype(np.int64)
    data = np.empty(indptr[-1], dtype=np.float64)
    indices = np.empty(indptr[-1], dtype=np.int64)
    before = np.zeros(rows, dtype=np.int64)  # elements of the earlier blocks in each row
    offset = 0
    for block, count in zip(blocks, counts):
        row = np.repeat(np.arange(rows), count)
        destination = indptr[row] + before[row] + np.arange(block.nnz) - block.indptr[row]
        data[destination] = block.data
        indices[destination] = block.indices + offset
        before += count
        offset += block.shape[1]
    return csr_matrix((data, indices, indptr), shape=(rows, offset))


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


class TextFeatures:
    """Fits the three TF-IDF blocks on training texts; stacks them with the vectors."""

    def __init__(self) -> None:
        self.words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
        self.lemmas = TfidfVectorizer(ngram_range=(1, 1), sublinear_tf=True, min_df=1)

    @property
    def vectorizers(self) -> dict[str, TfidfVectorizer]:
        return {"words": self.words, "chars": self.chars, "lemmas": self.lemmas}

    def fit(self, views: Sequence[TextView]) -> TextFeatures:
        for vectorizer in self.vectorizers.values():
            _IDF.pop(vectorizer, None)  # refitted: new weights
        self.words.fit([v.folded for v in views])
        self.chars.fit([v.folded for v in views])
        self.lemmas.fit([v.lemmas for v in views])
        return self

    def transform(self, views: Sequence[TextView]) -> csr_matrix:
        vectors = _unit(np.vstack([v.vector for v in views])) * VECTOR_WEIGHT
        return side_by_side(
            [
                vectorized(self.words, [v.folded for v in views]),
                vectorized(self.chars, [v.folded for v in views]),
                vectorized(self.lemmas, [v.lemmas for v in views]),
                csr_matrix(vectors),
            ]
        )

    @classmethod
    def from_vectorizers(cls, vectorizers: dict[str, TfidfVectorizer]) -> TextFeatures:
        features = cls()
        features.words, features.chars, features.lemmas = (
            vectorizers["words"],
            vectorizers["chars"],
            vectorizers["lemmas"],
        )
        return features


def as_rasa_reads(text: str) -> str:
    """A message as SpacyNLP (`case_sensitive: false` in config.yml) hands it to spaCy: lower-cased. Texts a
    component parses itself (the crisis corpus at training) go through this too, or the model would learn
    from capitals it never sees when serving."""
    return text.lower()


def views_of(docs: Iterable) -> list[TextView]:
    return [view_of(doc) for doc in docs]


_LIBRARY_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.")


def save_parts(model_storage, resource, filename: str, parts: dict) -> None:
    """Fitted scikit-learn objects, in Rasa's model storage, with skops (no pickle of our code)."""
    import skops.io as sio

    with model_storage.write_to(resource) as directory:
        sio.dump(parts, directory / filename)


def load_parts(model_storage, resource, filename: str) -> dict | None:
    """What save_parts stored, or None when the model has none (not trained). A file holding anything but
    scikit-learn, NumPy and SciPy objects is refused."""
    import skops.io as sio

    try:
        with model_storage.read_from(resource) as directory:
            path = directory / filename
            untrusted = sio.get_untrusted_types(file=path)
            foreign = [name for name in untrusted if not name.startswith(_LIBRARY_PREFIXES)]
            if foreign:
                raise TypeError(f"{path} holds objects that are not scikit-learn's: {foreign}")
            return sio.load(path, trusted=untrusted)
    except ValueError:
        return None


def save_model(model_storage, resource, filename: str, features: TextFeatures, classifier) -> None:
    """The fitted vectorizers and classifier."""
    save_parts(model_storage, resource, filename, {"vectorizers": features.vectorizers, "classifier": classifier})
