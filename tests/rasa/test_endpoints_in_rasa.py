"""Rasa reads the endpoints file `python -m bot endpoints` writes: its SQL tracker store keeps a
conversation, and its Redis lock store (several Rasa instances) locks one conversation at a time."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import uuid
from pathlib import Path

import pytest
from rasa.core.lock_store import LockStore
from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

ROOT = Path(__file__).resolve().parents[2]
APP_PYTHON = ROOT / ".venv" / "bin" / "python"
DOMAIN = Domain.from_dict({"intents": ["greet"]})


def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError as error:
        if os.environ.get("CI") == "true":
            raise RuntimeError("no Redis at 127.0.0.1:6379: under CI this test must run") from error
        pytest.skip("no Redis at 127.0.0.1:6379 (start one to run this test)")
    return url


def written_endpoints(tmp_path: Path, **env: str) -> AvailableEndpoints:
    out = tmp_path / "endpoints.yml"
    subprocess.run(
        [str(APP_PYTHON), "-m", "bot", "endpoints", "--out", str(out)],
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
    )
    os.environ.setdefault("ACTION_SERVER_TOKEN", "s" * 40)  # Rasa expands it when it reads the file
    return AvailableEndpoints.read_endpoints(str(out))


def test_rasa_sends_the_action_servers_secret_from_its_environment_and_refuses_to_start_without(tmp_path, monkeypatch):
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "t" * 40)
    endpoints = written_endpoints(tmp_path)
    assert endpoints.action.headers == {"Authorization": "Bearer " + "t" * 40}
    assert "t" * 40 not in (tmp_path / "endpoints.yml").read_text()  # the secret is not on disk
    monkeypatch.delenv("ACTION_SERVER_TOKEN")
    with pytest.raises(Exception, match="ACTION_SERVER_TOKEN"):
        AvailableEndpoints.read_endpoints(str(tmp_path / "endpoints.yml"))


def test_rasa_keeps_conversations_in_the_sql_tracker_store_of_the_environment(tmp_path):
    endpoints = written_endpoints(tmp_path, TRACKER_STORE_URL=f"sqlite:///{tmp_path}/tracker.db")
    store = TrackerStore.create(endpoints.tracker_store, DOMAIN)
    tracker = DialogueStateTracker.from_events("agent-1", [ActionExecuted("action_listen"), UserUttered("bonjour")])
    asyncio.run(store.save(tracker))
    again = TrackerStore.create(
        written_endpoints(tmp_path, TRACKER_STORE_URL=f"sqlite:///{tmp_path}/tracker.db").tracker_store, DOMAIN
    )
    assert asyncio.run(again.retrieve("agent-1")).latest_message.text == "bonjour"
    assert (tmp_path / "tracker.db").exists()


def test_the_redis_lock_store_of_the_environment_serves_one_instance_at_a_time(tmp_path):
    prefix = f"test{uuid.uuid4().hex[:8]}"
    endpoints = written_endpoints(tmp_path, LOCK_STORE_URL=redis_url(), LOCK_STORE_KEY_PREFIX=prefix)
    # Two Rasa instances, each with its own lock store on the same Redis.
    first, second = LockStore.create(endpoints.lock_store), LockStore.create(endpoints.lock_store)
    assert type(first).__name__ == "RedisLockStore" and first.key_prefix.startswith(prefix)
    log: list[tuple[str, str]] = []

    async def handle(store: LockStore, name: str) -> None:
        async with store.lock("agent-2", wait_time_in_seconds=0.01):
            log.append(("in", name))
            await asyncio.sleep(0.2)
            log.append(("out", name))

    async def scenario() -> None:
        await asyncio.gather(handle(first, "a"), handle(second, "b"))

    try:
        asyncio.run(scenario())
    finally:
        for key in first.red.scan_iter(f"{prefix}*"):
            first.red.delete(key)
    assert log in (
        [("in", "a"), ("out", "a"), ("in", "b"), ("out", "b")],
        [("in", "b"), ("out", "b"), ("in", "a"), ("out", "a")],
    )
