"""Command line for HR and operators: `python -m bot --help`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from bot.booking_cli import add_parsers as add_booking_parsers
from bot.config import Settings
from bot.menus_cli import add_parsers as add_menu_parsers
from bot.content import ContentError, load_content
from bot.db import database_for
from bot.unanswered import unanswered_by_topic


def _content_load(args: argparse.Namespace, settings: Settings) -> int:
    directory = Path(args.dir) if args.dir else settings.content_dir
    try:
        report = load_content(database_for(settings.database_url), directory)
    except ContentError as error:
        print(f"Contenu refusé, rien n'a été chargé :\n{error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report.__dict__, ensure_ascii=False))
    else:
        print(
            f"Contenu chargé : {len(report.added)} ajouté(s), {len(report.updated)} modifié(s), "
            f"{len(report.unchanged)} inchangé(s), {len(report.removed)} supprimé(s)."
        )
    return 0


def _unanswered(args: argparse.Namespace, settings: Settings) -> int:
    since = date.fromisoformat(args.since) if args.since else None
    rows = unanswered_by_topic(database_for(settings.database_url), since)
    if args.json:
        print(json.dumps([{"topic": r.topic, "count": r.count, "last_day": r.last_day.isoformat()} for r in rows]))
    elif not rows:
        print("Aucune question sans réponse enregistrée.")
    else:
        print(f"{'thème':<16} {'questions':>9}  dernière")
        for row in rows:
            print(f"{row.topic:<16} {row.count:>9}  {row.last_day.isoformat()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Assistant RH: content, reports, schedules and bookings")
    commands = parser.add_subparsers(dest="group", required=True)

    content = commands.add_parser("content", help="policy articles").add_subparsers(dest="command", required=True)
    load = content.add_parser("load", help="load data/content/*.yml into the database (idempotent)")
    load.add_argument("--dir", help="content folder (default: data/content or $CONTENT_DIR)")
    load.add_argument("--json", action="store_true")
    load.set_defaults(handler=_content_load)

    report = commands.add_parser("unanswered", help="questions left unanswered, counted by topic")
    report.add_argument("--since", help="YYYY-MM-DD")
    report.add_argument("--json", action="store_true")
    report.set_defaults(handler=_unanswered)

    add_booking_parsers(commands)
    add_menu_parsers(commands)

    args = parser.parse_args(argv)
    return args.handler(args, Settings.from_env())


if __name__ == "__main__":
    sys.exit(main())
