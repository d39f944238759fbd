"""Signing in and out of the back-office, its home page, and the journal of HR actions."""

from __future__ import annotations

from typing import NoReturn

from aiohttp import web

from bot.backoffice import audit
from bot.backoffice.access import SESSION_COOKIE, Person, roles_of
from bot.backoffice.base import BOOKING, SETTINGS, Refusal, forbidden, hr_only, page, person_of
from bot.core.intranet import Refused

NO_ROLE = (
    "L'espace RH est réservé au service des ressources humaines et aux personnes qui tiennent une permanence "
    "(psychologue, assistante ou assistant de service social, médecine de prévention…). Si vous pensez devoir "
    "y accéder, adressez-vous au service RH."
)

routes = web.RouteTableDef()


def _sign_in(request: web.Request, token: str | None) -> NoReturn:
    """To the home page with the session of a valid token whose roles open the back-office, or the refusal."""
    settings = request.app[SETTINGS]
    if settings.verifier is None:
        raise Refusal(503, "Connexion indisponible", "L'espace RH n'est pas configuré pour le moment.")
    try:
        identity = settings.verifier.verify(token)
    except Refused as refusal:
        raise Refusal(401, "Connexion refusée", refusal.message) from None
    person = Person.from_roles(identity, roles_of(identity.claims, settings.roles_claim), settings.session_minutes)
    if person is None:
        raise forbidden(NO_ROLE)
    audit.record(request.app[BOOKING].database, person.subject, "sign_in")
    response = web.HTTPSeeOther("/rh/")
    response.set_cookie(
        SESSION_COOKIE,
        person.cookie(),
        max_age=settings.session_minutes * 60,
        path="/rh/",
        httponly=True,
        secure=settings.secure_cookie,
        samesite="Strict",
    )
    raise response


@routes.get("/connexion")
async def sign_in_page(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    agents = settings.demo_agents if settings.demo_token else {}
    return page(request, "sign_in.html", agents=agents)


@routes.post("/connexion")
async def sign_in_with_token(request: web.Request) -> web.Response:
    """The intranet sends the person here with its token (a form field `token`, or the Authorization header)."""
    form = await request.post()
    header = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    _sign_in(request, form.get("token") or header or None)


@routes.post("/connexion/demo")
async def demo_sign_in(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    agent = (await request.post()).get("agent")
    if settings.demo_token is None or agent not in settings.demo_agents:
        raise forbidden("Agent de démonstration inconnu.")
    _sign_in(request, settings.demo_token(agent))


@routes.post("/deconnexion")
async def sign_out(request: web.Request) -> web.Response:
    response = web.HTTPSeeOther("/rh/connexion")
    response.del_cookie(SESSION_COOKIE, path="/rh/")
    raise response


@routes.get("/")
async def home(request: web.Request) -> web.Response:
    person = person_of(request)
    if not person.hr_admin:
        raise web.HTTPSeeOther("/rh/rendez-vous")
    return page(request, "home.html")


@routes.get("/journal")
@hr_only
async def journal(request: web.Request) -> web.Response:
    return page(request, "journal.html", entries=audit.recent(request.app[BOOKING].database), actions=audit.ACTIONS)
