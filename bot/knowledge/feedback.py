"""« Utile / pas utile » on the chat's answers, counted per day and answer kind for HR.

No message text, no person and no time of day is stored: one pair of counters per
day and kind (the action or response that wrote the answer, e.g. action_answer_leave).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import select

from bot.core.dates import PARIS
from bot.core.db import Database, count_up
from bot.core.models import FeedbackCount
from bot.core.settings import PROJECT_ROOT

# What the assistant's actions and responses are called: the shape, then the domain's own names.
KIND = re.compile(r"[a-z][a-z0-9_]{0,79}")
DOMAIN_DIR = PROJECT_ROOT / "domain"


@lru_cache(maxsize=1)
def answer_kinds(folder: Path = DOMAIN_DIR) -> frozenset[str]:
    """The allow-list: every action and response of the domain (domain/*.yml). Anything else is refused,
    so that the counters HR reads hold only names the assistant really writes."""
    kinds: set[str] = set()
    for path in sorted(Path(folder).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for action in data.get("actions") or []:
            kinds.add(next(iter(action)) if isinstance(action, dict) else str(action))
        kinds.update(data.get("responses") or {})
    return frozenset(kind for kind in kinds if KIND.fullmatch(kind))


@dataclass(frozen=True)
class FeedbackRow:
    day: date
    kind: str
    useful: int
    not_useful: int


def valid_kind(kind: object) -> bool:
    return isinstance(kind, str) and KIND.fullmatch(kind) is not None and kind in answer_kinds()


def record_feedback(database: Database, kind: str, useful: bool, day: date | None = None) -> None:
    if not valid_kind(kind):
        raise ValueError(f"not an answer kind: {kind!r}")
    day = day or datetime.now(PARIS).date()
    count_up(database, FeedbackCount, {"day": day, "kind": kind}, "useful" if useful else "not_useful")


def feedback_by_day(database: Database, since: date | None = None) -> list[FeedbackRow]:
    query = select(FeedbackCount).order_by(FeedbackCount.day, FeedbackCount.kind)
    if since:
        query = query.where(FeedbackCount.day >= since)
    with database.session() as session:
        return [FeedbackRow(r.day, r.kind, r.useful, r.not_useful) for r in session.scalars(query)]
