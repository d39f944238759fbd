"""Last NLU component: a safety net that forces `urgent_distress`.

DIET misses some ways of saying one wants to die. When a message matches the
maintained lexicon (data/safety/distress_lexicon.yml), this component sets the
intent to `urgent_distress` whatever DIET or the FallbackClassifier decided, so
that the crisis answer always comes first. It sits after the
FallbackClassifier in config.yml for that reason.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.text import fold
from rasa_components.base import ConfiguredComponent

DISTRESS_INTENT = "urgent_distress"
DEFAULT_LEXICON = Path(__file__).resolve().parent.parent / "data" / "safety" / "distress_lexicon.yml"


def load_lexicon(path: Path) -> list[re.Pattern[str]]:
    patterns = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("patterns") or []
    if not patterns:
        raise ValueError(f"the distress lexicon {path} has no patterns")
    return [re.compile(p) for p in patterns]


def signals_distress(text: str, lexicon: list[re.Pattern[str]]) -> bool:
    folded = f" {fold(text)} "
    return any(pattern.search(folded) for pattern in lexicon)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DistressNet(ConfiguredComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # None: the project's lexicon, found next to this code when Rasa starts (a path
        # stored in the model would break when the project moves).
        return {"lexicon": None}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self.lexicon = load_lexicon(Path(config["lexicon"] or DEFAULT_LEXICON))

    def process(self, messages: List[Message], **kwargs: Optional[Any]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not signals_distress(text, self.lexicon):
                continue
            forced = {INTENT_NAME_KEY: DISTRESS_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != DISTRESS_INTENT]
            message.set(INTENT, forced, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [forced, *ranking], add_to_output=True)
        return messages
