"""Settings read from the environment, with embedded defaults for development."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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
