"""The schemas of the eligibility rules (data/eligibility/*.yml), described for HR in data/eligibility/README.md.

A question or a condition names other questions: they are given as the validation context
(`{"questions": {id: raw question}}`), the files' own completed by those already loaded.
"""

from __future__ import annotations

import re
import string
from typing import Annotated, Any, ClassVar

from pydantic import Field, ValidationInfo, field_validator, model_validator

from bot.core.schema import Boolean, Integer, Number, Schema, SourceDate, Text, among, rule
from bot.core.vocabulary import AID_TYPES
from bot.eligibility.engine import TEST_KINDS, TEXT_TESTS, VALUE_TESTS
from bot.eligibility.natural_answers import KINDS

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ID_PROBLEM = "identifiant invalide (minuscules, chiffres, _ et -)"
# Each condition text and the placeholders it may use.
_TEXTS = {
    "met": ("value", "limit", "by"),
    "not_met": ("value", "limit", "by"),
    "unsure_text": ("value", "limit", "by", "unsure_from"),
    "no_limit": ("by",),
}
_EXTRACTABLE = ("duration",)  # kinds a value can be picked from in passing (« contractuelle depuis 2 ans »)


def _questions(info: ValidationInfo) -> dict[str, dict[str, Any]]:
    return (info.context or {}).get("questions") or {}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class RulesFile(Schema):
    """A rules file: the profile, questions and schemes, each checked on its own."""

    profile: list[str] | None = None
    questions: list[Any] | None = None
    schemes: list[Any] | None = None


class QuestionSchema(Schema):
    """One question (one fact); its id is checked by the file, which keys questions by id."""

    id: Annotated[str, rule(_ID.match, _ID_PROBLEM)]
    kind: Annotated[Text, among(KINDS, "genre « {value} » inconnu ({allowed})")]
    question: Text
    label: Text
    examples: list[str] = Field(min_length=1)
    options: dict[str, Any] | None = Field(default=None, validate_default=True)
    also: list[str] = Field(default_factory=list)
    min: Number | None = None
    max: Number | None = None
    step: Number | None = None
    where: str | None = None
    open_ended: list[str] | None = None
    unit: str | None = None  # a decimal's unit, shown with it (« part »: « 1 part », « 2,5 parts »)
    false_without: str | None = None  # an `ages` question whose answer « no child » makes this yes / no fact false

    @field_validator("options", mode="before")
    @classmethod
    def _options(cls, value: Any, info: ValidationInfo) -> Any:
        if info.data.get("kind") != "choice":
            return value
        if not isinstance(value, dict) or not value:
            raise ValueError("une question à choix doit lister ses « options »")
        unlabelled = [name for name, option in value.items() if not isinstance(option, dict) or not option.get("label")]
        if unlabelled:
            raise ValueError("\n".join(f"l'option « {name} » n'a pas de « label »" for name in unlabelled))
        return value

    @field_validator("also")
    @classmethod
    def _also(cls, value: list[str], info: ValidationInfo) -> list[str]:
        questions, problems = _questions(info), []
        for other in value:
            if other not in questions:
                problems.append(f"« also » nomme une question inconnue « {other} »")
            elif questions[other].get("kind") not in _EXTRACTABLE:
                problems.append(f"« also » ne peut lire en passant qu'une durée, pas « {other} »")
        if problems:
            raise ValueError("\n".join(problems))
        return value

    @field_validator("false_without")
    @classmethod
    def _false_without(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        questions = _questions(info)
        if info.data.get("kind") != "yes_no":
            raise ValueError("« false_without » ne s'applique qu'à une question oui / non")
        if questions.get(value, {}).get("kind") != "ages":
            raise ValueError(f"« false_without » doit nommer une question d'âges des enfants, pas « {value} »")
        return value


def _table(name: str) -> Any:
    """A table of numbers to ceilings (« 3 parts: 49 948 € »)."""
    return rule(
        lambda value: (
            value is None
            or (
                isinstance(value, dict)
                and bool(value)
                and all(isinstance(k, (int, float)) and isinstance(v, (int, float)) for k, v in value.items())
            )
        ),
        f"« {name} » doit associer des nombres à des plafonds",
        before=True,
    )


class ConditionSchema(Schema):
    """A condition of a tier's `when` or of an `only_if`: no text is shown for it."""

    shown: ClassVar[bool] = False

    test: str
    fact: str | None = None
    only_if: dict[str, Any] | None = None  # checked on its own, as a condition (see rules.py)
    values: list[str] | None = None
    unsure: list[str] | None = None
    value: Boolean | None = None
    limit: Number | None = None
    min: Number | None = None
    max: Number | None = None
    by: str | None = None
    table: Annotated[dict[Number, Number] | None, _table("table")] = None
    unsure_from: Annotated[dict[Number, Number] | None, _table("unsure_from")] = None
    step: Annotated[
        dict[str, Number] | None,
        rule(
            lambda v: v is None or (isinstance(v, dict) and {"every", "add"} <= set(v)),
            "« step » doit donner « every » et « add »",
            before=True,
        ),
    ] = None
    year: Integer | None = None
    text: str | None = None
    met: str | None = None
    not_met: str | None = None
    unsure_text: str | None = None
    no_limit: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _has_test(cls, value: Any) -> Any:
        if not isinstance(value, dict) or "test" not in value:
            raise ValueError("condition sans « test »")
        return value

    @model_validator(mode="after")
    def _coherent(self, info: ValidationInfo) -> ConditionSchema:
        problems = self._problems(_questions(info))
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _problems(self, questions: dict[str, dict[str, Any]]) -> list[str]:
        test, shown = self.test, self.shown
        if test in TEXT_TESTS:
            return [f"le test « {test} » demande un « text » qui dit pourquoi"] if shown and not self.text else []
        if test not in VALUE_TESTS:
            return [f"test « {test} » inconnu ({', '.join([*VALUE_TESTS, *TEXT_TESTS])})"]
        question = questions.get(self.fact)  # type: ignore[arg-type]
        if question is None:
            return [f"« fact » « {self.fact} » ne correspond à aucune question"]
        kind, problems = question.get("kind"), []
        if kind not in TEST_KINDS[test]:
            problems.append(f"le test « {test} » ne s'applique pas à « {self.fact} » ({kind})")
        problems += [
            f"paramètre « {name} » manquant pour le test « {test} »"
            for name in VALUE_TESTS[test]
            if getattr(self, name) is None
        ]
        if test == "one_of" and kind == "choice":
            options = question.get("options") or {}
            problems += [
                f"valeur « {v} » absente des options de « {self.fact} »"
                for v in [*(self.values or []), *(self.unsure or [])]
                if v not in options
            ]
            if self.unsure and shown and not self.unsure_text:
                problems.append("des valeurs « unsure » demandent un « unsure_text »")
        if test == "at_most_by":
            if self.by not in questions:
                problems.append(f"« by » « {self.by} » ne correspond à aucune question")
            if shown and not self.no_limit and not self.step:
                problems.append("texte « no_limit » manquant (quand le barème n'a pas le nombre de parts)")
            if self.unsure_from and shown and not self.unsure_text:
                problems.append("« unsure_from » demande un « unsure_text »")
        # Only a ceiling by table has to give its year (as before the schemas: a plain « at_most » need not).
        if kind == "money" and test == "at_most_by" and shown and not self.year:
            problems.append("un plafond en euros doit indiquer son année (« year »)")
        if shown:
            problems += [f"texte « {name} » manquant" for name in ("met", "not_met") if not getattr(self, name)]
            for name, allowed in _TEXTS.items():
                extra = _placeholders(getattr(self, name) or "") - set(allowed)
                problems += [f"« {{{p}}} » inconnu dans « {name} » ({', '.join(allowed)})" for p in sorted(extra)]
        return problems


class ShownConditionSchema(ConditionSchema):
    """A condition of a scheme: its result is shown, so its texts are required."""

    shown: ClassVar[bool] = True


class TierSchema(Schema):
    """A tier or an extra of the amounts; its conditions are checked on their own (see rules.py)."""

    when: list[dict[str, Any]] = Field(min_length=1)
    amount: Text

    @model_validator(mode="before")
    @classmethod
    def _complete(cls, value: Any) -> Any:
        if not isinstance(value, dict) or not value.get("amount") or not value.get("when"):
            raise ValueError("« when » et « amount » sont nécessaires")
        return value


class AmountsSchema(Schema):
    year: Integer
    note: str | None = None
    details: list[str] = Field(default_factory=list)
    tiers: list[Any] = Field(default_factory=list)
    extras: list[Any] = Field(default_factory=list)
    otherwise: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _dated(cls, value: Any) -> Any:
        if not isinstance(value, dict) or not isinstance(value.get("year"), int):
            raise ValueError("« amounts » doit donner l'année des montants (« year »)")  # noqa: TRY004 (pydantic)
        return value


class SchemeSchema(Schema):
    """One scheme (one aid_type); its conditions and tiers are checked on their own (see rules.py)."""

    id: Annotated[Text, rule(lambda v: not v or _ID.match(str(v)), _ID_PROBLEM, before=True)]
    aid_type: Annotated[Text, among(AID_TYPES, "aid_type « {value} » inconnu ({allowed})")]
    title: Text
    summary: Text
    how_to_apply: Text
    contact: Text
    source: Text
    source_date: SourceDate
    source_url: str | None = None
    notes: list[str] = Field(default_factory=list)
    conditions: Annotated[
        list[Any],
        rule(
            lambda v: isinstance(v, list) and v,
            "au moins une condition est nécessaire (ou « test: case_by_case »)",
            before=True,
        ),
    ] = Field(default=None, validate_default=True)
    amounts: AmountsSchema = Field(default=None, validate_default=True)  # type: ignore[assignment]
