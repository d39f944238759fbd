"""The schema of the bookable services and their schedules (data/booking/schedules.yml, `schedules add`)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from bot.core.schema import Schema, Text, among, rule
from bot.core.vocabulary import CAMPUSES, SERVICES

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MODES = ("sur_place", "visio", "telephone")
_HOUR = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class ScheduleFile(Schema):
    """The file: services by code and schedules, each checked on its own."""

    services: dict[str, dict[str, Any]] | None = None
    schedules: list[Any] | None = None


class ServiceSchema(Schema):
    name: str | None = None
    who_sees: str | None = None
    confidential: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _described(self) -> ServiceSchema:
        if not self.name or not self.who_sees:
            raise ValueError("« name » et « who_sees » sont requis")
        return self


def _unknown_days(days: list[str]) -> str:
    return f"jour(s) inconnu(s) {[day for day in days if day not in WEEKDAYS]} (lundi ... dimanche)"


# An unquoted 12:00 is read by YAML as a number of minutes (720): refused, as any other non-hour.
_Hour = Annotated[
    str,
    rule(
        lambda v: v in (None, "") or _HOUR.match(str(v)), "heure « {value} » attendue sous la forme HH:MM", before=True
    ),
]


class ScheduleSchema(Schema):
    """One recurring schedule. Fields are declared in the order their checks depend on each other."""

    id: Annotated[Text, rule(_ID.match, "identifiant « {value} » invalide (minuscules, chiffres et tirets)")]
    service: Annotated[Text, among(SERVICES, "service « {value} » inconnu ({allowed})")]
    days: Annotated[list[str], Field(min_length=1), rule(lambda days: all(d in WEEKDAYS for d in days), _unknown_days)]
    weeks: Annotated[
        list[Any] | None,
        rule(
            lambda weeks: all(w in (1, 2, 3, 4, 5, -1) for w in weeks or []),
            "semaines du mois attendues parmi 1 à 5 ou -1 (la dernière)",
        ),
    ] = None
    start: _Hour = Field(alias="from")
    end: _Hour = Field(alias="to")
    minutes: Annotated[
        int,
        rule(
            lambda v: v is None or (isinstance(v, int) and 10 <= v <= 240),
            "durée d'un créneau attendue entre 10 et 240 minutes",
            before=True,
        ),
    ]
    mode: Annotated[str, among(MODES, "mode « {value} » inconnu ({allowed})")] = "sur_place"
    campus: str | None = Field(default=None, validate_default=True)
    room: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None

    @field_validator("end")
    @classmethod
    def _after_start(cls, value: str, info: ValidationInfo) -> str:
        if "start" in info.data and info.data["start"] >= value:
            raise ValueError("l'heure de fin doit suivre l'heure de début")
        return value

    @field_validator("campus", mode="before")
    @classmethod
    def _campus(cls, value: Any, info: ValidationInfo) -> Any:
        mode = info.data.get("mode")
        if mode == "sur_place" and value not in CAMPUSES:
            raise ValueError(f"campus « {value} » inconnu ({', '.join(CAMPUSES)})")
        if mode not in (None, "sur_place") and value:
            raise ValueError(f"un créneau en {mode} n'a pas de campus")
        return value
