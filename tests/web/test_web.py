"""The web server: demo page and development sign-in behind their flag, feedback with the intranet's token, the
count of HR's answers waiting for the token's person."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.booking.bookings import Booking
from bot.cases.store import CaseStore
from bot.core.db import Database
from bot.core.intranet import TokenVerifier, issue_token
from bot.core.models import Article
from bot.knowledge.feedback import feedback_by_day
from bot.web.dev_sign_in import COOKIE, DEMO_AGENTS
from bot.web.server import WebSettings, make_app

SECRET = "web-tests-secret-" + "k" * 32
PAGE = "http://127.0.0.1:8080"
VERIFIER = TokenVerifier(SECRET)


def settings(dev_sign_in: bool = True, **changes: Any) -> WebSettings:
    values = dict(
        dev_sign_in=dev_sign_in, socket_url="http://127.0.0.1:5005", origins=frozenset({PAGE}), verifier=VERIFIER
    )
    return WebSettings(**{**values, **changes})


def call(database: Database, web_settings: WebSettings, *requests: tuple) -> list[tuple[int, dict, Any]]:
    """Sends requests in order on one client (cookies kept); returns (status, headers, body) for each."""

    async def run() -> list:
        results = []
        async with TestClient(TestServer(make_app(Booking(database), web_settings))) as client:
            for method, path, kwargs in requests:
                response = await client.request(method, path, **kwargs)
                body = await response.json() if response.content_type == "application/json" else await response.text()
                results.append((response.status, dict(response.headers), body))
        return results

    return asyncio.run(run())


def test_without_the_development_flag_there_is_no_demo_page_and_no_sign_in(database):
    results = call(
        database,
        settings(dev_sign_in=False),
        ("GET", "/", {}),
        ("GET", "/dev/agents", {}),
        ("POST", "/dev/sign-in", {"json": {"agent": "camille.martin"}}),
        ("GET", "/dev/token", {}),
        ("GET", "/widget/assistant-rh.js", {}),
        ("GET", "/health", {}),
    )
    assert [status for status, _, _ in results] == [404, 404, 404, 404, 200, 200]


def test_the_demo_sign_in_issues_short_lived_tokens_for_demo_agents_only(database):
    (agents, refused, signed_out, signed_in, token, signed_out_again, after) = call(
        database,
        settings(),
        ("GET", "/dev/agents", {}),
        ("POST", "/dev/sign-in", {"json": {"agent": "root"}}),
        ("GET", "/dev/token", {}),
        ("POST", "/dev/sign-in", {"json": {"agent": "camille.martin"}}),
        ("GET", "/dev/token", {}),
        ("POST", "/dev/sign-out", {}),
        ("GET", "/dev/token", {}),
    )
    assert [a["id"] for a in agents[2]] == list(DEMO_AGENTS)
    assert refused[0] == 400 and signed_out[0] == 401 and "Connectez-vous" in signed_out[2]["message"]
    assert (
        signed_in[0] == 200
        and "HttpOnly" in signed_in[1]["Set-Cookie"]
        and "SameSite=Strict" in signed_in[1]["Set-Cookie"]
    )
    identity = VERIFIER.verify(token[2]["token"])
    assert (identity.subject, identity.name) == ("camille.martin", "Camille Martin")
    assert token[2]["expires_in"] <= 15 * 60 and token[1]["Cache-Control"] == "no-store"
    assert signed_out_again[0] == 204 and after[0] == 401


def test_a_forged_sign_in_cookie_gives_no_token(database):
    ((status, _, _),) = call(
        database, settings(), ("GET", "/dev/token", {"cookies": {COOKIE: "camille.martin.0123456789abcdef"}})
    )
    assert status == 401


def test_the_demo_page_carries_the_widget_settings_and_a_strict_content_policy(database):
    ((status, headers, page),) = call(
        database, settings(socket_url='http://127.0.0.1:5105/"><script>'), ("GET", "/", {})
    )
    assert status == 200 and 'data-socket-url="http://127.0.0.1:5105/&quot;&gt;&lt;script&gt;"' in page
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "connect-src 'self' http://127.0.0.1:5105 ws://127.0.0.1:5105" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "30 jours" not in page and 'data-booking-days="30"' in page  # the widget writes the notice


def tokens() -> tuple[str, str, str]:
    """Camille's valid token, an expired one, and one signed with another secret."""
    return (
        issue_token(SECRET, "camille.martin", "Camille Martin", 600),
        issue_token(SECRET, "camille.martin", None, -120),
        issue_token("another-secret-" + "f" * 32, "camille.martin", None, 600),
    )


def vote(auth_token: str | None, body: Any, origin: str | None = PAGE) -> tuple:
    headers = {"Authorization": f"Bearer {auth_token}"} if auth_token else {}
    if origin:
        headers["Origin"] = origin
    return ("POST", "/feedback", {"json": body, "headers": headers})


def test_feedback_is_counted_per_kind_with_a_valid_token_only(database):
    good, expired, forged = tokens()
    results = call(
        database,
        settings(),
        vote(good, {"kind": "action_answer_leave", "useful": True}),
        vote(good, {"kind": "action_answer_leave", "useful": False}),
        vote(good, {"kind": "utter_greet", "useful": True}, origin=None),
        vote(None, {"kind": "action_answer_leave", "useful": True}),
        vote(expired, {"kind": "action_answer_leave", "useful": True}),
        vote(forged, {"kind": "action_answer_leave", "useful": True}),
        vote(good, {"kind": "<img src=x>", "useful": True}),
        vote(good, {"kind": "action_answer_leave", "useful": "oui", "text": "mon message"}),
        vote(good, {"kind": "action_answer_leave", "useful": True}, origin="https://evil.example"),
        ("OPTIONS", "/feedback", {"headers": {"Origin": PAGE, "Access-Control-Request-Method": "POST"}}),
        ("OPTIONS", "/feedback", {"headers": {"Origin": "https://evil.example"}}),
    )
    statuses = [status for status, _, _ in results]
    assert statuses == [204, 204, 204, 401, 401, 401, 400, 400, 403, 204, 204]
    assert results[0][1]["Access-Control-Allow-Origin"] == PAGE
    assert [results[i][2]["code"] for i in (3, 4, 5)] == ["missing", "expired", "invalid"]
    assert "Avis non compris" in results[6][2]["message"]
    assert "Authorization" in results[9][1]["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in results[10][1]
    rows = {(r.kind, r.useful, r.not_useful) for r in feedback_by_day(database)}
    assert rows == {("action_answer_leave", 1, 1), ("utter_greet", 1, 0)}


def test_feedback_without_an_intranet_key_is_unavailable_in_french(database):
    ((status, _, body),) = call(
        database, settings(dev_sign_in=False, verifier=None), vote("x", {"kind": "utter_greet", "useful": True})
    )
    assert status == 503 and "pas disponibles" in body["message"]


def test_the_development_sign_in_needs_an_hs256_secret(monkeypatch):
    monkeypatch.setenv("DEV_SIGN_IN", "1")
    monkeypatch.delenv("INTRANET_JWT_SECRET", raising=False)
    monkeypatch.delenv("INTRANET_JWT_PUBLIC_KEY_FILE", raising=False)
    with pytest.raises(SystemExit, match="INTRANET_JWT_SECRET"):
        WebSettings.from_env()
    monkeypatch.setenv("INTRANET_JWT_SECRET", SECRET)
    monkeypatch.setenv("INTRANET_ALLOWED_ORIGINS", PAGE + "/")
    web_settings = WebSettings.from_env()
    assert web_settings.dev_sign_in and web_settings.origins == {PAGE} and web_settings.verifier.key == SECRET


def test_the_privacy_notice_is_hrs_article_when_there_is_one(database):
    ((missing, _, _),) = call(database, settings(), ("GET", "/notice", {}))
    assert missing == 404  # the widget then shows its own text
    with database.session() as session:
        session.add(
            Article(
                id="confidentialite-assistant",
                topic="privacy",
                title="Confidentialité",
                body="Vos échanges sont conservés 30 jours au plus.",
                source="RH",
                source_date="2026-11-30",
            )
        )
    ((status, headers, body),) = call(database, settings(), ("GET", "/notice", {"headers": {"Origin": PAGE}}))
    assert status == 200 and body["text"] == "Vos échanges sont conservés 30 jours au plus."
    assert headers["Access-Control-Allow-Origin"] == PAGE


def waiting(auth_token: str | None, origin: str | None = PAGE) -> tuple:
    headers = {"Authorization": f"Bearer {auth_token}"} if auth_token else {}
    if origin:
        headers["Origin"] = origin
    return ("GET", "/answers/waiting", {"headers": headers})


def test_answers_waiting_counts_the_token_persons_unseen_answers_only(database, caplog):
    caplog.set_level(logging.DEBUG)
    store = CaseStore(database)
    mine = store.open("camille.martin", "Camille Martin", "MARQUEUR-4410 le parking ?", "policy")
    store.open("camille.martin", "Camille Martin", "MARQUEUR-4411 une autre, pas encore répondue", "policy")
    theirs = store.open("alex.petit", "Alex Petit", "MARQUEUR-4412 la cantine ?", "policy")
    camille = issue_token(SECRET, "camille.martin", "Camille Martin", 600)
    alex = issue_token(SECRET, "alex.petit", "Alex Petit", 600)
    store.answer(theirs.reference, "MARQUEUR-4413 réponse", "RH")
    (before,) = call(database, settings(), waiting(camille))
    store.answer(mine.reference, "MARQUEUR-4414 réponse", "RH")
    after, of_alex, without_origin = call(database, settings(), waiting(camille), waiting(alex), waiting(alex, None))
    store.deliver("camille.martin")
    (shown,) = call(database, settings(), waiting(camille))
    assert [r[0] for r in (before, after, of_alex, without_origin, shown)] == [200] * 5
    assert [r[2] for r in (before, after, of_alex, shown)] == [{"waiting": n} for n in (0, 1, 1, 0)]
    for _, headers, _ in (before, after, shown):
        assert headers["Cache-Control"] == "no-store" and headers["Access-Control-Allow-Origin"] == PAGE
    assert "MARQUEUR" not in caplog.text and "camille" not in caplog.text


def test_answers_waiting_needs_a_valid_token_and_an_allowed_page(database):
    CaseStore(database).answer(
        CaseStore(database).open("camille.martin", "Camille Martin", "Le parking ?", "policy").reference, "Oui.", "RH"
    )
    good, expired, forged = tokens()
    results = call(
        database,
        settings(),
        waiting(None),
        waiting(expired),
        waiting(forged),
        waiting(good, origin="https://evil.example"),
        ("GET", "/answers/waiting?person=camille.martin", {}),
        ("OPTIONS", "/answers/waiting", {"headers": {"Origin": PAGE, "Access-Control-Request-Method": "GET"}}),
        ("OPTIONS", "/answers/waiting", {"headers": {"Origin": "https://evil.example"}}),
    )
    assert [status for status, _, _ in results] == [401, 401, 401, 403, 401, 204, 204]
    assert [results[i][2]["code"] for i in (0, 1, 2, 3)] == ["missing", "expired", "invalid", "origin"]
    assert all("waiting" not in body for _, _, body in results[:5])
    assert all(headers["Cache-Control"] == "no-store" for _, headers, _ in results[:5])
    assert "GET" in results[5][1]["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in results[6][1]
    ((status, _, body),) = call(database, settings(verifier=None), waiting(good))
    assert status == 503 and "pas disponibles" in body["message"]


def test_the_demo_page_carries_the_answers_settings(database):
    ((_, _, page),) = call(database, settings(answers_poll_seconds=3), ("GET", "/", {}))
    assert 'data-answers-url="/answers/waiting"' in page and 'data-answers-poll-seconds="3"' in page
