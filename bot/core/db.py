"""Database engine and sessions (SQLite by default, PostgreSQL in production)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.core.engine import make_engine
from bot.core.migrate import upgrade_schema
from bot.core.models import Base
from bot.core.settings import settings


class Database:
    """One engine, its schema (migrated to the latest revision) and a session factory."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def upgrade_schema(self) -> None:
        """Create or upgrade the tables to the latest migration (bot/core/migrate.py)."""
        upgrade_schema(self.engine)

    def checkpoint(self) -> None:
        """After a purge, on SQLite: copy the write-ahead log into the database and empty it, so that
        deleted values do not stay in the WAL file. (PostgreSQL: dead rows stay in the table's pages
        until VACUUM reuses them; autovacuum does it, `VACUUM slots` does it at once: README, Security.)"""
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session:
            with session.begin():
                yield session


@cache
def database_for(url: str) -> Database:
    database = Database(url)
    database.upgrade_schema()
    return database


def default_database() -> Database:
    return database_for(settings().database_url)


def count_up(database: Database, model: type[Base], keys: dict, column: str = "count") -> None:
    """Add one to the counter `column` of the row of `keys` (created at 1 if none), safely between processes."""
    increment = (
        update(model)
        .where(*(getattr(model, key) == value for key, value in keys.items()))
        .values({column: getattr(model, column) + 1})
    )
    with database.session() as session:
        if session.execute(increment).rowcount:
            return
    try:
        with database.session() as session:
            session.add(model(**keys, **{column: 1}))
    except IntegrityError:  # another process created the row meanwhile
        with database.session() as session:
            session.execute(increment)
