"""The action server, authenticated: `python -m bot.runtime.action_server --actions actions -p 5055`.

Rasa SDK's server runs any action for any caller. This one is the same server (rasa_sdk's
create_app) with a check before every request but /health: the caller must send
`Authorization: Bearer <ACTION_SERVER_TOKEN>`, the shared secret that Rasa's action endpoint sends
(bot/runtime/endpoints.py writes it into Rasa's endpoints file as a header). Anything else gets 401 and no
action runs. It listens on 127.0.0.1 unless ACTIONS_HOST (or SANIC_HOST) says otherwise.

ACTION_SERVER_TOKEN is required (at least 32 characters): scripts/run.sh makes one per run when it
is not set. With Rasa and the action servers on several hosts, give them all the same value (and
put the action servers on a private network or behind TLS).
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys
from collections.abc import Mapping

from bot.core.settings import settings_for, settings_or_exit

MIN_TOKEN_CHARS = 32
TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"
OPEN_PATHS = frozenset({"/health"})


class TokenError(ValueError):
    """The shared secret is missing or too short; the message names the variable."""


def action_server_token(environ: Mapping[str, str] | None = None) -> str:
    token = (settings_for(environ).action_server_token or "").strip()
    if len(token) < MIN_TOKEN_CHARS:
        raise TokenError(
            f"{TOKEN_VARIABLE} must be set to a secret of at least {MIN_TOKEN_CHARS} characters "
            "(the one Rasa's action endpoint sends; scripts/run.sh makes one per run)"
        )
    return token


def authorized(header: str | None, token: str) -> bool:
    """Constant-time comparison of `Authorization: Bearer <token>`, for any input (bytes, non-ASCII)."""
    if not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(
        header.removeprefix("Bearer ").strip().encode("utf-8", "surrogateescape"), token.encode("utf-8")
    )


def create_app(actions: str = "actions", token: str | None = None):
    from rasa_sdk.endpoint import create_app as sdk_app
    from sanic import response

    token = token or action_server_token()
    app = sdk_app(actions, cors_origins=None)

    @app.middleware("request")
    async def require_rasa(request):
        if request.path in OPEN_PATHS:
            return None
        if not authorized(request.headers.get("authorization"), token):
            return response.json({"error": "unauthorized"}, status=401)
        return None

    return app


def main(argv: list[str] | None = None) -> int:
    settings = settings_or_exit()
    parser = argparse.ArgumentParser(prog="python -m bot.runtime.action_server", description=__doc__.splitlines()[0])
    parser.add_argument("--actions", default="actions")
    parser.add_argument("-p", "--port", type=int, default=settings.actions_port)
    parser.add_argument("--quiet", action="store_true", help="warnings and errors only")
    args = parser.parse_args(argv)
    try:
        token = action_server_token()
    except TokenError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    os.umask(0o077)
    from rasa_sdk import utils

    utils.configure_colored_logging(logging.WARNING if args.quiet else logging.INFO)
    utils.update_sanic_log_level()
    app = create_app(args.actions, token)
    app.run(settings.actions_host, args.port, workers=utils.number_of_sanic_workers(), access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
