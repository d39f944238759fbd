"""Settings read from the environment, with embedded defaults for development."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

PROJECT_ROOT = Path(__file__).resolve().parents[2]


TRUE_VALUES = frozenset({"1", "true", "yes", "on"})
FALSE_VALUES = frozenset({"0", "false", "no", "off"})


class SettingError(ValueError):
    """A setting of the environment has a value that cannot be used; the message names it."""


def env_flag(name: str, default: bool = False, environ: Mapping[str, str] | None = None) -> bool:
    """A boolean setting: 1/true/yes/on or 0/false/no/off (any case); unset or empty is `default`.
    Anything else is refused, so that a typo (« REST_CHANNEL=non ») never turns a feature on or off silently."""
    value = (os.environ if environ is None else environ).get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise SettingError(f"{name}={value!r} is not a boolean: use 1 (or true, yes, on) or 0 (or false, no, off)")


@dataclass(frozen=True)
class Settings:
    database_url: str
    content_dir: Path

    @classmethod
    def from_env(cls) -> "Settings":
        default_db = PROJECT_ROOT / "var" / "assistant.db"
        return cls(
            database_url=os.environ.get("DATABASE_URL", f"sqlite:///{default_db}"),
            content_dir=Path(os.environ.get("CONTENT_DIR", PROJECT_ROOT / "data" / "content")),
        )
