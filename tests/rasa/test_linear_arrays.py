"""Runs in the Rasa environment (make test): the classifiers kept as arrays give scikit-learn's probabilities."""

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from rasa_components.linear_arrays import CalibratedLinear, Logistic
from rasa_components.linear_intent import linear_model


def _data(classes: int, rows: int = 90, seed: int = 0):
    rng = np.random.default_rng(seed)
    labels = np.arange(rows) % classes
    dense = rng.normal(size=(rows, 40)) + np.eye(classes, 40)[labels] * 2.0
    dense[rng.random(dense.shape) < 0.6] = 0.0  # sparse, as the text features are
    return csr_matrix(dense), labels


@pytest.mark.parametrize("classes", [2, 5])
def test_calibrated_svm_as_arrays_gives_predict_proba(classes):
    matrix, labels = _data(classes)
    names = np.array([f"intent_{i}" for i in range(classes)])[labels] if classes > 2 else labels
    calibrated = linear_model(1.0, 3, 2026).fit(matrix, names)
    arrays = CalibratedLinear.of(calibrated)
    unseen, _ = _data(classes, rows=30, seed=1)
    assert arrays.classes == list(calibrated.classes_)
    assert np.abs(arrays.probabilities(unseen) - calibrated.predict_proba(unseen)).max() < 1e-12
    again = CalibratedLinear.from_parts(arrays.parts())
    assert np.array_equal(again.probabilities(unseen), arrays.probabilities(unseen))


def test_logistic_regression_as_arrays_gives_predict_proba():
    matrix, labels = _data(2)
    regression = LogisticRegression().fit(matrix, labels)
    arrays = Logistic.of(regression)
    assert np.abs(arrays.probabilities(matrix) - regression.predict_proba(matrix)[:, 1]).max() < 1e-12
