"""No message text in Rasa's logs: a filter on every log record and warning of the Rasa process.

Rasa writes what people typed in a few places: the warning « Failed to parse arguments in line
'<the message>' » for a malformed « /… » payload, and structlog events that carry the text under
keys such as `user_text`, `text` or `parse_data_text` (at warning level for « message.parsing.failed »
and « rest.message.received.failure »; most at debug level). The channels make a malformed payload
plain text (rasa_components/payloads.py), so Rasa should not emit those; this filter is the second
line: a record or warning is dropped when it

- is one of the messages of Rasa known to quote the text (MARKERS), or
- contains the text of a message one of our channels received recently (`remember`).

Installed when `rasa_components` is imported (Rasa imports it to load our channels and components):
`logging.Logger.handle` is wrapped, so the filter holds whatever handlers Rasa configures later, and
structlog (configured by Rasa on top of the standard loggers) goes through it too; `warnings.warn`
and `warnings.showwarning` are wrapped for the warnings Rasa prints without logging.
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections import deque
from typing import Any

# Messages of Rasa 3.6 that quote what a person typed (the structlog keys as rendered in JSON or
# by the console renderer).
MARKERS = (
    "Failed to parse arguments in line",
    "message.parsing.failed",
    "rest.message.received",
    "Received user message",
    "Logged UserUtterance",
    "user_text",
    "parse_data_text",
    "user_message",
    "tracker_latest_message",
    "json_message",
)
MIN_REMEMBERED_CHARS = 6  # shorter texts (« oui », « merci ») would drop unrelated records
REMEMBERED = 512

_recent: deque[str] = deque(maxlen=REMEMBERED)
_lock = threading.Lock()
_installed = False
DROPPED = {"count": 0}  # how many records and warnings were dropped (tests)


def remember(text: Any) -> None:
    """A channel received this text: no log record may carry it."""
    if isinstance(text, str):
        text = text.strip()
        if len(text) >= MIN_REMEMBERED_CHARS:
            with _lock:
                _recent.append(text[:2000])


def carries_text(message: Any) -> bool:
    message = str(message)
    if any(marker in message for marker in MARKERS):
        return True
    with _lock:
        recent = list(_recent)
    return any(text in message for text in recent)


def _record_text(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # a record whose arguments do not format: judge its raw parts
        return f"{record.msg} {record.args}"


class MessageTextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if carries_text(_record_text(record)):
            DROPPED["count"] += 1
            return False
        return True


FILTER = MessageTextFilter()


def install() -> None:
    """Once per process."""
    global _installed
    if _installed:
        return
    _installed = True
    handle = logging.Logger.handle

    def filtered_handle(self: logging.Logger, record: logging.LogRecord) -> None:
        if FILTER.filter(record):
            handle(self, record)

    logging.Logger.handle = filtered_handle  # type: ignore[method-assign]

    warn = warnings.warn

    def filtered_warn(message: Any, *args: Any, **kwargs: Any) -> None:
        if carries_text(message):
            DROPPED["count"] += 1
            return
        kwargs["stacklevel"] = kwargs.get("stacklevel", 1) + 1
        warn(message, *args, **kwargs)

    warnings.warn = filtered_warn  # type: ignore[assignment]

    show = warnings.showwarning

    def filtered_show(message: Any, *args: Any, **kwargs: Any) -> None:
        if carries_text(message):
            DROPPED["count"] += 1
            return
        show(message, *args, **kwargs)

    warnings.showwarning = filtered_show
