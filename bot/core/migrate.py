"""Schema migrations (Alembic, bot/core/migrations/), for SQLite and PostgreSQL.

Every start upgrades the database to the latest revision (`upgrade_schema`, called by `database_for`), so
`make run`, `make cluster`, the seed and the tests all run the same migrations. The Alembic environment is
configured here, in code: no alembic.ini, and the migrations ship inside the package.

Databases made before the migrations (by `create_all`) have the tables of the initial revision and no
`alembic_version` table: they are recognised by exactly that, brought to the initial schema the way the old
start did (the `articles.questions` column, added after that table), stamped at the initial revision, then
upgraded like any other.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from bot.core.engine import make_engine
from bot.core.models import Base, UTCDateTime

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().with_name("migrations")
INITIAL_REVISION = "0001"
# The tables of the initial revision, which a database made by `create_all` before the migrations holds.
INITIAL_TABLES = frozenset(
    {
        "articles",
        "unanswered_counts",
        "feedback_counts",
        "services",
        "schedules",
        "slots",
        "menus",
        "restaurant_closures",
        "aid_questions",
        "aid_schemes",
    }
)
# Key of the PostgreSQL advisory lock that serialises the upgrades of instances starting together
# (any constant bigint: "asrh-mig" read as a big-endian integer).
ADVISORY_LOCK_KEY = int.from_bytes(b"asrh-mig", "big")


def alembic_config(connection: Connection | None = None) -> Config:
    """The Alembic configuration, in code; env.py runs the migrations on `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


def render_item(type_: str, obj, autogen_context) -> str | bool:
    """How autogenerate writes the project's own column types: UTCDateTime is a naive DATETIME in the base."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@contextmanager
def _engine(engine_or_url: Engine | str) -> Iterator[Engine]:
    if isinstance(engine_or_url, Engine):
        yield engine_or_url
        return
    engine = make_engine(engine_or_url)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _migrating(engine_or_url: Engine | str) -> Iterator[Connection]:
    """A connection in one transaction; on PostgreSQL it first takes the migration lock (released at the end
    of the transaction), so that instances starting together upgrade one after the other: the first migrates,
    the next ones find the base at head and do nothing."""
    with _engine(engine_or_url) as engine, engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        yield connection


def made_by_create_all(connection: Connection) -> bool:
    """A database of before the migrations: tables of the initial revision and no `alembic_version`."""
    tables = set(inspect(connection).get_table_names())
    return "alembic_version" not in tables and bool(tables & INITIAL_TABLES)


def _adopt(connection: Connection) -> None:
    """Stamp a database made by `create_all` at the initial revision, after the one change the old start made
    besides creating tables (adding `articles.questions`)."""
    inspector = inspect(connection)
    missing = sorted(INITIAL_TABLES - set(inspector.get_table_names()))
    if missing:
        raise RuntimeError(
            f"the database was made before the migrations and lacks the tables {', '.join(missing)}: "
            "it cannot be stamped at the initial revision (restore it, or start from an empty database)"
        )
    if "questions" not in {column["name"] for column in inspector.get_columns("articles")}:
        connection.execute(text("ALTER TABLE articles ADD COLUMN questions JSON"))
    command.stamp(alembic_config(connection), INITIAL_REVISION)
    log.warning("Database made before the migrations: stamped at revision %s.", INITIAL_REVISION)


def upgrade_schema(engine_or_url: Engine | str, revision: str = "head") -> None:
    """Bring the database to `revision` (the latest by default); a no-op when it is there already."""
    with _migrating(engine_or_url) as connection:
        if made_by_create_all(connection):
            _adopt(connection)
        command.upgrade(alembic_config(connection), revision)


def downgrade_schema(engine_or_url: Engine | str, revision: str) -> None:
    """Undo revisions down to `revision` ("base" empties the base, "-1" undoes the last one)."""
    with _migrating(engine_or_url) as connection:
        command.downgrade(alembic_config(connection), revision)


def current_revision(engine_or_url: Engine | str) -> str | None:
    with _engine(engine_or_url) as engine, engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_differences(engine_or_url: Engine | str) -> list:
    """What autogenerate finds between the models and the database (empty when they match)."""
    with _engine(engine_or_url) as engine, engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "render_item": render_item})
        return compare_metadata(context, Base.metadata)


def _next_revision_id(head: str | None) -> str | None:
    """Revisions are numbered 0001, 0002...; None lets Alembic choose if the head is not a number."""
    if head is None:
        return INITIAL_REVISION
    return f"{int(head) + 1:04d}" if re.fullmatch(r"\d+", head) else None


def new_revision(message: str, autogenerate: bool = True) -> Path:
    """Write bot/core/migrations/versions/<next>_<message>.py: the changes of the models since the latest
    revision (autogenerate, against a scratch SQLite database upgraded to head, so whatever state the
    developer's own database is in does not matter), or an empty revision to write by hand. To review."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'head.db'}"
        with _engine(url) as engine:
            upgrade_schema(engine)
            with engine.begin() as connection:
                script = command.revision(
                    alembic_config(connection),
                    message=message,
                    autogenerate=autogenerate,
                    rev_id=_next_revision_id(head_revision()),
                )
    return Path(script.path)
