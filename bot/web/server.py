"""The project's web server (aiohttp): the chat widget, its feedback, calendar files, health.

- /widget/...          the widget's files, for the intranet to include (README: The intranet chat)
- /                    the demo intranet page with the widget (development sign-in only)
- /dev/...             the development sign-in (only with DEV_SIGN_IN=1; see bot/web/dev_sign_in.py)
- /notice              the privacy notice the widget shows first: the content base's article
                       `confidentialite-assistant` when HR has it (404 otherwise: the widget's own text)
- /feedback            « utile / pas utile » on an answer, with the intranet's token (counted, no text)
- /answers/waiting     how many of HR's answers to the person's requests (« Ask HR ») the chat has not shown
                       yet, with the intranet's token: a count only; the widget asks it while connected
- /agenda/<ref>.<sig>.ics  a booking's calendar file; the HMAC signature means only the person who
                       received the link in the conversation can fetch it
- /rh/...               the HR back-office (bot/backoffice/), with the intranet's token and a role
- /health
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from string import Template
from urllib.parse import urlsplit

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bot.backoffice.app import make_backoffice
from bot.backoffice.base import BackofficeSettings
from bot.booking.bookings import Booking
from bot.booking.ics import booking_ics
from bot.cases.store import CaseStore
from bot.core.db import default_database
from bot.core.intranet import Identity, RateLimiter, Refused, TokenVerifier, allowed_origins, origin_allowed, origin_of
from bot.core.models import Article
from bot.core.settings import (
    DEFAULT_ANSWERS_POLL_SECONDS,
    DEFAULT_BACKOFFICE_SESSION_MINUTES,
    DEFAULT_RETENTION_DAYS,
    DEFAULT_ROLES_CLAIM,
    PROJECT_ROOT,
    settings_or_exit,
)
from bot.core.signing import SecretKeyError, secret_key, signed
from bot.knowledge.feedback import record_feedback, valid_kind
from bot.web import dev_sign_in

logger = logging.getLogger(__name__)

WIDGET_DIR = PROJECT_ROOT / "widget"
NOTICE_ARTICLE = "confidentialite-assistant"
BOOKING = web.AppKey("booking", Booking)
SETTINGS = web.AppKey("settings", "WebSettings")
FEEDBACK_LIMITER = web.AppKey("feedback_limiter", RateLimiter)
ANSWERS_LIMITER = web.AppKey("answers_limiter", RateLimiter)


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def is_local_url(url: str) -> bool:
    """Whether a URL points at this machine only (the development sign-in is refused otherwise)."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return False
    return host in LOCAL_HOSTS or bool(host and host.endswith(".localhost"))


@dataclass(frozen=True)
class WebSettings:
    """What the web server needs besides the database; from the environment by default."""

    dev_sign_in: bool = False
    socket_url: str = "http://127.0.0.1:5005"  # where the browser reaches Rasa's socket.io channel
    origins: frozenset[str] = frozenset()  # pages allowed to send feedback (and to open the chat)
    verifier: TokenVerifier | None = None  # None: no intranet key configured, no feedback
    conversation_days: int = DEFAULT_RETENTION_DAYS
    booking_days: int = DEFAULT_RETENTION_DAYS
    public_url: str = "http://127.0.0.1:8080"
    roles_claim: str = DEFAULT_ROLES_CLAIM  # the token's claim of back-office roles
    backoffice_session_minutes: int = DEFAULT_BACKOFFICE_SESSION_MINUTES
    answers_poll_seconds: int = DEFAULT_ANSWERS_POLL_SECONDS  # the demo page's widget setting

    @classmethod
    def from_env(cls) -> WebSettings:
        environment = settings_or_exit()
        try:
            verifier = TokenVerifier.configured()
        except ValueError:
            verifier = None
        dev_sign_in = environment.dev_sign_in
        if dev_sign_in and (verifier is None or verifier.algorithm != "HS256"):
            raise SystemExit("DEV_SIGN_IN=1 signs demo tokens with INTRANET_JWT_SECRET (HS256): set it")
        public_url = environment.public_url
        if dev_sign_in and not is_local_url(public_url):
            raise SystemExit(
                f"ERROR: DEV_SIGN_IN=1 lets anyone sign in as a demo agent: it is refused with the "
                f"public address PUBLIC_URL={public_url}, only a local one (127.0.0.1, localhost) is allowed"
            )
        return cls(
            dev_sign_in=dev_sign_in,
            socket_url=environment.chat_socket_url,
            origins=allowed_origins(),
            verifier=verifier,
            conversation_days=environment.conversation_retention_days,
            booking_days=environment.booking_retention_days,
            public_url=public_url,
            roles_claim=environment.backoffice_roles_claim,
            backoffice_session_minutes=environment.backoffice_session_minutes,
            answers_poll_seconds=environment.chat_answers_poll_seconds,
        )

    def backoffice(self) -> BackofficeSettings:
        """The back-office's settings: its session cookie is Secure unless the server is local, and the demo
        sign-in offers its agents there too."""
        demo = self.dev_sign_in and self.verifier is not None
        return BackofficeSettings(
            verifier=self.verifier,
            roles_claim=self.roles_claim,
            session_minutes=self.backoffice_session_minutes,
            secure_cookie=not is_local_url(self.public_url),
            public_url=self.public_url,
            demo_agents=dev_sign_in.DEMO_AGENTS if demo else {},
            demo_token=(lambda agent: dev_sign_in.demo_token(self.verifier, agent, self.roles_claim)) if demo else None,
        )


# -- calendar files ------------------------------------------------------------------------------


async def calendar_file(request: web.Request) -> web.Response:
    reference, _, signature = request.match_info["token"].partition(".")
    if not signed(reference, signature):
        raise web.HTTPNotFound(text="Lien d'agenda invalide.")
    booking = request.app[BOOKING]
    slot = booking.by_reference(reference)
    if slot is None:
        raise web.HTTPNotFound(text="Ce rendez-vous n'existe plus (il a peut-être été annulé).")
    service = booking.service(slot.service)
    body = booking_ics(slot, service.name, service.confidential)
    return web.Response(
        body=body,
        content_type="text/calendar",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{reference}.ics"', "Cache-Control": "no-store"},
    )


# -- feedback ------------------------------------------------------------------------------------


def french_error(status: int, message: str, code: str | None = None) -> web.Response:
    return web.json_response({"code": code or str(status), "message": message}, status=status)


def _cors_headers(request: web.Request) -> dict[str, str]:
    origin = request.headers.get("Origin")
    if origin and origin_allowed(origin, request.app[SETTINGS].origins):
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    return {}


def _preflight(methods: str) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def preflight(request: web.Request) -> web.Response:
        headers = _cors_headers(request)
        if headers:
            headers.update(
                {
                    "Access-Control-Allow-Methods": methods,
                    "Access-Control-Max-Age": "600",
                    "Access-Control-Allow-Headers": "Authorization, Content-Type",
                }
            )
        return web.Response(status=204, headers=headers)

    return preflight


def _signed_in(request: web.Request, page_refused: str, unavailable: str) -> Identity | web.Response:
    """The person behind a widget's request (the intranet token as a Bearer token, from an allowed page), or the
    French refusal to send back: 403 from another page, 503 without a token verifier, 401 for a bad token."""
    if request.headers.get("Origin") and not _cors_headers(request):
        return french_error(403, page_refused, "origin")
    verifier = request.app[SETTINGS].verifier
    if verifier is None:
        return french_error(503, unavailable)
    try:
        return verifier.verify(request.headers.get("Authorization", "").removeprefix("Bearer ").strip())
    except Refused as refusal:
        return web.json_response(refusal.as_dict(), status=401)


async def feedback(request: web.Request) -> web.Response:
    """« utile / pas utile » for one answer: {"kind": "...", "useful": true}, with the intranet's token."""
    identity = _signed_in(
        request, "Cette page n'est pas autorisée à envoyer un avis.", "Les avis ne sont pas disponibles pour le moment."
    )
    if isinstance(identity, web.Response):
        return identity
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict) or not valid_kind(body.get("kind")) or not isinstance(body.get("useful"), bool):
        return french_error(400, "Avis non compris : il faut le type de réponse et « utile » ou « pas utile ».")
    if not request.app[FEEDBACK_LIMITER].allow(identity.subject):
        return french_error(429, "Vous avez donné beaucoup d'avis en peu de temps : merci, c'est noté.", "too_fast")
    try:
        record_feedback(request.app[BOOKING].database, body["kind"], body["useful"])
    except SQLAlchemyError as error:
        logger.error("feedback not recorded: %s", type(error).__name__)
        return french_error(503, "Votre avis n'a pas pu être enregistré. Réessayez plus tard.")
    return web.Response(status=204, headers=_cors_headers(request))


# -- HR's answers waiting to be shown ------------------------------------------------------------


ANSWERS_UNAVAILABLE = "Les réponses du service RH ne sont pas disponibles pour le moment."


def _no_store(response: web.Response, request: web.Request) -> web.Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers.update(_cors_headers(request))
    return response


async def answers_waiting(request: web.Request) -> web.Response:
    """How many of HR's answers to the signed-in person's requests the chat has not shown yet: {"waiting": n}.
    A count only (no reference, no text), of the token's person only. The widget asks it when the chat connects
    and every CHAT_ANSWERS_POLL_SECONDS while it stays connected, and only when n > 0 asks the assistant (a
    hidden payload, /check_hr_answers) to show them; the assistant marks them shown as it sends them. The
    database is the one every instance shares, so any web server and any Rasa instance agree."""
    identity = _signed_in(request, "Cette page n'est pas autorisée à consulter vos demandes.", ANSWERS_UNAVAILABLE)
    if isinstance(identity, web.Response):
        return _no_store(identity, request)
    if not request.app[ANSWERS_LIMITER].allow(identity.subject):
        return _no_store(
            french_error(429, "Trop de demandes en peu de temps : réessayez dans quelques minutes.", "too_fast"),
            request,
        )
    try:
        waiting = CaseStore(request.app[BOOKING].database).waiting(identity.subject)
    except SQLAlchemyError as error:
        logger.error("answers waiting not counted: %s", type(error).__name__)
        return _no_store(french_error(503, ANSWERS_UNAVAILABLE), request)
    return _no_store(web.json_response({"waiting": waiting}), request)


# -- the privacy notice ---------------------------------------------------------------------------


async def privacy_notice(request: web.Request) -> web.Response:
    try:
        with request.app[BOOKING].database.session() as session:
            article = session.get(Article, NOTICE_ARTICLE)
    except SQLAlchemyError as error:
        logger.error("privacy notice not read: %s", type(error).__name__)
        article = None
    if article is None:
        raise web.HTTPNotFound(text="Pas de notice dans la base : le widget affiche la sienne.")
    return web.json_response({"title": article.title, "text": article.body}, headers=_cors_headers(request))


# -- the demo page -------------------------------------------------------------------------------


def _content_security_policy(socket_url: str) -> str:
    socket_origin = origin_of(socket_url)
    websocket = socket_origin.replace("http", "ws", 1)
    return (
        f"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {socket_origin} {websocket}; frame-ancestors 'none'; base-uri 'none'; "
        f"form-action 'self'"
    )


async def demo_page(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    values = {
        "socket_url": settings.socket_url,
        "conversation_days": settings.conversation_days,
        "booking_days": settings.booking_days,
        "answers_poll_seconds": settings.answers_poll_seconds,
    }
    page = Template((WIDGET_DIR / "demo.html").read_text(encoding="utf-8"))
    body = page.substitute({key: html.escape(str(value)) for key, value in values.items()})
    return web.Response(
        text=body,
        content_type="text/html",
        charset="utf-8",
        headers={"Content-Security-Policy": _content_security_policy(settings.socket_url), "Cache-Control": "no-store"},
    )


async def to_backoffice(_request: web.Request) -> web.Response:
    raise web.HTTPPermanentRedirect("/rh/")


async def health(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


@web.middleware
async def security_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


def make_app(booking: Booking | None = None, settings: WebSettings | None = None) -> web.Application:
    settings = settings or WebSettings.from_env()
    try:
        secret_key()  # a missing key is made now, a short one stops the start (not the first link)
    except SecretKeyError as error:
        raise SystemExit(f"ERROR: {error}") from None
    app = web.Application(middlewares=[security_headers], client_max_size=16 * 1024)
    app[BOOKING] = booking or Booking(default_database())
    app[SETTINGS] = settings
    app[FEEDBACK_LIMITER] = RateLimiter(30, 600)
    # The widget asks every CHAT_ANSWERS_POLL_SECONDS (45) per tab: room for several tabs, not for a flood.
    app[ANSWERS_LIMITER] = RateLimiter(120, 600)
    app.router.add_get("/agenda/{token}.ics", calendar_file)
    app.router.add_get("/health", health)
    app.router.add_get("/notice", privacy_notice)
    app.router.add_post("/feedback", feedback)
    app.router.add_route("OPTIONS", "/feedback", _preflight("POST"))
    app.router.add_get("/answers/waiting", answers_waiting)
    app.router.add_route("OPTIONS", "/answers/waiting", _preflight("GET"))
    app.router.add_static("/widget/", WIDGET_DIR)
    app.router.add_get("/rh", to_backoffice)
    app.add_subapp("/rh/", make_backoffice(app[BOOKING], settings.backoffice()))
    if settings.dev_sign_in:
        app.router.add_get("/", demo_page)
        dev_sign_in.add_routes(app, settings.verifier, settings.roles_claim)
    return app


if __name__ == "__main__":  # pragma: no cover - started by scripts/run.sh
    environment = settings_or_exit()
    os.umask(0o077)
    logging.basicConfig(level=logging.WARNING)
    web.run_app(make_app(), host=environment.web_host, port=environment.web_port, access_log=None)
