"""Runs in the Rasa environment: the action server down or hanging gets a French answer, fast."""

import asyncio
import socket
import time

import pytest
from aiohttp import web
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, FollowupAction
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import rasa_components  # noqa: F401  (installs the guard, as Rasa does when it loads our components)
from rasa_components.action_guard import UNAVAILABLE

DOMAIN = Domain.from_yaml("version: '3.1'\nactions:\n  - action_answer_leave\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def run_action(url: str) -> tuple[list, list, float]:
    """The events the action returns, the texts among them (what Rasa sends the person), and the time."""
    channel = CollectingOutputChannel()
    tracker = DialogueStateTracker("agent-guard", DOMAIN.slots)
    action = RemoteAction("action_answer_leave", EndpointConfig(url))
    started = time.monotonic()
    events = await action.run(channel, TemplatedNaturalLanguageGenerator(DOMAIN.responses), tracker, DOMAIN)
    return events, [e.text for e in events if isinstance(e, BotUttered)], time.monotonic() - started


async def serve(handler) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_post("/webhook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}/webhook"


def assert_unavailable(events, messages):
    assert messages == [UNAVAILABLE]
    assert "momentanément indisponible" in UNAVAILABLE
    assert isinstance(events[0], BotUttered) and events[0].text == UNAVAILABLE
    assert events[-1] == FollowupAction(ACTION_LISTEN_NAME)


def test_a_server_that_is_down_gets_the_french_answer_within_two_seconds():
    events, messages, elapsed = asyncio.run(run_action(f"http://127.0.0.1:{free_port()}/webhook"))
    assert_unavailable(events, messages)
    assert elapsed < 2


def test_a_hanging_server_is_given_up_after_the_configured_time(monkeypatch):
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "0.5")

    async def scenario():
        async def hang(request):
            await asyncio.sleep(30)
            return web.json_response({})

        runner, url = await serve(hang)
        try:
            return await run_action(url)
        finally:
            await runner.cleanup()

    events, messages, elapsed = asyncio.run(scenario())
    assert_unavailable(events, messages)
    assert elapsed < 2


def test_a_server_error_gets_the_french_answer_and_a_working_server_its_own():
    async def scenario():
        async def broken(request):
            return web.Response(status=500)

        async def working(request):
            return web.json_response({"events": [], "responses": [{"text": "Vous avez 25 jours de congés."}]})

        answers = []
        for handler in (broken, working):
            runner, url = await serve(handler)
            try:
                answers.append(await run_action(url))
            finally:
                await runner.cleanup()
        return answers

    (broken_events, broken_messages, _), (events, messages, _) = asyncio.run(scenario())
    assert_unavailable(broken_events, broken_messages)
    assert messages == ["Vous avez 25 jours de congés."]
    assert not any(isinstance(e, FollowupAction) for e in events)


def test_a_form_rejection_is_left_to_rasa():
    async def scenario():
        async def reject(request):
            return web.json_response({"action_name": "action_answer_leave", "error": "no"}, status=400)

        runner, url = await serve(reject)
        try:
            return await run_action(url)
        finally:
            await runner.cleanup()

    with pytest.raises(ActionExecutionRejection):
        asyncio.run(scenario())
