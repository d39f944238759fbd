"""The gold questions (tests/gold/) and the content base they are asked against."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core.db import Database
from bot.core.text import fold
from bot.knowledge.content import load_content

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
CONTENT = ROOT / "data" / "content"
# The development part (tuned on) and the held-out parts (only scored, never read).
PARTS = ("dev", "heldout", "heldout2", "heldout3", "heldout4")


@dataclass(frozen=True)
class Question:
    q: str
    articles: tuple[str, ...]
    fact: str | None
    writer: str

    @property
    def answerable(self) -> bool:
        return bool(self.articles)

    def fact_in(self, text: str) -> bool:
        """The fact's pattern in the answer as shown, lower-cased and accent-free (punctuation kept)."""
        if not self.fact:
            return False
        return re.search(self.fact, folded_answer(text)) is not None


def folded_answer(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize(
        "NFKD", text.lower().replace("œ", "oe").replace("\u202f", " ").replace("\xa0", " ")
    )
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def load(part: str) -> list[Question]:
    data = yaml.safe_load((GOLD / f"{part}.yml").read_text(encoding="utf-8"))
    return [
        Question(str(q["q"]), tuple(q.get("articles") or ()), q.get("fact"), str(q.get("writer", "")))
        for q in data["questions"]
    ]


def content_database() -> Database:
    """A fresh SQLite database holding the project's content."""
    folder = Path(tempfile.mkdtemp(prefix="gold-"))
    database = Database(f"sqlite:///{folder / 'content.db'}")
    database.upgrade_schema()
    load_content(database, CONTENT)
    return database


__all__ = ["Question", "load", "content_database", "fold"]
