"""The REST channel for local tools (`make shell`, `make bench`, the tests): on only with REST_CHANNEL=1.

Rasa's RestInput takes the conversation's sender id and any metadata from the request body. This
subclass keeps its URL (/webhooks/rest/webhook) and wire format, and:

- takes no metadata from the client: no display name (the name HR sees comes only from the
  intranet's signed token, in the intranet chat);
- refuses requests from a web browser: a request with an Origin header (every browser sends one on
  a cross-site POST) gets 403, and a body that is not `application/json` gets 415, so that a web
  page cannot post to it with a « simple » text/plain request;
- passes a message starting with « / » as a payload only when it is a well-formed one of the
  domain (rasa_components/payloads.py), and keeps its text out of the logs.

Configured in the credentials file scripts/run.sh writes, as `rasa_components.rest_channel.LocalRestInput`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from rasa_components.log_privacy import remember
from rasa_components.payloads import known_payloads


class LocalRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def _extract_message(self, req: Request) -> str | None:
        text = super()._extract_message(req)
        remember(text)
        return known_payloads().plain_or_payload(text)

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        return None  # never a name (or anything else) from the client

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def local_tools_only(request: Request) -> response.HTTPResponse | None:
            refused = refusal(request.method, request.headers.get("origin"), request.content_type)
            return response.json(refused[1], status=refused[0]) if refused else None

        return blueprint


def refusal(method: str, origin: str | None, content_type: str | None) -> tuple[int, dict] | None:
    """(status, body) for a request the REST channel refuses, None for one it serves."""
    if method != "POST":
        return None
    if origin is not None:
        return 403, {
            "code": "origin",
            "message": "Ce canal n'accepte pas les requêtes d'une page web : utilisez le chat de l'intranet.",
        }
    if (content_type or "").split(";")[0].strip().lower() != "application/json":
        return 415, {"code": "content_type", "message": "Corps attendu en JSON (Content-Type: application/json)."}
    return None
