"""iCalendar (.ics) files for confirmed bookings, with the Europe/Paris VTIMEZONE (icalendar library)."""

from __future__ import annotations

from datetime import datetime, timezone

import icalendar

from bot.booking.bookings import SlotView, place_label
from bot.core.settings import settings
from bot.core.signing import sign

PRODUCT_ID = "-//IMT Mines Ales//Assistant RH//FR"


def calendar_url(reference: str) -> str:
    """The booking's calendar file on the web server (/agenda/<ref>.<sig>.ics, signed so that only the
    person who was given the link can fetch it)."""
    base = settings().public_url.rstrip("/")
    return f"{base}/agenda/{reference}.{sign(reference)}.ics"


NEUTRAL_TITLE = "Rendez-vous personnel"
NEUTRAL_DESCRIPTION = (
    "Rendez-vous personnel pris avec l'Assistant RH. Référence {reference}. "
    "Le détail (service, salle) est dans « mes rendez-vous » de l'Assistant RH."
)


def _calendar(events: list[icalendar.Event], method: bool = True) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", "PUBLISH")
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


FEED_TITLE = "Rendez-vous : {name}"
FEED_DESCRIPTION = "Rendez-vous pris avec l'Assistant RH. Référence {reference}."


def service_feed(slots: list[SlotView]) -> bytes:
    """A service's private calendar feed (the back-office's signed URL, for the practitioner's calendar):
    one event per booking, titled with the person's name only. No service is named anywhere (nor a room,
    which can name it): the calendar may be shown to colleagues, and a confidential service must not be."""
    events = []
    for slot in slots:
        event = icalendar.Event()
        event.add("uid", f"{slot.reference}@assistant-rh.mines-ales.fr")
        event.add("dtstamp", datetime.now(timezone.utc))
        event.add("dtstart", slot.start)
        event.add("dtend", slot.end)
        event.add("summary", FEED_TITLE.format(name=slot.holder_name or slot.holder))
        event.add("description", FEED_DESCRIPTION.format(reference=slot.reference))
        event.add("location", place_label(slot.place))
        event.add("class", "PRIVATE")
        events.append(event)
    return _calendar(events, method=False)


def booking_ics(slot: SlotView, service_name: str, confidential: bool) -> bytes:
    """One event, marked private. A confidential service (psychologist, social worker, lawyer,
    occupational doctor) is named nowhere in the file, neither in the title, the description nor the
    location (no room: a room can name the service), because work calendars often show all of it
    to colleagues; the person finds the details in the conversation (« mes rendez-vous »)."""
    event = icalendar.Event()
    event.add("uid", f"{slot.reference}@assistant-rh.mines-ales.fr")
    event.add("dtstamp", datetime.now(timezone.utc))
    event.add("dtstart", slot.start)
    event.add("dtend", slot.end)
    if confidential:
        event.add("summary", NEUTRAL_TITLE)
        event.add("description", NEUTRAL_DESCRIPTION.format(reference=slot.reference))
        event.add("location", place_label(slot.place))
    else:
        event.add("summary", f"Rendez-vous avec {service_name}")
        event.add("description", f"Rendez-vous avec {service_name}, {slot.where}. Référence {slot.reference}.")
        event.add("location", place_label(slot.place) + (f", {slot.room}" if slot.room else ""))
    event.add("class", "PRIVATE")
    return _calendar([event])
