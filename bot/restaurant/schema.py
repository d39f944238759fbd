"""The schemas of the restaurant's files: a menu (a CSV line or a YAML entry) and a closure."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator

from bot.core.schema import Schema, Text

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


class MenuSchema(Schema):
    day: date = Field(default=None, alias="date", validate_default=True)  # type: ignore[assignment]
    site: str = SITE
    vegetarian: str = Field(default="", validate_default=True)
    starters: list[str] = Field(default_factory=list)
    mains: list[str] = Field(default_factory=list, validate_default=True)
    desserts: list[str] = Field(default_factory=list)
    labels: list[str] = Field(default_factory=list)
    allergens: list[str] = Field(default_factory=list)

    @field_validator("day", mode="before")
    @classmethod
    def _day(cls, value: Any) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value if value is not None else "").strip())
        except ValueError:
            raise ValueError(f"date « {value} » attendue sous la forme AAAA-MM-JJ") from None

    @field_validator("site", mode="before")
    @classmethod
    def _site(cls, value: Any) -> str:
        return str(value or SITE).strip()

    @field_validator("vegetarian", mode="before")
    @classmethod
    def _vegetarian(cls, value: Any) -> str:
        if not str(value or "").strip():
            raise ValueError("le plat végétarien (vegetarian) manque, il est servi chaque jour")
        return str(value).strip()

    @field_validator("starters", "mains", "desserts", "labels", "allergens", mode="before")
    @classmethod
    def _list(cls, value: Any) -> list[str]:
        return _split(value)

    @field_validator("mains")
    @classmethod
    def _mains(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("aucun plat principal (mains)")
        return value

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: list[str]) -> list[str]:
        unknown = [label for label in value if label not in LABELS]
        if unknown:
            raise ValueError(f"label(s) inconnu(s) {unknown} (bio, local, fait maison)")
        return value


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
