"""HR's command line for schedules and bookings, and the calendar file served by the web server."""

from __future__ import annotations

import asyncio
import csv
import io
import json

import icalendar
from aiohttp.test_utils import TestClient, TestServer

from bot.__main__ import main
from bot.booking.bookings import Booking
from bot.booking.ics import calendar_url
from bot.core.db import database_for
from bot.web.server import make_app
from tests.booking.test_booking import NOW, fixed_now


def booked(url: str, service: str, holder: str):
    booking = Booking(database_for(url), now=fixed_now)
    slot = booking.free_slots(service)[0]
    return booking, booking.book(slot.id, holder).booked


def test_hr_manages_schedules_and_bookings_from_the_command_line(monkeypatch, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'hr.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["schedules", "load", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["schedules"] >= 6
    assert main(["schedules", "load", "--if-empty"]) == 0
    assert "rien n'a été chargé" in capsys.readouterr().out

    add = "schedules add --service psychologue --from 09:00 --to 11:00 --minutes 60 --campus nimes".split()
    assert main([*add, "--id", "psy-nimes", "--days", "vendredi", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"added": "psy-nimes"}
    assert main([*add, "--id", "bad", "--days", "vendredy"]) == 1
    assert "vendredy" in capsys.readouterr().err
    booking, slot = booked(url, "psychologue", "Camille Martin")
    assert "nimes" in booking.places("psychologue")

    day = slot.start.date().isoformat()
    assert main(["bookings", "list", "--day", day, "--service", "psychologue", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["name"] == "Camille Martin" and row["start"] == slot.start.strftime("%H:%M")
    assert set(row) == {"slot", "reference", "service", "date", "start", "end", "place", "room", "name"}  # no reason

    assert main(["bookings", "export", "--from", "2026-11-01", "--to", "2027-01-31"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["reference"] for r in rows] == [slot.reference]

    assert main(["slots", "cancel", str(slot.id), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["was_booked_by"] == "Camille Martin" and "annulé" in result["notice"]
    assert booking.upcoming("Camille Martin") == [] and booking.slot(slot.id).holder is None

    assert main(["schedules", "close", "psy-nimes", "--from-day", "2026-11-26", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["bookings_left"] == []
    assert "nimes" not in booking.places("psychologue")


def test_the_calendar_link_serves_an_ics_in_paris_time_to_its_holder_only(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'web.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    main(["schedules", "load"])
    booking, slot = booked(url, "psychologue", "agent-a")
    path = calendar_url(slot.reference).split("127.0.0.1:8080", 1)[1]

    async def fetch(target: str):
        async with TestClient(TestServer(make_app(booking))) as client:
            response = await client.get(target)
            return response.status, response.headers.get("Content-Type", ""), await response.read()

    status, content_type, body = asyncio.run(fetch(path))
    assert status == 200 and content_type.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(body)
    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Paris"
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == slot.start and str(event["dtstart"].params["TZID"]) == "Europe/Paris"
    assert event["summary"] == "Rendez-vous personnel"  # a confidential service stays out of the title
    assert event["class"] == "PRIVATE"

    forged = path.replace(slot.reference, "RDV-AAAAAA")
    assert asyncio.run(fetch(forged))[0] == 404
    booking.cancel(slot.id, "agent-a")
    assert asyncio.run(fetch(path))[0] == 404


def test_the_cli_writes_the_calendar_file_too(monkeypatch, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ics.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    main(["schedules", "load"])
    _, slot = booked(url, "permanence_rh", "agent-a")
    target = tmp_path / "rdv.ics"
    assert main(["bookings", "ics", slot.reference, "-o", str(target)]) == 0
    event = icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")[0]
    assert "permanence" in str(event["summary"]) and event.decoded("dtend") > event.decoded("dtstart") > NOW
    assert main(["bookings", "ics", "RDV-NOPE00"]) == 1
