"""The intranet chat's Rasa channel: Rasa's socket.io channel, authenticated and bounded.

Rasa 3.6's SocketIOInput checks a JWT at connect only, takes the conversation's
sender id from what the client says (its socket or session id), accepts any page
origin, and, with session persistence, forgets to await the room join, so replies
can be lost (Rasa issue #13027). This subclass keeps Rasa's wire protocol
(`session_request`, `user_uttered`, `bot_uttered`) and:

- refuses a connection without a valid token signed by the intranet (HS256 secret
  or RS256 public key, see bot/core/intranet.py), or from a page whose Origin is not
  on the allow-list, with a French reason;
- checks the token again for every message (an expired session is refused);
- takes the sender id from the token's `sub`, never from the client, and joins
  (awaited) the socket to that person's room, so that all of a person's tabs get
  the replies and nobody else's;
- limits the message size and how many messages a person sends per minute;
- passes the token's `name` to the actions as message metadata (the display name
  HR sees on a booking); any metadata the client sends is ignored;
- passes a message starting with « / » as a payload only when it is a well-formed payload of the
  domain (the widget's buttons); anything else is read as plain text (rasa_components/payloads.py),
  and no log record may carry the text (rasa_components/log_privacy.py);
- sends each bot message whole, with its buttons and its kind (the action or
  response that wrote it, for the feedback buttons), then `turn_done` when the
  assistant has finished answering (the widget's typing indicator).

Configured in credentials.yml as `rasa_components.intranet_channel.IntranetChannel`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint
from socketio import AsyncServer
from socketio.exceptions import ConnectionRefusedError

from bot.core.intranet import (
    MAX_PACKET_BYTES,
    Identity,
    RateLimiter,
    Refused,
    TokenVerifier,
    allowed_origins,
    checked_message,
    origin_allowed,
)
from rasa_components.log_privacy import remember
from rasa_components.payloads import known_payloads

logger = logging.getLogger(__name__)

MESSAGES_PER_MINUTE = 20


def answer_kind(message: dict[str, Any]) -> str | None:
    """The action (custom actions tag their messages with `kind`) or response that wrote a message."""
    kind = message.get("kind") or message.get("utter_action")
    return str(kind) if kind else None


class IntranetOutput(SocketIOOutput):
    """Each bot message whole (no split on blank lines), with its buttons and kind."""

    @classmethod
    def name(cls) -> str:
        return IntranetChannel.name()

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"text": text, "kind": answer_kind(kwargs)})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        replies = [{"title": button["title"], "payload": button["payload"]} for button in buttons]
        await self._send_message(recipient_id, {"text": text, "quick_replies": replies, "kind": answer_kind(kwargs)})


class IntranetChannel(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "intranet"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        origins = allowed_origins(credentials.get("allowed_origins"))
        if not origins:
            raise ValueError("the intranet channel needs allowed_origins (or $INTRANET_ALLOWED_ORIGINS)")
        return cls(
            TokenVerifier.configured(credentials),
            origins,
            RateLimiter(int(credentials.get("messages_per_minute") or MESSAGES_PER_MINUTE), 60.0),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
        )

    def __init__(
        self, verifier: TokenVerifier, origins: frozenset[str], limiter: RateLimiter, socketio_path: str = "/socket.io"
    ) -> None:
        super().__init__(session_persistence=True, socketio_path=socketio_path)
        self.verifier, self.origins, self.limiter = verifier, origins, limiter
        self.tokens: dict[str, str] = {}  # socket id -> the token it connected with

    def get_output_channel(self) -> IntranetOutput | None:
        return IntranetOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)  # Rasa's server, its Sanic route and handlers...
        self.install(self.sio, on_new_message)  # ...which ours replace
        return blueprint

    def install(self, sio: AsyncServer, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Our checks and handlers on a socket.io server (Rasa's Sanic one, or a test's)."""
        self.sio = sio
        # Engine.IO answers CORS for these origins only (Rasa's [] disables the check) and drops big packets.
        sio.eio.cors_allowed_origins = sorted(self.origins)
        sio.eio.max_http_buffer_size = MAX_PACKET_BYTES

        async def connect(sid: str, environ: dict, auth: dict | None = None) -> bool:
            try:
                if not origin_allowed(environ.get("HTTP_ORIGIN"), self.origins):
                    raise Refused("origin")
                identity = self.verifier.verify(auth.get("token") if isinstance(auth, dict) else None)
            except Refused as refusal:
                raise ConnectionRefusedError(refusal.message, {"code": refusal.code}) from None
            self.tokens[sid] = auth["token"]
            await sio.enter_room(sid, identity.subject)  # awaited: Rasa's own handler is not (#13027)
            return True

        async def disconnect(sid: str, reason: Any = None) -> None:
            self.tokens.pop(sid, None)

        async def session_request(sid: str, data: Any = None) -> None:
            # Whatever session id the client asks for, the conversation is the signed-in person's.
            identity = await self._identity(sid)
            if identity:
                await sio.emit("session_confirm", identity.subject, to=sid)

        async def user_message(sid: str, data: Any) -> None:
            identity = await self._identity(sid)
            if identity is None:
                return
            try:
                text = checked_message(data.get("message") if isinstance(data, dict) else None)
                remember(text)
                text = known_payloads().plain_or_payload(text)
                if not self.limiter.allow(identity.subject):
                    raise Refused("too_fast")
            except Refused as refusal:
                await sio.emit("refused", refusal.as_dict(), to=sid)
                return
            metadata = {"name": identity.name} if identity.name else {}
            message = UserMessage(
                text,
                IntranetOutput(sio, self.bot_message_evt),
                identity.subject,
                input_channel=self.name(),
                metadata=metadata,
            )
            try:
                await on_new_message(message)
            finally:
                await sio.emit("turn_done", {}, to=identity.subject)

        for event, handler in (
            ("connect", connect),
            ("disconnect", disconnect),
            ("session_request", session_request),
            (self.user_message_evt, user_message),
        ):
            sio.on(event, handler, namespace=self.namespace)

    async def _identity(self, sid: str) -> Identity | None:
        """The identity of a connected socket, its token checked again; an expired one is told and cut off."""
        try:
            return self.verifier.verify(self.tokens.get(sid))
        except Refused as refusal:
            await self.sio.emit("refused", refusal.as_dict(), to=sid)
            await self.sio.disconnect(sid)
            return None
