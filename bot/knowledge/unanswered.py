"""Counting the questions the assistant could not answer, by topic only.

No message text, sender or time of day is stored: one counter per topic and day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from bot.core.db import Database, count_up
from bot.core.models import UnansweredCount


@dataclass(frozen=True)
class TopicCount:
    topic: str
    count: int
    last_day: date


def record_unanswered(database: Database, topic: str, day: date | None = None) -> None:
    count_up(database, UnansweredCount, {"day": day or date.today(), "topic": topic})


def unanswered_by_topic(database: Database, since: date | None = None) -> list[TopicCount]:
    query = select(UnansweredCount.topic, func.sum(UnansweredCount.count), func.max(UnansweredCount.day))
    if since:
        query = query.where(UnansweredCount.day >= since)
    query = query.group_by(UnansweredCount.topic).order_by(func.sum(UnansweredCount.count).desc())
    with database.session() as session:
        return [TopicCount(topic, int(count), day) for topic, count, day in session.execute(query)]


def unanswered_by_day(database: Database, since: date) -> list[tuple[date, str, int]]:
    """(day, topic, count) of every counter since `since`, oldest first (the back-office's chart)."""
    query = select(UnansweredCount.day, UnansweredCount.topic, UnansweredCount.count).where(
        UnansweredCount.day >= since
    )
    with database.session() as session:
        return [(day, topic, int(count)) for day, topic, count in session.execute(query.order_by(UnansweredCount.day))]
