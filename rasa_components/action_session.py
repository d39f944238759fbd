"""One HTTP session per endpoint, reused, instead of a new one for every call to the action server.

Rasa's EndpointConfig.request opens `async with self.session()`: a new aiohttp ClientSession, a new
connection pool, a new TCP connection and its teardown on every custom action (about an eighth of a turn's
time, measured with py-spy). Here `EndpointConfig.session()` hands back the endpoint's one session, kept
for the event loop it was made on; `async with` no longer closes it. Headers, authentication and timeouts
are Rasa's, unchanged.

Idle connections are dropped by the client after KEEPALIVE_SECONDS, sooner than the action server's
(Sanic's keep-alive is 5 s): a connection the server closed is never reused, so a POST is never sent on a
dead socket. A closed session, or one made on another event loop (tests), is replaced.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

# Below Sanic's KEEP_ALIVE_TIMEOUT (5 s), the action server's.
KEEPALIVE_SECONDS = 2.0
_ATTRIBUTE = "_assistant_rh_session"


class _Kept:
    """`async with` over a session that outlives the block."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *exc_info: Any) -> None:
        return None


def _new_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    auth = None
    if endpoint.basic_auth:
        auth = aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
    return aiohttp.ClientSession(
        headers=endpoint.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
    )


def shared_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """The endpoint's session on the running event loop (made on first use)."""
    loop = asyncio.get_running_loop()
    kept = getattr(endpoint, _ATTRIBUTE, None)
    if kept is not None:
        kept_loop, session = kept
        if kept_loop is loop and not session.closed:
            return session
    session = _new_session(endpoint)
    setattr(endpoint, _ATTRIBUTE, (loop, session))
    return session


def _session(self: EndpointConfig) -> _Kept:
    return _Kept(shared_session(self))


def install() -> None:
    """EndpointConfig.session is replaced once (this module is imported once per process)."""
    EndpointConfig.session = _session  # type: ignore[method-assign,assignment]
