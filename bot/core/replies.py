"""What the assistant sends back: a text and its buttons."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
    article_id: str | None = None
    # The intent whose entity the reply asked for, so that a bare answer (« RTT ») is understood.
    asked: str | None = None
    # An honest « je ne sais pas »: the chat offers to send the question to HR (actions/cases.py).
    unknown: bool = False

    @property
    def answered(self) -> bool:
        return self.article_id is not None
