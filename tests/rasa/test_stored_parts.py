"""Runs in the Rasa environment (make test): a component's parts written to and read from Rasa's model storage."""

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from scipy.sparse import csr_matrix

from rasa_components.stored_parts import load_parts, save_parts
from rasa_components.text_features import TextFeatures, TextView

TEXTS = ["je veux mourir ce soir", "combien de jours de congé", "mort de rire", "congé parental", "ce soir"]


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def test_parts_come_back_as_they_were_saved(storage):
    rng = np.random.default_rng(0)
    parts = {
        "weights": rng.normal(size=(4, 3)),
        "counts": np.arange(5, dtype=np.int64),
        "matrix": csr_matrix(np.eye(3, 5, dtype=np.float32)),
        "names": ["greet", "ask_menu", "é à ç"],
        "nested": {"intercept": -0.5, "classes": [0, 1], "none": None, "flag": True},
    }
    save_parts(storage, Resource("parts"), "model", parts)
    again = load_parts(storage, Resource("parts"), "model")
    assert np.array_equal(again["weights"], parts["weights"]) and again["counts"].dtype == np.int64
    assert again["matrix"].dtype == np.float32 and np.array_equal(again["matrix"].toarray(), parts["matrix"].toarray())
    assert again["names"] == parts["names"] and again["nested"] == parts["nested"]


def test_fitted_features_come_back_with_the_same_rows(storage):
    rng = np.random.default_rng(1)
    views = [TextView(t, t, rng.normal(size=8).astype(np.float32)) for t in TEXTS]
    features = TextFeatures().fit(views)
    save_parts(storage, Resource("features"), "model", {"features": features.parts()})
    again = TextFeatures.from_parts(load_parts(storage, Resource("features"), "model")["features"])
    unseen = [*views, TextView("je veux rire ce soir", "je vouloir rire ce soir", views[0].vector)]
    assert np.abs(again.transform(unseen) - features.transform(unseen)).max() < 1e-12
    assert again.chars.vocabulary_ == features.chars.vocabulary_


def test_objects_are_refused_and_a_model_without_the_resource_has_no_parts(storage):
    with pytest.raises(TypeError):
        save_parts(storage, Resource("objects"), "model", {"anything": object()})
    with pytest.raises(TypeError):
        save_parts(storage, Resource("objects"), "model", {"array": np.array([object()])})
    assert load_parts(storage, Resource("never-trained"), "model") is None
