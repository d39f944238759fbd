from __future__ import annotations

from pathlib import Path

import pytest

from actions import cases
from bot.cases.store import CaseStore
from bot.core.db import Database


@pytest.fixture(autouse=True)
def case_store(monkeypatch, tmp_path: Path) -> CaseStore:
    """Every action test gets its own empty case store (the answers show HR's answers not yet seen)."""
    database = Database(f"sqlite:///{tmp_path / 'cases.db'}")
    database.upgrade_schema()
    store = CaseStore(database)
    monkeypatch.setattr(cases, "case_store", lambda: store)
    return store


@pytest.fixture(autouse=True)
def weekday_noon(monkeypatch):
    """Menu answers are asked on a weekday at noon (the demonstration menus cover the coming weekdays; on a
    weekend the restaurant is closed and the tests would depend on the day they run)."""
    from datetime import datetime, timedelta

    from actions import actions
    from bot.core.dates import PARIS

    day = datetime.now(PARIS).replace(hour=12, minute=0, second=0, microsecond=0)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    monkeypatch.setattr(actions, "now", lambda: day)
