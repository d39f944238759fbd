"""Issue 14 « Secure by default », through running assistants.

- `make test`'s assistant (REST_CHANNEL=1): the HTTP API refuses requests without the run's token,
  the REST channel refuses browsers and takes no name from the client, the action server refuses
  a forged call (401), and what the assistant wrote is its owner's only (umask 077, var/ 0700);
- an assistant started here with the default settings (no REST_CHANNEL): no REST channel and no
  HTTP API at all, and a wrong boolean stops the start with a message naming the variable.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.runtime.local_api import api_token, api_token_file
from tests.e2e.client import BASE, Person, require_assistant

require_assistant()

ROOT = Path(__file__).resolve().parents[2]
RASA_PORT = os.environ.get("RASA_PORT", "5005")
ACTIONS = f"http://127.0.0.1:{os.environ.get('ACTIONS_PORT', '5055')}"
DEFAULT_PORTS = {"RASA_PORT": "5205", "ACTIONS_PORT": "5255", "WEB_PORT": "8280"}


def request(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, body, headers or {}, method=method), timeout=60
        ) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""  # nothing listening (yet)


API_ENDPOINTS = [
    ("GET", "/conversations/someone/tracker"),
    ("POST", "/model/parse"),
    ("GET", "/status"),
    ("GET", "/domain"),
    ("PUT", "/model"),
    ("POST", "/conversations/someone/messages"),
]


@pytest.mark.parametrize("method,path", API_ENDPOINTS)
def test_the_http_api_needs_the_runs_token(method, path):
    body = b'{"text": "bonjour", "sender": "user"}' if method != "GET" else None
    status, _ = request(f"{BASE}{path}", method, body, {"Content-Type": "application/json"})
    assert status in (401, 403), (path, status)
    status, _ = request(f"{BASE}{path}?token=not-the-token", method, body, {"Content-Type": "application/json"})
    assert status in (401, 403), (path, status)


def test_the_token_file_is_the_owners_only_and_opens_the_api():
    path = api_token_file(RASA_PORT)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    status, body = request(f"{BASE}/status?token={api_token(RASA_PORT)}")
    assert status == 200 and b"model_file" in body


def test_the_rest_channel_refuses_browsers_and_takes_no_name_from_the_client():
    body = json.dumps({"sender": "victim", "message": "mes rendez-vous"}).encode()
    url = f"{BASE}/webhooks/rest/webhook"
    # A web page can post text/plain without a preflight: refused; and any request with an Origin.
    assert request(url, "POST", body, {"Content-Type": "text/plain"})[0] == 415
    assert request(url, "POST", body, {"Content-Type": "application/json", "Origin": "https://evil.example"})[0] == 403
    assert request(url, "POST", body, {"Content-Type": "application/json", "Origin": "null"})[0] == 403
    # metadata.name is ignored: the booking holds no name written by the client.
    from bot.booking.bookings import Booking
    from bot.core.db import default_database

    person = Person("noname")
    said = person.say("je voudrais un rendez-vous avec la permanence RH")
    for _ in range(4):
        if "Je récapitule" in said:
            break
        said = person.say(person.buttons[0]["payload"]) if person.buttons else person.say("dès que possible")
    forged = json.dumps(
        {
            "sender": person.sender,
            "message": "oui je confirme",
            "metadata": {"name": '=HYPERLINK("https://evil.example")'},
        }
    ).encode()
    status, replies = request(url, "POST", forged, {"Content-Type": "application/json"})
    assert status == 200
    booked = Booking(default_database()).upcoming(person.sender)
    assert booked, replies  # the booking went through...
    assert all(slot.holder_name is None for slot in booked)  # ...with no name from the client


def test_a_forged_call_to_the_action_server_is_refused():
    call = json.dumps(
        {
            "next_action": "action_answer_yes",
            "sender_id": "victim",
            "tracker": {
                "sender_id": "victim",
                "slots": {"pending_question": "cancel"},
                "events": [],
                "latest_message": {},
            },
            "domain": {},
            "version": "3.6.2",
        }
    ).encode()
    assert request(f"{ACTIONS}/webhook", "POST", call, {"Content-Type": "application/json"})[0] == 401
    assert (
        request(
            f"{ACTIONS}/webhook",
            "POST",
            call,
            {"Content-Type": "application/json", "Authorization": "Bearer " + "x" * 64},
        )[0]
        == 401
    )
    assert (
        request(f"{ACTIONS}/webhook", "POST", call, {"Content-Type": "application/json", "Authorization": "Bearer é"})[
            0
        ]
        == 401
    )
    assert request(f"{ACTIONS}/actions")[0] == 401
    assert request(f"{ACTIONS}/health")[0] == 200


def test_what_the_assistant_writes_is_its_owners_only():
    var = ROOT / "var"
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    written = [var / f"credentials-{RASA_PORT}.yml", var / f"endpoints-{RASA_PORT}.yml"]
    written += [
        Path(os.environ[key].removeprefix("sqlite:///"))
        for key in ("DATABASE_URL", "TRACKER_STORE_URL")
        if os.environ.get(key, "").startswith("sqlite:///")
    ]
    written += [path for path in var.glob("e2e*.db-*")]
    for path in written:
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path} is {oct(path.stat().st_mode)}"


def start(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        ["scripts/run.sh"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )


def test_a_wrong_boolean_stops_the_start_naming_the_variable():
    env = {**os.environ, **DEFAULT_PORTS, "REST_CHANNEL": "oui"}
    process = start(env)
    output = process.communicate(timeout=60)[0].decode()
    assert process.returncode == 2 and "REST_CHANNEL=oui" in output, output
    process = start({**env, "REST_CHANNEL": "1", "DEV_SIGN_IN": "2"})
    output = process.communicate(timeout=60)[0].decode()
    assert process.returncode == 2 and "DEV_SIGN_IN=2" in output, output


@pytest.fixture(scope="module")
def default_assistant():
    """The assistant as production starts it: only the intranet key, every other setting by default."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REST_CHANNEL", "DEV_SIGN_IN", "ACTION_SERVER_TOKEN")
    }
    env |= DEFAULT_PORTS | {
        "INTRANET_JWT_SECRET": secrets.token_hex(32),
        "PUBLIC_URL": "http://127.0.0.1:8280",
        "INTRANET_ALLOWED_ORIGINS": "http://127.0.0.1:8280",
    }
    process = start(env)
    base = f"http://127.0.0.1:{DEFAULT_PORTS['RASA_PORT']}"
    deadline = time.monotonic() + 300
    try:
        while (
            request(f"http://127.0.0.1:{DEFAULT_PORTS['WEB_PORT']}/health")[0] != 200 or request(f"{base}/")[0] != 200
        ):
            if process.poll() is not None:
                pytest.fail("the assistant with default settings did not start:\n" + process.stdout.read().decode())
            if time.monotonic() > deadline:
                pytest.fail("the assistant with default settings is not ready after 300 s")
            time.sleep(1)
        yield base
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=60)


def test_by_default_there_is_no_rest_channel_and_no_http_api(default_assistant):
    body = json.dumps({"sender": "victim", "message": "mes rendez-vous"}).encode()
    assert (
        request(f"{default_assistant}/webhooks/rest/webhook", "POST", body, {"Content-Type": "application/json"})[0]
        == 404
    )
    for method, path in API_ENDPOINTS:
        status, _ = request(
            f"{default_assistant}{path}",
            method,
            body if method != "GET" else None,
            {"Content-Type": "application/json"},
        )
        assert status in (404, 405), (path, status)
    assert not api_token_file(DEFAULT_PORTS["RASA_PORT"]).exists()
    actions = f"http://127.0.0.1:{DEFAULT_PORTS['ACTIONS_PORT']}"
    assert (
        request(
            f"{actions}/webhook", "POST", b'{"next_action": "action_answer_yes"}', {"Content-Type": "application/json"}
        )[0]
        == 401
    )
