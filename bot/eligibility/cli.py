"""Eligibility rules commands: `python -m bot eligibility load [PATH]` and `eligibility list [--json]`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.core.db import database_for
from bot.core.settings import Settings
from bot.core.vocabulary import AID_TYPES
from bot.eligibility.engine import facts_of
from bot.eligibility.rules import DEFAULT_RULES, RulesError, load_rules, rule_book

_TEXT_ONLY = {"case_by_case": "décidé au cas par cas", "not_known": "un point inconnu de la base"}


def eligibility_load(args: argparse.Namespace, settings: Settings) -> int:
    try:
        report = load_rules(database_for(settings.database_url), Path(args.path))
    except RulesError as error:
        print(f"Règles refusées, rien n'a été chargé :\n{error}", file=sys.stderr)
        return 1
    removed = f", {len(report.removed)} supprimé(s)" if report.removed else ""
    print(f"Règles chargées : {len(report.schemes)} dispositif(s), {len(report.questions)} question(s){removed}.")
    return 0


def _row(scheme: dict) -> dict:
    conditions = scheme["conditions"]
    return {
        "aid_type": scheme["aid_type"],
        "id": scheme["id"],
        "title": scheme["title"],
        "conditions": len(conditions),
        "decided": sorted({_TEXT_ONLY[c["test"]] for c in conditions if c["test"] in _TEXT_ONLY}),
        "questions": facts_of(scheme),
        "amounts_year": scheme["amounts"]["year"],
        "source_date": str(scheme["source_date"]),
    }


def eligibility_list(args: argparse.Namespace, settings: Settings) -> int:
    book = rule_book(database_for(settings.database_url))
    rows = [_row(book.schemes[aid]) for aid in AID_TYPES if aid in book.schemes]
    missing = [aid for aid in AID_TYPES if aid not in book.schemes]
    if args.json:
        print(json.dumps({"schemes": rows, "missing": missing, "profile": book.profile}, ensure_ascii=False))
        return 0
    if not rows:
        print("Aucune règle d'éligibilité chargée : lancez « python -m bot eligibility load ».")
        return 0
    for row in rows:
        notes = f" ; {', '.join(row['decided'])}" if row["decided"] else ""
        asks = ", ".join(row["questions"]) or "aucune question"
        print(
            f"{row['aid_type']:<30} {row['title']}\n{'':<30} {row['conditions']} condition(s){notes} ; "
            f"demande : {asks} ; montants {row['amounts_year']} ; source {row['source_date']}"
        )
    if missing:
        print(f"Sans règle : {', '.join(missing)}")
    return 0


def add_parsers(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("eligibility", help="social-aid eligibility rules").add_subparsers(
        dest="command", required=True
    )
    load = group.add_parser("load", help="load the rules: a folder (exactly its files) or one file (all or nothing)")
    load.add_argument("path", nargs="?", default=str(DEFAULT_RULES))
    load.set_defaults(handler=eligibility_load)
    listing = group.add_parser("list", help="the schemes, their conditions and the questions they ask")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=eligibility_list)
