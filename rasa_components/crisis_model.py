"""The crisis model: the probability that a message shows a crisis, from two linear models averaged.

- a calibrated linear SVM over the intent model's features (TF-IDF of folded words and pairs, character
  n-grams, lemmas; the mean spaCy vector);
- a logistic regression over word presence indicators (folded words up to three in a row, lemmas and
  lemma pairs, character n-grams), each weighted by how much more often it appears in crisis messages
  than in the others (naive Bayes log-count ratios, as in NBSVM). It reads short phrases the first one
  weighs poorly (« je vais me », « ce soir », « lol »).
Chosen by measurement on out-of-fold predictions of the training corpus (bench/crisis_model.py): at the
same recall, the average asks the middle zone's question of fewer hard negatives than either model alone.
Only scikit-learn objects are fitted (the ratios are folded into the regression's weights), so that the
model is saved with skops like the intent model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression

from rasa_components.linear_intent import fit_linear
from rasa_components.text_features import TextFeatures, TextView, side_by_side, vectorized

# Added to every count of the log-count ratios, so that a word seen on one side only gets a finite weight.
RATIO_SMOOTHING = 1.0


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


@dataclass
class CrisisModel:
    features: TextFeatures
    svm: CalibratedClassifierCV
    indicator_vectorizers: dict[str, CountVectorizer]
    weighted_indicators: LogisticRegression

    @classmethod
    def fit(cls, views: Sequence[TextView], labels: np.ndarray, c: float, folds: int, seed: int) -> CrisisModel:
        features, svm = fit_linear(list(views), labels, c, folds, seed)
        vectorizers = _indicator_vectorizers()
        for name, vectorizer in vectorizers.items():
            vectorizer.fit(_texts(name, views))
        indicators = _indicators(vectorizers, views)
        ratios = log_count_ratios(indicators, labels)
        regression = LogisticRegression(C=c, class_weight="balanced", max_iter=3000, random_state=seed)
        regression.fit(indicators.multiply(ratios).tocsr(), labels)
        regression.coef_ = regression.coef_ * ratios  # the same scores, read from the indicators themselves
        return cls(features, svm, vectorizers, regression)

    def probabilities(self, views: Sequence[TextView]) -> np.ndarray:
        svm = self.svm.predict_proba(self.features.transform(views))[:, 1]
        weighted = self.weighted_indicators.predict_proba(_indicators(self.indicator_vectorizers, views))[:, 1]
        return (svm + weighted) / 2

    def parts(self) -> dict:
        """What is saved (scikit-learn objects only)."""
        return {
            "vectorizers": self.features.vectorizers,
            "classifier": self.svm,
            "indicator_vectorizers": self.indicator_vectorizers,
            "weighted_indicators": self.weighted_indicators,
        }

    @classmethod
    def from_parts(cls, parts: dict) -> CrisisModel:
        return cls(
            TextFeatures.from_vectorizers(parts["vectorizers"]),
            parts["classifier"],
            parts["indicator_vectorizers"],
            parts["weighted_indicators"],
        )
