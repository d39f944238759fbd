"""Features of a message for the linear classifiers (intents, crisis).

Four views of one text, each cheap and robust to how staff type:
- TF-IDF of folded words and word pairs (no accents, no case, no punctuation);
- TF-IDF of character n-grams within words (typos, missing accents, SMS spellings);
- TF-IDF of folded spaCy lemmas (« congés » and « congé », « prendrai » and « prendre »);
- the mean spaCy word vector, scaled to unit length (meaning beyond the words seen in training).

What the vectorizers learnt (terms and weights) is saved as plain arrays and lists
(rasa_components/stored_parts.py), never as pickled objects.
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


def unit_vectors(views: Sequence[TextView]) -> np.ndarray:
    """The mean spaCy vectors as the features hold them: unit length, weighted (single precision)."""
    vectors = np.vstack([v.vector for v in views]).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms) * VECTOR_WEIGHT


def _vector_block(views: Sequence[TextView]) -> csr_matrix:
    return csr_matrix(unit_vectors(views))


def _texts(views: Sequence[TextView]) -> dict[str, list[str]]:
    """What each vectorizer of TextFeatures reads."""
    folded = [v.folded for v in views]
    return {"words": folded, "chars": folded, "lemmas": [v.lemmas for v in views]}


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
        self.fit_blocks(views)
        return self

    def fit_blocks(self, views: Sequence[TextView]) -> dict[str, csr_matrix]:
        """Fit the vectorizers; the training texts' blocks, as `blocks` gives them (each text analysed once)."""
        texts = _texts(views)
        for vectorizer in self.vectorizers.values():
            _IDF.pop(vectorizer, None)  # refitted: new weights
        fitted = {name: v.fit_transform(texts[name]).tocsr() for name, v in self.vectorizers.items()}
        return {**fitted, "vector": _vector_block(views)}

    def blocks(self, views: Sequence[TextView]) -> dict[str, csr_matrix]:
        """The four blocks of the features, by name, in the matrix's order."""
        texts = _texts(views)
        computed = {name: vectorized(v, texts[name]) for name, v in self.vectorizers.items()}
        return {**computed, "vector": _vector_block(views)}

    def transform(self, views: Sequence[TextView]) -> csr_matrix:
        return side_by_side(list(self.blocks(views).values()))

    def fit_transform(self, views: Sequence[TextView]) -> csr_matrix:
        return side_by_side(list(self.fit_blocks(views).values()))

    def parts(self) -> dict:
        return {name: vectorizer_parts(vectorizer) for name, vectorizer in self.vectorizers.items()}

    @classmethod
    def from_parts(cls, parts: dict) -> TextFeatures:
        features = cls()
        for name, vectorizer in features.vectorizers.items():
            restore_vectorizer(vectorizer, parts[name])
        return features


def vectorizer_parts(vectorizer: CountVectorizer) -> dict:
    """What a fitted vectorizer learnt: its terms in column order and, for TF-IDF, their weights. Its settings
    are the code's (a model is retrained when the code changes)."""
    parts: dict = {"terms": vectorizer.get_feature_names_out().tolist()}
    if isinstance(vectorizer, TfidfVectorizer) and vectorizer.use_idf:
        parts["idf"] = np.asarray(vectorizer.idf_, dtype=np.float64)
    return parts


def restore_vectorizer(vectorizer: CountVectorizer, parts: dict) -> CountVectorizer:
    """`vectorizer` (unfitted, with the settings it was fitted with) as it was fitted."""
    _IDF.pop(vectorizer, None)
    vectorizer.vocabulary_ = {term: column for column, term in enumerate(parts["terms"])}
    vectorizer.fixed_vocabulary_ = False
    if "idf" in parts:
        vectorizer.idf_ = parts["idf"]
    return vectorizer


def as_rasa_reads(text: str) -> str:
    """A message as SpacyNLP (`case_sensitive: false` in config.yml) hands it to spaCy: lower-cased. Texts a
    component parses itself (the crisis corpus at training) go through this too, or the model would learn
    from capitals it never sees when serving."""
    return text.lower()


def views_of(docs: Iterable) -> list[TextView]:
    return [view_of(doc) for doc in docs]
