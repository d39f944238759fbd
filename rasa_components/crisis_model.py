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
Only scikit-learn, NumPy and SciPy objects are saved (the ratios are folded into the regression's
weights, the neighbours are arrays and a sparse matrix), so that the model is saved with skops like the
intent model. A model saved before the neighbours existed averages the first two scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, diags
from scipy.special import expit, logit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from rasa_components.linear_intent import fit_linear
from rasa_components.text_features import VECTOR_WEIGHT, TextFeatures, TextView, side_by_side, vectorized

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
    return {
        "words": CountVectorizer(ngram_range=(1, 3), binary=True),
        "lemmas": CountVectorizer(ngram_range=(1, 2), binary=True),
        "chars": CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), binary=True, min_df=2),
    }


def _texts(name: str, views: Sequence[TextView]) -> list[str]:
    return [view.lemmas if name == "lemmas" else view.folded for view in views]


def _indicators(vectorizers: dict[str, CountVectorizer], views: Sequence[TextView]) -> csr_matrix:
    return side_by_side([vectorized(v, _texts(name, views)) for name, v in vectorizers.items()])


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
    regression = LogisticRegression(C=c, class_weight="balanced", max_iter=3000, random_state=seed)
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
        return {
            "terms": self.terms,
            "vectors": self.vectors,
            "crisis": self.crisis,
            "kept": self.kept,
            "projection": self.projection,
        }

    @classmethod
    def from_parts(cls, parts: dict) -> Neighbours:
        return cls(parts["terms"], parts["vectors"], parts["crisis"], parts["kept"], parts["projection"])


def _vectors(views: Sequence[TextView]) -> np.ndarray:
    """The mean spaCy vectors as TextFeatures puts them in its matrix (unit length, weighted)."""
    vectors = np.vstack([v.vector for v in views]).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms) * VECTOR_WEIGHT


@dataclass
class CrisisModel:
    features: TextFeatures
    svm: CalibratedClassifierCV
    indicator_vectorizers: dict[str, CountVectorizer]
    weighted_indicators: LogisticRegression
    neighbours: Neighbours | None = None
    combiner: LogisticRegression | None = None

    def __post_init__(self) -> None:
        # The calibrated SVM's predict_proba, as arrays: scikit-learn's checks cost more than the product.
        calibrated = self.svm.calibrated_classifiers_
        self._svm_weights = np.column_stack([c.base_estimator.coef_[0] for c in calibrated])
        self._svm_intercepts = np.array([c.base_estimator.intercept_[0] for c in calibrated])
        self._svm_a = np.array([c.calibrators[0].a_ for c in calibrated])
        self._svm_b = np.array([c.calibrators[0].b_ for c in calibrated])

    def svm_probabilities(self, matrix: csr_matrix) -> np.ndarray:
        """`self.svm.predict_proba(matrix)[:, 1]`: the mean of the calibrated sigmoids of the folds' SVMs."""
        decisions = np.asarray(matrix @ self._svm_weights) + self._svm_intercepts
        return expit(-(self._svm_a * decisions + self._svm_b)).mean(axis=1)

    @classmethod
    def fit(cls, views: Sequence[TextView], labels: np.ndarray, c: float, folds: int, seed: int) -> CrisisModel:
        features, svm = fit_linear(list(views), labels, c, folds, seed)
        vectorizers = _indicator_vectorizers()
        for name, vectorizer in vectorizers.items():
            vectorizer.fit(_texts(name, views))
        indicators = _indicators(vectorizers, views)
        matrix, vectors = features.transform(views), _vectors(views)
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
        return cls(features, svm, vectorizers, regression, neighbours, combiner)

    def scores(self, views: Sequence[TextView]) -> np.ndarray:
        """The three scores of each message: SVM, weighted indicators, neighbours (0 without them)."""
        matrix = self.features.transform(views)
        svm = self.svm_probabilities(matrix)
        indicators = _indicators(self.indicator_vectorizers, views)
        regression = self.weighted_indicators  # its predict_proba[:, 1], without scikit-learn's checks
        weighted = expit(np.asarray(indicators @ regression.coef_[0]).ravel() + regression.intercept_[0])
        shares = self.neighbours.share(matrix, _vectors(views)) if self.neighbours else np.zeros(len(views))
        return np.column_stack([svm, weighted, shares])

    def combined(self, scores: np.ndarray) -> np.ndarray:
        """The probability from the three scores (the average of the first two without a combiner)."""
        if self.combiner is None:
            return scores[:, :2].mean(axis=1)
        return expit(_logits(scores) @ self.combiner.coef_[0] + self.combiner.intercept_[0])

    def probabilities(self, views: Sequence[TextView]) -> np.ndarray:
        return self.combined(self.scores(views))

    def parts(self) -> dict:
        """What is saved (scikit-learn, NumPy and SciPy objects only)."""
        parts = {
            "vectorizers": self.features.vectorizers,
            "classifier": self.svm,
            "indicator_vectorizers": self.indicator_vectorizers,
            "weighted_indicators": self.weighted_indicators,
        }
        if self.neighbours is not None and self.combiner is not None:
            parts |= {"neighbours": self.neighbours.parts(), "combiner": self.combiner}
        return parts

    @classmethod
    def from_parts(cls, parts: dict) -> CrisisModel:
        return cls(
            TextFeatures.from_vectorizers(parts["vectorizers"]),
            parts["classifier"],
            parts["indicator_vectorizers"],
            parts["weighted_indicators"],
            Neighbours.from_parts(parts["neighbours"]) if "neighbours" in parts else None,
            parts.get("combiner"),
        )
