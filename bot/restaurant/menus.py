"""The staff restaurant: weekly menus (import, demo), closed days, and the answer to « on mange quoi ? »."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, select

from bot.core import dates
from bot.core.dates import PARIS, When, holiday, understand
from bot.core.db import Database
from bot.core.models import Menu, RestaurantClosure
from bot.core.schema import validate
from bot.core.text import capitalised, fold
from bot.restaurant.schema import SITE, ClosureSchema, ClosuresFile, MenuSchema, MenusFile, day_of, site_of


class MenuError(ValueError):
    """The menu file is invalid; nothing was loaded."""


def _rows(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".csv":
        return list(csv.DictReader(text.splitlines(), delimiter=";" if text.count(";") > text.count(",") else ","))
    if path.suffix.lower() in (".yml", ".yaml"):
        data = yaml.safe_load(text) or {}
        refused = validate(MenusFile, data, path.name)[1]
        if refused:
            raise MenuError("\n".join(refused))
        return data.get("menus") or []
    raise MenuError(f"{path.name} : format inconnu (attendu .csv, .yml ou .yaml)")


def read_menus(path: Path) -> list[dict[str, Any]]:
    """Every menu of a CSV (lists separated by « | ») or YAML file, validated; MenuError lists all problems."""
    try:
        rows = _rows(path)
    except (OSError, yaml.YAMLError, csv.Error) as error:
        raise MenuError(f"{path.name} : illisible ({error})") from error
    menus, problems, seen = [], [], set()
    for number, row in enumerate(rows, start=2 if path.suffix.lower() == ".csv" else 1):
        where = f"{path.name}, ligne {number}" if path.suffix.lower() == ".csv" else f"{path.name}, menu n° {number}"
        entry, found = validate(MenuSchema, row, where)
        problems += found
        try:  # a menu refused for another reason than its date still takes its day
            day, site = day_of(row.get("date")), site_of(row.get("site"))
        except (AttributeError, ValueError):
            continue  # not a dictionary, or a bad date: already listed
        if (day, site) in seen:
            problems.append(f"{where} : deux menus pour le {day.isoformat()}")
        seen.add((day, site))
        if entry is not None:
            menus.append(entry.model_dump())
    if not rows:
        problems.append(f"{path.name} : aucun menu")
    if problems:
        raise MenuError("\n".join(problems))
    return menus


def import_menus(database: Database, path: Path) -> int:
    """Load a menu file all or nothing; a day already in the base is replaced."""
    menus = read_menus(path)
    with database.session() as session:
        for menu in menus:
            session.execute(delete(Menu).where(Menu.day == menu["day"], Menu.site == menu["site"]))
            session.add(Menu(**menu))
    return len(menus)


def load_closures(database: Database, path: Path) -> int:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    closures, problems = [], validate(ClosuresFile, raw, path.name)[1]
    if problems:
        raise MenuError("\n".join(problems))
    for number, item in enumerate(raw.get("closures") or [], start=1):
        entry, found = validate(ClosureSchema, item, f"{path.name}, fermeture n° {number}")
        problems += found
        if entry is not None:
            closures.append(entry)
    if problems:
        raise MenuError("\n".join(problems))
    with database.session() as session:
        session.execute(delete(RestaurantClosure))
        session.add_all(RestaurantClosure(**closure.model_dump()) for closure in closures)
    return len(closures)


# Demo menus: deterministic dishes by date, so that every run has this week's and next week's menus.
_DEMO = {
    "starters": [
        "Salade de lentilles du Puy",
        "Velouté de potimarron",
        "Carottes râpées au cumin",
        "Taboulé aux herbes",
        "Betteraves et pommes",
        "Œuf mimosa",
        "Salade verte et noix",
    ],
    "mains": [
        "Daube de bœuf à la provençale",
        "Filet de colin, sauce citron",
        "Poulet rôti aux herbes",
        "Brandade de morue",
        "Sauté de dinde aux olives",
        "Gardiane de taureau",
        "Pavé de saumon, beurre blanc",
    ],
    "vegetarian": [
        "Gratin de courgettes et pois chiches",
        "Curry de légumes et riz basmati",
        "Lasagnes aux épinards et ricotta",
        "Tajine de légumes et semoule",
        "Risotto aux champignons",
        "Galette de sarrasin, œuf et fromage",
        "Chili sin carne",
    ],
    "desserts": [
        "Compote de pommes des Cévennes",
        "Fromage blanc et miel",
        "Tarte aux poires",
        "Fruit de saison",
        "Crème caramel",
        "Clafoutis aux cerises",
        "Yaourt bio",
    ],
}


def demo_menu(day: date) -> dict[str, Any]:
    n = day.toordinal()
    pick = {name: dishes[(n * (i + 3)) % len(dishes)] for i, (name, dishes) in enumerate(_DEMO.items())}
    return {
        "day": day,
        "site": SITE,
        "starters": [pick["starters"]],
        "mains": [pick["mains"]],
        "vegetarian": pick["vegetarian"],
        "desserts": [pick["desserts"], "Fromage"],
        "labels": ["fait maison"] + (["bio"] if n % 2 else ["local"]),
        "allergens": [],
        "demo": True,
    }


def ensure_demo_menus(database: Database, today: date) -> int:
    """Demo menus for this week and next on open days that have none (real menus are never replaced)."""
    restaurant = Restaurant(database)
    monday = today - timedelta(days=today.weekday())
    added = 0
    with database.session() as session:
        for offset in range(14):
            day = monday + timedelta(days=offset)
            if (
                restaurant.closed(day) is None
                and session.scalar(select(Menu.id).where(Menu.day == day, Menu.site == SITE)) is None
            ):
                session.add(Menu(**demo_menu(day)))
                added += 1
    return added


@dataclass(frozen=True)
class Restaurant:
    database: Database

    def closed(self, day: date) -> str | None:
        """Why the restaurant is closed that day (« week-end », a holiday, a closure), or None."""
        if day.weekday() >= 5:
            return "week-end"
        if name := holiday(day):
            return f"jour férié : {name}"
        with self.database.session() as session:
            closure = session.scalars(
                select(RestaurantClosure).where(RestaurantClosure.first_day <= day, RestaurantClosure.last_day >= day)
            ).first()
        return closure.reason if closure else None

    def next_open(self, day: date) -> date:
        day += timedelta(days=1)
        while self.closed(day):
            day += timedelta(days=1)
        return day

    def menu(self, day: date) -> Menu | None:
        with self.database.session() as session:
            return session.scalars(select(Menu).where(Menu.day == day, Menu.site == SITE)).first()


def day_label(day: date, today: date) -> str:
    """« aujourd'hui, mercredi 25 novembre », « demain, ... », then the plain date."""
    return dates.day_label(day, today, relative=(day - today).days in (0, 1))


def menu_text(menu: Menu, full: bool = True) -> str:
    if not full:
        return f"{', '.join(menu.mains)} ; végétarien : {menu.vegetarian}"
    lines = [
        f"Entrée : {', '.join(menu.starters)}" if menu.starters else None,
        f"Plat : {', '.join(menu.mains)}",
        f"Plat végétarien et sans porc : {menu.vegetarian}",
        f"Dessert : {', '.join(menu.desserts)}" if menu.desserts else None,
        f"Allergènes signalés : {', '.join(menu.allergens)}" if menu.allergens else None,
    ]
    text = "\n".join(f"• {line}" for line in lines if line) + (
        f"\nLabels : {', '.join(menu.labels)}." if menu.labels else ""
    )
    return text + ("\n(Menu de démonstration : les vrais menus sont importés par le restaurant.)" if menu.demo else "")


# « midi », « ce midi », « à midi » mean lunch today; the message's other words say which day.
_WINDOW_WORDS = 6


def find_when(text: str, now: datetime) -> When | None:
    """The day(s) a free question names (« menu de vendredi », « on mange quoi demain midi ? »), if any."""
    words = re.sub(r"[?!.,;:]", " ", text).split()
    for size in range(min(_WINDOW_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            when = understand(" ".join(words[start : start + size]), now)
            if when is not None and when.last_day is not None:
                return when
    return None


def wants_prices(text: str) -> bool:
    return bool(
        re.search(
            r"\b(prix|tarifs?|combien|coute|cout|subventionnee?s?|subvention|paye|payer|cher|euros?)\b", fold(text)
        )
    )


# On folded text: what a question about the food itself says (« on mange quoi ? », « y a du poisson ? », "lunch menu").
_ASKS_FOOD = re.compile(
    r"\b(menus?|mange\w*|manger|bouffe|plats?|entrees?|desserts?|repas du jour|au programme|dej\w*|midi|"
    r"vegetari\w*|vegan|poisson|viande|porc|allergen\w*|bio|frites|pizza|lunch|food|dish\w*|eat|eating|cantine|"
    r"cuisine|cuisto|qu est ce qu on|on a quoi|y a quoi|ya quoi|koi)\b"
)


def asks_food(text: str) -> bool:
    """Whether a restaurant question is about the menu (else: opening hours, guests, who runs it… the content base)."""
    return bool(_ASKS_FOOD.search(fold(text)))


def menu_answer(restaurant: Restaurant, text: str, now: datetime) -> str:
    """The answer to a restaurant question: today by default, a named day, or a week."""
    today = now.astimezone(PARIS).date()
    when = find_when(text, now) or When(today, today)
    if when.first_day == when.last_day:
        return _day_answer(restaurant, when.first_day, today)
    days = [when.first_day + timedelta(days=n) for n in range((when.last_day - when.first_day).days + 1)]
    lines = []
    for day in days:
        closed = restaurant.closed(day)
        if closed == "week-end":
            continue
        menu = None if closed else restaurant.menu(day)
        state = f"fermé ({closed})" if closed else (menu_text(menu, full=False) if menu else "menu pas encore publié")
        lines.append(f"• {capitalised(day_label(day, today))} : {state}")
    if not lines:
        return _day_answer(restaurant, when.first_day, today)
    return "Au restaurant de l'école :\n" + "\n".join(lines)


def _day_answer(restaurant: Restaurant, day: date, today: date) -> str:
    closed = restaurant.closed(day)
    if closed:
        following = restaurant.next_open(day)
        menu = restaurant.menu(following)
        then = f" Au menu ce jour-là :\n{menu_text(menu)}" if menu else ""
        return (
            f"Le restaurant est fermé {day_label(day, today)} ({closed}). "
            f"Il rouvre {day_label(following, today)}.{then}"
        )
    menu = restaurant.menu(day)
    if menu is None:
        return (
            f"Le restaurant est ouvert {day_label(day, today)}, mais son menu n'est pas encore publié. "
            "Un plat végétarien et sans porc est proposé chaque jour."
        )
    return f"Au menu {day_label(day, today)} :\n{menu_text(menu)}"
