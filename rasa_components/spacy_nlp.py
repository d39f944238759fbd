"""Rasa's SpacyNLP, with the spaCy components nothing of ours reads left out of the model.

Rasa loads the whole fr_core_news_md pipeline (`disable=["parser"]`: the parser's weights are still
loaded) and runs its named-entity recogniser, with its own tok2vec, on every message. What the pipeline
reads of a spaCy Doc is tokens, punctuation flags, lemmas, part-of-speech tags (SpacyTokenizer) and the
static word vectors (rasa_components/text_features.py). The lemmas come from the rule lemmatizer, which
needs the morphologizer's tags (and so the shared tok2vec) and the attribute ruler; nothing needs the
parser or the entity recogniser. Leaving them out (`exclude`, so they are not even loaded) gives the
same tokens, tags, lemmas and vectors (tests/rasa/test_spacy_nlp.py checks it on data/nlu and the
crisis corpus) for less memory, a faster start and a faster turn.

Rasa's default recipe also builds SpacyNLP twice when a model is loaded: the node that provides the spaCy
model (`create`) and the node that processes messages (`load`, which calls `create` again), and each loaded
the spaCy model from disk: twice the time and, until the second copy is dropped, twice the memory. Here the
model is loaded once per process and both nodes share it (it is only read).

config.yml: `- name: rasa_components.spacy_nlp.LeanSpacyNLP` with SpacyNLP's options, and `exclude`
(default: parser, ner).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.exceptions import InvalidConfigException

logger = logging.getLogger(__name__)

# What the project's components never read (the CrisisModel's training leaves out the same, and "senter",
# which fr_core_news_md does not have in its pipeline).
UNUSED = ["parser", "ner"]


def load_lean(name: str, exclude: list[str]) -> SpacyModel:
    """The spaCy model `name` without the components in `exclude` (SpacyNLP.load_model's checks otherwise),
    loaded once per process."""
    return _load_once(name, tuple(sorted(exclude)))


@lru_cache(maxsize=4)
def _load_once(name: str, exclude: tuple[str, ...]) -> SpacyModel:
    import spacy

    if not name:
        raise InvalidConfigException("LeanSpacyNLP needs `model` (e.g. fr_core_news_md) in config.yml")
    try:
        language = spacy.load(name, exclude=list(exclude))
    except OSError as error:
        raise InvalidConfigException(f"Please confirm that {name} is an available spaCy model ({error}).") from error
    required = (language.meta or {}).get("spacy_version", "")
    if required and not spacy.util.is_compatible_version(spacy.about.__version__, required):
        raise InvalidConfigException(f"The spaCy model {name} requires spaCy {required}, not {spacy.about.__version__}")
    logger.info("spaCy model %s loaded with %s", name, ", ".join(language.pipe_names))
    return SpacyModel(model=language, model_name=name)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="LeanSpacyNLP",
)
class LeanSpacyNLP(SpacyNLP):
    """SpacyNLP (SpacyTokenizer and our components accept it as such) loading only what is read."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**SpacyNLP.get_default_config(), "exclude": list(UNUSED)}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LeanSpacyNLP:
        config = {**cls.get_default_config(), **config}
        model = load_lean(config.get("model"), list(config["exclude"]))
        cls.ensure_proper_language_model(model.model)
        return cls(model, config)
