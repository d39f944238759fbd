"""The schema of the bookable services and their schedules (data/booking/schedules.yml, `schedules add`)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from bot.core.schema import Schema, Text
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


class ScheduleSchema(Schema):
    """One recurring schedule. Fields are declared in the order their checks depend on each other."""

    id: Text
    service: Text
    days: list[str] = Field(min_length=1)
    weeks: list[int] | None = None
    start: str = Field(alias="from")
    end: str = Field(alias="to")
    minutes: int
    mode: str = "sur_place"
    campus: str | None = Field(default=None, validate_default=True)
    room: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"identifiant « {value} » invalide (minuscules, chiffres et tirets)")
        return value

    @field_validator("service")
    @classmethod
    def _service(cls, value: str) -> str:
        if value not in SERVICES:
            raise ValueError(f"service « {value} » inconnu ({', '.join(SERVICES)})")
        return value

    @field_validator("days")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        unknown = [day for day in value if day not in WEEKDAYS]
        if unknown:
            raise ValueError(f"jour(s) inconnu(s) {unknown} (lundi ... dimanche)")
        return value

    @field_validator("weeks", mode="before")
    @classmethod
    def _weeks(cls, value: Any) -> Any:
        if any(week not in (1, 2, 3, 4, 5, -1) for week in value or []):
            raise ValueError("semaines du mois attendues parmi 1 à 5 ou -1 (la dernière)")
        return value

    @field_validator("start", "end", mode="before")
    @classmethod
    def _hour(cls, value: Any) -> Any:
        # An unquoted 12:00 is read by YAML as a number of minutes (720): refused, as any other non-hour.
        if value not in (None, "") and not _HOUR.match(str(value)):
            raise ValueError(f"heure « {value} » attendue sous la forme HH:MM")
        return value

    @field_validator("end")
    @classmethod
    def _after_start(cls, value: str, info: ValidationInfo) -> str:
        if "start" in info.data and info.data["start"] >= value:
            raise ValueError("l'heure de fin doit suivre l'heure de début")
        return value

    @field_validator("minutes", mode="before")
    @classmethod
    def _minutes(cls, value: Any) -> Any:
        if value is not None and (not isinstance(value, int) or not 10 <= value <= 240):
            raise ValueError("durée d'un créneau attendue entre 10 et 240 minutes")
        return value

    @field_validator("mode")
    @classmethod
    def _mode(cls, value: str) -> str:
        if value not in MODES:
            raise ValueError(f"mode « {value} » inconnu ({', '.join(MODES)})")
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
