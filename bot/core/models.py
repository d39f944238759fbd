"""SQLAlchemy 2.x models of the policy database."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


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
    # Questions this article answers, as staff type them (HR-editable; indexed with the passages).
    questions: Mapped[list[str] | None] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, onupdate=_utcnow)


class UnansweredCount(Base):
    """How many questions of a topic found no answer on a given day (no text, no person)."""

    __tablename__ = "unanswered_counts"
    __table_args__ = (UniqueConstraint("day", "topic"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    topic: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer, default=0)


class FeedbackCount(Base):
    """How many answers of a kind people found useful or not on a given day (no text, no person)."""

    __tablename__ = "feedback_counts"
    __table_args__ = (UniqueConstraint("day", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(80))  # the action or response that wrote the answer
    useful: Mapped[int] = mapped_column(Integer, default=0)
    not_useful: Mapped[int] = mapped_column(Integer, default=0)


class UTCDateTime(TypeDecorator):
    """An aware datetime stored as naive UTC, read back as aware UTC (same on SQLite and PostgreSQL)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


class Service(Base):
    """Someone staff can book: the psychologist, the social worker, an HR permanence..."""

    __tablename__ = "services"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # "la psychologue du travail"
    # Confidential services never ask or store a reason, and say who sees the booking.
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    who_sees: Mapped[str] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text, default=None)


class Schedule(Base):
    """A recurring opening of a service: weekdays (and weeks of the month), hours, slot length, place."""

    __tablename__ = "schedules"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    service: Mapped[str] = mapped_column(ForeignKey("services.code"), index=True)
    weekdays: Mapped[list[int]] = mapped_column(JSON)  # 0 = Monday
    weeks: Mapped[list[int] | None] = mapped_column(JSON, default=None)  # nth weekday of the month; -1 = last
    start_time: Mapped[str] = mapped_column(String(5))  # "09:00", Europe/Paris
    end_time: Mapped[str] = mapped_column(String(5))
    minutes: Mapped[int] = mapped_column(Integer)
    campus: Mapped[str | None] = mapped_column(String(40), default=None)  # None for visio / phone
    mode: Mapped[str] = mapped_column(String(20), default="sur_place")  # sur_place, visio, telephone
    room: Mapped[str | None] = mapped_column(String(200), default=None)
    valid_from: Mapped[date | None] = mapped_column(Date, default=None)
    valid_until: Mapped[date | None] = mapped_column(Date, default=None)  # last open day; set when HR closes it


class Slot(Base):
    """One bookable appointment. Booking fills `holder` with a single conditional UPDATE (atomic)."""

    __tablename__ = "slots"
    __table_args__ = (UniqueConstraint("schedule_id", "start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    schedule_id: Mapped[str] = mapped_column(ForeignKey("schedules.id"), index=True)
    service: Mapped[str] = mapped_column(String(40), index=True)
    start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who booked it: the sender id (the authenticated user once the web channel exists) and a display
    # name for HR. Never a reason.
    holder: Mapped[str | None] = mapped_column(String(200), index=True, default=None)
    holder_name: Mapped[str | None] = mapped_column(String(200), default=None)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True, default=None)
    booked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class Menu(Base):
    """One day's lunch at the staff restaurant, as the restaurant sends it each week."""

    __tablename__ = "menus"
    __table_args__ = (UniqueConstraint("day", "site"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    site: Mapped[str] = mapped_column(String(40))
    starters: Mapped[list[str]] = mapped_column(JSON, default=list)
    mains: Mapped[list[str]] = mapped_column(JSON, default=list)
    vegetarian: Mapped[str] = mapped_column(String(300))  # the daily vegetarian, pork-free dish
    desserts: Mapped[list[str]] = mapped_column(JSON, default=list)
    labels: Mapped[list[str]] = mapped_column(JSON, default=list)  # bio, local, fait maison
    allergens: Mapped[list[str]] = mapped_column(JSON, default=list)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)


class RestaurantClosure(Base):
    """Days the restaurant is closed besides weekends and public holidays (school holidays...)."""

    __tablename__ = "restaurant_closures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))


class AidQuestion(Base):
    """A question the eligibility rules may need (one per fact), as HR wrote it in data/eligibility/."""

    __tablename__ = "aid_questions"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    spec: Mapped[dict] = mapped_column(JSON)
    profile_rank: Mapped[int | None] = mapped_column(Integer, default=None)  # asked when no scheme is named


class AidScheme(Base):
    """The eligibility rules of one social-aid scheme: conditions, amounts, how to apply, source."""

    __tablename__ = "aid_schemes"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    aid_type: Mapped[str] = mapped_column(String(40), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(300))
    rules: Mapped[dict] = mapped_column(JSON)
    source_date: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, onupdate=_utcnow)


class ArticleVersion(Base):
    """One published state of an article (the back-office's history): who published it and when, and its
    fields as the database holds them, so that HR can restore it."""

    __tablename__ = "article_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(String(120), index=True)
    fields: Mapped[dict] = mapped_column(JSON)  # topic, title, body, questions, source… (never a person's text)
    author: Mapped[str] = mapped_column(String(200))  # the intranet identifier of who published it
    action: Mapped[str] = mapped_column(String(20))  # publish, revert, import
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=_utcnow, index=True)


class AuditEntry(Base):
    """An action in the back-office: who, when, what and on which object. Object identifiers only, never a
    message, a name typed by staff or an article's text."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=_utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(200), default=None)


class Case(Base):
    """A question a person chose to send to HR from the chat (« Ask HR », bot/cases/), and HR's answer.

    Written only after the person's explicit « Envoyer »; the text is erased when the person withdraws it, and
    the whole case is purged CASE_RETENTION_DAYS after it is closed (answered, done or withdrawn)."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    # The intranet identifier (the conversation's sender id, the token's `sub`) and the token's name.
    person: Mapped[str] = mapped_column(String(200), index=True)
    person_name: Mapped[str | None] = mapped_column(String(200), default=None)
    text: Mapped[str | None] = mapped_column(Text, default=None)  # None once withdrawn
    topic: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # bot/cases/store.py: STATUSES
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    answer: Mapped[str | None] = mapped_column(Text, default=None)
    answered_by: Mapped[str | None] = mapped_column(String(200), default=None)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # When the chat showed the answer to the person (shown once).
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # When the case was answered, marked done or withdrawn: the retention period starts there.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True, default=None)
