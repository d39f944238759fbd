"""Character n-grams within words, TF-IDF weighted: scikit-learn's TfidfVectorizer(analyzer="char_wb") over
accent-folded text, built word by word.

A char_wb n-gram never crosses a space, so a text's n-gram counts are the sum of its words' counts. Folding and
counting each distinct word once and multiplying two sparse matrices (texts x words, words x n-grams) gives the
same matrix as TfidfVectorizer(analyzer="char_wb", sublinear_tf=True) on the folded texts five times faster,
which was most of the index's build time (tests/knowledge/test_char_ngrams.py checks that both agree).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from bot.core.text import fold


class CharNgrams:
    def __init__(self, ngram_range: tuple[int, int] = (3, 5)) -> None:
        self._word_ngrams = CountVectorizer(analyzer="char_wb", ngram_range=ngram_range, dtype=np.float32)

    def fit_transform(self, texts: list[str]) -> csr_matrix:
        """The L2-normalised TF-IDF rows of the texts, learning the n-grams and their IDF."""
        words: dict[str, int] = {}
        folded: dict[str, list[int]] = {}  # a written token -> its folded words' columns
        rows, columns = [], []
        for row, text in enumerate(texts):
            for token in text.split():
                found = folded.get(token)
                if found is None:
                    found = folded[token] = [words.setdefault(w, len(words)) for w in fold(token).split()]
                rows.extend([row] * len(found))
                columns.extend(found)
        text_words = csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, columns)), shape=(len(texts), max(len(words), 1))
        )
        word_ngrams = self._word_ngrams.fit_transform(list(words) or [""])
        counts = (text_words @ word_ngrams).tocsr()
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        self._idf = (np.log((1 + len(texts)) / (1 + document_frequency)) + 1).astype(np.float32)
        return self._weighted(counts)

    def transform(self, text: str) -> csr_matrix:
        """The row of one text, with the n-grams and IDF learnt (unknown n-grams count for nothing)."""
        return self._weighted(self._word_ngrams.transform([fold(text)]).tocsr())

    def _weighted(self, counts: csr_matrix) -> csr_matrix:
        counts = counts.astype(np.float32)
        counts.data = 1 + np.log(counts.data)
        return normalize(counts.multiply(self._idf).tocsr(), copy=False)
