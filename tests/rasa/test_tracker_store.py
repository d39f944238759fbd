"""The tracker store that keeps what it saved (rasa_components/tracker_store.py) reads what Rasa's
SQLTrackerStore reads from the same database, whatever else wrote to it."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

from rasa_components.tracker_store import RememberingSQLTrackerStore

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, ask_leave]
slots:
  campus:
    type: text
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: "Bonjour"}]
"""
)


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.fixture
def database(tmp_path):
    return str(tmp_path / "tracker.db")


def remembering(database: str) -> RememberingSQLTrackerStore:
    return RememberingSQLTrackerStore(DOMAIN, dialect="sqlite", db=database)


def rasa_store(database: str) -> SQLTrackerStore:
    return SQLTrackerStore(DOMAIN, dialect="sqlite", db=database)


def turn(tracker, text: str, intent: str = "greet", campus: str | None = None) -> None:
    tracker.update(UserUttered(text, {"name": intent, "confidence": 0.9}))
    if campus:
        tracker.update(SlotSet("campus", campus))
    tracker.update(BotUttered("Bonjour"))
    tracker.update(ActionExecuted("action_listen"))


def started(store, sender: str = "agent-1"):
    """A conversation of two turns, as Rasa runs them: each reads the tracker, updates it and saves it."""
    for text in ("bonjour", "une question"):
        tracker = run(store.get_or_create_tracker(sender))
        turn(tracker, text)
        run(store.save(tracker))
    return tracker


def same_as_rasa_reads(tracker, database: str) -> bool:
    reference = run(rasa_store(database).retrieve(tracker.sender_id))
    return [e.as_dict() for e in tracker.events] == [
        e.as_dict() for e in reference.events
    ] and tracker.current_slot_values() == reference.current_slot_values()


def rows(database: str, sender: str = "agent-1") -> int:
    store = rasa_store(database)
    with store.session_scope() as session:
        return session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender).count()


def test_a_conversation_read_back_without_the_database_is_what_rasa_would_read(database):
    store = remembering(database)
    tracker = started(store)
    again = run(store.retrieve("agent-1"))
    assert again is tracker  # kept: not rebuilt from the database
    assert same_as_rasa_reads(again, database)
    turn(again, "je suis à Alès", intent="ask_leave", campus="Alès")
    run(store.save(again))
    third = run(store.retrieve("agent-1"))
    assert third.get_slot("campus") == "Alès"
    assert same_as_rasa_reads(third, database)
    assert rows(database) == len(third.events)  # every event written once, none twice


def test_a_new_conversation_is_saved_whole_and_read_back(database):
    store = remembering(database)
    tracker = run(store.get_or_create_tracker("agent-1"))
    turn(tracker, "bonjour", campus="Alès")
    run(store.save(tracker))
    again = run(store.retrieve("agent-1"))
    assert again.get_slot("campus") == "Alès" and same_as_rasa_reads(again, database)
    assert rows(database) == len(again.events)


def test_what_another_instance_wrote_is_read(database):
    ours, theirs = remembering(database), remembering(database)
    started(ours)
    other = run(theirs.retrieve("agent-1"))
    turn(other, "à Clavières", intent="ask_leave", campus="Clavières")
    run(theirs.save(other))
    mine = run(ours.retrieve("agent-1"))
    assert mine.get_slot("campus") == "Clavières"
    assert same_as_rasa_reads(mine, database)
    turn(mine, "merci")
    run(ours.save(mine))
    assert rows(database) == len(mine.events)


def test_a_conversation_found_empty_then_written_elsewhere_is_not_written_twice(database):
    ours, theirs = remembering(database), remembering(database)
    assert run(ours.retrieve("agent-1")) is None
    started(theirs)
    tracker = run(ours.retrieve_full_tracker("agent-1"))
    turn(tracker, "à Alès", campus="Alès")
    run(ours.save(tracker))
    assert rows(database) == len(tracker.events)
    assert same_as_rasa_reads(run(ours.retrieve("agent-1")), database)


def test_a_turn_that_failed_before_saving_leaves_nothing_behind(database):
    store = remembering(database)
    tracker = started(store)
    turn(tracker, "à Alès", campus="Alès")  # never saved
    again = run(store.retrieve("agent-1"))
    assert again.get_slot("campus") is None
    assert same_as_rasa_reads(again, database)


def test_a_purged_conversation_is_gone(database):
    store = remembering(database)
    started(store)
    reference = rasa_store(database)
    with reference.session_scope() as session:
        session.query(reference.SQLEvent).filter(reference.SQLEvent.sender_id == "agent-1").delete()
        session.commit()
    assert run(store.retrieve("agent-1")) is None


def test_a_partly_purged_conversation_is_read_again(database):
    store = remembering(database)
    tracker = started(store)
    turn(tracker, "à Alès", campus="Alès")
    run(store.save(tracker))
    reference = rasa_store(database)
    with reference.session_scope() as session:
        first = session.query(reference.SQLEvent).filter(reference.SQLEvent.sender_id == "agent-1").first()
        session.delete(first)
        session.commit()
    again = run(store.retrieve("agent-1"))
    assert again is not tracker and same_as_rasa_reads(again, database)


def with_a_new_session(store):
    """A conversation of two turns, then a turn that starts a new session (Rasa's session start), saved."""
    tracker = started(store)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    turn(tracker, "rebonjour")
    run(store.save(tracker))
    return tracker


def test_a_new_session_is_read_as_rasa_reads_it(database):
    store = remembering(database)
    tracker = with_a_new_session(store)
    kept = store._kept["agent-1"].tracker
    again = run(store.retrieve("agent-1"))
    assert again is kept and again is not tracker  # the last session, rebuilt as Rasa's read would
    assert same_as_rasa_reads(again, database)
    assert not any(e.as_dict().get("text") == "bonjour" for e in again.events)  # the last session only
    turn(again, "à Clavières", campus="Clavières")
    run(store.save(again))
    assert same_as_rasa_reads(run(store.retrieve("agent-1")), database)


def test_a_tracker_saved_again_after_its_new_session_is_not_handed_back_whole(database):
    store = remembering(database)
    tracker = with_a_new_session(store)
    turn(tracker, "à Alès", campus="Alès")  # the same object saved a second time
    run(store.save(tracker))
    again = run(store.retrieve("agent-1"))
    assert again.get_slot("campus") == "Alès" and same_as_rasa_reads(again, database)
    assert rows(database) == len(tracker.events)


def test_a_first_turn_with_its_session_start_is_kept_as_rasa_reads_it(database):
    store = remembering(database)
    tracker = run(store.get_or_create_tracker("agent-1", append_action_listen=False))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    turn(tracker, "bonjour", campus="Alès")
    run(store.save(tracker))
    again = run(store.retrieve("agent-1"))
    assert again is store._kept["agent-1"].tracker
    assert again.get_slot("campus") == "Alès" and same_as_rasa_reads(again, database)
    assert rows(database) == len(tracker.events)


def test_idle_conversations_are_not_kept(database):
    store = RememberingSQLTrackerStore(DOMAIN, dialect="sqlite", db=database, idle_seconds=0)
    tracker = started(store)
    assert run(store.retrieve("agent-1")) is not tracker
    assert len(store._kept) == 0


def test_at_most_so_many_conversations_are_kept(database):
    store = RememberingSQLTrackerStore(DOMAIN, dialect="sqlite", db=database, kept_conversations=2)
    for sender in ("a", "b", "c"):
        started(store, sender)
    assert list(store._kept) == ["b", "c"]
