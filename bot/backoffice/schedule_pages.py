"""The services' recurring schedules in the back-office: list them, add one (the file load's own checks), and
close one from a day on, listing the bookings left to handle."""

from __future__ import annotations

from datetime import date, timedelta

from aiohttp import web

from bot.backoffice import audit
from bot.backoffice.base import BOOKING, hr_only, not_found, page, person_of
from bot.booking.bookings import place_label, schedule_rows
from bot.booking.schedules import add_schedule
from bot.booking.schema import MODES, WEEKDAYS
from bot.core.vocabulary import CAMPUSES

# The place of a schedule, as the form offers it: a campus, or a remote mode.
PLACES = {**{code: place_label(code) for code in CAMPUSES}, **{m: place_label(m) for m in MODES if m != "sur_place"}}

routes = web.RouteTableDef()


def _schedules_page(request: web.Request, status: int = 200, **context) -> web.Response:
    booking = request.app[BOOKING]
    context.setdefault("form", {})
    context.setdefault("problems", [])
    form = context["form"]
    context["chosen_days"] = form.getall("days", []) if hasattr(form, "getall") else []
    return page(
        request,
        "schedules.html",
        status,
        rows=schedule_rows(booking.database),
        services=booking.service_names(),
        weekdays=WEEKDAYS,
        places=PLACES,
        tomorrow=booking.now().date() + timedelta(days=1),
        **context,
    )


@routes.get("/horaires")
@hr_only
async def schedules(request: web.Request) -> web.Response:
    return _schedules_page(request)


def _raw(form) -> dict:
    place = form.get("place", "")
    raw = {
        "id": form.get("id", "").strip(),
        "service": form.get("service", ""),
        "days": form.getall("days", []),
        "from": form.get("from", ""),
        "to": form.get("to", ""),
        "minutes": int(form["minutes"]) if form.get("minutes", "").isdigit() else form.get("minutes"),
        "mode": "sur_place" if place in CAMPUSES else place,
        "campus": place if place in CAMPUSES else None,
        "room": form.get("room", "").strip() or None,
    }
    if form.get("valid_from"):
        try:
            raw["valid_from"] = date.fromisoformat(form["valid_from"])
        except ValueError:
            raw["valid_from"] = form["valid_from"]  # refused by the schema, in French
    return raw


@routes.post("/horaires")
@hr_only
async def add(request: web.Request) -> web.Response:
    form = await request.post()
    raw = _raw(form)
    problems = add_schedule(request.app[BOOKING].database, raw)
    if problems:
        return _schedules_page(request, 422, problems=problems, form=form)
    audit.record(request.app[BOOKING].database, person_of(request).subject, "schedule.add", raw["id"])
    return _schedules_page(request, added=raw["id"])


@routes.post("/horaires/{id:[a-z0-9][a-z0-9-]*}/fermer")
@hr_only
async def close(request: web.Request) -> web.Response:
    booking, schedule_id = request.app[BOOKING], request.match_info["id"]
    form = await request.post()
    try:
        first_day = date.fromisoformat(form.get("from_day", ""))
    except ValueError:
        return _schedules_page(request, 422, problems=["Indiquez le premier jour de fermeture (AAAA-MM-JJ)."])
    left = booking.close_schedule(schedule_id, first_day)
    if left is None:
        raise not_found("Cet horaire n'existe pas.")
    audit.record(booking.database, person_of(request).subject, "schedule.close", schedule_id)
    return _schedules_page(request, closed=(schedule_id, first_day, left))
