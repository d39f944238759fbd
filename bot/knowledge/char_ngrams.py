"""Character n-grams within words, TF-IDF weighted: scikit-learn's TfidfVectorizer(analyzer="char_wb") over
accent-folded text, built word by word, with numpy and scipy alone.

A char_wb n-gram never crosses a space, so a text's n-gram counts are the sum of its words' counts. Folding and
counting each distinct word once and multiplying two sparse matrices (texts x words, words x n-grams) gives the
same matrix as TfidfVectorizer(analyzer="char_wb", sublinear_tf=True) on the folded texts five times faster,
which was most of the index's build time. The n-grams are numbered in alphabetical order and rows are
L2-normalised in the order scikit-learn sums them, so that the matrix is scikit-learn's bit for bit
(tests/knowledge/test_char_ngrams.py), without importing scikit-learn (45 MB of the action server's memory).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix, vstack

from bot.core.text import fold


def word_ngrams(word: str, ngram_range: tuple[int, int] = (3, 5)) -> list[str]:
    """scikit-learn's char_wb n-grams of one word (padded with a space on each side; a word shorter than n
    gives itself, padded, once)."""
    low, high = ngram_range
    padded = f" {word} "
    grams = []
    for n in range(low, high + 1):
        last = max(len(padded) - n, 0)
        grams.extend(padded[offset : offset + n] for offset in range(last + 1))
        if last == 0:
            break
    return grams


def normalize_rows(matrix: csr_matrix) -> csr_matrix:
    """Each row divided by its L2 norm, in place, as sklearn.preprocessing.normalize does for float32 CSR: squares
    in float32 summed in float64 in the stored order, each value divided in float64 and rounded back."""
    lengths = np.diff(matrix.indptr)
    if not len(matrix.data):
        return matrix
    squares = (matrix.data * matrix.data).astype(np.float64)
    sums = np.zeros(matrix.shape[0], dtype=np.float64)
    starts = matrix.indptr[:-1]
    for position in range(int(lengths.max())):
        rows = np.flatnonzero(lengths > position)
        sums[rows] += squares[starts[rows] + position]
    norms = np.sqrt(sums)
    norms[norms == 0.0] = 1.0  # an empty row stays empty
    matrix.data = (matrix.data.astype(np.float64) / np.repeat(norms, lengths)).astype(matrix.dtype)
    return matrix


class CharNgrams:
    def __init__(self, ngram_range: tuple[int, int] = (3, 5)) -> None:
        self.ngram_range = ngram_range
        self._columns: dict[str, int] = {}  # n-gram -> column (alphabetical order, as scikit-learn)
        self._grams: list[str] = []
        self._words: dict[str, int] = {}  # folded word -> its row in _word_counts
        self._word_counts = csr_matrix((0, 0), dtype=np.float32)  # words x n-grams

    def _counts(self, documents: list[str]) -> csr_matrix:
        """Documents x n-grams counts over the learnt n-grams (the others are ignored)."""
        data: list[int] = []
        indices: list[int] = []
        indptr = [0]
        for document in documents:
            counts: dict[int, int] = {}
            for word in document.split():
                for gram in word_ngrams(word, self.ngram_range):
                    column = self._columns.get(gram)
                    if column is not None:
                        counts[column] = counts.get(column, 0) + 1
            for column in sorted(counts):
                indices.append(column)
                data.append(counts[column])
            indptr.append(len(indices))
        return csr_matrix(
            (np.array(data, dtype=np.float32), np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int32)),
            shape=(len(documents), len(self._columns)),
        )

    def fit_transform(self, texts: list[str], previous: CharNgrams | None = None) -> csr_matrix:
        """The L2-normalised TF-IDF rows of the texts, learning the n-grams and their IDF. With `previous` (the
        n-grams of an earlier set of texts: an HR edit, a preview), the words it has already cut into n-grams
        are not cut again; the matrix is the same as without it."""
        known = previous._words if previous is not None else {}
        tokens: dict[str, list[str]] = {}  # a written token -> its folded words
        for text in texts:
            for token in text.split():
                if token not in tokens:
                    tokens[token] = fold(token).split()
        vocabulary = list(dict.fromkeys(w for words in tokens.values() for w in words))
        reused = [w for w in vocabulary if w in known]
        fresh = [w for w in vocabulary if w not in known]
        grams = {gram for word in fresh for gram in word_ngrams(word, self.ngram_range)}
        if reused:
            old_rows = previous._word_counts[[known[w] for w in reused]]
            used = np.unique(old_rows.indices)
            grams.update(previous._grams[c] for c in used)
        self._grams = sorted(grams)
        self._columns = {gram: column for column, gram in enumerate(self._grams)}
        word_counts = self._counts(fresh)
        if reused:
            remap = np.zeros(len(previous._grams), dtype=np.int32)
            remap[used] = [self._columns[previous._grams[c]] for c in used]
            old_rows = csr_matrix(
                (old_rows.data, remap[old_rows.indices], old_rows.indptr), shape=(len(reused), len(self._grams))
            )
            word_counts = vstack([old_rows, word_counts], format="csr")
        # Words are rows in that order: the reused ones, then the fresh ones.
        self._words = {word: row for row, word in enumerate([*reused, *fresh])}
        self._word_counts = word_counts
        rows, columns = [], []
        for row, text in enumerate(texts):
            for token in text.split():
                found = [self._words[w] for w in tokens[token]]
                rows.extend([row] * len(found))
                columns.extend(found)
        text_words = csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, columns)), shape=(len(texts), len(vocabulary))
        )
        counts = (text_words @ word_counts).tocsr()
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        self._idf = (np.log((1 + len(texts)) / (1 + document_frequency)) + 1).astype(np.float32)
        return self._weighted(counts)

    def transform(self, text: str) -> csr_matrix:
        """The row of one text, with the n-grams and IDF learnt (unknown n-grams count for nothing)."""
        return self._weighted(self._counts([fold(text)]))

    def _weighted(self, counts: csr_matrix) -> csr_matrix:
        counts = counts.astype(np.float32)
        counts.data = 1 + np.log(counts.data)
        return normalize_rows(counts.multiply(self._idf).tocsr())
