from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import load_content
from bot.db import Database
from bot.answering import Answerer

# tests/rasa runs in the Rasa environment (see the Makefile), not in the action server's.
collect_ignore = ["rasa"]

CONTENT_DIR = Path(__file__).resolve().parent.parent / "data" / "content"


@pytest.fixture
def database(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'test.db'}")
    database.create_schema()
    return database


@pytest.fixture(scope="session")
def content_database(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """A real SQLite database seeded with the project's content (shared, read-only)."""
    database = Database(f"sqlite:///{tmp_path_factory.mktemp('content') / 'content.db'}")
    database.create_schema()
    load_content(database, CONTENT_DIR)
    return database


@pytest.fixture(scope="session")
def answerer(content_database: Database) -> Answerer:
    return Answerer(content_database)
