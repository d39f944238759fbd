"""Bookings in the back-office: a service's week, cancelling with the text to send, the CSV export, the private
calendar feed (neutral: no service named), closing a schedule."""

from __future__ import annotations

import csv
import io
import re

import icalendar

from bot.booking.bookings import Booking, place_label
from bot.core.models import Slot
from tests.backoffice.client import PSYCHOLOGIST, run, signed_in

CONFIDENTIAL_WORDS = re.compile(r"psycholog|social|avocat|médecin|medecin|prévention", re.IGNORECASE)


def _book(office, service: str = "psychologue", holder: str = "camille.martin", name: str = "Camille Martin"):
    booking = Booking(office)
    slot = booking.free_slots(service, limit=1)[0]
    booked = booking.book(slot.id, holder, name).booked
    assert booked is not None
    return booking, booked


def _week(slot) -> str:
    return slot.start.date().isoformat()


def test_the_week_shows_name_time_and_place_and_the_practitioner_cancels_with_the_text_to_send(office):
    booking, slot = _book(office)

    async def scenario(new_person):
        psychologist = await signed_in(new_person, "helene.faure", PSYCHOLOGIST)
        week = await psychologist.get(f"/rh/rendez-vous/psychologue?semaine={_week(slot)}")
        cancelled = await psychologist.post(f"/rh/rendez-vous/psychologue/creneaux/{slot.id}/annuler")
        return week, cancelled

    week, cancelled = run(office, scenario, booking=booking)
    assert week.status == 200 and "Camille Martin" in week.text and slot.reference in week.text
    assert slot.start.strftime("%H:%M") in week.text and place_label(slot.place) in week.text
    assert cancelled.status == 200 and "Texte à envoyer à Camille Martin" in cancelled.text
    assert "ne pourra malheureusement pas avoir lieu" in cancelled.text
    assert booking.upcoming("camille.martin") == [] and booking.is_closed(slot.id)


def test_the_csv_export_lists_the_weeks_bookings_without_any_reason(office):
    booking, slot = _book(office)

    async def scenario(new_person):
        hr = await signed_in(new_person)
        export = await hr.get(f"/rh/rendez-vous/psychologue/export.csv?semaine={_week(slot)}")
        return export, await hr.get("/rh/rendez-vous/psychologue/export.csv?du=hier")

    export, bad_dates = run(office, scenario, booking=booking)
    assert bad_dates.status == 400 and "AAAA-MM-JJ" in bad_dates.text
    assert export.status == 200 and export.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert [(row["reference"], row["name"], row["start"]) for row in rows] == [
        (slot.reference, "Camille Martin", slot.start.strftime("%H:%M"))
    ]
    assert set(rows[0]) == {"reference", "service", "date", "start", "end", "place", "room", "name"}


def test_the_private_calendar_feed_parses_and_names_no_confidential_service(office):
    booking, slot = _book(office)

    async def scenario(new_person):
        hr = await signed_in(new_person)
        week = await hr.get(f"/rh/rendez-vous/psychologue?semaine={_week(slot)}")
        url = re.search(r'id="flux" value="([^"]+)"', week.text).group(1)
        path = url.split("127.0.0.1:8080", 1)[1]
        anonymous = new_person()  # a calendar application: no session, the signed URL only
        feed = await anonymous.client.get(path)
        forged = await anonymous.client.get(path.replace("psychologue.", "avocat."))
        return feed.status, await feed.text(), forged.status

    status, text, forged = run(office, scenario, booking=booking)
    assert status == 200 and forged == 404
    calendar = icalendar.Calendar.from_ical(text)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Rendez-vous : Camille Martin"
    assert event.decoded("dtstart") == slot.start and str(event["class"]) == "PRIVATE"
    assert not CONFIDENTIAL_WORDS.search(text), "the feed names a confidential service"


def test_closing_a_schedule_lists_the_bookings_left_to_handle(office):
    booking, slot = _book(office)
    with office.session() as session:
        schedule_id = session.get(Slot, slot.id).schedule_id

    async def scenario(new_person):
        hr = await signed_in(new_person)
        closed = await hr.post(f"/rh/horaires/{schedule_id}/fermer", {"from_day": slot.start.date().isoformat()})
        refused = await hr.post("/rh/horaires", {"id": "Mauvais id", "service": "psychologue", "days": "lundi"})
        added = await hr.post(
            "/rh/horaires",
            {
                "id": "psychologue-nimes",
                "service": "psychologue",
                "days": "jeudi",
                "from": "09:00",
                "to": "12:00",
                "minutes": "45",
                "place": "nimes",
                "room": "Salle 2",
            },
        )
        return closed, refused, added

    closed, refused, added = run(office, scenario, booking=booking)
    assert closed.status == 200 and "restent à traiter" in closed.text and "Camille Martin" in closed.text
    assert "Fermé après le" in closed.text
    assert refused.status == 422 and "identifiant « Mauvais id » invalide" in refused.text
    assert added.status == 200 and "« psychologue-nimes » est ajouté" in added.text
    assert any(view.place == "nimes" for view in Booking(office).free_slots("psychologue", limit=50))
