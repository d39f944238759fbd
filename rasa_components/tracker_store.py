"""Rasa's SQL tracker store, without re-reading what it has just written.

Every turn, Rasa's SQLTrackerStore reads the whole conversation session from the database and rebuilds
the tracker by replaying its events, then, to save, counts the stored events again to know which are
new. Between two turns of one conversation nothing else has usually happened, so this store keeps the
trackers it last saved (a bounded number, for a bounded time) and, for each tracker it handed out, how
many of its events are stored:
- `retrieve` asks the database one small question — how many events the conversation has and the id
  of the last one — and hands back the tracker it kept if nothing changed: not in the database (another
  instance, the retention purge), not in the tracker itself (a turn that failed before saving). Otherwise
  it reads the conversation as Rasa does;
- `save` writes the events after the ones it knows to be stored, without counting them (all of them for a
  conversation `retrieve` has just found empty, which Rasa then creates).
When a turn starts a new session, what is kept is the tracker Rasa's read would rebuild (the last session
only), rebuilt from the rows just written. Nothing is kept when an event broker is configured (it compares
with a fresh read). The database
stays the only truth: several instances share it as before (a turn holds the conversation's lock from
its read to its save), and what is kept in memory is dropped after `idle_seconds`.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from weakref import ref

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY


@dataclass(frozen=True)
class Stored:
    """What the database holds of a conversation when a tracker was read or saved: its number of events
    and the id of the last one; how many of the tracker's events are stored (its first `length`); and whether
    the tracker holds what Rasa's read would return (`whole`: not so once it saved a new session after older
    events, which the read leaves out)."""

    count: int
    last_id: int | None
    length: int
    whole: bool = True


@dataclass
class Kept:
    tracker: DialogueStateTracker
    used: float


class StoredBook:
    """A `Stored` for each live tracker (trackers are unhashable: by identity, dropped with the tracker)."""

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[ref, Stored]] = {}

    def get(self, tracker: DialogueStateTracker) -> Stored | None:
        entry = self._by_id.get(id(tracker))
        return entry[1] if entry is not None and entry[0]() is tracker else None

    def __setitem__(self, tracker: DialogueStateTracker, stored: Stored) -> None:
        key = id(tracker)
        self._by_id[key] = (ref(tracker, lambda _, key=key: self._by_id.pop(key, None)), stored)

    def pop(self, tracker: DialogueStateTracker) -> None:
        if self.get(tracker) is not None:
            del self._by_id[id(tracker)]


class RememberingSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQLTrackerStore that keeps the trackers it saved (`type:` of the endpoints' tracker store)."""

    def __init__(self, *args: Any, kept_conversations: int = 500, idle_seconds: float = 900, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kept_conversations, self.idle_seconds = int(kept_conversations), float(idle_seconds)
        self._stored = StoredBook()
        self._kept: OrderedDict[str, Kept] = OrderedDict()  # by sender id, least recently used first
        self._empty: set[str] = set()  # conversations the last `retrieve` found without any event
        # Built once: SQLAlchemy's ORM would build and key each statement again at every call.
        event = self.SQLEvent
        self._mark_query = sa.select(sa.func.count(event.id), sa.func.max(event.id)).where(
            event.sender_id == sa.bindparam("sender_id")
        )
        self._insert = event.__table__.insert()

    def _mark(self, connection: sa.engine.Connection, sender_id: str) -> tuple[int, int | None]:
        """How many events the conversation has in the database, and the id of its last one."""
        count, last_id = connection.execute(self._mark_query, {"sender_id": sender_id}).one()
        return int(count), last_id

    def _forget_idle(self) -> None:
        limit = time.monotonic() - self.idle_seconds
        while self._kept and (
            len(self._kept) > self.kept_conversations or next(iter(self._kept.values())).used < limit
        ):
            self._kept.popitem(last=False)

    def _keep(self, tracker: DialogueStateTracker) -> None:
        self._kept[tracker.sender_id] = Kept(tracker, time.monotonic())
        self._kept.move_to_end(tracker.sender_id)
        self._forget_idle()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        if self.event_broker is not None:
            return await super().retrieve(sender_id)
        with self.engine.connect() as connection:
            count, last_id = self._mark(connection, sender_id)
        self._empty.discard(sender_id)
        if count == 0:  # Rasa creates the tracker next (`get_or_create_tracker`) and saves it
            if len(self._empty) >= self.kept_conversations:
                self._empty.clear()  # looked up and never created: only a shortcut is lost
            self._empty.add(sender_id)
        self._forget_idle()
        kept = self._kept.pop(sender_id, None)
        if kept is not None:
            stored = self._stored.get(kept.tracker)
            if stored == Stored(count, last_id, len(kept.tracker.events)):
                self._keep(kept.tracker)
                return kept.tracker
        tracker = await super().retrieve(sender_id)
        if tracker is not None and tracker.events.maxlen is None:
            # Read after the mark: if another instance wrote in between, the next mark differs and the
            # conversation is read again (never the other way round).
            self._stored[tracker] = Stored(count, last_id, len(tracker.events))
        return tracker

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        self._empty.discard(conversation_id)
        return await super().retrieve_full_tracker(conversation_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        stored = self._stored.get(tracker)
        if stored is None and tracker.sender_id in self._empty:
            stored = Stored(0, None, 0)  # a new conversation: none of its events is stored
        self._empty.discard(tracker.sender_id)
        if (
            self.event_broker is not None
            or stored is None
            or tracker.events.maxlen is not None
            or len(tracker.events) < stored.length
        ):
            self._kept.pop(tracker.sender_id, None)
            self._stored.pop(tracker)
            await super().save(tracker)
            return
        events = list(tracker.events)
        rows = [self._row(tracker.sender_id, event) for event in events[stored.length :]]
        with self.engine.begin() as connection:  # one transaction, committed at the end
            if rows:
                connection.execute(self._insert, rows)
            count, last_id = self._mark(connection, tracker.sender_id)  # as the next `retrieve` will find it
        starts = [row["timestamp"] for row in rows if row["type_name"] == SessionStarted.type_name]
        self._stored[tracker] = Stored(count, last_id, len(events), whole=stored.whole and not starts)
        if stored.whole and not starts:
            self._keep(tracker)
            return
        self._kept.pop(tracker.sender_id, None)
        if not starts:
            return  # saved again after a new session: the next turn reads the conversation
        # A new session: Rasa's read returns the events from the last session start on (by timestamp), which
        # this tracker does not hold alone. Keep that tracker, rebuilt as the read rebuilds it from the rows.
        start = max(starts)
        if any((event.timestamp or 0) >= start for event in events[: stored.length]):
            return  # an earlier event stamped later (clocks of several machines): leave it to the read
        session = [json.loads(row["data"]) for row in rows if (row["timestamp"] or 0) >= start]
        if self.domain:
            read = DialogueStateTracker.from_dict(tracker.sender_id, session, self.domain.slots)
            self._stored[read] = Stored(count, last_id, len(read.events))
            self._keep(read)

    @staticmethod
    def _row(sender_id: str, event) -> dict[str, Any]:
        """The row SQLTrackerStore.save writes for an event."""
        data = event.as_dict()
        return dict(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )
