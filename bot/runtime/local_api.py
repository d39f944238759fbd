"""Rasa's HTTP API token for local tools: scripts/run.sh writes one per run (REST_CHANNEL=1 only).

The file is var/api-token for the default port 5005 and var/api-token-<port> for another one (so
that `make test`'s assistant and a `make run` do not overwrite each other's), mode 0600 in a 0700
folder: only the account that runs the assistant can read it. Rasa takes it as `?token=…`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from bot.core.settings import PROJECT_ROOT, settings

DEFAULT_PORT = "5005"


def api_token_file(port: str | int | None = None) -> Path:
    port = str(port or settings().rasa_port)
    return PROJECT_ROOT / "var" / ("api-token" if port == DEFAULT_PORT else f"api-token-{port}")


def api_token(port: str | int | None = None) -> str | None:
    try:
        return api_token_file(port).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def with_api_token(url: str, port: str | int | None = None) -> str:
    """`url` with `token=` of the run on `port` (unchanged when there is no token file)."""
    token = api_token(port)
    if not token:
        return url
    return f"{url}{'&' if '?' in url else '?'}token={quote(token)}"
