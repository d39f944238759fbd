from __future__ import annotations

from pathlib import Path

import pytest

from bot.booking.cli import DEFAULT_SCHEDULES
from bot.booking.schedules import load_schedules
from bot.core.db import Database
from bot.knowledge.content import load_content
from tests.conftest import CONTENT_DIR


@pytest.fixture
def office(tmp_path: Path) -> Database:
    """A database of its own with the project's articles and schedules, for the back-office to change."""
    database = Database(f"sqlite:///{tmp_path / 'office.db'}")
    database.upgrade_schema()
    load_content(database, CONTENT_DIR)
    load_schedules(database, DEFAULT_SCHEDULES)
    return database
