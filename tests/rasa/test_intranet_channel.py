"""Runs in the Rasa environment (make test): the intranet chat's channel and what it trusts.

The socket-level tests run the channel's real handlers on a python-socketio server
(aiohttp mode, a free local port) and talk to it with python-socketio's client; the
Rasa processor is replaced by a recorder that answers through the channel's output.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from collections import defaultdict
from typing import Any

import jwt
import pytest
import socketio
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.core.intranet import (
    REFUSALS,
    RateLimiter,
    Refused,
    TokenVerifier,
    allowed_origins,
    checked_message,
    issue_token,
    origin_allowed,
    origin_of,
)
from bot.core.settings import DEFAULT_JWT_AUDIENCE as DEFAULT_AUDIENCE
from bot.core.text import MAX_MESSAGE_CHARS
from rasa_components.intranet_channel import IntranetChannel

SECRET = "s3cret-for-tests-" + "x" * 32
ORIGIN = "https://intranet.mines-ales.test"
VERIFIER = TokenVerifier(SECRET)


def token(subject: str = "camille.martin", name: str | None = "Camille Martin", lifetime: int = 600, **claims) -> str:
    return issue_token(SECRET, subject, name, lifetime, **claims)


def hs256_by_hand(claims: dict, key: bytes) -> str:
    """An HS256 token built without PyJWT (which refuses a PEM key as an HMAC secret)."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signed = f"{part(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}.{part(json.dumps(claims).encode())}"
    return f"{signed}.{part(hmac.new(key, signed.encode(), hashlib.sha256).digest())}"


def refusal_code(verifier: TokenVerifier, value: Any) -> str:
    with pytest.raises(Refused) as refused:
        verifier.verify(value)
    return refused.value.code


# -- tokens -------------------------------------------------------------------------------


def test_a_valid_token_gives_its_subject_and_name():
    identity = VERIFIER.verify(token())
    assert (identity.subject, identity.name) == ("camille.martin", "Camille Martin")
    assert identity.expires_at > time.time() + 500


def test_missing_expired_and_forged_tokens_are_refused():
    assert refusal_code(VERIFIER, None) == "missing"
    assert refusal_code(VERIFIER, "") == "missing"
    assert refusal_code(VERIFIER, token(lifetime=-120)) == "expired"
    assert refusal_code(VERIFIER, issue_token("another-secret-" + "y" * 32, "camille.martin", None, 600)) == "invalid"
    header, payload, signature = token().split(".")
    other_payload = token(subject="dominique.bernard").split(".")[1]
    assert refusal_code(VERIFIER, f"{header}.{other_payload}.{signature}") == "invalid"  # payload swapped
    assert refusal_code(VERIFIER, "not.a.token") == "invalid"


def test_unsigned_tokens_and_missing_claims_are_refused():
    now = int(time.time())
    unsigned = jwt.encode({"sub": "camille.martin", "aud": DEFAULT_AUDIENCE, "exp": now + 600}, None, algorithm="none")
    assert refusal_code(VERIFIER, unsigned) == "invalid"
    no_expiry = jwt.encode({"sub": "camille.martin", "aud": DEFAULT_AUDIENCE}, SECRET, algorithm="HS256")
    assert refusal_code(VERIFIER, no_expiry) == "invalid"
    no_subject = jwt.encode({"aud": DEFAULT_AUDIENCE, "exp": now + 600}, SECRET, algorithm="HS256")
    assert refusal_code(VERIFIER, no_subject) == "invalid"
    assert refusal_code(VERIFIER, token(subject="x" * 201)) == "invalid"
    assert refusal_code(VERIFIER, token(audience="another-application")) == "invalid"
    with_issuer = TokenVerifier(SECRET, issuer="intranet")
    assert refusal_code(with_issuer, token()) == "invalid"
    assert with_issuer.verify(token(issuer="intranet")).subject == "camille.martin"


def test_rs256_tokens_are_checked_with_the_public_key_only(tmp_path):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    key_file = tmp_path / "intranet.pub"
    key_file.write_text(public_pem)
    verifier = TokenVerifier.configured({}, {"INTRANET_JWT_PUBLIC_KEY_FILE": str(key_file)})
    assert verifier.algorithm == "RS256"
    claims = {"sub": "camille.martin", "aud": DEFAULT_AUDIENCE, "exp": int(time.time()) + 600}
    assert verifier.verify(jwt.encode(claims, private, algorithm="RS256")).subject == "camille.martin"
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert refusal_code(verifier, jwt.encode(claims, other, algorithm="RS256")) == "invalid"
    # The public key is public: a token "signed" with it as an HS256 secret must not pass.
    assert refusal_code(verifier, hs256_by_hand(claims, public_pem.encode())) == "invalid"


def test_the_configuration_comes_from_credentials_or_the_environment():
    assert TokenVerifier.configured({"jwt_secret": SECRET}, {}).key == SECRET
    from_env = TokenVerifier.configured({}, {"INTRANET_JWT_SECRET": SECRET, "INTRANET_JWT_ISSUER": "intranet"})
    assert (from_env.algorithm, from_env.issuer, from_env.audience) == ("HS256", "intranet", DEFAULT_AUDIENCE)
    with pytest.raises(ValueError, match="INTRANET_JWT_SECRET"):
        TokenVerifier.configured({}, {})
    with pytest.raises(ValueError, match="at least 32"):
        TokenVerifier.configured({}, {"INTRANET_JWT_SECRET": "short"})
    with pytest.raises(ValueError, match="jwt_algorithm"):
        TokenVerifier.configured({"jwt_algorithm": "none"}, {"INTRANET_JWT_SECRET": SECRET})
    with pytest.raises(ValueError, match="PUBLIC_KEY_FILE"):
        TokenVerifier.configured({"jwt_algorithm": "RS256"}, {})


# -- origins, sizes, rates ------------------------------------------------------------------


def test_origins_are_compared_exactly_after_normalisation():
    allowed = allowed_origins(
        ["https://Intranet.Mines-Ales.test/"], {"INTRANET_ALLOWED_ORIGINS": "http://127.0.0.1:8080, "}
    )
    assert allowed == {ORIGIN, "http://127.0.0.1:8080"}
    assert origin_of("https://intranet.mines-ales.test:443/page?x=1") == ORIGIN
    assert origin_allowed(ORIGIN, allowed) and origin_allowed("http://127.0.0.1:8080", allowed)
    for refused in (
        None,
        "",
        "null",
        "http://intranet.mines-ales.test",
        "https://intranet.mines-ales.test.evil.fr",
        "http://127.0.0.1:8081",
        "http://localhost:8080",
        "javascript:alert(1)",
    ):
        assert not origin_allowed(refused, allowed), refused
    with pytest.raises(ValueError):
        allowed_origins("ftp://intranet", {})


def test_messages_are_bounded():
    assert checked_message("Bonjour") == "Bonjour"
    assert checked_message("é" * MAX_MESSAGE_CHARS) == "é" * MAX_MESSAGE_CHARS
    for bad, code in (
        ("", "empty"),
        ("   \n", "empty"),
        (None, "empty"),
        (42, "empty"),
        ("x" * (MAX_MESSAGE_CHARS + 1), "too_long"),
    ):
        with pytest.raises(Refused) as refused:
            checked_message(bad)
        assert refused.value.code == code


def test_the_rate_limit_is_a_sliding_window_per_person():
    now = [1000.0]
    limiter = RateLimiter(3, 60, clock=lambda: now[0])
    assert [limiter.allow("camille") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("dominique")  # someone else is not slowed down
    now[0] += 59
    assert not limiter.allow("camille")
    now[0] += 2
    assert limiter.allow("camille")


def test_every_refusal_is_french():
    for message in REFUSALS.values():
        assert any(word in message for word in ("Votre", "votre", "Vous", "Connexion", "cette")), message
        assert "·" not in message


# -- the channel on a real socket.io server --------------------------------------------------


class Assistant:
    """The channel's handlers on a local socket.io server; the processor is a recorder that answers."""

    def __init__(self, limit: int = 20, verifier: TokenVerifier = VERIFIER) -> None:
        self.channel = IntranetChannel(verifier, frozenset({ORIGIN}), RateLimiter(limit, 60))
        self.received: list = []
        self.clients: list[Client] = []

    async def on_new_message(self, message) -> None:
        self.received.append(message)
        await message.output_channel.send_response(
            message.sender_id,
            {
                "text": f"Réponse pour {message.sender_id}\n\nSecond paragraphe",
                "buttons": [{"title": "Oui", "payload": "/affirm"}],
                "kind": "action_answer_leave",
            },
        )

    async def __aenter__(self) -> Assistant:
        # A short ping interval ends the polling client's pending requests quickly when it leaves.
        sio = socketio.AsyncServer(async_mode="aiohttp", ping_interval=0.5, ping_timeout=0.5)
        app = web.Application()
        sio.attach(app)
        self.channel.install(sio, self.on_new_message)
        self.runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *exc) -> None:
        for client in self.clients:
            await client.sio.disconnect()
        await self.runner.cleanup()

    async def person(self, auth_token: str | None, origin: str | None = ORIGIN) -> Client:
        client = Client()
        self.clients.append(client)
        await client.connect(self.url, auth_token, origin)
        return client


class Client:
    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.events: dict[str, list] = defaultdict(list)
        for name in ("bot_uttered", "refused", "turn_done", "session_confirm", "connect_error", "disconnect"):
            self.sio.on(name, handler=self._recorder(name))

    def _recorder(self, name: str):
        def record(*args) -> None:
            self.events[name].append(args[0] if args else None)

        return record

    async def connect(self, url: str, auth_token: str | None, origin: str | None) -> None:
        try:
            await self.sio.connect(
                url,
                headers={"Origin": origin} if origin else {},
                auth={"token": auth_token} if auth_token else None,
                transports=["polling"],
                wait_timeout=1,
            )
        except socketio.exceptions.ConnectionError:
            pass

    async def wait_for(self, name: str, count: int = 1, timeout: float = 5.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.events[name]) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return self.events[name]

    async def say(self, text: str, **extra) -> None:
        await self.sio.emit("user_uttered", {"message": text, **extra})


def run(coroutine) -> Any:
    return asyncio.run(coroutine)


def test_the_sender_is_the_token_subject_and_replies_reach_that_person_only():
    async def scenario():
        async with Assistant() as assistant:
            camille = await assistant.person(token("camille.martin", "Camille Martin"))
            camille_tab = await assistant.person(token("camille.martin", "Camille Martin"))
            dominique = await assistant.person(token("dominique.bernard", "Dominique Bernard"))
            # Dominique claims Camille's session and display name: neither is taken into account.
            await dominique.sio.emit("session_request", {"session_id": "camille.martin"})
            assert await dominique.wait_for("session_confirm") == ["dominique.bernard"]
            await dominique.say("mes rendez-vous", session_id="camille.martin", metadata={"name": "Camille Martin"})
            assert await dominique.wait_for("turn_done")
            await camille.say("Bonjour")
            replies = await camille.wait_for("bot_uttered", 1)
            assert await camille_tab.wait_for("bot_uttered", 1) == replies  # the person's other tab too
            await asyncio.sleep(0.2)
            return assistant.received, replies, dominique.events["bot_uttered"]

    received, camille_replies, dominique_replies = run(scenario())
    assert [(m.sender_id, m.metadata, m.input_channel) for m in received] == [
        ("dominique.bernard", {"name": "Dominique Bernard"}, "intranet"),
        ("camille.martin", {"name": "Camille Martin"}, "intranet"),
    ]
    assert camille_replies == [
        {
            "text": "Réponse pour camille.martin\n\nSecond paragraphe",  # one message, not split
            "quick_replies": [{"title": "Oui", "payload": "/affirm"}],
            "kind": "action_answer_leave",
        }
    ]
    assert [reply["text"] for reply in dominique_replies] == ["Réponse pour dominique.bernard\n\nSecond paragraphe"]


@pytest.mark.parametrize(
    "auth_token, origin, code",
    [
        (None, ORIGIN, "missing"),
        (token(lifetime=-120), ORIGIN, "expired"),
        (issue_token("forged-secret-" + "z" * 32, "camille.martin", None, 600), ORIGIN, "invalid"),
        (token(), "https://evil.example", "origin"),
        (token(), None, "origin"),
    ],
    ids=["no-token", "expired", "forged", "foreign-origin", "no-origin"],
)
def test_connections_without_a_valid_token_or_from_another_page_are_refused_in_french(auth_token, origin, code):
    async def scenario():
        async with Assistant() as assistant:
            client = await assistant.person(auth_token, origin)
            errors = await client.wait_for("connect_error")
            connected = client.sio.connected
            return errors, connected, assistant.received

    errors, connected, received = run(scenario())
    assert not connected and received == []
    if code == "origin" and origin:
        # Engine.IO refuses a foreign browser origin before socket.io (CORS): no French text to give there.
        return
    assert errors == [{"message": REFUSALS[code], "data": {"code": code}}]


def test_a_token_that_expires_after_connecting_is_refused_at_the_next_message():
    async def scenario():
        async with Assistant(verifier=TokenVerifier(SECRET, leeway=0)) as assistant:
            client = await assistant.person(token(lifetime=2))
            assert client.sio.connected
            await asyncio.sleep(2.2)
            await client.say("Bonjour")
            refusals = await client.wait_for("refused")
            await client.wait_for("disconnect")
            return refusals, client.sio.connected, assistant.received

    refusals, connected, received = run(scenario())
    assert refusals == [{"code": "expired", "message": REFUSALS["expired"]}]
    assert not connected and received == []


def test_too_long_empty_and_too_many_messages_are_refused_without_reaching_rasa():
    async def scenario():
        async with Assistant(limit=3) as assistant:
            client = await assistant.person(token())
            await client.say("x" * (MAX_MESSAGE_CHARS + 1))
            await client.say("   ")
            await client.wait_for("refused", 2)
            for n in range(4):
                await client.say(f"message {n}")
                await asyncio.sleep(0.05)
            await client.wait_for("refused", 3)
            await client.wait_for("turn_done", 3)
            return client.events["refused"], assistant.received

    refusals, received = run(scenario())
    assert [r["code"] for r in refusals] == ["too_long", "empty", "too_fast"]
    assert all(r["message"] == REFUSALS[r["code"]] for r in refusals)
    assert [m.text for m in received] == ["message 0", "message 1", "message 2"]


def test_the_channel_is_configured_from_credentials(monkeypatch):
    monkeypatch.delenv("INTRANET_ALLOWED_ORIGINS", raising=False)
    channel = IntranetChannel.from_credentials(
        {"jwt_secret": SECRET, "allowed_origins": [ORIGIN + "/"], "messages_per_minute": 5}
    )
    assert channel.origins == {ORIGIN} and channel.limiter.limit == 5 and channel.name() == "intranet"
    with pytest.raises(ValueError, match="allowed_origins"):
        IntranetChannel.from_credentials({"jwt_secret": SECRET})
