"""Operator commands for retention: `python -m bot conversations purge` (for cron): conversations in Rasa's tracker
store, and the requests sent to HR closed more than CASE_RETENTION_DAYS ago in the application database."""

from __future__ import annotations

import argparse
import json

from bot.core.settings import Settings
from bot.safety.retention import RetentionPolicy, purge_cases, purge_tracker_store


def _purge(args: argparse.Namespace, settings: Settings) -> int:
    defaults = RetentionPolicy.from_env()
    policy = RetentionPolicy(
        days=args.days if args.days is not None else defaults.days,
        sensitive_days=args.sensitive_days if args.sensitive_days is not None else defaults.sensitive_days,
    )
    report = purge_tracker_store(args.url, policy, dry_run=args.dry_run)
    cases = purge_cases(settings.database_url, args.case_days, dry_run=args.dry_run)
    if args.json:
        print(json.dumps(report.__dict__ | {"cases": cases, "dry_run": args.dry_run}))
    else:
        verb = "seraient supprimées" if args.dry_run else "supprimées"
        print(
            f"Conversations {verb} : {report.sessions} session(s) dont {report.sensitive_sessions} sensible(s), "
            f"{report.events} événement(s) ; {report.kept_sessions} session(s) conservée(s). "
            f"Demandes au service RH closes {verb} : {cases}."
        )
    return 0


def add_parsers(commands: argparse._SubParsersAction) -> None:
    conversations = commands.add_parser("conversations", help="conversation retention (Rasa tracker store)")
    purge = conversations.add_subparsers(dest="command", required=True).add_parser(
        "purge", help="delete conversation sessions past their retention period (for cron)"
    )
    purge.add_argument("--days", type=int, help="every session (default $CONVERSATION_RETENTION_DAYS or 30)")
    purge.add_argument(
        "--sensitive-days",
        type=int,
        help="sessions about distress, RPS, harassment or eligibility (default $SENSITIVE_RETENTION_DAYS)",
    )
    purge.add_argument(
        "--case-days", type=int, help="requests sent to HR, after they are closed (default $CASE_RETENTION_DAYS or 90)"
    )
    purge.add_argument("--url", help="tracker store URL (default $TRACKER_STORE_URL or sqlite:///var/tracker.db)")
    purge.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    purge.add_argument("--json", action="store_true")
    purge.set_defaults(handler=_purge)
