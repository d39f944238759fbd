"""The project's web server (aiohttp): for now, the calendar files of confirmed bookings.

A calendar link carries the booking reference and an HMAC signature, so that only
the person who received it in the conversation can fetch the file.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache

from aiohttp import web

from bot.booking import Booking
from bot.ics import booking_ics
from bot.config import PROJECT_ROOT
from bot.db import default_database

_SIGNATURE_CHARS = 32
BOOKING = web.AppKey("booking", Booking)


@lru_cache(maxsize=1)
def secret_key() -> bytes:
    """$ASSISTANT_SECRET, or a random key kept in var/secret.key (created once, readable by its owner only)."""
    if os.environ.get("ASSISTANT_SECRET"):
        return os.environ["ASSISTANT_SECRET"].encode()
    path = PROJECT_ROOT / "var" / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def _signature(reference: str) -> str:
    return hmac.new(secret_key(), reference.encode(), hashlib.sha256).hexdigest()[:_SIGNATURE_CHARS]


def calendar_url(reference: str) -> str:
    base = os.environ.get("PUBLIC_URL", "http://127.0.0.1:8080").rstrip("/")
    return f"{base}/agenda/{reference}.{_signature(reference)}.ics"


async def calendar_file(request: web.Request) -> web.Response:
    reference, _, signature = request.match_info["token"].partition(".")
    if not hmac.compare_digest(signature, _signature(reference)):
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


async def health(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def make_app(booking: Booking | None = None) -> web.Application:
    app = web.Application()
    app[BOOKING] = booking or Booking(default_database())
    app.router.add_get("/agenda/{token}.ics", calendar_file)
    app.router.add_get("/health", health)
    return app


if __name__ == "__main__":  # pragma: no cover - started by scripts/run.sh
    web.run_app(make_app(), host=os.environ.get("WEB_HOST", "127.0.0.1"), port=int(os.environ.get("WEB_PORT", "8080")),
                access_log=None)
