"""Command line for HR and operators: `python -m bot --help`.

Each feature package declares its own commands (bot/<package>/cli.py, `add_parsers`); this module only
assembles them, and `seed` runs every feature's load for `make run`.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime

from bot.booking import cli as booking_cli
from bot.booking.schedules import ScheduleError, load_schedules
from bot.cases import cli as cases_cli
from bot.core import cli as core_cli
from bot.core.dates import PARIS
from bot.core.db import database_for
from bot.core.settings import Settings, settings_or_exit
from bot.eligibility import cli as eligibility_cli
from bot.eligibility.rules import DEFAULT_RULES, RulesError, load_rules
from bot.knowledge import cli as knowledge_cli
from bot.knowledge.content import ContentError, load_content
from bot.restaurant import cli as restaurant_cli
from bot.restaurant.menus import MenuError, ensure_demo_menus, load_closures
from bot.runtime import cli as runtime_cli
from bot.safety import cli as safety_cli
from bot.safety.lexicon import LexiconError, check_lexicon


def _seed(args: argparse.Namespace, settings: Settings) -> int:
    """Everything `make run` needs in the database, in one process: the schema at the latest migration
    (`database_for` upgrades it), content, eligibility rules, schedules (only into an empty base), the
    restaurant's closures and this fortnight's demo menus; the distress lexicon, which Rasa reads from its
    file, is checked too."""
    database = database_for(settings.database_url)
    try:
        check_lexicon()
        content = load_content(database, settings.content_dir)
        rules = load_rules(database, DEFAULT_RULES)
        schedules = load_schedules(database, booking_cli.DEFAULT_SCHEDULES, only_if_empty=True)
        closures = load_closures(database, restaurant_cli.DEFAULT_CLOSURES)
    except (ContentError, RulesError, ScheduleError, MenuError, LexiconError) as error:
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
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Assistant RH: content, reports, schedules and bookings"
    )
    commands = parser.add_subparsers(dest="group", required=True)
    for feature in (
        core_cli,
        knowledge_cli,
        safety_cli,
        runtime_cli,
        booking_cli,
        eligibility_cli,
        restaurant_cli,
        cases_cli,
    ):
        feature.add_parsers(commands)
    seed = commands.add_parser(
        "seed", help="content, eligibility rules, schedules (if none), restaurant closures and demo menus"
    )
    seed.set_defaults(handler=_seed)

    args = parser.parse_args(argv)
    os.umask(0o077)  # databases, exports and calendar files written by these commands: their owner's only
    return args.handler(args, settings_or_exit())


if __name__ == "__main__":
    sys.exit(main())
