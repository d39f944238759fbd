"""The schedules' schema: the shipped file validates; a bad entry is refused in French, naming the field."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.booking.schema import ScheduleSchema, ServiceSchema
from bot.core.schema import validate

SCHEDULES = Path(__file__).resolve().parents[2] / "data" / "booking" / "schedules.yml"
GOOD = {
    "id": "psy",
    "service": "psychologue",
    "days": ["mardi"],
    "from": "09:00",
    "to": "12:00",
    "minutes": 45,
    "campus": "clavieres",
}


def test_the_shipped_services_and_schedules_validate():
    data = yaml.safe_load(SCHEDULES.read_text(encoding="utf-8"))
    assert all(validate(ServiceSchema, raw, code)[1] == [] for code, raw in data["services"].items())
    schedules = [validate(ScheduleSchema, raw, raw["id"]) for raw in data["schedules"]]
    assert [problems for _, problems in schedules if problems] == []
    assert {schedule.mode for schedule, _ in schedules} == {"sur_place", "visio", "telephone"}


def test_a_bad_schedule_is_refused_naming_each_field():
    raw = GOOD | {"to": 1020, "minutes": 300, "salle": "B12", "valid_from": "lundi"}
    entry, problems = validate(ScheduleSchema, raw, "horaire n° 1", colon=": ")
    assert entry is None
    assert problems == [
        "horaire n° 1: heure « 1020 » attendue sous la forme HH:MM",
        "horaire n° 1: durée d'un créneau attendue entre 10 et 240 minutes",
        "horaire n° 1: « valid_from » doit être une date AAAA-MM-JJ",
        "horaire n° 1: champ « salle » inconnu",
    ]


def test_a_remote_schedule_has_no_campus_and_a_service_says_who_sees_it():
    assert validate(ScheduleSchema, GOOD | {"mode": "visio"}, "h")[1] == ["h : un créneau en visio n'a pas de campus"]
    assert validate(ScheduleSchema, {k: v for k, v in GOOD.items() if k != "campus"} | {"mode": "visio"}, "h")[1] == []
    assert validate(ServiceSchema, {"name": "la psychologue"}, "service « psychologue »")[1] == [
        "service « psychologue » : « name » et « who_sees » sont requis"
    ]
