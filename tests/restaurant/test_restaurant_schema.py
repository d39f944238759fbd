"""The restaurant's schemas: the shipped closures validate; a bad menu or closure is refused in French."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.core.schema import validate
from bot.restaurant.menus import MenuError, load_closures, read_menus
from bot.restaurant.schema import ClosureSchema, MenuSchema

CLOSURES = Path(__file__).resolve().parents[2] / "data" / "restaurant" / "closures.yml"


def test_the_shipped_closures_validate():
    closures = yaml.safe_load(CLOSURES.read_text(encoding="utf-8"))["closures"]
    entries = [validate(ClosureSchema, raw, "fermeture") for raw in closures]
    assert [problems for _, problems in entries if problems] == [] and entries
    assert all(entry.first_day <= entry.last_day for entry, _ in entries)


def test_a_csv_line_becomes_a_menu_and_a_bad_one_names_each_field():
    menu, problems = validate(
        MenuSchema,
        {
            "date": "2026-11-25",
            "vegetarian": " Dahl ",
            "mains": "Rôti|Poisson",
            "labels": "bio",
            "starters": "",
            "desserts": None,
        },
        "ligne 2",
    )
    assert problems == [] and menu.model_dump() == {
        "day": date(2026, 11, 25),
        "site": "clavieres",
        "vegetarian": "Dahl",
        "starters": [],
        "mains": ["Rôti", "Poisson"],
        "desserts": [],
        "labels": ["bio"],
        "allergens": [],
    }
    entry, problems = validate(MenuSchema, {"date": "25/11", "mains": "", "labels": "halal", "prix": "4"}, "ligne 3")
    assert entry is None and problems == [
        "ligne 3 : date « 25/11 » attendue sous la forme AAAA-MM-JJ",
        "ligne 3 : le plat végétarien (vegetarian) manque, il est servi chaque jour",
        "ligne 3 : aucun plat principal (mains)",
        "ligne 3 : label(s) inconnu(s) ['halal'] (bio, local, fait maison)",
        "ligne 3 : champ « prix » inconnu",
    ]


def test_a_closure_needs_two_dates_and_a_reason():
    message = "fermeture n° 1 : « from », « to » (dates) et « reason » sont requis"
    assert validate(
        ClosureSchema, {"from": date(2026, 12, 24), "to": "2027-01-03", "reason": "fin d'année"}, "fermeture n° 1"
    )[1] == [message]
    assert validate(ClosureSchema, {"from": date(2026, 12, 24), "to": date(2027, 1, 3)}, "fermeture n° 1")[1] == [
        message
    ]


def test_a_misspelt_key_of_a_restaurant_file_is_refused(tmp_path: Path):
    path = tmp_path / "fermetures.yml"
    path.write_text("fermetures:\n  - {from: 2026-12-24, to: 2027-01-03, reason: fin d'année}\n", encoding="utf-8")
    with pytest.raises(MenuError, match="fermetures.yml : champ « fermetures » inconnu"):
        load_closures(None, path)  # refused before the database is touched
    path = tmp_path / "semaine.yml"
    path.write_text("menu:\n  - {date: 2026-11-27, mains: [Aïoli], vegetarian: Aïoli de légumes}\n", encoding="utf-8")
    with pytest.raises(MenuError, match="semaine.yml : champ « menu » inconnu"):
        read_menus(path)
