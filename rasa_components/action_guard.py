"""A French answer, within seconds, when the action server cannot be reached.

Rasa's RemoteAction gives up silently when the action server is down (the person gets no reply
at all) and waits up to five minutes when it hangs. Installed when this package is imported
(every model load and every channel of ours imports it), the guard bounds each call to
ACTION_TIMEOUT_SECONDS (default 15), and on a connection failure, a timeout or an error status
sends « service momentanément indisponible » and returns to listening, so that the conversation
goes on as soon as the server is back. A form's rejection of a value (ActionExecutionRejection)
is Rasa's normal control flow and is left alone. Nothing of the message is logged.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import BotUttered, Event, FollowupAction
from rasa.shared.exceptions import RasaException

from bot.core.settings import settings

logger = logging.getLogger(__name__)

UNAVAILABLE = (
    "Le service est momentanément indisponible : je ne peux pas traiter votre demande pour l'instant. "
    "Réessayez dans quelques minutes. En cas d'urgence, appelez le 3114 (prévention du suicide), "
    "le 15 ou le 112 ; pour une question RH, contactez directement le service RH."
)


def timeout_seconds() -> float:
    """$ACTION_TIMEOUT_SECONDS (15): checked when Rasa starts (rasa_components/serve.py)."""
    return settings().action_timeout_seconds


async def _guarded_run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> list[Event]:
    try:
        return await asyncio.wait_for(_unguarded_run(self, output_channel, nlg, tracker, domain), timeout_seconds())
    except ActionExecutionRejection:
        raise
    except (RasaException, asyncio.TimeoutError) as error:
        logger.warning("Custom action %s failed (%s); answered « indisponible ».", self.name(), type(error).__name__)
        # Rasa sends the BotUttered events an action returns to the person's channel.
        return [BotUttered(UNAVAILABLE, metadata={"unavailable": True}), FollowupAction(ACTION_LISTEN_NAME)]


_unguarded_run = RemoteAction.run


def install() -> None:
    """RemoteAction.run is replaced once (this module is imported once per process)."""
    RemoteAction.run = _guarded_run  # type: ignore[method-assign]
