"""Bookings in the back-office, per service: the week of slots and bookings (name, time, place; never a
reason, none is stored), cancelling a slot with the text to send, the CSV export, and the service's private
calendar feed at a signed URL. A practitioner sees their own service only."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from aiohttp import web

from bot.backoffice import audit
from bot.backoffice.base import BOOKING, SETTINGS, Refusal, forbidden, not_found, page, person_of
from bot.booking.bookings import Booking, SlotView, cancellation_notice, place_label, write_csv
from bot.booking.ics import service_feed
from bot.core.dates import PARIS
from bot.core.signing import sign, signed

_FEED_PURPOSE = "backoffice-feed:"
FEED_PAST_DAYS = 30
FEED_FUTURE_DAYS = 120
WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

routes = web.RouteTableDef()


def feed_url(public_url: str, service: str) -> str:
    return f"{public_url.rstrip('/')}/rh/agenda/{service}.{sign(_FEED_PURPOSE + service)}.ics"


def _service(request: web.Request):
    """The service of the URL, if the person may see it (403 otherwise, 404 when there is none)."""
    code = request.match_info["service"]
    if not person_of(request).may_see(code):
        raise forbidden("Vous voyez seulement les rendez-vous de votre service.")
    service = request.app[BOOKING].service(code)
    if service is None:
        raise not_found("Ce service n'existe pas.")
    return service


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), PARIS)


def _monday(text: str | None, today: date) -> date:
    try:
        day = date.fromisoformat(text) if text else today
    except ValueError:
        day = today
    return day - timedelta(days=day.weekday())


def _state(slot: SlotView, booking: Booking) -> str:
    if slot.holder:
        return "booked"
    return "closed" if booking.is_closed(slot.id) else "free"


@routes.get("/rendez-vous")
async def services(request: web.Request) -> web.Response:
    person = person_of(request)
    names = request.app[BOOKING].service_names()
    visible = {code: name for code, name in names.items() if person.may_see(code)}
    return page(request, "services.html", services=visible)


@routes.get("/rendez-vous/{service:[a-z0-9_]+}")
async def week(request: web.Request) -> web.Response:
    service, booking = _service(request), request.app[BOOKING]
    booking.ensure_slots()
    monday = _monday(request.query.get("semaine"), booking.now().date())
    slots = booking.slots_between(_midnight(monday), _midnight(monday + timedelta(days=7)), service.code)
    days = [
        (
            monday + timedelta(days=offset),
            [(slot, _state(slot, booking)) for slot in slots if slot.start.weekday() == offset],
        )
        for offset in range(7)
    ]
    return page(
        request,
        "week.html",
        service=service,
        monday=monday,
        sunday=monday + timedelta(days=6),
        days=[(day, day_slots) for day, day_slots in days if day_slots or day.weekday() < 5],
        weekday_names=WEEKDAY_NAMES,
        previous=monday - timedelta(days=7),
        next=monday + timedelta(days=7),
        place_label=place_label,
        feed=feed_url(request.app[SETTINGS].public_url, service.code),
        booked=sum(1 for slot in slots if slot.holder),
    )


@routes.post("/rendez-vous/{service:[a-z0-9_]+}/creneaux/{slot:[0-9]+}/annuler")
async def cancel_slot(request: web.Request) -> web.Response:
    service, booking, person = _service(request), request.app[BOOKING], person_of(request)
    slot = booking.slot(int(request.match_info["slot"]))
    if slot is None or slot.service != service.code:
        raise not_found("Ce créneau n'existe pas.")
    closed = booking.close_slot(slot.id)
    audit.record(booking.database, person.subject, "slot.cancel", slot.id)
    notice = cancellation_notice(closed, service.name) if closed.holder else None
    return page(request, "cancelled.html", service=service, slot=closed, notice=notice, place_label=place_label)


@routes.get("/rendez-vous/{service:[a-z0-9_]+}/export.csv")
async def export_csv(request: web.Request) -> web.Response:
    service, booking = _service(request), request.app[BOOKING]
    monday = _monday(request.query.get("semaine"), booking.now().date())
    try:
        first = date.fromisoformat(request.query["du"]) if request.query.get("du") else monday
        last = date.fromisoformat(request.query["au"]) if request.query.get("au") else monday + timedelta(days=6)
    except ValueError:
        raise Refusal(400, "Dates non comprises", "Indiquez les dates sous la forme AAAA-MM-JJ.") from None
    slots = booking.bookings_between(_midnight(first), _midnight(last + timedelta(days=1)), service.code)
    output = io.StringIO()
    write_csv(output, slots)
    audit.record(booking.database, person_of(request).subject, "bookings.export", service.code)
    name = f"rendez-vous-{service.code}-{first.isoformat()}-{last.isoformat()}.csv"
    return web.Response(
        text=output.getvalue(),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@routes.get("/agenda/{token}.ics")
async def calendar_feed(request: web.Request) -> web.Response:
    """The service's bookings for a calendar application: the signed URL is the only key (no session)."""
    code, _, signature = request.match_info["token"].partition(".")
    booking = request.app[BOOKING]
    if not signed(_FEED_PURPOSE + code, signature) or booking.service(code) is None:
        raise not_found("Lien d'agenda invalide.")
    today = booking.now().date()
    first, last = today - timedelta(days=FEED_PAST_DAYS), today + timedelta(days=FEED_FUTURE_DAYS)
    slots = booking.bookings_between(_midnight(first), _midnight(last), code)
    return web.Response(body=service_feed(slots), content_type="text/calendar", charset="utf-8")
