"""The back-office's sub-application, mounted by the web server under /rh/: the guard every request goes
through (session, CSRF token, error pages, headers) and the routes of each part."""

from __future__ import annotations

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.backoffice import booking_pages, case_pages, content_pages, menu_pages, schedule_pages, sign_in, stats_pages
from bot.backoffice.access import SESSION_COOKIE, Person
from bot.backoffice.base import BOOKING, HERE, KNOWLEDGE, PERSON, SETTINGS, BackofficeSettings, Refusal, forbidden, page
from bot.backoffice.filters import FILTERS
from bot.booking.bookings import Booking

UPLOAD_BYTES = 2 * 1024 * 1024  # a content export or a term of menus, with room to spare
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# Reached without a session: the sign-in, the style sheet, and the calendar feeds (signed URLs).
PUBLIC_PREFIXES = ("/rh/connexion", "/rh/static/", "/rh/agenda/")


def _public(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIXES)


@web.middleware
async def guard(request: web.Request, handler) -> web.StreamResponse:
    """A session for every page but the public ones; the CSRF token on every form sent; the French error
    pages; the strict CSP and no caching on every answer."""
    if request.method == "POST":
        request = request.clone(client_max_size=UPLOAD_BYTES)
    person = Person.from_cookie(request.cookies.get(SESSION_COOKIE))
    request[PERSON] = person
    try:
        if not _public(request.path):
            if person is None and request.method == "GET":
                raise web.HTTPSeeOther("/rh/connexion")
            if person is None:
                raise forbidden("Votre session a expiré : reconnectez-vous à l'espace RH, puis recommencez.")
            if request.method == "POST" and not person.csrf_valid((await request.post()).get("csrf")):
                raise forbidden(
                    "Ce formulaire n'a pas été envoyé depuis l'espace RH (jeton de sécurité absent ou périmé). "
                    "Rechargez la page, puis recommencez."
                )
        response = await handler(request)
    except Refusal as refusal:
        response = page(request, "error.html", refusal.status, title=refusal.title, message=refusal.message)
    except web.HTTPNotFound:
        response = page(request, "error.html", 404, title="Page introuvable", message="Cette page n'existe pas.")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    if not request.path.startswith("/rh/static/"):  # the style sheet may be cached, never a page
        response.headers.setdefault("Cache-Control", "no-store")
    response.headers["X-Frame-Options"] = "DENY"
    return response


def make_backoffice(booking: Booking, settings: BackofficeSettings) -> web.Application:
    """The sub-application the web server mounts under /rh/."""
    app = web.Application(middlewares=[guard])
    app[BOOKING] = booking
    app[SETTINGS] = settings
    app[KNOWLEDGE] = {}
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(default=True),
        filters=FILTERS,
    )
    for part in (sign_in, content_pages, case_pages, booking_pages, schedule_pages, stats_pages, menu_pages):
        app.add_routes(part.routes)
    app.router.add_static("/static/", HERE / "static")
    return app
