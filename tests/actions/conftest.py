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
