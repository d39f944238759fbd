"""Runs in the Rasa environment: action server responses are still checked in full, with the schema checked once."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import rasa_components  # noqa: F401  (installs the check, as Rasa does when it loads our components)
from rasa_components.action_response_check import event_validators, response_validator

ACTION = RemoteAction("action_answer_leave", None)
VALID = {
    "events": [{"event": "slot", "timestamp": None, "name": "pending_question", "value": "ask_leave"}],
    "responses": [{"text": "Quel type de congé vous intéresse ?"}],
}


def test_a_valid_response_passes():
    assert ACTION._validate_action_result(VALID) is True


@pytest.mark.parametrize(
    "response",
    [
        {"events": [{"event": 42}]},
        {"events": "not a list"},
        {"events": [{"name": "no event type"}]},
        {"responses": "not a list"},
    ],
)
def test_an_invalid_response_raises_with_rasas_hint(response):
    with pytest.raises(ValidationError) as raised:
        ACTION._validate_action_result(response)
    assert "Failed to validate Action server response" in raised.value.message


def test_the_schema_is_checked_once_and_the_validators_reused():
    response_validator.cache_clear()
    event_validators.cache_clear()
    for _ in range(3):
        ACTION._validate_action_result(VALID)
    assert response_validator.cache_info().misses == 1
    assert event_validators.cache_info().misses == 1 and event_validators.cache_info().hits >= 2


def rasa_events() -> list[dict]:
    """One event of each kind Rasa writes, as an action server sends them."""
    from rasa.shared.core import events

    return [
        event.as_dict()
        for event in (
            events.SlotSet("campus", "Alès"),
            events.UserUttered(
                "bonjour", {"name": "greet", "confidence": 0.9}, [{"entity": "campus", "value": "Alès"}]
            ),
            events.BotUttered("Bonjour", {"buttons": [{"title": "Oui", "payload": "/affirm"}]}),
            events.ActionExecuted("action_answer"),
            events.FollowupAction("action_listen"),
            events.ActiveLoop("booking_form"),
            events.ActiveLoop(None),
            events.Restarted(),
            events.SessionStarted(),
            events.AllSlotsReset(),
            events.UserUtteranceReverted(),
            events.ActionReverted(),
            events.ConversationPaused(),
            events.ConversationResumed(),
            events.LoopInterrupted(True),
            events.ActionExecutionRejected("action_answer"),
            events.EntitiesAdded([{"entity": "campus", "value": "Alès"}]),
            events.ReminderCancelled(name="r"),
            events.AgentUttered("texte"),
        )
    ]


def variants(event: dict):
    """The event, and the event with each of its fields (and its name) changed to values of other types."""
    yield event
    for key in [*event, "unknown_field"]:
        for value in (42, None, "x", [], {}, 1.5, True):
            yield {**event, key: value}
    yield {key: value for key, value in event.items() if key != "event"}


def test_the_fast_check_accepts_and_refuses_exactly_what_the_whole_schema_does():
    from rasa_components.action_response_check import is_valid_response

    whole = response_validator()
    checked = refused = 0
    for event in rasa_events():
        for variant in variants(event):
            for response in ({"events": [variant]}, {"events": [VALID["events"][0], variant], "responses": []}):
                assert is_valid_response(response) == whole.is_valid(response), response
                checked += 1
                refused += not whole.is_valid(response)
    for response in ({}, {"events": None}, {"events": [1]}, {"responses": [1]}, [], "texte", {"events": []}):
        assert is_valid_response(response) == whole.is_valid(response), response
    assert checked > 1000 and refused > 100  # both sides of the check were exercised
