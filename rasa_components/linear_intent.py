"""Intent classifier: a linear SVM over words, character n-grams, lemmas and spaCy vectors.

Chosen by measurement over DIET and Rasa's LogisticRegressionClassifier (README,
« NLU: how the intent model was chosen », `make bench`): as accurate or better on the
project's evaluation sets and on MASSIVE fr-FR, trained in seconds instead of minutes,
and without TensorFlow weights to hold in memory. The SVM's scores are calibrated
(Platt scaling, cross-validated) so that its confidence is a probability and the
FallbackClassifier's threshold means what it says.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from rasa_components.linear_arrays import CalibratedLinear
from rasa_components.stored_parts import load_parts, save_parts
from rasa_components.text_features import TextFeatures, TextView, view_of

logger = logging.getLogger(__name__)

SPACY_DOC = "text_spacy_doc"
MODEL_FILE = "linear_intent"


def message_view(message: Message) -> TextView:
    doc = message.get(SPACY_DOC)
    if doc is None:
        raise ValueError("LinearIntentClassifier needs SpacyNLP before it in the pipeline")
    return view_of(doc)


def linear_model(c: float, folds: int, seed: int) -> CalibratedClassifierCV:
    """The classifier, shared with the benchmark so that both measure the same thing."""
    svm = LinearSVC(C=c, class_weight="balanced", random_state=seed)
    return CalibratedClassifierCV(svm, method="sigmoid", cv=StratifiedKFold(folds, shuffle=True, random_state=seed))


def fit_linear(views: list[TextView], labels: np.ndarray, c: float, folds: int, seed: int):
    """The features fitted on the training texts, and the calibrated classifier fitted on their features."""
    features = TextFeatures()
    return features, CalibratedLinear.of(linear_model(c, folds, seed).fit(features.fit_transform(views), labels))


class LinearModelComponent(GraphComponent):
    """A trainable component that holds fitted TextFeatures and a linear classifier in Rasa's model storage."""

    model_file: str

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage | None = None,
        resource: Resource | None = None,
        features: TextFeatures | None = None,
        classifier: CalibratedLinear | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage, self._resource = model_storage, resource
        self.features, self.classifier = features, classifier

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearModelComponent:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearModelComponent:
        parts = load_parts(model_storage, resource, cls.model_file)
        if parts is None:
            logger.warning("no trained %s in the model", cls.__name__)
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, *cls.restored(parts))

    @classmethod
    def restored(cls, parts: dict) -> tuple:
        """The constructor's trained arguments, from what was saved."""
        return TextFeatures.from_parts(parts["features"]), CalibratedLinear.from_parts(parts["classifier"])

    def fit(self, views: list[TextView], labels: np.ndarray, folds: int) -> Resource:
        """Fit the features and the classifier, and save both in the model."""
        self.features, self.classifier = fit_linear(
            views, labels, float(self.config["C"]), folds, int(self.config["random_seed"])
        )
        parts = {"features": self.features.parts(), "classifier": self.classifier.parts()}
        save_parts(self._model_storage, self._resource, self.model_file, parts)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(LinearModelComponent, IntentClassifier):
    model_file = MODEL_FILE

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # crisis_check is set by the distress net only (its examples document the middle zone).
        return {
            "C": 1.0,
            "calibration_folds": 5,
            "random_seed": 2026,
            "ranking_length": 10,
            "exclude_intents": ["crisis_check"],
        }

    def train(self, training_data: TrainingData) -> Resource:
        excluded = set(self.config["exclude_intents"])
        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT) not in excluded | {None}]
        if not examples:
            return self._resource
        counts = Counter(e.get(INTENT) for e in examples)
        rare = sorted(intent for intent, n in counts.items() if n < 2)
        if rare:
            # Calibration needs two examples of an intent at least.
            logger.warning("intents with a single example are not learnt: %s", rare)
            examples = [e for e in examples if e.get(INTENT) not in rare]
        views = [message_view(e) for e in examples]
        labels = np.array([e.get(INTENT) for e in examples])
        folds = max(2, min(int(self.config["calibration_folds"]), min(counts[i] for i in set(labels))))
        return self.fit(views, labels, folds)

    def process(self, messages: list[Message]) -> list[Message]:
        # Every message gets an intent (the FallbackClassifier after us reads it), even an empty one.
        unknown = {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}
        for message in messages:
            if message.get(INTENT) is None:
                message.set(INTENT, unknown, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        texts = [
            m for m in messages if isinstance(m.get(TEXT), str) and m.get(TEXT).strip() and m.get(SPACY_DOC) is not None
        ]
        if self.classifier is None or not texts:
            return messages
        probabilities = self.classifier.probabilities(self.features.transform([message_view(m) for m in texts]))
        classes = self.classifier.classes
        for message, row in zip(texts, probabilities):
            order = np.argsort(-row)[: int(self.config["ranking_length"])]
            ranking = [{INTENT_NAME_KEY: str(classes[i]), PREDICTED_CONFIDENCE_KEY: float(row[i])} for i in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
