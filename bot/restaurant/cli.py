"""Restaurant commands: `python -m bot menus import FILE`, `menus closures FILE`, `menus demo`."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from bot.core.dates import PARIS
from bot.core.db import database_for
from bot.core.settings import PROJECT_ROOT, Settings
from bot.restaurant.menus import MenuError, ensure_demo_menus, import_menus, load_closures

DEFAULT_CLOSURES = PROJECT_ROOT / "data" / "restaurant" / "closures.yml"


def _load(loader, path: str, settings: Settings, done: str, refused: str) -> int:
    """Run an all-or-nothing loader; print `done` with the count, or `refused` and every problem."""
    try:
        count = loader(database_for(settings.database_url), Path(path))
    except MenuError as error:
        print(f"{refused}\n{error}", file=sys.stderr)
        return 1
    print(done.format(count=count))
    return 0


def menus_import(args: argparse.Namespace, settings: Settings) -> int:
    return _load(
        import_menus, args.file, settings, "{count} menu(s) chargé(s).", "Menus refusés, rien n'a été chargé :"
    )


def menus_closures(args: argparse.Namespace, settings: Settings) -> int:
    return _load(
        load_closures,
        args.file,
        settings,
        "{count} période(s) de fermeture chargée(s).",
        "Fermetures refusées, rien n'a été changé :",
    )


def menus_demo(args: argparse.Namespace, settings: Settings) -> int:
    added = ensure_demo_menus(database_for(settings.database_url), datetime.now(PARIS).date())
    print(f"{added} menu(s) de démonstration ajouté(s) pour cette semaine et la suivante.")
    return 0


def add_parsers(commands: argparse._SubParsersAction) -> None:
    menus = commands.add_parser("menus", help="the staff restaurant's menus").add_subparsers(
        dest="command", required=True
    )
    load = menus.add_parser("import", help="import the restaurant's CSV or YAML menu file (all or nothing)")
    load.add_argument("file")
    load.set_defaults(handler=menus_import)
    closures = menus.add_parser("closures", help="load the restaurant's closed periods (YAML)")
    closures.add_argument("file", nargs="?", default=str(DEFAULT_CLOSURES))
    closures.set_defaults(handler=menus_closures)
    demo = menus.add_parser("demo", help="demo menus for this week and next where none exist")
    demo.set_defaults(handler=menus_demo)
