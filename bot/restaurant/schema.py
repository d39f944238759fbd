"""The schemas of the restaurant's files: a menu (a CSV line or a YAML entry) and a closure."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError, model_validator

from bot.core.schema import Schema, Text, rule

SITE = "clavieres"  # the school's restaurant; a `site` column keeps room for more
LABELS = {"bio", "local", "fait maison"}


def _split(value: Any) -> list[str]:
    """A list given as a YAML list or as a CSV cell separated by « | »."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value or "").split("|") if part.strip()]


class MenusFile(Schema):
    """A YAML menu file: its menus, each checked on its own."""

    menus: list[Any] | None = None


class ClosuresFile(Schema):
    """The closures file: its closures, each checked on its own."""

    closures: list[Any] | None = None


def site_of(value: Any) -> str:
    return str(value or SITE).strip()


def day_of(value: Any) -> date:
    """The day of a menu: a YAML date, or « AAAA-MM-JJ » in a CSV cell."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value if value is not None else "").strip())
    except ValueError:
        raise ValueError(f"date « {value} » attendue sous la forme AAAA-MM-JJ") from None


def _unknown_labels(labels: list[str]) -> str:
    return f"label(s) inconnu(s) {[label for label in labels if label not in LABELS]} (bio, local, fait maison)"


Dishes = Annotated[list[str], BeforeValidator(_split)]


class MenuSchema(Schema):
    day: Annotated[date, BeforeValidator(day_of)] = Field(default=None, alias="date", validate_default=True)  # type: ignore[assignment]
    site: Annotated[str, BeforeValidator(site_of)] = SITE
    vegetarian: Annotated[
        str,
        BeforeValidator(lambda v: str(v or "").strip()),
        rule(bool, "le plat végétarien (vegetarian) manque, il est servi chaque jour"),
    ] = Field(default="", validate_default=True)
    starters: Dishes = Field(default_factory=list)
    mains: Annotated[Dishes, rule(bool, "aucun plat principal (mains)")] = Field(
        default_factory=list, validate_default=True
    )
    desserts: Dishes = Field(default_factory=list)
    labels: Annotated[Dishes, rule(lambda labels: set(labels) <= LABELS, _unknown_labels)] = Field(default_factory=list)
    allergens: Dishes = Field(default_factory=list)


class ClosureSchema(Schema):
    first_day: date = Field(alias="from", strict=True)
    last_day: date = Field(alias="to", strict=True)
    reason: Text

    @model_validator(mode="wrap")
    @classmethod
    def _whole(cls, value: Any, handler: Any) -> ClosureSchema:
        try:
            return handler(value)
        except ValidationError:
            raise ValueError("« from », « to » (dates) et « reason » sont requis") from None
