"""SQLAlchemy 2.x models of the policy database."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import JSON, Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Article(Base):
    """A piece of policy content that HR maintains."""

    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    topic: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    how_to: Mapped[str | None] = mapped_column(Text, default=None)
    source: Mapped[str] = mapped_column(String(500))
    source_url: Mapped[str | None] = mapped_column(String(1000), default=None)
    source_date: Mapped[str] = mapped_column(String(20))
    reliability: Mapped[str] = mapped_column(String(10), default="medium")
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    leave_type: Mapped[str | None] = mapped_column(String(40), index=True, default=None)
    aid_type: Mapped[str | None] = mapped_column(String(40), index=True, default=None)
    # Intents this article answers when the question names nothing more specific.
    default_for: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, onupdate=_utcnow)


class UnansweredCount(Base):
    """How many questions of a topic found no answer on a given day (no text, no person)."""

    __tablename__ = "unanswered_counts"
    __table_args__ = (UniqueConstraint("day", "topic"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    topic: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer, default=0)
