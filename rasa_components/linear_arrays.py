"""Fitted linear classifiers as arrays, their probabilities computed directly.

What the intent and crisis models keep of scikit-learn's fitted objects: the weights of a
`CalibratedClassifierCV` over `LinearSVC` (one SVM and one sigmoid per class and calibration fold) and of a
`LogisticRegression`. Their probabilities are scikit-learn's own (tests/rasa/test_linear_arrays.py compares
them), without its input checks, which cost more than the product for one message; and the arrays are what
the model file holds (rasa_components/stored_parts.py), so that loading a model imports nothing but NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression


@dataclass
class CalibratedLinear:
    """`classes`; `weights` (features, folds × columns), `intercepts`, `a`, `b` (folds, columns): one column per
    class, or a single column (the second class's) for two classes."""

    classes: list
    weights: np.ndarray
    intercepts: np.ndarray
    a: np.ndarray
    b: np.ndarray

    @classmethod
    def of(cls, calibrated: CalibratedClassifierCV) -> CalibratedLinear:
        classes = list(calibrated.classes_)
        folds = calibrated.calibrated_classifiers_
        for fold in folds:
            if list(fold.base_estimator.classes_) != classes:
                raise ValueError("a calibration fold did not see every class")
        return cls(
            [c.item() if isinstance(c, np.generic) else c for c in classes],
            np.hstack([fold.base_estimator.coef_.T for fold in folds]),
            np.array([fold.base_estimator.intercept_ for fold in folds], dtype=np.float64),
            np.array([[c.a_ for c in fold.calibrators] for fold in folds], dtype=np.float64),
            np.array([[c.b_ for c in fold.calibrators] for fold in folds], dtype=np.float64),
        )

    def probabilities(self, matrix) -> np.ndarray:
        """`predict_proba`: each fold's calibrated sigmoids (normalised over the classes), averaged over folds."""
        folds, columns = self.intercepts.shape
        decisions = np.asarray(matrix @ self.weights).reshape(-1, folds, columns) + self.intercepts
        sigmoids = expit(-(self.a * decisions + self.b))
        if len(self.classes) == 2:
            probabilities = np.concatenate([1.0 - sigmoids, sigmoids], axis=2)
        else:
            totals = sigmoids.sum(axis=2, keepdims=True)
            uniform = np.full_like(sigmoids, 1 / len(self.classes))
            probabilities = np.divide(sigmoids, totals, out=uniform, where=totals != 0)
        probabilities[(1.0 < probabilities) & (probabilities <= 1.0 + 1e-5)] = 1.0
        return probabilities.mean(axis=1)

    def parts(self) -> dict:
        return dict(vars(self))

    @classmethod
    def from_parts(cls, parts: dict) -> CalibratedLinear:
        return cls(**{**parts, "classes": list(parts["classes"])})


@dataclass
class Logistic:
    """A binary logistic regression: `probabilities` is `predict_proba(...)[:, 1]`."""

    weights: np.ndarray
    intercept: float

    @classmethod
    def of(cls, regression: LogisticRegression) -> Logistic:
        return cls(np.asarray(regression.coef_[0], dtype=np.float64), float(regression.intercept_[0]))

    def probabilities(self, matrix) -> np.ndarray:
        return expit(np.asarray(matrix @ self.weights).ravel() + self.intercept)

    def parts(self) -> dict:
        return {"weights": self.weights, "intercept": self.intercept}

    @classmethod
    def from_parts(cls, parts: dict) -> Logistic:
        return cls(parts["weights"], float(parts["intercept"]))
