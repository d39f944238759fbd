"""Command line for HR and operators: `python -m bot --help`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from datetime import date, datetime
from pathlib import Path

from bot.booking.cli import DEFAULT_SCHEDULES
from bot.booking.cli import add_parsers as add_booking_parsers
from bot.core.settings import Settings
from bot.core.dates import PARIS
from bot.eligibility.cli import add_parsers as add_eligibility_parsers
from bot.eligibility.rules import DEFAULT_RULES, RulesError, load_rules
from bot.restaurant.menus import MenuError, ensure_demo_menus, load_closures
from bot.restaurant.cli import DEFAULT_CLOSURES
from bot.restaurant.cli import add_parsers as add_menu_parsers
from bot.booking.schedules import ScheduleError, load_schedules
from bot.knowledge.content import ContentError, load_content
from bot.core.db import database_for
from bot.runtime.endpoints import EndpointsError, write_endpoints
from bot.safety.retention import RetentionPolicy, purge_tracker_store
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


def _purge(args: argparse.Namespace, settings: Settings) -> int:
    defaults = RetentionPolicy.from_env()
    policy = RetentionPolicy(
        days=args.days if args.days is not None else defaults.days,
        sensitive_days=args.sensitive_days if args.sensitive_days is not None else defaults.sensitive_days,
    )
    report = purge_tracker_store(args.url, policy, dry_run=args.dry_run)
    if args.json:
        print(json.dumps(report.__dict__ | {"dry_run": args.dry_run}))
    else:
        verb = "seraient supprimées" if args.dry_run else "supprimées"
        print(
            f"Conversations {verb} : {report.sessions} session(s) dont {report.sensitive_sessions} sensible(s), "
            f"{report.events} événement(s) ; {report.kept_sessions} session(s) conservée(s)."
        )
    return 0
def _endpoints(args: argparse.Namespace, settings: Settings) -> int:
    try:
        endpoints = write_endpoints(Path(args.out))
    except EndpointsError as error:
        print(error, file=sys.stderr)
        return 1
    stores = ", ".join(f"{key} {value.get('dialect') or value.get('type')}" for key, value in endpoints.items()
                       if key != "action_endpoint")
    print(f"Rasa endpoints written to {args.out} ({stores}).")
    return 0


def _unanswered(args: argparse.Namespace, settings: Settings) -> int:
    return _report(args, unanswered_by_topic(database_for(settings.database_url), _since(args)),
                   "Aucune question sans réponse enregistrée.", f"{'thème':<16} {'questions':>9}  dernière",
                   lambda r: f"{r.topic:<16} {r.count:>9}  {r.last_day.isoformat()}")


def _feedback(args: argparse.Namespace, settings: Settings) -> int:
    return _report(args, feedback_by_day(database_for(settings.database_url), _since(args)),
                   "Aucun avis enregistré.", f"{'jour':<10}  {'type de réponse':<32} {'utile':>6} {'pas utile':>10}",
                   lambda r: f"{r.day.isoformat():<10}  {r.kind:<32} {r.useful:>6} {r.not_useful:>10}")


def _seed(args: argparse.Namespace, settings: Settings) -> int:
    """Everything `make run` needs in the database, in one process: content, eligibility rules, schedules
    (only into an empty base), the restaurant's closures and this fortnight's demo menus."""
    database = database_for(settings.database_url)
    try:
        content = load_content(database, settings.content_dir)
        rules = load_rules(database, DEFAULT_RULES)
        schedules = load_schedules(database, DEFAULT_SCHEDULES, only_if_empty=True)
        closures = load_closures(database, DEFAULT_CLOSURES)
    except (ContentError, RulesError, ScheduleError, MenuError) as error:
        print(f"Données refusées :\n{error}", file=sys.stderr)
        return 1
    menus = ensure_demo_menus(database, datetime.now(PARIS).date())
    print(
        f"Base prête : {len(content.added) + len(content.updated)} article(s) ajouté(s) ou modifié(s), "
        f"{len(rules.schemes)} règle(s) d'éligibilité, "
        f"horaires {'chargés' if schedules else 'inchangés'}, {closures} fermeture(s) du restaurant, "
        f"{menus} menu(s) de démonstration ajouté(s)."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Assistant RH: content, reports, schedules and bookings")
    commands = parser.add_subparsers(dest="group", required=True)

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

    conversations = commands.add_parser("conversations", help="conversation retention (Rasa tracker store)")
    purge = conversations.add_subparsers(dest="command", required=True).add_parser(
        "purge", help="delete conversation sessions past their retention period (for cron)"
    )
    purge.add_argument("--days", type=int, help="every session (default $CONVERSATION_RETENTION_DAYS or 30)")
    purge.add_argument("--sensitive-days", type=int,
                       help="sessions about distress, RPS, harassment or eligibility (default $SENSITIVE_RETENTION_DAYS)")
    purge.add_argument("--url", help="tracker store URL (default $TRACKER_STORE_URL or sqlite:///var/tracker.db)")
    purge.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    purge.add_argument("--json", action="store_true")
    purge.set_defaults(handler=_purge)

    endpoints = commands.add_parser(
        "endpoints", help="write Rasa's endpoints file from the environment (TRACKER_STORE_URL, LOCK_STORE_URL…)")
    endpoints.add_argument("--out", default="var/endpoints.yml")
    endpoints.set_defaults(handler=_endpoints)

    add_booking_parsers(commands)
    add_eligibility_parsers(commands)
    seed = commands.add_parser("seed", help="content, eligibility rules, schedules (if none), restaurant closures and demo menus")
    seed.set_defaults(handler=_seed)
    add_menu_parsers(commands)

    args = parser.parse_args(argv)
    os.umask(0o077)  # databases, exports and calendar files written by these commands: their owner's only
    return args.handler(args, Settings.from_env())


if __name__ == "__main__":
    sys.exit(main())
