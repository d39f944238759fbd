"""What every page of the back-office shares: its settings, the keys of the sub-application, the refusals
rendered as French error pages, and the rendering of a page with the person and the form token."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.backoffice.access import Person
from bot.booking.bookings import Booking
from bot.core.intranet import TokenVerifier
from bot.core.settings import DEFAULT_BACKOFFICE_SESSION_MINUTES, DEFAULT_ROLES_CLAIM

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class BackofficeSettings:
    verifier: TokenVerifier | None  # None: no intranet key, nobody can sign in
    roles_claim: str = DEFAULT_ROLES_CLAIM
    session_minutes: int = DEFAULT_BACKOFFICE_SESSION_MINUTES
    secure_cookie: bool = True  # False only when the server is reached on this machine (development)
    public_url: str = "http://127.0.0.1:8080"  # the calendar feeds' links
    # The development sign-in (DEV_SIGN_IN=1): demo agents (id -> name) and the token the intranet would give.
    demo_agents: Mapping[str, str] = field(default_factory=dict)
    demo_token: Callable[[str], str] | None = None


BOOKING = web.AppKey("backoffice_booking", Booking)
SETTINGS = web.AppKey("backoffice_settings", BackofficeSettings)
# The back-office's running KnowledgeBase, built at the first preview ("base"): previews derive their index from it.
KNOWLEDGE = web.AppKey("backoffice_knowledge", dict)
PERSON = web.RequestKey("backoffice_person", Person)  # None on the public pages without a session


class Refusal(Exception):
    """A page the person cannot have: rendered as a French error page with its status."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(title)
        self.status, self.title, self.message = status, title, message


def forbidden(message: str = "Cette page est réservée à d'autres personnes de l'espace RH.") -> Refusal:
    return Refusal(403, "Accès refusé", message)


def not_found(message: str) -> Refusal:
    return Refusal(404, "Page introuvable", message)


def page(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    person = request.get(PERSON)
    context.update(person=person, csrf=person.csrf_token if person else None, path=request.path)
    return aiohttp_jinja2.render_template(template, request, context, status=status)


def person_of(request: web.Request) -> Person:
    return request[PERSON]


def hr_only(handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
    """For pages of HR administrators only (a practitioner gets the 403 page)."""

    @functools.wraps(handler)
    async def checked(request: web.Request) -> web.StreamResponse:
        if not person_of(request).hr_admin:
            raise forbidden()
        return await handler(request)

    return checked
