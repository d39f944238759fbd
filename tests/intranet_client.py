"""A person talking to an assistant through the intranet chat (socket.io), as the widget does.

By default, to the running assistant of `make test`: the token is signed with the run's intranet
secret (INTRANET_JWT_SECRET) and the connection comes from the demo page's origin, the one it allows.
The tests behind nginx give their own address, secret, origin and transport.
"""

from __future__ import annotations

import asyncio
import os
import uuid

import socketio

from bot.core.intranet import issue_token

SOCKET_URL = f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}"
PAGE_ORIGIN = os.environ.get("PUBLIC_URL", f"http://127.0.0.1:{os.environ.get('WEB_PORT', '8080')}")
TURN_SECONDS = 120


class IntranetPerson:
    """One signed-in person and their socket; `say` returns what came back for one message."""

    def __init__(
        self,
        name: str = "fuzz",
        url: str = SOCKET_URL,
        secret: str | None = None,
        origin: str = PAGE_ORIGIN,
        transports: tuple[str, ...] = ("websocket",),
    ) -> None:
        self.subject = f"e2e-{name}-{uuid.uuid4().hex[:10]}"
        self.url, self.origin, self.transports = url, origin, list(transports)
        self.secret = secret or os.environ["INTRANET_JWT_SECRET"]
        # A test's own certificate authority is not the system's: certificates are not checked here.
        self.client = socketio.AsyncClient(reconnection=False, ssl_verify=not url.startswith("https"))
        self._events: asyncio.Queue[tuple[str, object]] = asyncio.Queue()
        for event in ("bot_uttered", "refused", "turn_done", "session_confirm", "disconnect"):
            self.client.on(event, self._recorder(event))

    def _recorder(self, event: str):
        async def record(data: object = None, *_: object) -> None:
            await self._events.put((event, data))

        return record

    async def connect(self) -> IntranetPerson:
        token = issue_token(self.secret, self.subject, None, 900)
        await self.client.connect(
            self.url,
            headers={"Origin": self.origin},
            auth={"token": token},
            transports=self.transports,
            wait_timeout=30,
        )
        await self.client.emit("session_request", {"session_id": self.subject})
        await self._until({"session_confirm"})
        return self

    async def _until(self, ends: set[str]) -> list[tuple[str, object]]:
        received = []
        while True:
            event, data = await asyncio.wait_for(self._events.get(), TURN_SECONDS)
            received.append((event, data))
            if event in ends:
                return received

    async def say(self, message: str) -> list[tuple[str, object]]:
        """The events one message brings, up to the end of the turn, a refusal or the connection's end."""
        await self.client.emit("user_uttered", {"message": message})
        return await self._until({"turn_done", "refused", "disconnect"})

    async def close(self) -> None:
        await self.client.disconnect()


def texts(events: list[tuple[str, object]]) -> list[dict]:
    """The replies (bot messages and refusals) as {"text": …} dicts."""
    return [
        {"text": data.get("text") or data.get("message")}
        for event, data in events
        if event in ("bot_uttered", "refused") and isinstance(data, dict)
    ]
