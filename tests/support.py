"""Helpers shared by the test modules."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parent.parent


def domain() -> dict[str, Any]:
    """domain/*.yml merged as Rasa merges them: lists joined, mappings combined."""
    merged: dict[str, Any] = {}
    for path in sorted((ROOT / "domain").glob("*.yml")):
        for key, value in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            elif isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            else:
                merged[key] = value
    return merged


def actions_sent_the_domain() -> set[str]:
    """The actions Rasa sends the domain to (`send_domain: true`; the others get the conversation alone)."""
    return {
        name
        for entry in domain()["actions"]
        if isinstance(entry, dict)
        for name, settings in entry.items()
        if (settings or {}).get("send_domain")
    }


def action_names() -> set[str]:
    """The domain's custom actions: each entry is a name, or a name mapped to its settings (send_domain)."""
    return {name for entry in domain()["actions"] for name in ([entry] if isinstance(entry, str) else entry)}


def run(action, tracker: Tracker, domain_dict: dict[str, Any] | None = None) -> tuple[list[dict], list]:
    """Run a custom action as the action server does: (the messages it sent, the events it returned)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain() if domain_dict is None else domain_dict))
    return dispatcher.messages, events


class FormTalk:
    """One person inside a Rasa form, as the tests drive it: the trackers Rasa would send, the slots it keeps."""

    form: str

    def __init__(self, sender: str = "agent-a", metadata: dict | None = None) -> None:
        self.sender = sender
        self.metadata = metadata or {}  # what the web channel passes with each message
        self.slots: dict = {name: None for name in domain()["slots"]}
        self.active = False
        self.said: list[dict] = []

    def tracker(self, text: str, intent: str, entities: list[dict], extracted: dict) -> Tracker:
        """The tracker after the person's message; `extracted` is what the domain's slot mappings took from it."""
        message = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.95},
            "entities": entities,
            "metadata": self.metadata,
        }
        events = [{"event": "user", "text": text, "parse_data": message}]
        events += [{"event": "slot", "name": k, "value": v} for k, v in extracted.items()]
        loop = {"name": self.form} if self.active else {}
        return Tracker(self.sender, dict(self.slots), message, events, False, None, loop, "action_listen")

    def apply(self, events: list) -> None:
        for event in events:
            if isinstance(event, dict) and event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
            elif isinstance(event, dict) and event.get("event") == "active_loop" and event.get("name") is None:
                self.active = False

    @property
    def buttons(self) -> list[dict]:
        return [b for m in self.said for b in m.get("buttons") or []]
