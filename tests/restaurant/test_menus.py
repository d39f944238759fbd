"""The staff restaurant: importing menus, demo menus, closed days and the answers."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.__main__ import main
from bot.core.dates import PARIS
from bot.core.db import Database
from bot.restaurant.cli import DEFAULT_CLOSURES
from bot.restaurant.menus import (
    MenuError,
    Restaurant,
    ensure_demo_menus,
    find_when,
    import_menus,
    load_closures,
    menu_answer,
    wants_prices,
)

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)  # a Wednesday

GOOD_CSV = """date;vegetarian;starters;mains;desserts;labels;allergens
2026-11-25;Gratin de blettes;Soupe de poireaux;Rôti de porc|Poisson pané;Flan;bio|local;lait|gluten
2026-11-26;Dahl de lentilles;;Bœuf bourguignon;Pomme;fait maison;
"""


@pytest.fixture
def restaurant(database: Database) -> Restaurant:
    load_closures(database, DEFAULT_CLOSURES)
    return Restaurant(database)


def test_a_csv_from_the_restaurant_is_imported_and_replaces_the_day(database, restaurant, tmp_path):
    path = tmp_path / "semaine.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    assert import_menus(database, path) == 2
    assert import_menus(database, path) == 2  # again: replaced, not duplicated
    menu = restaurant.menu(date(2026, 11, 25))
    assert menu.mains == ["Rôti de porc", "Poisson pané"] and menu.allergens == ["lait", "gluten"]
    answer = menu_answer(restaurant, "on mange quoi à midi ?", NOW)
    assert "Gratin de blettes" in answer and "Poisson pané" in answer and "lait, gluten" in answer


def test_a_yaml_file_is_imported_too(database, restaurant, tmp_path):
    path = tmp_path / "semaine.yml"
    path.write_text(
        "menus:\n  - date: 2026-11-27\n    mains: [Aïoli]\n    vegetarian: Aïoli de légumes\n", encoding="utf-8"
    )
    assert import_menus(database, path) == 1
    assert "Aïoli de légumes" in menu_answer(restaurant, "menu de vendredi", NOW)


def test_a_bad_file_names_every_rejected_line_and_loads_nothing(database, restaurant, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(GOOD_CSV + "27/11/2026;Quiche;;Steak;;;\n2026-11-30;;;Steak;;halal;\n", encoding="utf-8")
    with pytest.raises(MenuError) as error:
        import_menus(database, path)
    message = str(error.value)
    assert "ligne 4" in message and "27/11/2026" in message
    assert "ligne 5" in message and "végétarien" in message and "halal" in message
    assert restaurant.menu(date(2026, 11, 25)) is None


def test_demo_menus_cover_this_week_and_next_and_are_deterministic(database, restaurant):
    assert ensure_demo_menus(database, date(2026, 11, 25)) == 10
    assert ensure_demo_menus(database, date(2026, 11, 25)) == 0
    first = restaurant.menu(date(2026, 12, 4))
    assert first.demo and first.vegetarian
    other = Database(database.url.replace("test.db", "other.db"))
    other.upgrade_schema()
    load_closures(other, DEFAULT_CLOSURES)
    ensure_demo_menus(other, date(2026, 11, 30))
    assert Restaurant(other).menu(date(2026, 12, 4)).vegetarian == first.vegetarian


@pytest.mark.parametrize(
    "question, expected",
    [
        ("on mange quoi à midi ?", "aujourd'hui, mercredi 25 novembre"),
        ("qu'est-ce qu'on mange demain midi", "demain, jeudi 26 novembre"),
        ("menu de vendredi", "vendredi 27 novembre"),
        ("c'est quoi le plat végé mardi prochain ?", "mardi 1er décembre"),
        ("le menu du 3 décembre", "jeudi 3 décembre"),
    ],
)
def test_the_day_asked_for_and_its_vegetarian_dish(database, restaurant, question, expected):
    ensure_demo_menus(database, NOW.date())
    answer = menu_answer(restaurant, question, NOW)
    assert f"Au menu {expected}" in answer and "Plat végétarien et sans porc" in answer


def test_closed_days_say_why_and_when_it_reopens(database, restaurant):
    ensure_demo_menus(database, NOW.date())
    sunday = menu_answer(restaurant, "le restaurant est-il ouvert dimanche ?", NOW)
    assert "fermé dimanche 29 novembre (week-end)" in sunday and "rouvre lundi 30 novembre" in sunday
    assert "Plat végétarien" in sunday  # the reopening day's menu
    christmas = menu_answer(restaurant, "menu du 25 décembre", NOW)
    assert "jour férié : Noël" in christmas and "rouvre lundi 4 janvier" in christmas
    closure = menu_answer(restaurant, "on mange quoi le 28 décembre ?", NOW)
    assert "fermeture de fin d'année" in closure


def test_a_week_view_lists_each_open_day(database, restaurant):
    ensure_demo_menus(database, NOW.date())
    week = menu_answer(restaurant, "menu de la semaine prochaine", NOW)
    assert [line.split(" : ")[0] for line in week.splitlines()[1:]] == [
        "• Lundi 30 novembre",
        "• Mardi 1er décembre",
        "• Mercredi 2 décembre",
        "• Jeudi 3 décembre",
        "• Vendredi 4 décembre",
    ]
    assert week.count("végétarien") == 5


def test_a_day_without_menu_yet_says_so(restaurant):
    assert "pas encore publié" in menu_answer(restaurant, "menu de demain", NOW)


def test_dates_are_found_inside_a_question():
    assert find_when("menu de la semaine prochaine stp", NOW).first_day == date(2026, 11, 30)
    assert find_when("on mange quoi à midi ?", NOW) is None  # no day named: today


def test_the_command_line_imports_and_refuses(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    good = tmp_path / "semaine.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    assert main(["menus", "import", str(good)]) == 0 and "2 menu(s)" in capsys.readouterr().out
    bad = tmp_path / "bad.txt"
    bad.write_text("x", encoding="utf-8")
    assert main(["menus", "import", str(bad)]) == 1 and "rien n'a été chargé" in capsys.readouterr().err
    assert main(["menus", "closures"]) == 0 and main(["menus", "demo"]) == 0


@pytest.mark.parametrize(
    "question, about_prices",
    [
        ("c'est combien le repas ?", True),
        ("le repas coûte combien pour un agent ?", True),
        ("quel est le tarif du self", True),
        ("le repas est subventionné ?", True),
        ("on mange quoi à midi ?", False),
        ("menu de vendredi", False),
        ("il y a un plat végétarien demain ?", False),
    ],
)
def test_price_questions_are_told_from_menu_questions(question, about_prices):
    assert wants_prices(question) is about_prices
