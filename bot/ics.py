"""iCalendar (.ics) files for confirmed bookings, with the Europe/Paris VTIMEZONE (icalendar library)."""

from __future__ import annotations

from datetime import datetime, timezone

import icalendar

from bot.booking import SlotView, place_label

PRODUCT_ID = "-//IMT Mines Ales//Assistant RH//FR"


def booking_ics(slot: SlotView, service_name: str, confidential: bool) -> bytes:
    """One event, marked private. A confidential service keeps its name out of the title,
    because a work calendar's titles are often visible to colleagues."""
    event = icalendar.Event()
    event.add("uid", f"{slot.reference}@assistant-rh.mines-ales.fr")
    event.add("dtstamp", datetime.now(timezone.utc))
    event.add("dtstart", slot.start)
    event.add("dtend", slot.end)
    event.add("summary", "Rendez-vous personnel" if confidential else f"Rendez-vous avec {service_name}")
    event.add("description", f"Rendez-vous avec {service_name}, {slot.where}. Référence {slot.reference}.")
    event.add("location", place_label(slot.place) + (f", {slot.room}" if slot.room else ""))
    event.add("class", "PRIVATE")
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
