"""Entity extractor: canonical values and date expressions, found deterministically.

The closed vocabularies (service, leave_type, aid_type, campus) come from bot/core/vocabulary.py,
the one source of truth that the actions and the buttons use too; `/model/parse` returns
only canonical values, never a stop word or a raw surface form. A `date` keeps the text of
the date expression; the actions resolve it. Nothing to train: a new synonym is a line of
bot/core/vocabulary.py, effective at the next start.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.core.entity_finder import find_entities
from rasa_components.base import ConfiguredComponent

NAME = "CanonicalEntityExtractor"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class CanonicalEntityExtractor(ConfiguredComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def process(self, messages: list[Message], **kwargs: Any | None) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or text.startswith("/"):
                continue
            found = [
                {
                    ENTITY_ATTRIBUTE_TYPE: f.entity,
                    ENTITY_ATTRIBUTE_START: f.start,
                    ENTITY_ATTRIBUTE_END: f.end,
                    ENTITY_ATTRIBUTE_VALUE: f.value,
                    ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
                    EXTRACTOR: NAME,
                }
                for f in find_entities(text)
            ]
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), *found], add_to_output=True)
        return messages
