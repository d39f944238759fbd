"""A turn's read and save in the tracker store: Rasa's SQLTrackerStore against the one that keeps what it saved
(rasa_components/tracker_store.py), on the same kind of SQLite database, in one process, one after the other.

    .venv-rasa/bin/python -m bench.tracker_store [--conversations 40] [--turns 6]     (`make bench` runs it)

Each turn reads the tracker, adds a user message with its parse data, a slot, a bot message and a listen,
and saves it: the events of a real turn, without the NLU and the policies.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from rasa_components.tracker_store import RememberingSQLTrackerStore

ROOT = Path(__file__).resolve().parent.parent
TEXT = "bonjour, combien de jours de congés annuels ai-je cette année ?"


def parse_data(text: str) -> dict:
    ranking = [{"name": f"intent_{i}", "confidence": 0.1} for i in range(10)]
    return {"text": text, "intent": {"name": "ask_leave", "confidence": 0.9}, "intent_ranking": ranking, "entities": []}


async def measure(store, conversations: int, turns: int) -> tuple[list[float], list[float]]:
    reads, saves = [], []
    for conversation in range(conversations):
        sender = f"bench-{conversation}"
        for turn in range(turns):
            started = time.perf_counter()
            tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
            read = time.perf_counter()
            tracker.update(UserUttered(TEXT, parse_data=parse_data(TEXT)))
            tracker.update(SlotSet("campus", "Alès"))
            tracker.update(BotUttered("À temps plein, vous avez 25 jours de congés annuels."))
            tracker.update(ActionExecuted("action_listen"))
            updated = time.perf_counter()
            await store.save(tracker)
            saved = time.perf_counter()
            if turn:  # the first turn creates the conversation
                reads.append(1000 * (read - started))
                saves.append(1000 * (saved - updated))
    return reads, saves


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument("--turns", type=int, default=6)
    args = parser.parse_args()
    domain = Domain.load(str(ROOT / "domain"))
    print("| tracker store | read p50 (ms) | save p50 (ms) |\n|---|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="bench-tracker-") as folder:
        for store_class in (SQLTrackerStore, RememberingSQLTrackerStore):
            store = store_class(domain, dialect="sqlite", db=str(Path(folder) / f"{store_class.__name__}.db"))
            reads, saves = asyncio.run(measure(store, args.conversations, args.turns))
            print(f"| {store_class.__name__} | {statistics.median(reads):.2f} | {statistics.median(saves):.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
