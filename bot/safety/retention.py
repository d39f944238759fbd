"""Conversation retention: deletes old conversation sessions from Rasa's SQL tracker store.

Rasa keeps every event of every conversation (messages included) in the table
`events` of its SQL tracker store. A conversation is cut into sessions by
`action_session_start` (a new session after an hour of silence, see
domain/core.yml). A whole session is deleted once its last event is older than
the retention period: `sensitive_days` when the session touched a sensitive
intent (distress, psychosocial risks, harassment, eligibility), `days` for the
others. Whole sessions only, so that Rasa never sees half a conversation.

The same command purges the requests people sent to HR (« Ask HR », bot/cases/) closed more than
CASE_RETENTION_DAYS ago (`purge_cases`).

Meant for cron: `python -m bot conversations purge` (see the README).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    create_engine,
    delete,
    event,
    inspect,
    select,
)
from sqlalchemy.engine import Engine

from bot.cases.store import CaseStore
from bot.core.db import database_for
from bot.core.settings import DEFAULT_RETENTION_DAYS, settings

SENSITIVE_INTENTS = frozenset(
    {"urgent_distress", "crisis_check", "rps_support", "report_harassment", "check_aid_eligibility"}
)
SESSION_START = "action_session_start"

# The columns of Rasa 3.6's SQLTrackerStore table that the purge reads.
EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
)


def tracker_store_url(url: str | None = None) -> str:
    """The Rasa tracker store (`url`, else $TRACKER_STORE_URL, else var/tracker.db), as a URL that
    SQLAlchemy 2 opens with this project's drivers."""
    url = url or settings().tracker_store_url
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


@dataclass(frozen=True)
class RetentionPolicy:
    days: int = DEFAULT_RETENTION_DAYS
    sensitive_days: int = DEFAULT_RETENTION_DAYS
    sensitive_intents: frozenset[str] = SENSITIVE_INTENTS

    @classmethod
    def from_env(cls) -> RetentionPolicy:
        environment = settings()
        return cls(days=environment.conversation_retention_days, sensitive_days=environment.sensitive_retention_days)


@dataclass
class Session:
    sender_id: str
    first_id: int
    last_id: int
    last_timestamp: float
    intents: set[str] = field(default_factory=set)


@dataclass
class PurgeReport:
    sessions: int = 0
    sensitive_sessions: int = 0
    events: int = 0
    kept_sessions: int = 0


def sessions(rows: Iterable) -> Iterator[Session]:
    """Cut rows (ordered by sender, then id) into sessions."""
    current: Session | None = None
    for row in rows:
        starts = row.type_name == "action" and row.action_name == SESSION_START
        if current is None or row.sender_id != current.sender_id or starts:
            if current is not None:
                yield current
            current = Session(row.sender_id, row.id, row.id, row.timestamp or 0.0)
        current.last_id = row.id
        current.last_timestamp = max(current.last_timestamp, row.timestamp or 0.0)
        if row.intent_name:
            current.intents.add(row.intent_name)
    if current is not None:
        yield current


def _expired(session: Session, policy: RetentionPolicy, now: datetime) -> bool:
    sensitive = bool(session.intents & policy.sensitive_intents)
    days = min(policy.days, policy.sensitive_days) if sensitive else policy.days
    return session.last_timestamp < (now - timedelta(days=days)).timestamp()


def purge(engine: Engine, policy: RetentionPolicy, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Delete every expired session; `dry_run` only counts them."""
    now = now or datetime.now(timezone.utc)
    report = PurgeReport()
    if not inspect(engine).has_table("events"):
        return report  # Rasa has not written any conversation yet
    query = select(
        EVENTS.c.id,
        EVENTS.c.sender_id,
        EVENTS.c.type_name,
        EVENTS.c.timestamp,
        EVENTS.c.intent_name,
        EVENTS.c.action_name,
    ).order_by(EVENTS.c.sender_id, EVENTS.c.id)
    with engine.connect() as connection:
        expired = []
        for session in sessions(connection.execution_options(yield_per=2000).execute(query)):
            if _expired(session, policy, now):
                expired.append(session)
            else:
                report.kept_sessions += 1
    with engine.begin() as connection:
        for session in expired:
            where = and_(
                EVENTS.c.sender_id == session.sender_id, EVENTS.c.id.between(session.first_id, session.last_id)
            )
            if dry_run:
                count = len(connection.execute(select(EVENTS.c.id).where(where)).all())
            else:
                count = connection.execute(delete(EVENTS).where(where)).rowcount
            report.events += count
            report.sessions += 1
            report.sensitive_sessions += bool(session.intents & policy.sensitive_intents)
    return report


def purge_tracker_store(
    url: str | None = None, policy: RetentionPolicy | None = None, dry_run: bool = False
) -> PurgeReport:
    url = tracker_store_url(url)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return PurgeReport()  # no conversation stored yet
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _secure_delete(dbapi_connection, _record) -> None:  # deleted messages zeroed on disk
            dbapi_connection.execute("PRAGMA secure_delete=ON")

    try:
        report = purge(engine, policy or RetentionPolicy.from_env(), dry_run=dry_run)
        if report.events and not dry_run and engine.dialect.name == "sqlite":
            with engine.connect() as connection:  # and no copy left in a write-ahead log
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return report
    finally:
        engine.dispose()


def purge_cases(url: str | None = None, days: int | None = None, dry_run: bool = False) -> int:
    """Delete the requests sent to HR closed more than `days` ago (default $CASE_RETENTION_DAYS, 90) from the
    application database (`url`, else $DATABASE_URL); `dry_run` only counts them."""
    url = url or settings().database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return 0  # no database yet, so no request
    store = CaseStore(database_for(url))
    return store.count_closed(days) if dry_run else store.purge_closed(days)
