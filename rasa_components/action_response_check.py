"""Rasa checks every action server response against its JSON schema, and pays for it dearly.

RemoteAction._validate_action_result calls `jsonschema.validate`, which first checks the schema
itself against its meta-schema, on every call: with jsonschema 4.17 that is about half of Rasa's
time on a message answered by a custom action (measured with py-spy). Here the validators are built
and the schema checked once.

Each response is still validated in full, but faster. The schema says that each event is one of 23
kinds (`oneOf`), each kind fixed by its `event` name (a `const`, a different one for each kind). jsonschema
tries an event against every kind; here it is checked against the common part of every event and then
against its own kind only, which accepts exactly the same events (the other kinds all fail on the name),
in a fifth of the time. A response that fails is validated again with the whole schema, which raises the
same ValidationError, with Rasa's hint, as before.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def response_validator() -> Any:
    """The whole schema's validator: the reference, and the error of an invalid response."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@lru_cache(maxsize=1)
def event_validators() -> tuple[Any, dict[str, Any]]:
    """The schema without the event kinds (the events' common part only), and a validator for each kind."""
    whole = response_validator()
    schema = whole.schema
    events = schema["properties"]["events"]
    common = {key: value for key, value in events["items"].items() if key != "oneOf"}
    shell = {**schema, "properties": {**schema["properties"], "events": {**events, "items": common}}}
    kinds = {kind["properties"]["event"]["const"]: type(whole)(kind) for kind in events["items"]["oneOf"]}
    if len(kinds) != len(events["items"]["oneOf"]):
        raise ValueError("two event kinds of Rasa's response schema share a name")
    return type(whole)(shell), kinds


def is_valid_response(result: Any) -> bool:
    """What `response_validator().is_valid(result)` says, checking each event against its own kind only."""
    shell, kinds = event_validators()
    if not shell.is_valid(result):
        return False
    for event in result.get("events") or []:
        kind = kinds.get(event["event"])  # the shell checked that each event is an object with a string name
        if kind is None or not kind.is_valid(event):
            return False
    return True


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    if is_valid_response(result):
        return True
    try:
        response_validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
