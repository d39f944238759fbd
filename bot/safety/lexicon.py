"""The schema of the distress lexicon (data/safety/distress_lexicon.yml), checked when the base is seeded.

Rasa reads the file itself (rasa_components/distress_net.py, in Rasa's environment); this check refuses,
in French, a lexicon that would fail there or silently never match: the message is folded (lowercase,
no accents, punctuation read as spaces) before patterns are applied.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, field_validator

from bot.core.schema import Schema, Text, validate
from bot.core.settings import PROJECT_ROOT
from bot.core.text import fold

DEFAULT_LEXICON = PROJECT_ROOT / "data" / "safety" / "distress_lexicon.yml"


class LexiconError(ValueError):
    """The distress lexicon is invalid."""


def _pattern_problem(pattern: str) -> str | None:
    try:
        re.compile(pattern)
    except re.error as error:
        where = f", position {error.pos}" if error.pos is not None else ""
        return f"motif « {pattern} » : expression régulière invalide{where}"
    if not pattern.isascii():
        return f"motif « {pattern} » : les accents ne sont jamais trouvés (le message est lu sans accents)"
    return None


class LexiconSchema(Schema):
    patterns: list[Text] = Field(min_length=1)
    glued: list[Text] = Field(default_factory=list)
    idioms: list[Text] = Field(default_factory=list)
    shorthand: dict[str, Text] = Field(default_factory=dict)

    @field_validator("patterns", "glued", "idioms")
    @classmethod
    def _compiled(cls, value: list[str]) -> list[str]:
        problems = [problem for pattern in value if (problem := _pattern_problem(pattern))]
        if problems:
            raise ValueError(" ; ".join(problems))
        return value

    @field_validator("shorthand")
    @classmethod
    def _shorthand(cls, value: dict[str, str]) -> dict[str, str]:
        unread = [word for word in value if fold(word) != word or " " in word]
        if unread:
            raise ValueError(f"abréviation(s) {unread} jamais lue(s) : un seul mot en minuscules, sans accent")
        return value


def check_lexicon(path: Path = DEFAULT_LEXICON) -> LexiconSchema:
    """The lexicon, validated; raises LexiconError listing every problem in French."""
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise LexiconError(f"{path.name} : illisible ({error})") from error
    lexicon, problems = validate(LexiconSchema, raw, path.name)
    if lexicon is None:
        raise LexiconError("\n".join(problems))
    return lexicon
