"""Operator and developer commands for the database schema: `assistant-rh db upgrade`, `current`, `downgrade`,
`revision` (migrations: bot/core/migrate.py, README « Migrations »)."""

from __future__ import annotations

import argparse

from bot.core import migrate
from bot.core.settings import Settings


def _upgrade(args: argparse.Namespace, settings: Settings) -> int:
    migrate.upgrade_schema(settings.database_url, args.revision)
    print(f"Base à la révision {migrate.current_revision(settings.database_url) or '(vide)'}.")
    return 0


def _current(args: argparse.Namespace, settings: Settings) -> int:
    current, head = migrate.current_revision(settings.database_url), migrate.head_revision()
    state = "à jour" if current == head else f"dernière : {head}, `assistant-rh db upgrade` l'y amène"
    print(f"Révision de la base : {current or '(aucune)'} ({state}).")
    return 0


def _downgrade(args: argparse.Namespace, settings: Settings) -> int:
    migrate.downgrade_schema(settings.database_url, args.revision)
    print(f"Base ramenée à la révision {migrate.current_revision(settings.database_url) or '(vide)'}.")
    return 0


def _revision(args: argparse.Namespace, settings: Settings) -> int:
    path = migrate.new_revision(args.message, autogenerate=not args.empty)
    print(f"Nouvelle révision, à relire : {path}")
    return 0


def add_parsers(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="database schema migrations (Alembic)").add_subparsers(
        dest="command", required=True
    )

    upgrade = db.add_parser("upgrade", help="upgrade the database of DATABASE_URL (every start does it too)")
    upgrade.add_argument("revision", nargs="?", default="head", help="target revision (default: head, the latest)")
    upgrade.set_defaults(handler=_upgrade)

    current = db.add_parser("current", help="the revision of the database, and whether it is the latest")
    current.set_defaults(handler=_current)

    downgrade = db.add_parser("downgrade", help="undo migrations down to a revision (-1: the last one; base: all)")
    downgrade.add_argument("revision")
    downgrade.set_defaults(handler=_downgrade)

    revision = db.add_parser(
        "revision", help="for developers: write the next migration from the changes of bot/core/models.py"
    )
    revision.add_argument("-m", "--message", required=True, help='what the revision changes, e.g. "add slots.note"')
    revision.add_argument("--empty", action="store_true", help="an empty revision to write by hand (data migration)")
    revision.set_defaults(handler=_revision)
