"""Issue 14 inside the Rasa process: payload hygiene, the log filter, the REST channel, the API token."""

from __future__ import annotations

import json
import logging
import warnings

import pytest
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.training_data.message import Message

import rasa_components  # noqa: F401  installs the filter, as in Rasa's process
from rasa_components import log_privacy
from rasa_components.payloads import KnownPayloads, known_payloads
from rasa_components.rest_channel import LocalRestInput, refusal
from rasa_components.serve import with_token
from tests.e2e.hostile_corpus import FORGED

MARKER = "LEAKMARK7f3a"


def test_only_well_formed_payloads_of_known_intents_and_entities_stay_payloads():
    known = known_payloads()
    for payload in (
        "/affirm",
        "/deny",
        "/greet",
        "/book_appointment",
        '/book_appointment{"service": "psychologue"}',
        '/inform{"answer": "oui"}',
        "/restart",
    ):
        assert known.plain_or_payload(payload) == payload
    for text, plain in (
        (f"/{MARKER} je veux mourir", f"{MARKER} je veux mourir"),
        ("/", ""),
        ("//", ""),
        ("/ /", ""),
        ("  //aide", "aide"),
        ("\x00/affirm x", "affirm x"),
    ):
        assert known.plain_or_payload(text) == plain
    for forged in (
        '/greet{"x": 1}',
        "/nonexistent_intent",
        "/affirm@0.99",
        '/book_appointment{"service": [1]}',
        '/inform{"answer": "' + "x" * 500 + '"}',
        "/book_appointment{",
        "/affirm trailing",
        '/inform{"campus": {"nested": 1}}',
        '/book_appointment{"service": null}',
    ):
        assert not known.plain_or_payload(forged).startswith("/"), forged
    assert known.plain_or_payload("bonjour /affirm") == "bonjour /affirm"
    assert known.plain_or_payload(None) is None


def test_rasa_never_parses_a_non_payload_from_the_hostile_corpus():
    """What the channels pass on either is a known payload or does not start with « / » at all."""
    known = known_payloads()
    for text in FORGED:
        passed = known.plain_or_payload(text)
        if passed.startswith("/"):
            assert known.is_payload(passed), text


def test_the_known_payloads_are_the_domains():
    known = KnownPayloads.from_domain_files()
    assert {"affirm", "book_appointment", "urgent_distress"} <= known.intents
    assert {"service", "answer"} <= known.entities and "booking_choice" not in known.intents


def test_rasas_failed_to_parse_warning_and_text_bearing_records_are_dropped(capsys, caplog):
    caplog.set_level(logging.DEBUG)
    log_privacy.remember(f"une phrase avec {MARKER} dedans")
    before = log_privacy.DROPPED["count"]
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        # Rasa's own parser, on a malformed payload: it warns « Failed to parse arguments in line '…' ».
        YAMLStoryReader.unpack_regex_message(Message({"text": f'/greet{{"{MARKER}": 1}} {MARKER}'}))
        YAMLStoryReader.unpack_regex_message(Message({"text": f"/greet{{{MARKER}"}))
    logging.getLogger("rasa.core.processor").warning("Received user message '%s'", f"x {MARKER}")
    logging.getLogger("anything").error("%s", f"une phrase avec {MARKER} dedans, quoted back")
    logging.getLogger("structlog-like").warning(json.dumps({"event": "message.parsing.failed", "user_text": MARKER}))
    logging.getLogger("ok").warning("nothing personal here")
    out = capsys.readouterr()
    everything = out.out + out.err + caplog.text
    assert MARKER not in everything
    assert "Failed to parse arguments" not in everything
    assert "nothing personal here" in caplog.text  # the filter drops only what carries text
    assert log_privacy.DROPPED["count"] >= before + 4


class FakeRequest:
    def __init__(self, body: dict) -> None:
        self.json = body


def test_the_rest_channel_takes_no_metadata_and_refuses_browsers():
    channel = LocalRestInput()
    request = FakeRequest({"sender": "camille", "message": f"/{MARKER} bonjour", "metadata": {"name": "=HYPERLINK(1)"}})
    assert channel.get_metadata(request) is None
    assert channel._extract_message(request) == f"{MARKER} bonjour"
    assert channel._extract_message(FakeRequest({"message": "/affirm"})) == "/affirm"
    assert refusal("POST", None, "application/json") is None
    assert refusal("POST", None, "application/json; charset=utf-8") is None
    assert refusal("POST", None, "text/plain")[0] == 415  # a web page's « simple » request
    assert refusal("POST", None, None)[0] == 415
    assert refusal("POST", "https://evil.example", "application/json")[0] == 403
    assert refusal("POST", "null", "application/json")[0] == 403
    assert refusal("GET", None, None) is None  # the channel's health page


def test_the_api_token_is_read_from_a_file_not_the_command_line(tmp_path):
    token = tmp_path / "api-token"
    token.write_text("a" * 64 + "\n")
    assert with_token(["run", "--auth-token-file", str(token), "--port", "1"]) == [
        "run",
        "--auth-token",
        "a" * 64,
        "--port",
        "1",
    ]
    assert with_token(["run"]) == ["run"]
    token.write_text("short")
    with pytest.raises(SystemExit):
        with_token(["run", "--auth-token-file", str(token)])
