"""The crisis model: the probability that a message shows a crisis, from three scores combined.

- a calibrated linear SVM over the intent model's features (TF-IDF of folded words and pairs, character
  n-grams, lemmas; the mean spaCy vector);
- a logistic regression over word presence indicators (folded words up to three in a row, lemmas and
  lemma pairs, character n-grams), each weighted by how much more often it appears in crisis messages
  than in the others (naive Bayes log-count ratios, as in NBSVM). It reads short phrases the first one
  weighs poorly (« je vais me », « ce soir », « lol »);
- the crisis share of the nearest training messages: the SVM's features without the terms of more than
  KNN_MAX_DF training messages, the cosine similarity to every training message, and among the
  KNN_NEIGHBOURS most similar the share of crisis messages, each weighted by its similarity to the power
  KNN_POWER. It recalls the corpus's own wordings (« ce boulot me tue », « mort de fatigue ») where a
  linear model only adds up words.
A logistic regression over the three scores' logits gives the probability. It is fitted on scores the
base models give to training messages they did not see (inner folds: the SVM's calibration folds, the
indicators' regression refitted on each, the neighbours taken outside the message's fold), then the base
models are those fitted on the whole training set.
Chosen by measurement on out-of-fold predictions of the training corpus (bench/crisis_model.py): at the
same recall, the combination asks the middle zone's question of fewer hard negatives than the average of
the first two (the model before it) or either alone.
What is saved is arrays, a sparse matrix and the vectorizers' terms (rasa_components/stored_parts.py): the
ratios are folded into the regression's weights, the fitted classifiers are kept as their weights
(rasa_components/linear_arrays.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, diags
from scipy.special import logit
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from rasa_components.linear_arrays import CalibratedLinear, Logistic
from rasa_components.linear_intent import linear_model
from rasa_components.text_features import (
    TextFeatures,
    TextView,
    restore_vectorizer,
    side_by_side,
    unit_vectors,
    vectorized,
    vectorizer_parts,
)

# Added to every count of the log-count ratios, so that a word seen on one side only gets a finite weight.
RATIO_SMOOTHING = 1.0
# The neighbours' score: how many, how sharply the closest count more, and the terms too common to tell
# messages apart (chosen out of fold, bench/crisis_model.py).
KNN_NEIGHBOURS = 5
KNN_POWER = 10
KNN_MAX_DF = 1000
# The spaCy vector's part, projected on its main directions in the training messages (a fifth of the memory
# the decision reads, as good out of fold as the whole vector).
KNN_VECTOR_DIMENSIONS = 64
# Scores are clipped to [SCORE_FLOOR, 1 - SCORE_FLOOR] before their logits are combined.
SCORE_FLOOR = 1e-4
# Training messages compared at once to every other when the neighbours' scores are computed at training.
_CHUNK = 1000


def _indicator_vectorizers() -> dict[str, CountVectorizer]:
    """Words up to three in a row and lemmas up to two; the character n-grams' indicators are where the SVM's
    character block is not zero (the same analyser and vocabulary: each message analysed once)."""
    return {
        "words": CountVectorizer(ngram_range=(1, 3), binary=True),
        "lemmas": CountVectorizer(ngram_range=(1, 2), binary=True),
    }


def _texts(name: str, views: Sequence[TextView]) -> list[str]:
    return [view.lemmas if name == "lemmas" else view.folded for view in views]


def _present(block: csr_matrix) -> csr_matrix:
    return csr_matrix((np.ones_like(block.data), block.indices, block.indptr), shape=block.shape)


def _indicators(
    vectorizers: dict[str, CountVectorizer], views: Sequence[TextView], chars: csr_matrix, fit: bool = False
) -> csr_matrix:
    """The indicators of `views`, whose character block (TextFeatures') is `chars`; `fit`: fit the vectorizers
    on them first."""
    blocks = [
        (v.fit_transform(_texts(name, views)).tocsr() if fit else vectorized(v, _texts(name, views)))
        for name, v in vectorizers.items()
    ]
    return side_by_side([*blocks, _present(chars)])


def log_count_ratios(indicators: csr_matrix, labels: np.ndarray) -> np.ndarray:
    """log(share of crisis messages with the indicator / share of the others), smoothed."""
    crisis, others = labels == 1, labels == 0
    in_crisis = (np.asarray(indicators[crisis].sum(axis=0)).ravel() + RATIO_SMOOTHING) / (
        crisis.sum() + RATIO_SMOOTHING
    )
    in_others = (np.asarray(indicators[others].sum(axis=0)).ravel() + RATIO_SMOOTHING) / (
        others.sum() + RATIO_SMOOTHING
    )
    return np.log(in_crisis / in_others)


def _weighted_regression(indicators: csr_matrix, labels: np.ndarray, c: float, seed: int) -> LogisticRegression:
    ratios = log_count_ratios(indicators, labels)
    # liblinear: the same fit as lbfgs (its coefficients correlate at 0.999) in half the time on these 250,000
    # sparse columns; six are fitted at each training.
    regression = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=3000, random_state=seed)
    regression.fit(indicators.multiply(ratios).tocsr(), labels)
    regression.coef_ = regression.coef_ * ratios  # the same scores, read from the indicators themselves
    return regression


def _logits(scores: np.ndarray) -> np.ndarray:
    return logit(np.clip(scores, SCORE_FLOOR, 1 - SCORE_FLOOR))


@dataclass
class Neighbours:
    """The training messages, as unit vectors split in two: `terms` (sparse: one row per feature of the SVM's
    matrix, one column per message; the rows of the vector's columns and of common terms are empty) and
    `vectors` (dense: the spaCy vector's part projected on its KNN_VECTOR_DIMENSIONS main directions, a row
    per message); and whether each is a crisis."""

    terms: csr_matrix
    vectors: np.ndarray
    crisis: np.ndarray
    kept: np.ndarray  # the feature columns `terms` reads (bool)
    projection: np.ndarray  # the spaCy vector's main directions (one a row)

    @classmethod
    def fit(cls, features: csr_matrix, vectors: np.ndarray, labels: np.ndarray) -> Neighbours:
        kept = np.zeros(features.shape[1], dtype=bool)
        kept[: features.shape[1] - vectors.shape[1]] = True  # the last columns are the vector's
        kept &= np.bincount(features.indices, minlength=features.shape[1]) <= KNN_MAX_DF
        terms = cls._kept_terms(features, kept).copy()  # its own index arrays: eliminate_zeros rewrites them
        terms.eliminate_zeros()
        projection = np.linalg.svd(vectors.astype(np.float64), full_matrices=False)[2][:KNN_VECTOR_DIMENSIONS]
        projection = projection.astype(np.float32)
        vectors = vectors.astype(np.float32) @ projection.T
        norms = cls._norms(terms, vectors)
        return cls(
            (diags(1 / norms).astype(np.float32) @ terms).T.tocsr(),
            (vectors / norms[:, None]).astype(np.float32),
            labels.astype(np.float32),
            kept,
            projection,
        )

    @staticmethod
    def _kept_terms(features: csr_matrix, kept: np.ndarray) -> csr_matrix:
        """The features without the vector's and the common terms' columns (zeros there), in single precision."""
        data = (features.data * kept[features.indices]).astype(np.float32)
        return csr_matrix((data, features.indices, features.indptr), shape=features.shape)

    @staticmethod
    def _norms(terms: csr_matrix, vectors: np.ndarray) -> np.ndarray:
        rows = np.repeat(np.arange(terms.shape[0]), np.diff(terms.indptr))
        squares = np.bincount(rows, weights=terms.data.astype(np.float64) ** 2, minlength=terms.shape[0])
        norms = np.sqrt(squares + (vectors.astype(np.float64) ** 2).sum(axis=1))
        return np.where(norms == 0, 1.0, norms)

    def similarities(self, features: csr_matrix, vectors: np.ndarray) -> np.ndarray:
        """Cosine similarities of messages (rows of the SVM's features, their weighted unit vectors) to every
        training message: one sparse product and one dense one, in single precision."""
        terms = self._kept_terms(features, self.kept)
        vectors = vectors.astype(np.float32) @ self.projection.T
        products = (terms @ self.terms).toarray() + vectors @ self.vectors.T
        return products / self._norms(terms, vectors).astype(np.float32)[:, None]

    def shares(self, similarities: np.ndarray) -> np.ndarray:
        """The crisis share of each row's nearest messages, weighted by similarity ** KNN_POWER."""
        k = min(KNN_NEIGHBOURS, similarities.shape[1])
        nearest = np.argpartition(-similarities, k - 1, axis=1)[:, :k]
        closeness = np.clip(np.take_along_axis(similarities, nearest, axis=1), 0.0, None).astype(np.float64)
        weights = closeness**KNN_POWER + 1e-12
        return (weights * self.crisis[nearest]).sum(axis=1) / weights.sum(axis=1)

    def share(self, features: csr_matrix, vectors: np.ndarray) -> np.ndarray:
        return self.shares(self.similarities(features, vectors))

    def parts(self) -> dict:
        return dict(vars(self))

    @classmethod
    def from_parts(cls, parts: dict) -> Neighbours:
        return cls(**parts)


@dataclass
class CrisisModel:
    features: TextFeatures
    svm: CalibratedLinear
    indicator_vectorizers: dict[str, CountVectorizer]
    weighted_indicators: Logistic
    neighbours: Neighbours
    combiner: Logistic

    @classmethod
    def fit(cls, views: Sequence[TextView], labels: np.ndarray, c: float, folds: int, seed: int) -> CrisisModel:
        features = TextFeatures()
        blocks = features.fit_blocks(views)
        matrix, vectors = side_by_side(list(blocks.values())), unit_vectors(views)
        svm = linear_model(c, folds, seed).fit(matrix, labels)
        vectorizers = _indicator_vectorizers()
        indicators = _indicators(vectorizers, views, blocks["chars"], fit=True)
        neighbours = Neighbours.fit(matrix, vectors, labels)
        # Inner folds: the SVM's calibration folds (its calibrated classifier k never saw fold k).
        splits = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(matrix, labels))
        if len(svm.calibrated_classifiers_) != len(splits):
            raise ValueError("the SVM's calibration folds are not the inner folds")
        fold = np.empty(len(labels), dtype=np.int64)
        scores = np.empty((len(labels), 3))
        for k, (train, test) in enumerate(splits):
            fold[test] = k
            scores[test, 0] = svm.calibrated_classifiers_[k].predict_proba(matrix[test])[:, 1]
            inner = _weighted_regression(indicators[train], labels[train], c, seed)
            scores[test, 1] = inner.predict_proba(indicators[test])[:, 1]
        for start in range(0, len(labels), _CHUNK):
            rows = slice(start, start + _CHUNK)
            similarities = neighbours.similarities(matrix[rows], vectors[rows])
            similarities[fold[rows, None] == fold[None, :]] = -1.0  # not its own fold's messages (nor itself)
            scores[rows, 2] = neighbours.shares(similarities)
        combiner = LogisticRegression(random_state=seed).fit(_logits(scores), labels)
        regression = _weighted_regression(indicators, labels, c, seed)
        return cls(
            features,
            CalibratedLinear.of(svm),
            vectorizers,
            Logistic.of(regression),
            neighbours,
            Logistic.of(combiner),
        )

    def scores(self, views: Sequence[TextView]) -> np.ndarray:
        """The three scores of each message: SVM, weighted indicators, neighbours."""
        blocks = self.features.blocks(views)
        matrix = side_by_side(list(blocks.values()))
        svm = self.svm.probabilities(matrix)[:, 1]
        weighted = self.weighted_indicators.probabilities(
            _indicators(self.indicator_vectorizers, views, blocks["chars"])
        )
        shares = self.neighbours.share(matrix, unit_vectors(views))
        return np.column_stack([svm, weighted, shares])

    def combined(self, scores: np.ndarray) -> np.ndarray:
        """The probability from the three scores."""
        return self.combiner.probabilities(_logits(scores))

    def probabilities(self, views: Sequence[TextView]) -> np.ndarray:
        return self.combined(self.scores(views))

    def parts(self) -> dict:
        """What is saved: arrays, a sparse matrix, the vectorizers' terms."""
        return {
            "features": self.features.parts(),
            "svm": self.svm.parts(),
            "indicator_vectorizers": {name: vectorizer_parts(v) for name, v in self.indicator_vectorizers.items()},
            "weighted_indicators": self.weighted_indicators.parts(),
            "neighbours": self.neighbours.parts(),
            "combiner": self.combiner.parts(),
        }

    @classmethod
    def from_parts(cls, parts: dict) -> CrisisModel:
        vectorizers = _indicator_vectorizers()
        for name, vectorizer in vectorizers.items():
            restore_vectorizer(vectorizer, parts["indicator_vectorizers"][name])
        return cls(
            TextFeatures.from_parts(parts["features"]),
            CalibratedLinear.from_parts(parts["svm"]),
            vectorizers,
            Logistic.from_parts(parts["weighted_indicators"]),
            Neighbours.from_parts(parts["neighbours"]),
            Logistic.from_parts(parts["combiner"]),
        )
