"""HR commands for the knowledge base: `python -m bot content load`, `unanswered`, `feedback`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import date
from pathlib import Path

from bot.core.db import database_for
from bot.core.settings import Settings
from bot.knowledge.content import ContentError, load_content
from bot.knowledge.feedback import feedback_by_day
from bot.knowledge.unanswered import unanswered_by_topic


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


def _since(args: argparse.Namespace) -> date | None:
    return date.fromisoformat(args.since) if args.since else None


def _report(args: argparse.Namespace, rows: list, empty: str, header: str, line) -> int:
    """A counts report for HR: JSON (dates as YYYY-MM-DD) or a table, one `line(row)` per row."""
    if args.json:
        print(json.dumps([dataclasses.asdict(row) for row in rows], default=str))
    elif not rows:
        print(empty)
    else:
        print(header)
        for row in rows:
            print(line(row))
    return 0


def _unanswered(args: argparse.Namespace, settings: Settings) -> int:
    return _report(
        args,
        unanswered_by_topic(database_for(settings.database_url), _since(args)),
        "Aucune question sans réponse enregistrée.",
        f"{'thème':<16} {'questions':>9}  dernière",
        lambda r: f"{r.topic:<16} {r.count:>9}  {r.last_day.isoformat()}",
    )


def _feedback(args: argparse.Namespace, settings: Settings) -> int:
    return _report(
        args,
        feedback_by_day(database_for(settings.database_url), _since(args)),
        "Aucun avis enregistré.",
        f"{'jour':<10}  {'type de réponse':<32} {'utile':>6} {'pas utile':>10}",
        lambda r: f"{r.day.isoformat():<10}  {r.kind:<32} {r.useful:>6} {r.not_useful:>10}",
    )


def add_parsers(commands: argparse._SubParsersAction) -> None:
    content = commands.add_parser("content", help="policy articles").add_subparsers(dest="command", required=True)
    load = content.add_parser("load", help="load data/content/*.yml into the database (idempotent)")
    load.add_argument("--dir", help="content folder (default: data/content or $CONTENT_DIR)")
    load.add_argument("--json", action="store_true")
    load.set_defaults(handler=_content_load)

    for name, help_text, handler in (
        ("unanswered", "questions left unanswered, counted by topic", _unanswered),
        ("feedback", "« utile / pas utile » on the chat's answers, per day and kind", _feedback),
    ):
        report = commands.add_parser(name, help=help_text)
        report.add_argument("--since", help="YYYY-MM-DD")
        report.add_argument("--json", action="store_true")
        report.set_defaults(handler=handler)
