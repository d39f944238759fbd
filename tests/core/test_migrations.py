"""The migrations (bot/core/migrations/) make, on SQLite and PostgreSQL, exactly the schema of the models."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import JSON, MetaData, Table, create_engine, inspect, text

from bot.__main__ import main
from bot.core import migrate
from bot.core.models import Base


def _upgrades_downgrades_and_upgrades_again(url: str) -> None:
    migrate.upgrade_schema(url)
    assert migrate.current_revision(url) == migrate.head_revision()
    assert migrate.schema_differences(url) == []

    migrate.downgrade_schema(url, "base")
    assert migrate.current_revision(url) is None
    engine = create_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()

    migrate.upgrade_schema(url)
    migrate.upgrade_schema(url)  # at head already: nothing to do
    assert migrate.current_revision(url) == migrate.head_revision()
    assert migrate.schema_differences(url) == []


def test_an_empty_sqlite_database_is_upgraded_to_the_models(tmp_path: Path):
    _upgrades_downgrades_and_upgrades_again(f"sqlite:///{tmp_path / 'empty.db'}")


def test_an_empty_postgresql_database_is_upgraded_to_the_models(empty_postgres_url: str):
    _upgrades_downgrades_and_upgrades_again(empty_postgres_url)


def _create_all_of_before_the_migrations(url: str, with_questions: bool = True) -> None:
    """A database as the start made it before the migrations (`create_all` of the models), optionally from
    before `articles.questions` existed; one article in it."""
    legacy = MetaData()
    for table in Base.metadata.sorted_tables:
        if table.name not in migrate.INITIAL_TABLES:
            continue  # tables of later revisions did not exist then
        if with_questions or table.name != "articles":
            table.to_metadata(legacy)
        else:
            Table(table.name, legacy, *(column._copy() for column in table.columns if column.key != "questions"))
    engine = create_engine(url)
    legacy.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            legacy.tables["articles"]
            .insert()
            .values(
                id="rtt",
                topic="leave",
                title="RTT",
                body="...",
                source="guide",
                source_date="2026-01",
                reliability="high",
                keywords=[],
                default_for=[],
                updated_at=datetime.now(timezone.utc),
            )
        )
    engine.dispose()


def _is_stamped_and_upgraded(url: str) -> None:
    engine = create_engine(url)
    with engine.connect() as connection:
        assert migrate.made_by_create_all(connection)
    engine.dispose()

    migrate.upgrade_schema(url)

    assert migrate.current_revision(url) == migrate.head_revision()
    assert migrate.schema_differences(url) == []
    engine = create_engine(url)
    with engine.connect() as connection:
        assert not migrate.made_by_create_all(connection)
        assert connection.execute(text("SELECT id, title FROM articles")).all() == [("rtt", "RTT")]
    engine.dispose()


@pytest.mark.parametrize("with_questions", [True, False], ids=["last", "before-questions"])
def test_a_sqlite_database_made_by_create_all_is_stamped_at_the_initial_revision(tmp_path: Path, with_questions):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _create_all_of_before_the_migrations(url, with_questions)
    _is_stamped_and_upgraded(url)


def test_a_postgresql_database_made_by_create_all_is_stamped_at_the_initial_revision(empty_postgres_url: str):
    _create_all_of_before_the_migrations(empty_postgres_url, with_questions=False)
    _is_stamped_and_upgraded(empty_postgres_url)


def test_a_database_made_by_create_all_lacking_initial_tables_is_refused(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'partial.db'}"
    engine = create_engine(url)
    Table("articles", MetaData(), *(column._copy() for column in Base.metadata.tables["articles"].columns)).create(
        engine
    )
    engine.dispose()
    with pytest.raises(RuntimeError, match="lacks the tables"):
        migrate.upgrade_schema(url)


def test_postgresql_instances_starting_together_upgrade_one_after_the_other(empty_postgres_url: str):
    errors: list[BaseException] = []

    def start() -> None:
        try:
            migrate.upgrade_schema(empty_postgres_url)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    instances = [threading.Thread(target=start, daemon=True) for _ in range(4)]
    for instance in instances:
        instance.start()
    for instance in instances:
        instance.join(timeout=60)
    assert not any(instance.is_alive() for instance in instances), "the upgrades block each other"
    assert errors == []
    assert migrate.current_revision(empty_postgres_url) == migrate.head_revision()
    engine = create_engine(empty_postgres_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    engine.dispose()


def test_the_revisions_form_one_numbered_line():
    # Each revision revises the one before it and has a greater number. (On the askhr branch 0003 revises 0001:
    # the back-office branch holds 0002, and the merge re-chains 0003 after it.)
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert len(script.get_heads()) == 1
    line = list(reversed(list(script.walk_revisions("base", "heads"))))
    assert line[0].revision == migrate.INITIAL_REVISION and line[0].down_revision is None
    for before, after in zip(line, line[1:]):
        assert after.down_revision == before.revision and int(after.revision) > int(before.revision)
    head = script.get_current_head()
    assert migrate._next_revision_id(head) == f"{int(head) + 1:04d}"


def test_the_initial_revision_stores_utc_datetimes_as_naive_and_json_as_json(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'types.db'}"
    migrate.upgrade_schema(url)
    engine = create_engine(url)
    columns = {column["name"]: column["type"] for column in inspect(engine).get_columns("slots")}
    assert not getattr(columns["start"], "timezone", False)
    assert isinstance({c["name"]: c["type"] for c in inspect(engine).get_columns("menus")}["mains"], JSON)
    engine.dispose()


def test_db_commands(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    head = migrate.head_revision()
    assert main(["db", "current"]) == 0
    assert "(aucune)" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert f"Base à la révision {head}." in capsys.readouterr().out
    assert main(["db", "current"]) == 0
    assert f"{head} (à jour)" in capsys.readouterr().out
    assert main(["db", "downgrade", "base"]) == 0
    assert "(vide)" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
