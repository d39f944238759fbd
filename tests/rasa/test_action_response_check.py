"""Runs in the Rasa environment: action server responses are still checked in full, with the schema checked once."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import rasa_components  # noqa: F401  (installs the check, as Rasa does when it loads our components)
from rasa_components.action_response_check import response_validator

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


def test_the_schema_is_checked_once_and_the_validator_reused():
    response_validator.cache_clear()
    for _ in range(3):
        ACTION._validate_action_result(VALID)
    assert response_validator.cache_info().misses == 1 and response_validator.cache_info().hits >= 2
