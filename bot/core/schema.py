"""The shared base of the schemas of the files HR edits, and their errors in French.

Each feature declares the models of its files next to its code (bot/<feature>/schema.py); loads stay all
or nothing: every entry is checked, every problem is listed in French (file, entry, field), and nothing is
loaded when one is found. Validators raise `ValueError` with the French sentence HR reads; the other
pydantic errors (missing or unknown field, wrong type) are translated here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Strict, StringConstraints, ValidationError
from pydantic_core import PydanticCustomError

from bot.core.text import SOURCE_DATE

MEDIAN_DOT = "·"
MEDIAN_DOT_PROBLEM = "point médian interdit par les règles de rédaction de l'école"


class Schema(BaseModel):
    """An entry of an HR file: unknown keys are refused, texts are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


Model = TypeVar("Model", bound=BaseModel)


def rule(test: Callable[[Any], Any], message: str | Callable[[Any], str], before: bool = False) -> Any:
    """A field's check, for `Annotated`: a value for which `test` is false is refused with the French `message`
    (where « {value} » is the value; or a function of the value). `before`: on the value as written in the
    file, before its type is checked."""

    def check(value: Any) -> Any:
        if not test(value):
            raise ValueError(message(value) if callable(message) else message.format(value=value))
        return value

    return BeforeValidator(check) if before else AfterValidator(check)


def among(allowed: Iterable[str], message: str) -> Any:
    """A field's check: the value is one of `allowed`; the message may use {value} and {allowed} (listed)."""
    known = tuple(allowed)
    return rule(lambda value: value in known, lambda value: message.format(value=value, allowed=", ".join(known)))


# A text that must be given (neither absent, empty nor blank).
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PydanticCustomError("number_type", "not a number")
    return value


# A number written as such in YAML (« 12 », « 0.25 »), never a text.
Number = Annotated[int | float, BeforeValidator(_number)]
# An integer (a year, a count) and a yes / no written as such in YAML.
Integer = Annotated[int, Strict()]
Boolean = Annotated[bool, Strict()]


def _source_date(value: Any) -> Any:
    if isinstance(value, (int, date)) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and value.strip() and not SOURCE_DATE.match(value.strip()):
        raise ValueError(f"source_date « {value} » attendue sous la forme AAAA ou AAAA-MM-JJ")
    return value


# The date of a source: a year or a day (« 2025 », « 2025-03-01 »), unquoted in YAML or not.
SourceDate = Annotated[Text, BeforeValidator(_source_date)]

_EMPTY = (None, "", [], {})
# What a value of the wrong type should be, by the first word of pydantic's error type.
_TYPES = {
    "int": "doit être un nombre entier",
    "float": "doit être un nombre",
    "number": "doit être un nombre",
    "bool": "doit valoir true ou false",
    "list": "doit être une liste",
    "dict": "doit être un dictionnaire",
    "model": "doit être un dictionnaire",
    "string": "doit être un texte",
    "date": "doit être une date AAAA-MM-JJ",
}


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _french(error: dict[str, Any]) -> str:
    """One pydantic error as HR reads it."""
    kind, loc = error["type"], error["loc"]
    if kind == "value_error":
        return str(error["ctx"]["error"])
    name = _field(loc)
    if kind == "extra_forbidden":
        return f"champ « {name} » inconnu"
    given = error.get("input")
    if kind in ("missing", "string_too_short", "too_short") or (given in _EMPTY and not isinstance(given, bool)):
        return f"champ « {name} » manquant"
    prefix = kind.split("_")[0]
    if prefix in _TYPES:
        return f"« {name} » {_TYPES[prefix]}" if name else _TYPES[prefix]
    return f"« {name} » : valeur « {given} » invalide"


def french_errors(error: ValidationError, where: str, colon: str = " : ") -> list[str]:
    """The French problems of a validation error, each prefixed by where it was found (a validator may
    give several problems, one a line)."""
    return [f"{where}{colon}{line}" for item in error.errors(include_url=False) for line in _french(item).split("\n")]


def has_median_dot(value: Any) -> bool:
    """Whether a text of a YAML value (keys included) uses the point médian, forbidden by the school's style."""
    if isinstance(value, str):
        return MEDIAN_DOT in value
    if isinstance(value, dict):
        return any(has_median_dot(k) or has_median_dot(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_median_dot(item) for item in value)
    return False


def validate(
    model: type[Model],
    raw: Any,
    where: str,
    colon: str = " : ",
    median_dot: bool = False,
    context: dict[str, Any] | None = None,
) -> tuple[Model | None, list[str]]:
    """(the entry, None when refused; its French problems). `median_dot` also refuses the point médian."""
    problems: list[str] = []
    try:
        entry: Model | None = model.model_validate(raw, context=context)
    except ValidationError as error:
        entry, problems = None, french_errors(error, where, colon)
    if median_dot and has_median_dot(raw):
        problems.append(f"{where}{colon}{MEDIAN_DOT_PROBLEM}")
        entry = None
    return entry, problems


def field_problems(model: type[BaseModel], raw: dict[str, Any], median_dot: bool = False) -> dict[str, list[str]]:
    """The same checks as `validate`, by field (for a form that shows each problem next to its field): the
    top-level field's name -> its French problems; "" for the entry as a whole."""
    problems: dict[str, list[str]] = {}
    try:
        model.model_validate(raw)
    except ValidationError as error:
        for item in error.errors(include_url=False):
            name = str(item["loc"][0]) if item["loc"] else ""
            problems.setdefault(name, []).extend(_french(item).split("\n"))
    if median_dot:
        for name, value in raw.items():
            if has_median_dot(value):
                problems.setdefault(name, []).append(MEDIAN_DOT_PROBLEM)
    return problems
