from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from bot.core.db import Database
from bot.eligibility.engine import RuleBook
from bot.eligibility.rules import DEFAULT_RULES, load_rules, rule_book
from bot.knowledge.answering import Answerer
from bot.knowledge.content import load_content
from tests.fresh_settings import fresh_settings  # noqa: F401  (autouse: settings read again for each test)

# tests/rasa runs in the Rasa environment, tests/e2e and tests/browser against a running assistant (Makefile).
collect_ignore = ["rasa", "e2e", "browser", "cluster"]

CONTENT_DIR = Path(__file__).resolve().parent.parent / "data" / "content"


@pytest.fixture
def database(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'test.db'}")
    database.upgrade_schema()
    return database


@pytest.fixture(scope="session")
def content_database(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """A real SQLite database seeded with the project's content and eligibility rules (shared, read-only)."""
    database = Database(f"sqlite:///{tmp_path_factory.mktemp('content') / 'content.db'}")
    database.upgrade_schema()
    load_content(database, CONTENT_DIR)
    load_rules(database, DEFAULT_RULES)
    return database


@pytest.fixture(scope="session")
def rules(content_database: Database) -> RuleBook:
    """The project's eligibility rules, as the engine reads them from the database."""
    return rule_book(content_database)


@pytest.fixture(scope="session")
def answerer(content_database: Database) -> Answerer:
    return Answerer(content_database)


POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def empty_postgres_url() -> Iterator[str]:
    """The URL of a throw-away, empty PostgreSQL database; skipped without a server, except under CI where it
    must run."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI and unreachable: {error}")
        pytest.skip(f"no PostgreSQL at {POSTGRES_ADMIN_URL} (set TEST_POSTGRES_URL to run these tests)")
    name = f"assistant_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_database(empty_postgres_url: str) -> Iterator[Database]:
    """A throw-away PostgreSQL database at the latest migration."""
    database = Database(empty_postgres_url)
    database.upgrade_schema()
    try:
        yield database
    finally:
        database.engine.dispose()
