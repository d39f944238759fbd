"""The terminal client of `make shell`, against a local stand-in for Rasa's REST channel."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from bot.runtime import chat


class _Rest(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Rest.received.append(body)
        reply = [
            {
                "text": "Quel type de congé ?",
                "buttons": [{"title": "RTT", "payload": '/ask_leave{"leave_type": "rtt"}'}],
            }
        ]
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def rest_url():
    server = HTTPServer(("127.0.0.1", 0), _Rest)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/webhooks/rest/webhook"
    server.shutdown()


def test_a_button_number_sends_the_buttons_payload(rest_url, monkeypatch, capsys):
    _Rest.received.clear()
    answers = iter(["congés", "1", "/quit"])
    monkeypatch.setattr("builtins.input", lambda _prompt: next(answers))
    assert chat.main(["--url", rest_url, "--sender", "agent-1"]) == 0
    assert [m["message"] for m in _Rest.received] == ["congés", '/ask_leave{"leave_type": "rtt"}']
    assert {m["sender"] for m in _Rest.received} == {"agent-1"}
    assert "1. RTT" in capsys.readouterr().out


def test_an_unreachable_assistant_is_reported_in_french(monkeypatch, capsys):
    answers = iter(["bonjour", "/quit"])
    monkeypatch.setattr("builtins.input", lambda _prompt: next(answers))
    assert chat.main(["--url", "http://127.0.0.1:1/webhooks/rest/webhook"]) == 0
    assert "ne répond pas" in capsys.readouterr().err
