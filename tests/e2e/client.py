"""A person talking to the running assistant through the REST channel (shared by the e2e tests)."""

from __future__ import annotations

import json
import os
import urllib.request
import uuid

import pytest

from bot.runtime.local_api import with_api_token

BASE = f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}"
URL = f"{BASE}/webhooks/rest/webhook"


def require_assistant() -> None:
    """Skip the module without a running assistant, except under CI where it must run."""
    try:
        urllib.request.urlopen(f"{BASE}/", timeout=5)  # Rasa's hello page (the API needs the run's token)
    except OSError as error:
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"no assistant at {BASE}: under CI these conversations must run") from error
        pytest.skip(f"no assistant at {BASE} (run through `make test`)", allow_module_level=True)


def post(path: str, payload: dict) -> object:
    """A POST to the REST channel or, with this run's token (var/api-token-<port>), to Rasa's HTTP API."""
    url = f"{BASE}{path}" if path.startswith("/webhooks/") else with_api_token(f"{BASE}{path}")
    request = urllib.request.Request(url, json.dumps(payload).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


class Person:
    def __init__(self, name: str) -> None:
        self.sender = f"e2e-{name}-{uuid.uuid4().hex[:8]}"
        self.buttons: list[dict] = []

    def say(self, message: str) -> str:
        replies = post("/webhooks/rest/webhook", {"sender": self.sender, "message": message})
        self.buttons = [button for reply in replies for button in reply.get("buttons") or []]
        return "\n".join(reply.get("text") or "" for reply in replies)

    def click(self, title_start: str) -> str:
        button = next(b for b in self.buttons if b["title"].startswith(title_start))
        return self.say(button["payload"])
