"""Rasa checks every action server response against its JSON schema, and pays for it dearly.

RemoteAction._validate_action_result calls `jsonschema.validate`, which first checks the schema
itself against its meta-schema, on every call: with jsonschema 4.17 that is about half of Rasa's
time on a message answered by a custom action (measured with py-spy). Here the validator is built
and the schema checked once; each response is still validated in full, and an invalid one raises
the same ValidationError, with Rasa's hint, as before.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
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
