"""Payload hygiene: a message that starts with « / » reaches Rasa as a payload only when it is one.

Rasa reads any message starting with « / » as `/intent{"entity": "value"}` and, when it is not a
well-formed one, writes the whole message in a warning (« Failed to parse arguments in line … »).
The widget's buttons send well-formed payloads of the domain's intents with the domain's entities;
anything else that starts with « / » (a typo, « /LEAKMARK je veux mourir », a forged payload with an
unknown intent, an unknown entity, a confidence or trailing text) is read as plain text: its
leading slashes are dropped, so the NLU and the distress net read the words.

Both channels (the intranet chat and the REST channel) pass every message through `plain_or_payload`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.core.text import bound_text

DOMAIN_DIR = Path(__file__).resolve().parent.parent / "domain"
# Rasa's own intents, always in a domain (DEFAULT_INTENTS): « /restart » starts the conversation afresh.
RASA_INTENTS = frozenset({"restart", "back", "out_of_scope", "session_start", "nlu_fallback"})
MAX_VALUE_CHARS = 200
_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z0-9_]+)(?P<entities>\{.*\})?", re.DOTALL)


class KnownPayloads:
    """The intents and entities a well-formed payload may name."""

    def __init__(self, intents: Iterable[str], entities: Iterable[str]) -> None:
        self.intents: frozenset[str] = frozenset(intents) | RASA_INTENTS
        self.entities: frozenset[str] = frozenset(entities)

    @classmethod
    def from_domain_files(cls, folder: Path = DOMAIN_DIR) -> KnownPayloads:
        import yaml  # both environments have PyYAML

        intents: set = set()
        entities: set = set()
        for path in sorted(Path(folder).glob("*.yml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for intent in data.get("intents") or []:
                intents.add(next(iter(intent)) if isinstance(intent, dict) else str(intent))
            for entity in data.get("entities") or []:
                entities.add(next(iter(entity)) if isinstance(entity, dict) else str(entity))
        return cls(intents, entities)

    def is_payload(self, text: str) -> bool:
        """A well-formed payload of a known intent, with known entities whose values are short scalars."""
        match = _PAYLOAD.fullmatch(text)
        if not match or match.group("intent") not in self.intents:
            return False
        if match.group("entities") is None:
            return True
        try:
            entities = json.loads(match.group("entities"))
        except ValueError:
            return False
        return isinstance(entities, dict) and all(
            key in self.entities and _scalar(value) for key, value in entities.items()
        )

    def plain_or_payload(self, text: Any) -> Any:
        """The message for Rasa: a known payload as it is, any other « /… » as plain text."""
        if not isinstance(text, str):
            return text
        probe = bound_text(text)  # what Rasa's pipeline would see first (controls and blanks folded)
        if not probe.startswith("/"):
            return text
        if self.is_payload(probe):
            return probe
        return re.sub(r"^[\s/]+", "", probe)


def _scalar(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) <= MAX_VALUE_CHARS
    return isinstance(value, (bool, int, float))


@lru_cache(maxsize=1)
def known_payloads() -> KnownPayloads:
    return KnownPayloads.from_domain_files()
