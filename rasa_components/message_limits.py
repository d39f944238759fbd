"""First NLU component: bounds what the rest of the pipeline has to read.

Control characters are removed, white space is folded, and the text is cut at
MAX_MESSAGE_CHARS on a word boundary, so that a 100 kB paste is understood from its
beginning in milliseconds instead of stalling the server.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.text import MAX_MESSAGE_CHARS, bound_text
from rasa_components.base import ConfiguredComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class MessageLimits(ConfiguredComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"max_chars": MAX_MESSAGE_CHARS}

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.max_chars = int(config["max_chars"])

    def process(self, messages: list[Message], **kwargs: Any | None) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str):
                message.set(TEXT, bound_text(text, self.max_chars), add_to_output=True)
        return messages
