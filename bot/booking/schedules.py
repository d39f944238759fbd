"""Bookable services, their recurring schedules, and the slots those schedules generate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.booking.schema import WEEKDAYS, ScheduleFile, ScheduleSchema, ServiceSchema
from bot.core.dates import PARIS, holiday
from bot.core.db import Database
from bot.core.models import Schedule, Service, Slot
from bot.core.schema import MEDIAN_DOT, MEDIAN_DOT_PROBLEM, validate
from bot.core.vocabulary import SERVICES

HORIZON_DAYS = 56  # slots exist for the coming eight weeks


class ScheduleError(ValueError):
    """The schedule file or command is invalid; nothing was changed."""


@dataclass(frozen=True)
class LoadReport:
    services: int
    schedules: int


def schedule_problems(raw: dict[str, Any], where: str) -> list[str]:
    """The French problems of one schedule (an entry of the file or of `schedules add`)."""
    return validate(ScheduleSchema, raw, where, colon=": ")[1]


def read_schedules(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(services, schedules) of a YAML file, validated; raises ScheduleError listing every problem."""
    try:
        text = path.read_text(encoding="utf-8")
        raw = yaml.safe_load(text) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ScheduleError(f"{path}: illisible ({error})") from error
    refused = validate(ScheduleFile, raw, str(path), colon=": ")[1]
    if refused:
        raise ScheduleError("\n".join(refused))
    services = [{"code": code, **fields} for code, fields in (raw.get("services") or {}).items()]
    schedules = raw.get("schedules") or []
    problems = []
    for service in services:
        if service["code"] not in SERVICES:
            problems.append(f"{path}: service « {service['code']} » inconnu ({', '.join(SERVICES)})")
        fields = {name: value for name, value in service.items() if name != "code"}
        problems += validate(ServiceSchema, fields, f"{path}: service « {service['code']} »")[1]
    known = {service["code"] for service in services}
    seen: set[str] = set()
    for index, schedule in enumerate(schedules, start=1):
        where = f"{path}, horaire n° {index}"
        problems += schedule_problems(schedule, where)
        if schedule.get("service") in SERVICES and schedule["service"] not in known:
            problems.append(f"{where}: le service « {schedule['service']} » n'est pas décrit sous « services »")
        if schedule.get("id") in seen:
            problems.append(f"{where}: identifiant « {schedule['id']} » en double")
        seen.add(schedule.get("id"))
    if MEDIAN_DOT in text:
        problems.append(f"{path}: {MEDIAN_DOT_PROBLEM}")
    if problems:
        raise ScheduleError("\n".join(problems))
    return services, schedules


def schedule_fields(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": raw["id"],
        "service": raw["service"],
        "weekdays": [WEEKDAYS.index(day) for day in raw["days"]],
        "weeks": raw.get("weeks") or None,
        "start_time": raw["from"],
        "end_time": raw["to"],
        "minutes": raw["minutes"],
        "campus": raw.get("campus"),
        "mode": raw.get("mode", "sur_place"),
        "room": raw.get("room"),
        "valid_from": raw.get("valid_from"),
        "valid_until": raw.get("valid_until"),
    }


def load_schedules(database: Database, path: Path, only_if_empty: bool = False) -> LoadReport | None:
    """Upsert the file's services and schedules (by id). Schedules created by HR elsewhere are kept.

    With `only_if_empty`, does nothing once any schedule exists: the database is then the reference.
    """
    services, schedules = read_schedules(path)
    with database.session() as session:
        if only_if_empty and session.scalar(select(Schedule.id).limit(1)) is not None:
            return None
        for service in services:
            session.merge(
                Service(
                    code=service["code"],
                    name=service["name"],
                    confidential=bool(service.get("confidential")),
                    who_sees=service["who_sees"],
                    note=service.get("note"),
                )
            )
        session.flush()
        for schedule in schedules:
            session.merge(Schedule(**schedule_fields(schedule)))
    return LoadReport(services=len(services), schedules=len(schedules))


def _nth_in_month(day: date) -> tuple[int, bool]:
    """(which occurrence of its weekday this day is in its month, whether it is the last one)."""
    return (day.day - 1) // 7 + 1, (day + timedelta(days=7)).month != day.month


def occurs_on(schedule: Schedule, day: date) -> bool:
    if day.weekday() not in schedule.weekdays or holiday(day):
        return False
    if schedule.valid_from and day < schedule.valid_from:
        return False
    if schedule.valid_until and day > schedule.valid_until:
        return False
    if schedule.weeks:
        nth, last = _nth_in_month(day)
        return nth in schedule.weeks or (last and -1 in schedule.weeks)
    return True


def slot_times(schedule: Schedule, day: date) -> list[tuple[datetime, datetime]]:
    """Start and end (aware, Europe/Paris) of every slot of a schedule on a day."""
    opening = datetime.combine(day, time.fromisoformat(schedule.start_time), PARIS)
    closing = datetime.combine(day, time.fromisoformat(schedule.end_time), PARIS)
    length = timedelta(minutes=schedule.minutes)
    times = []
    start = opening
    while start + length <= closing:
        times.append((start, start + length))
        start += length
    return times


def generate_slots(database: Database, first_day: date, last_day: date) -> int:
    """Create the missing slots of every schedule between two days (idempotent, safe to run concurrently)."""
    with database.session() as session:
        rows = []
        for schedule in session.scalars(select(Schedule)):
            day = first_day
            while day <= last_day:
                if occurs_on(schedule, day):
                    rows += [
                        {"schedule_id": schedule.id, "service": schedule.service, "start": start, "end": end}
                        for start, end in slot_times(schedule, day)
                    ]
                day += timedelta(days=1)
        if not rows:
            return 0
        insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        result = session.execute(
            insert(Slot).values(rows).on_conflict_do_nothing(index_elements=["schedule_id", "start"])
        )
        return max(result.rowcount or 0, 0)


def add_schedule(database: Database, raw: dict[str, Any]) -> list[str]:
    """Add one schedule (`schedules add`, the back-office's form); its French problems, nothing added if any."""
    problems = schedule_problems(raw, "horaire")
    with database.session() as session:
        if raw.get("id") and session.get(Schedule, raw["id"]):
            problems.append(f"horaire: l'identifiant « {raw['id']} » existe déjà")
        if not problems:
            session.add(Schedule(**schedule_fields(raw)))
    return problems
