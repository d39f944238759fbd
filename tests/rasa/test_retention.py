"""The retention purge against Rasa's own SQL tracker store (SQLite and PostgreSQL).

Conversations are written by Rasa's SQLTrackerStore, purged by the command HR's
cron runs (`python -m bot conversations purge`, in the action server's
environment), and read back by Rasa: exactly the expired sessions are gone,
and a conversation goes on normally afterwards.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

ROOT = Path(__file__).resolve().parents[2]
APP_PYTHON = ROOT / ".venv" / "bin" / "python"
DAY = 86400.0
NOW = time.time()
DOMAIN = Domain.from_dict({"intents": ["greet", "ask_leave", "urgent_distress", "rps_support"]})


def session(start: float, intent: str, text: str) -> list:
    """One conversation session as Rasa records it: session start, a message, a reply."""
    return [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start + 0.001),
        ActionExecuted("action_listen", timestamp=start + 0.002),
        UserUttered(text, intent={"name": intent, "confidence": 1.0}, timestamp=start + 1),
        BotUttered("réponse", timestamp=start + 2),
        ActionExecuted("action_listen", timestamp=start + 3),
    ]


CONVERSATIONS = {
    # sender: its sessions, oldest first (days ago, intent)
    "old-distress": [(45, "urgent_distress")],
    "old-leave": [(45, "ask_leave")],
    "very-old-leave": [(120, "ask_leave")],
    "recent-rps": [(5, "rps_support")],
    "mixed": [(60, "rps_support"), (40, "ask_leave"), (2, "urgent_distress")],
}


def write_conversations(store: SQLTrackerStore) -> None:
    for sender, sessions in CONVERSATIONS.items():
        events = [e for days, intent in sessions for e in session(NOW - days * DAY, intent, f"{sender} {days}")]
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))


def remaining(store: SQLTrackerStore, sender: str) -> list[str]:
    tracker = asyncio.run(store.retrieve_full_tracker(sender))
    return [e.text for e in tracker.events if isinstance(e, UserUttered)] if tracker else []


def purge(url: str, *options: str) -> str:
    result = subprocess.run(
        [str(APP_PYTHON), "-m", "bot", "conversations", "purge", "--url", url, *options],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        check=True,
    )
    return result.stdout


def sqlite_store(tmp_path: Path) -> tuple[SQLTrackerStore, str]:
    path = tmp_path / "tracker.db"
    return SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(path)), f"sqlite:///{path}"


@pytest.fixture
def postgres_store():
    """A throw-away PostgreSQL database; skipped without a server, except under CI where it must run."""
    import psycopg2

    admin_url = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    dsn = admin_url.replace("postgresql+psycopg://", "postgresql://")
    try:
        admin = psycopg2.connect(dsn, connect_timeout=5)
    except psycopg2.OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI and unreachable: {error}")
        pytest.skip(f"no PostgreSQL at {dsn} (set TEST_POSTGRES_URL to run this test)")
    admin.autocommit = True
    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    credentials, _, host_port = dsn.removeprefix("postgresql://").rpartition("@")
    user, _, password = credentials.partition(":")
    host, _, port = host_port.split("/")[0].partition(":")
    store = SQLTrackerStore(
        DOMAIN,
        dialect="postgresql",
        host=host,
        port=int(port or 5432),
        db=name,
        username=user,
        password=password or None,
    )
    try:
        yield store, dsn.rsplit("/", 1)[0] + f"/{name}"
    finally:
        store.engine.dispose()
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def check_purge(store: SQLTrackerStore, url: str) -> None:
    write_conversations(store)
    dry = purge(url, "--days", "90", "--sensitive-days", "30", "--dry-run")
    assert "seraient supprimées : 3 session(s) dont 2 sensible(s)" in dry, dry
    assert remaining(store, "old-distress") == ["old-distress 45"], "a dry run deletes nothing"

    output = purge(url, "--days", "90", "--sensitive-days", "30")
    assert "supprimées : 3 session(s) dont 2 sensible(s)" in output, output
    assert remaining(store, "old-distress") == []  # sensitive, 45 days > 30
    assert remaining(store, "old-leave") == ["old-leave 45"]  # not sensitive, 45 days < 90
    assert remaining(store, "very-old-leave") == []  # 120 days > 90
    assert remaining(store, "recent-rps") == ["recent-rps 5"]  # sensitive but recent
    # Only the old sensitive session goes; the old ordinary one is within 90 days; the current one stays.
    assert remaining(store, "mixed") == ["mixed 40", "mixed 2"]

    # Rasa carries on with the purged conversation: the new message is stored once, nothing comes back.
    tracker = asyncio.run(store.retrieve("mixed"))
    tracker.update(UserUttered("mixed again", intent={"name": "greet", "confidence": 1.0}, timestamp=time.time()))
    asyncio.run(store.save(tracker))
    assert remaining(store, "mixed") == ["mixed 40", "mixed 2", "mixed again"]

    # The same purge again finds nothing more to delete.
    assert "0 session(s)" in purge(url, "--days", "90", "--sensitive-days", "30")


def test_purge_deletes_expired_sessions_and_nothing_else_sqlite(tmp_path):
    check_purge(*sqlite_store(tmp_path))


def test_purge_deletes_expired_sessions_and_nothing_else_postgresql(postgres_store):
    check_purge(*postgres_store)


def test_default_retention_is_thirty_days_for_every_session(tmp_path):
    store, url = sqlite_store(tmp_path)
    write_conversations(store)
    assert "5 session(s) dont 2 sensible(s)" in purge(url)
    assert remaining(store, "old-leave") == [] and remaining(store, "recent-rps") == ["recent-rps 5"]
    assert remaining(store, "mixed") == ["mixed 2"]


def test_a_store_rasa_never_wrote_to_is_left_alone(tmp_path):
    assert "0 session(s)" in purge(f"sqlite:///{tmp_path / 'absent.db'}")
    assert not (tmp_path / "absent.db").exists()
