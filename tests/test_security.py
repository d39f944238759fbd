"""Issue 14 « Secure by default », the parts outside Rasa: settings, HMAC key and signatures, the
calendar file, forgetting bookings (and leaving no copy in SQLite), feedback kinds, token lifetime,
the development sign-in, the confirmation text and the authenticated action server."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import icalendar
import jwt
import pytest

from bot.__main__ import main
from bot.booking.bookings import Booking
from bot.booking.dialogue import privacy_text
from bot.booking.ics import booking_ics
from bot.core import signing
from bot.core.db import database_for
from bot.core.intranet import Refused, TokenVerifier, issue_token
from bot.core.settings import SettingError, env_flag
from bot.knowledge.feedback import record_feedback, valid_kind
from bot.runtime.action_server import authorized
from bot.web.server import WebSettings
from tests.booking.test_booking import NOW, fixed_now
from tests.web.test_web import SECRET, call, settings

ROOT = Path(__file__).resolve().parents[1]
MARKER = "Zéphyrine-Oubliée"


# -- settings ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,expected",
    [
        ("1", True),
        ("TRUE", True),
        (" yes ", True),
        ("on", True),
        ("0", False),
        ("False", False),
        ("no", False),
        ("OFF", False),
        ("", False),
    ],
)
def test_booleans_accept_only_clear_values(value, expected):
    assert env_flag("REST_CHANNEL", environ={"REST_CHANNEL": value}) is expected


@pytest.mark.parametrize("value", ["2", "oui", "non", "enabled", "ture", "-1"])
def test_any_other_boolean_is_refused_naming_the_variable(value):
    with pytest.raises(SettingError, match="REST_CHANNEL"):
        env_flag("REST_CHANNEL", environ={"REST_CHANNEL": value})


def test_the_web_server_stops_on_a_wrong_flag_and_on_a_public_url_with_the_dev_sign_in(monkeypatch):
    monkeypatch.setenv("INTRANET_JWT_SECRET", SECRET)
    monkeypatch.setenv("DEV_SIGN_IN", "oui")
    with pytest.raises(SystemExit, match="DEV_SIGN_IN"):
        WebSettings.from_env()
    monkeypatch.setenv("DEV_SIGN_IN", "1")
    for public in ("https://rh.mines-ales.fr", "http://10.0.0.5:8080", "https://127.0.0.1.evil.example"):
        monkeypatch.setenv("PUBLIC_URL", public)
        with pytest.raises(SystemExit, match="PUBLIC_URL"):
            WebSettings.from_env()
    for local in ("http://127.0.0.1:8080", "http://localhost:8180", "http://[::1]:8080"):
        monkeypatch.setenv("PUBLIC_URL", local)
        assert WebSettings.from_env().dev_sign_in


# -- HMAC key and signatures ---------------------------------------------------------------------------


@pytest.fixture
def fresh_key(monkeypatch, tmp_path):
    monkeypatch.delenv("ASSISTANT_SECRET", raising=False)
    monkeypatch.setattr(signing, "key_file", lambda: tmp_path / "var" / "secret.key")
    signing.secret_key.cache_clear()
    yield tmp_path / "var" / "secret.key"
    signing.secret_key.cache_clear()


@pytest.mark.parametrize("short", ["", "x", "k" * 31])
def test_keys_under_32_bytes_are_refused(fresh_key, monkeypatch, short):
    monkeypatch.setenv("ASSISTANT_SECRET", short)
    if short:
        with pytest.raises(signing.SecretKeyError, match="32"):
            signing.sign("RDV-AAAAAA")
    fresh_key.parent.mkdir(parents=True)
    fresh_key.write_text(short)
    monkeypatch.delenv("ASSISTANT_SECRET")
    signing.secret_key.cache_clear()
    with pytest.raises(signing.SecretKeyError, match="32"):
        signing.sign("RDV-AAAAAA")


def test_the_key_file_is_written_whole_once_and_for_its_owner_only(fresh_key):
    def first_key(_):
        signing._write_new_key(fresh_key)
        return fresh_key.read_text()

    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(first_key, range(32)))
    assert len(keys) == 1 and len(keys.pop()) == 64  # every reader saw the one whole key
    assert stat.S_IMODE(fresh_key.stat().st_mode) == 0o600
    assert [path.name for path in fresh_key.parent.iterdir()] == ["secret.key"]  # no temporary left
    assert len(signing.secret_key()) == 64


@pytest.mark.parametrize(
    "signature", ["é" * 32, "\udcff", "", "0" * 31, "0" * 33, "Ä", "%00", "A" * 32, "\x00" * 32, None, 12]
)
def test_any_signature_is_compared_safely(fresh_key, signature):
    assert signing.signed("RDV-AAAAAA", signature) is False
    assert signing.signed("RDV-AAAAAA", signing.sign("RDV-AAAAAA")) is True


def test_non_ascii_signatures_in_calendar_links_and_the_dev_cookie_are_refused_not_a_500(database):
    results = call(
        database,
        settings(),
        ("GET", "/agenda/RDV-AAAAAA.%C3%A9%C3%A9%C3%A9.ics", {}),
        ("GET", "/agenda/RDV-%C3%A9.%C3%A9.ics", {}),
        ("GET", "/dev/token", {"headers": {"Cookie": "assistant_rh_demo=camille.martin.\u00e9\u00e9"}}),
        ("GET", "/dev/token", {"headers": {"Cookie": "assistant_rh_demo=camille.martin.%C3%A9"}}),
    )
    assert [status for status, _, _ in results] == [404, 404, 401, 401]


# -- the calendar file -----------------------------------------------------------------------------------


def test_a_confidential_service_is_named_nowhere_in_the_calendar_file(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'ics.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    main(["schedules", "load"])
    booking = Booking(database_for(url), now=fixed_now)
    for code in ("psychologue", "assistante_sociale", "avocat", "medecin_travail"):
        service = booking.service(code)
        if service is None:
            continue
        assert service.confidential
        for slot in booking.free_slots(code)[:3]:
            event = icalendar.Calendar.from_ical(booking_ics(slot, service.name, True)).walk("VEVENT")[0]
            text = " ".join(str(event.get(key, "")) for key in ("summary", "description", "location")).lower()
            for word in ("psycholog", "social", "avocat", "médecin", "medecin", "consultation", "travail"):
                assert word not in text, (code, text)
            if slot.room:
                assert slot.room.lower() not in text
            assert event["summary"] == "Rendez-vous personnel" and event["class"] == "PRIVATE"
    permanence = booking.free_slots("permanence_rh")[0]
    event = icalendar.Calendar.from_ical(booking_ics(permanence, "la permanence RH", False)).walk("VEVENT")[0]
    assert "permanence" in str(event["summary"])  # a service that is not confidential keeps its name


# -- forgetting bookings ------------------------------------------------------------------------------------


def test_bookings_forget_removes_names_from_the_database_and_its_wal(tmp_path, monkeypatch, capsys):
    path = tmp_path / "forget.db"
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    main(["schedules", "load"])
    capsys.readouterr()
    booking = Booking(database_for(url), now=fixed_now)
    slot = booking.free_slots("permanence_rh")[0]
    assert booking.book(slot.id, f"{MARKER}-id", f"{MARKER} Nom").booked
    later = Booking(database_for(url), now=lambda: NOW + timedelta(days=60))
    raw = lambda: b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("forget.db"))  # noqa: E731
    assert MARKER.encode() in raw()
    monkeypatch.setattr("bot.booking.cli.Booking", lambda database: later)
    assert main(["bookings", "forget", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"forgotten": 1, "days": 30}
    assert MARKER.encode() not in raw()  # secure_delete zeroed the old row, the checkpoint emptied the WAL
    assert later.slot(slot.id).holder is None and later.slot(slot.id).holder_name is None
    assert main(["bookings", "forget"]) == 0 and "0" in capsys.readouterr().out


def test_the_conversation_purge_leaves_no_deleted_text_in_the_sqlite_file(tmp_path):
    import sqlite3

    path = tmp_path / "tracker.db"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, timestamp REAL, "
            "intent_name TEXT, action_name TEXT, data TEXT)"
        )
        db.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                ("a", "action", 1000.0, None, "action_session_start", "{}"),
                ("a", "user", 1001.0, "greet", None, json.dumps({"text": MARKER * 20}, ensure_ascii=False)),
            ],
        )
    assert MARKER.encode() in path.read_bytes()
    from bot.safety.retention import RetentionPolicy, purge_tracker_store

    report = purge_tracker_store(f"sqlite:///{path}", RetentionPolicy(days=1))
    assert report.events == 2
    assert MARKER.encode() not in b"".join(p.read_bytes() for p in tmp_path.iterdir())


def test_the_confirmation_says_the_name_is_kept_and_for_how_long(tmp_path):
    booking = Booking(database_for(f"sqlite:///{tmp_path / 'c.db'}"), now=fixed_now)
    main_url = f"sqlite:///{tmp_path / 'c.db'}"
    os.environ["DATABASE_URL"] = main_url
    try:
        main(["schedules", "load"])
    finally:
        del os.environ["DATABASE_URL"]
    for code in ("psychologue", "permanence_rh"):
        text = privacy_text(booking.service(code), retention_days=30)
        assert "votre nom" in text and "identifiant" in text and "30 jours" in text, text


# -- feedback and tokens ---------------------------------------------------------------------------------------


def test_feedback_kinds_come_from_the_domains_allow_list(tmp_path):
    database = database_for(f"sqlite:///{tmp_path / 'f.db'}")
    assert valid_kind("action_answer_leave") and valid_kind("utter_greet")
    for kind in ("action_does_not_exist", "a", "utter_" + "x" * 60, "hyperlink"):
        assert not valid_kind(kind)
        with pytest.raises(ValueError):
            record_feedback(database, kind, True)


def test_tokens_valid_for_longer_than_the_maximum_lifetime_are_refused():
    verifier = TokenVerifier(SECRET)
    assert verifier.verify(issue_token(SECRET, "camille", None, 3600)).subject == "camille"
    for lifetime in (2 * 3600, 365 * 24 * 3600):
        with pytest.raises(Refused) as refusal:
            verifier.verify(issue_token(SECRET, "camille", None, lifetime))
        assert refusal.value.code == "invalid"
    year_9999 = jwt.encode({"sub": "camille", "aud": "assistant-rh", "exp": 253402300799}, SECRET, algorithm="HS256")
    with pytest.raises(Refused):
        verifier.verify(year_9999)
    longer = TokenVerifier.configured(
        environ={"INTRANET_JWT_SECRET": SECRET, "INTRANET_JWT_MAX_LIFETIME_SECONDS": "8000"}
    )
    assert longer.verify(issue_token(SECRET, "camille", None, 2 * 3600)).subject == "camille"
    with pytest.raises(ValueError, match="INTRANET_JWT_MAX_LIFETIME_SECONDS"):
        TokenVerifier.configured(environ={"INTRANET_JWT_SECRET": SECRET, "INTRANET_JWT_MAX_LIFETIME_SECONDS": "1h"})


# -- the action server ----------------------------------------------------------------------------------------


def test_the_authorization_header_is_compared_safely():
    token = "t" * 40
    assert authorized("Bearer " + token, token)
    for header in (
        None,
        "",
        token,
        "Bearer ",
        "Bearer " + "t" * 39,
        "bearer " + token,
        "Bearer é",
        "Bearer \udcff",
        "Basic " + token,
    ):
        assert not authorized(header, token)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http(url: str, body: bytes | None = None, headers: dict | None = None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, headers or {}), timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # not listening yet


def test_the_action_server_runs_no_action_for_a_caller_without_the_secret(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"}
    env.pop("ACTION_SERVER_TOKEN", None)
    port = free_port()
    refused = subprocess.run(
        [sys.executable, "-m", "bot.runtime.action_server", "-p", str(port)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1 and "ACTION_SERVER_TOKEN" in refused.stderr
    token = "s" * 48
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.runtime.action_server", "-p", str(port), "--quiet"],
        env={**env, "ACTION_SERVER_TOKEN": token},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while http(f"http://127.0.0.1:{port}/health") != 200:
            assert server.poll() is None and time.monotonic() < deadline
            time.sleep(0.3)
        call = json.dumps(
            {
                "next_action": "action_answer_yes",
                "sender_id": "victim",
                "version": "3.6.2",
                "tracker": {"sender_id": "victim", "slots": {}, "events": [], "latest_message": {}},
                "domain": {},
            }
        ).encode()
        json_type = {"Content-Type": "application/json"}
        assert http(f"http://127.0.0.1:{port}/webhook", call, json_type) == 401
        assert (
            http(f"http://127.0.0.1:{port}/webhook", call, json_type | {"Authorization": "Bearer " + "x" * 48}) == 401
        )
        assert http(f"http://127.0.0.1:{port}/actions") == 401
        assert http(f"http://127.0.0.1:{port}/actions", None, {"Authorization": f"Bearer {token}"}) == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
