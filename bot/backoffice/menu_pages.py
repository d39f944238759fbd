"""The restaurant's menus in the back-office: upload the weekly CSV or YAML (all or nothing, every rejected line
named, bot/restaurant/menus.py's own checks) and the coming weeks' menus and closures at a glance."""

from __future__ import annotations

import re
import tempfile
from datetime import timedelta
from pathlib import Path

from aiohttp import web

from bot.backoffice import audit
from bot.backoffice.base import BOOKING, hr_only, page, person_of
from bot.restaurant.menus import MenuError, Restaurant, import_menus

COMING_DAYS = 21

routes = web.RouteTableDef()


def _coming(request: web.Request) -> list[tuple]:
    """(day, menu or None, why it is closed or None) for the coming weeks' weekdays."""
    restaurant = Restaurant(request.app[BOOKING].database)
    today = request.app[BOOKING].now().date()
    days = [today + timedelta(days=offset) for offset in range(COMING_DAYS)]
    return [(day, restaurant.menu(day), restaurant.closed(day)) for day in days if day.weekday() < 5]


def _menus_page(request: web.Request, status: int = 200, **context) -> web.Response:
    return page(request, "menus.html", status, coming=_coming(request), **context)


@routes.get("/menus")
@hr_only
async def menus(request: web.Request) -> web.Response:
    return _menus_page(request)


@routes.post("/menus")
@hr_only
async def upload_menus(request: web.Request) -> web.Response:
    upload = (await request.post()).get("fichier")
    if not isinstance(upload, web.FileField):
        return _menus_page(request, 422, problems=["Choisissez un fichier de menus (.csv, .yml ou .yaml)."])
    name = re.sub(r"[^\w.-]", "_", Path(upload.filename).name)[:80] or "menus"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(upload.file.read())
        try:
            count = import_menus(request.app[BOOKING].database, path)
        except MenuError as error:
            return _menus_page(request, 422, problems=str(error).splitlines())
        except UnicodeDecodeError:
            return _menus_page(request, 422, problems=[f"{name} : le fichier n'est pas un texte UTF-8."])
    audit.record(request.app[BOOKING].database, person_of(request).subject, "menus.import", f"{count} menus")
    return _menus_page(request, loaded=count)
