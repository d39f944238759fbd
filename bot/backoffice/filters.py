"""How the back-office's pages write dates and names (Jinja filters)."""

from __future__ import annotations

from datetime import date, datetime

from bot.core.dates import PARIS

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def day(value: date | datetime) -> str:
    """« 4 décembre 2026 »."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def paris(value: datetime | None) -> str:
    """« 4 décembre 2026, 16 h 05 », in Paris time."""
    if value is None:
        return ""
    local = value.astimezone(PARIS)
    return f"{day(local)}, {local.hour} h {local.minute:02d}"


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]


FILTERS = {"day": day, "paris": paris, "capitalize_first": capitalize_first}
