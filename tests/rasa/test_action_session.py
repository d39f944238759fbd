"""Runs in the Rasa environment: Rasa's calls to an endpoint (the action server) share one session and its
connections, and still send Rasa's headers, token and body."""

import asyncio

from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

import rasa_components  # noqa: F401  (installs the shared session, as Rasa does when it loads our components)
from rasa_components.action_session import KEEPALIVE_SECONDS, shared_session


async def _serve(handler):
    app = web.Application()
    app.router.add_post("/webhook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return runner, f"http://127.0.0.1:{port}"


def test_calls_reuse_one_session_and_one_connection():
    seen = []

    async def handler(request):
        body = await request.json()
        seen.append((request.transport.get_extra_info("peername"), request.query.get("token"), body["n"]))
        return web.json_response({"events": [], "responses": [{"text": str(body["n"])}]})

    async def scenario():
        runner, url = await _serve(handler)
        try:
            endpoint = EndpointConfig(f"{url}/webhook", token="secret")
            answers = [await endpoint.request(json={"n": n}, method="post") for n in range(3)]
            session = shared_session(endpoint)
            assert not session.closed  # `async with` in Rasa's request no longer closes it
            assert shared_session(endpoint) is session
            await session.close()
            return answers
        finally:
            await runner.cleanup()

    answers = asyncio.run(scenario())
    assert [a["responses"][0]["text"] for a in answers] == ["0", "1", "2"]
    assert [token for _, token, _ in seen] == ["secret"] * 3
    assert len({peer for peer, _, _ in seen}) == 1  # one TCP connection for the three calls


def test_a_closed_session_or_another_event_loop_gets_a_new_one():
    endpoint = EndpointConfig("http://127.0.0.1:9/webhook")

    async def session_of_a_loop():
        session = shared_session(endpoint)
        await session.close()
        replacement = shared_session(endpoint)
        assert replacement is not session and not replacement.closed
        return replacement

    first = asyncio.run(session_of_a_loop())
    second = asyncio.run(session_of_a_loop())
    assert first is not second


def test_idle_connections_are_dropped_before_the_action_servers_keep_alive():
    # Sanic (the action server) closes an idle connection after 5 s: the client must let it go first.
    from sanic.config import DEFAULT_CONFIG

    assert KEEPALIVE_SECONDS < DEFAULT_CONFIG["KEEP_ALIVE_TIMEOUT"]


def test_an_error_status_still_raises_rasas_error():
    from rasa.utils.endpoints import ClientResponseError

    async def handler(request):
        return web.Response(status=500, text="boom")

    async def scenario():
        runner, url = await _serve(handler)
        try:
            endpoint = EndpointConfig(f"{url}/webhook")
            try:
                await endpoint.request(json={}, method="post")
            except ClientResponseError as error:
                return error.status
            finally:
                await shared_session(endpoint).close()
        finally:
            await runner.cleanup()

    assert asyncio.run(scenario()) == 500
