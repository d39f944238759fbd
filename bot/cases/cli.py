"""HR commands for the requests sent from the chat (the back-office inbox, /rh/demandes, does the same in the browser):
`python -m bot cases inbox [--topic T] [--older-than DAYS] [--json]`, `cases answer RH-XXXXXX --by NAME "…"`,
`cases done RH-XXXXXX --by NAME`. They print to the terminal of whoever runs them; nothing is logged."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone

from bot.cases.store import OPEN, STATUSES, CaseError, CaseStore
from bot.core.db import database_for
from bot.core.settings import Settings


def _store(settings: Settings) -> CaseStore:
    return CaseStore(database_for(settings.database_url))


def _inbox(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    statuses = (args.status,) if args.status else OPEN
    cases = store.inbox(topic=args.topic, statuses=statuses, older_than_days=args.older_than)
    now = datetime.now(timezone.utc)
    if args.json:
        rows = [
            {"reference": c.reference, "topic": c.topic, "status": c.status, "age_days": c.age_days(now)}
            | {"name": c.person_name, "text": c.text}
            for c in cases
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    print(f"{len(cases)} demande(s) ; par thème : {store.counts_by_topic(statuses)}")
    for case in cases:
        print(
            f"{case.reference}  {case.topic:<12} {case.status_label:<9} {case.age_days(now):>3} j  {case.person_name or '-'}"
        )
        print(f"    {case.text or '(texte effacé)'}")
    return 0


def _answer(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    try:
        case = (
            store.answer(args.reference, args.text, args.by) if args.text else store.mark_done(args.reference, args.by)
        )
    except CaseError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Demande {case.reference} : {case.status_label}.")
    return 0


def add_parsers(commands: argparse._SubParsersAction) -> None:
    cases = commands.add_parser("cases", help="requests sent to HR from the chat (« Ask HR »)")
    sub = cases.add_subparsers(dest="command", required=True)
    inbox = sub.add_parser("inbox", help="open requests (oldest first), by topic and age")
    inbox.add_argument("--topic")
    inbox.add_argument("--status", choices=STATUSES, help="one status instead of the open ones")
    inbox.add_argument("--older-than", type=int, metavar="DAYS")
    inbox.add_argument("--json", action="store_true")
    inbox.set_defaults(handler=_inbox)
    answer = sub.add_parser("answer", help="answer a request (shown in the person's chat as soon as it is open)")
    answer.add_argument("reference")
    answer.add_argument("text")
    answer.add_argument("--by", required=True, help="who answers (HR's name)")
    answer.set_defaults(handler=_answer)
    done = sub.add_parser("done", help="close a request answered another way")
    done.add_argument("reference")
    done.add_argument("--by", required=True)
    done.set_defaults(handler=_answer, text=None)
