"""Driving the back-office in tests: the web server's app on a test server, a person signed in with an intranet
token carrying roles, forms sent with the page's CSRF token."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import FormData
from aiohttp.test_utils import TestClient, TestServer

from bot.booking.bookings import Booking
from bot.core.db import Database
from bot.core.intranet import TokenVerifier, issue_token
from bot.web.server import WebSettings, make_app

SECRET = "backoffice-tests-secret-" + "k" * 32
VERIFIER = TokenVerifier(SECRET)
HR = ["hr_admin"]
PSYCHOLOGIST = ["practitioner:psychologue"]
_CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def web_settings(**changes: Any) -> WebSettings:
    values = dict(dev_sign_in=False, socket_url="http://127.0.0.1:5005", origins=frozenset(), verifier=VERIFIER)
    return WebSettings(**{**values, **changes})


def token(subject: str, roles: Any = None, claim: str = "roles") -> str:
    return issue_token(SECRET, subject, subject.replace(".", " ").title(), 600, extra={claim: roles} if roles else None)


class Page:
    """An answer: status, headers, text."""

    def __init__(self, status: int, headers: dict, text: str) -> None:
        self.status, self.headers, self.text = status, headers, text

    @property
    def csrf(self) -> str:
        found = _CSRF.search(self.text)
        assert found, "no CSRF token on the page"
        return found.group(1)


class Person:
    """One browser: its cookies, the last CSRF token it saw."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf: str | None = None

    async def _page(self, response) -> Page:
        page = Page(response.status, dict(response.headers), await response.text())
        found = _CSRF.search(page.text)
        if found:
            self.csrf = found.group(1)
        return page

    async def sign_in(self, subject: str, roles: Any = None, claim: str = "roles") -> Page:
        response = await self.client.post("/rh/connexion", data={"token": token(subject, roles, claim)})
        return await self._page(response)

    async def get(self, path: str, **kwargs: Any) -> Page:
        return await self._page(await self.client.get(path, **kwargs))

    async def post(self, path: str, data: dict | FormData | None = None, csrf: bool = True, **kwargs: Any) -> Page:
        """A form sent from the page, with its CSRF token (or, `csrf=False`, a forged one without it)."""
        if csrf and self.csrf is None:
            await self.get("/rh/")
        if isinstance(data, FormData):
            if csrf:
                data.add_field("csrf", self.csrf)
            form = data
        else:
            form = {**(data or {}), **({"csrf": self.csrf} if csrf else {})}
        return await self._page(await self.client.post(path, data=form, **kwargs))


def run(
    database: Database,
    scenario: Callable[[Callable[[], Person]], Awaitable[Any]],
    settings: WebSettings | None = None,
    booking: Booking | None = None,
) -> Any:
    """Run `scenario(new_person)` against the web server; each new_person() is a browser of its own."""

    async def go() -> Any:
        app = make_app(booking or Booking(database), settings or web_settings())
        async with TestServer(app) as server:
            clients: list[TestClient] = []

            def new_person() -> Person:
                client = TestClient(server)
                clients.append(client)
                return Person(client)

            try:
                for client in clients:
                    await client.start_server()
                return await scenario(new_person)
            finally:
                for client in clients:
                    await client.close()

    return asyncio.run(go())


def article_form(database: Database, article_id: str, action: str = "publier", **changes: Any) -> dict[str, str]:
    """The edit form of an article as the page fills it, with `changes` typed in."""
    from bot.knowledge.versions import stored_raw

    raw = stored_raw(database, article_id)
    fields = ("topic", "title", "body", "how_to", "source", "source_url", "source_date", "reliability")
    form = {name: str(raw.get(name) or "") for name in fields}
    form["questions"] = "\n".join(raw.get("questions") or [])
    return {**form, **changes, "action": action}


async def signed_in(new_person: Callable[[], Person], subject: str = "nadia.rousseau", roles: Any = None) -> Person:
    """A new browser signed in (by default as the HR demo agent)."""
    person = new_person()
    await person.sign_in(subject, roles or HR)
    return person
