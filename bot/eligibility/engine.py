"""The eligibility rules engine: generic condition kinds evaluated over the facts a person gave.

Nothing here knows a scheme. The schemes (data/eligibility/*.yml, loaded into the
database by bot/eligibility/rules.py) list conditions such as « statut one_of
[titulaire, stagiaire] » or « revenu at_most_by parts, table {...} »; this module
says which fact to ask next, checks each condition (✔ met, ✘ not met, ? cannot
tell) and picks the amount tier.

Facts are a plain dict (it lives in a conversation slot): a fact absent from it has
not been asked; a fact set to None is one the person does not know.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.eligibility.natural_answers import display

MET, NOT_MET, UNKNOWN, MISSING, SKIPPED = "met", "not_met", "unknown", "missing", "skipped"
ELIGIBLE, NOT_ELIGIBLE, CANNOT_TELL = "eligible", "not_eligible", "cannot_tell"
MARKS = {MET: "✔", NOT_MET: "✘", UNKNOWN: "?"}

# Tests on a fact's value, and the parameters each one needs.
VALUE_TESTS: dict[str, tuple[str, ...]] = {
    "one_of": ("values",),
    "is": ("value",),
    "at_most": ("limit",),
    "at_least": ("limit",),
    "below": ("limit",),
    "above": ("limit",),
    "any_below": ("limit",),
    "any_between": ("min", "max"),
    "count_at_least": ("limit",),
    "at_most_by": ("by", "table"),
}
# Tests without a fact: a text says why (decided case by case, figure unknown) or that it always holds.
TEXT_TESTS = ("case_by_case", "not_known", "always")
# Which kinds of fact each value test reads.
TEST_KINDS: dict[str, tuple[str, ...]] = {
    "one_of": ("choice",),
    "is": ("yes_no",),
    "at_most": ("integer", "decimal", "money", "duration", "percent"),
    "at_least": ("integer", "decimal", "money", "duration", "percent"),
    "below": ("integer", "decimal", "money", "duration", "percent"),
    "above": ("integer", "decimal", "money", "duration", "percent"),
    "any_below": ("ages",),
    "any_between": ("ages",),
    "count_at_least": ("ages",),
    "at_most_by": ("money", "integer"),
}


@dataclass(frozen=True)
class Check:
    """One condition checked: its status, the line shown to the person, and the fact still to ask."""

    status: str
    line: str = ""
    needs: str | None = None
    case_by_case: bool = False


@dataclass(frozen=True)
class Verdict:
    outcome: str
    checks: list[Check]
    amounts: list[str]
    unchecked: int = 0  # conditions left unasked because one already excludes
    case_by_case: bool = False


@dataclass(frozen=True)
class RuleBook:
    """Everything the engine needs: the questions by fact, the schemes by aid_type, the profile questions."""

    questions: dict[str, dict[str, Any]]
    schemes: dict[str, dict[str, Any]]
    profile: list[str] = field(default_factory=list)


def facts_of(scheme: dict[str, Any]) -> list[str]:
    """Every fact a scheme may ask, in the order its conditions, then its amount tiers, name them."""
    conditions = list(scheme["conditions"])
    amounts = scheme.get("amounts") or {}
    for group in ("tiers", "extras"):
        conditions += [condition for tier in amounts.get(group) or [] for condition in tier["when"]]
    facts: list[str] = []
    for condition in conditions:
        for name in ((condition.get("only_if") or {}).get("fact"), condition.get("by"), condition.get("fact")):
            if name and name not in facts:
                facts.append(name)
    return facts


def _limit(condition: dict[str, Any], by_value: float) -> tuple[float, float | None] | None:
    """The ceiling for a value of `by` (e.g. parts): from the table, or its step beyond; None if unknown."""
    table = {float(key): value for key, value in condition["table"].items()}
    unsure = {float(key): value for key, value in (condition.get("unsure_from") or {}).items()}
    if by_value in table:
        return table[by_value], unsure.get(by_value)
    step, top = condition.get("step"), max(table)
    if not step or by_value < top:
        return None
    steps = (by_value - top) / step["every"]
    if abs(steps - round(steps)) > 1e-9:
        return None
    extra = round(steps) * step["add"]
    return table[top] + extra, (unsure[top] + extra if top in unsure else None)


class Engine:
    def __init__(self, book: RuleBook) -> None:
        self.book = book

    def _show(self, fact: str, value: Any) -> str:
        question = self.book.questions[fact]
        return display(question["kind"], value, question)

    def _line(self, status: str, template: str | None, condition: dict[str, Any], **values: Any) -> Check:
        if template is None:  # a guard (only_if) or an amount tier: only its status matters
            return Check(status)
        text = template.format(**values)
        if condition.get("year") and "limit" in values:
            text += f" (barème {condition['year']})"
        return Check(status, f"{MARKS[status]} {text}")

    def _not_known_by_person(self, fact: str) -> Check:
        question = self.book.questions[fact]
        where = f" {question['where']}" if question.get("where") else ""
        return Check(UNKNOWN, f"? point non vérifié, faute de connaître {question['label']}.{where}")

    def implied(self, fact: str, facts: dict[str, Any]) -> bool | None:
        """A fact the answers already settle: « Percevez-vous l'AEEH pour un enfant ? » is no for a person without
        children (`false_without: enfants`); None when nothing settles it."""
        without = self.book.questions[fact].get("false_without")
        return False if without and facts.get(without) == [] else None

    def check(self, condition: dict[str, Any], facts: dict[str, Any]) -> Check:
        guard = condition.get("only_if")
        if guard:
            applies = self.check(guard, facts)
            if applies.status == MISSING:
                return applies
            if applies.status == NOT_MET:
                return Check(SKIPPED)
        test = condition["test"]
        if test in TEXT_TESTS:
            status = MET if test == "always" else UNKNOWN
            return Check(status, f"{MARKS[status]} {condition['text']}", case_by_case=test == "case_by_case")
        fact = condition["fact"]
        limits: dict[str, Any] = {}
        if test == "at_most_by":
            by = condition["by"]
            if by not in facts:
                return Check(MISSING, needs=by)
            if facts[by] is None:
                return self._not_known_by_person(by)
            found = _limit(condition, facts[by])
            shown_by = self._show(by, facts[by])
            if found is None:
                return Check(UNKNOWN, "? " + condition.get("no_limit", "").format(by=shown_by))
            limits = {"limit": found[0], "unsure_from": found[1], "by": shown_by}
        if fact not in facts and self.implied(fact, facts) is None:
            return Check(MISSING, needs=fact)
        value = facts[fact] if fact in facts else self.implied(fact, facts)
        if value is None:
            return self._not_known_by_person(fact)
        return self._compare(condition, fact, value, limits)

    def _compare(self, condition: dict[str, Any], fact: str, value: Any, limits: dict[str, Any]) -> Check:
        test = condition["test"]
        shown = {"value": self._show(fact, value)}
        limit = limits.get("limit", condition.get("limit"))
        if limit is not None:  # children's tests compare ages and counts, shown as plain numbers
            shown["limit"] = str(limit) if test in ("any_below", "count_at_least") else self._show(fact, limit)
        if "by" in limits:
            shown["by"] = limits["by"]
        if test == "one_of":
            if value in condition["values"]:
                return self._line(MET, condition.get("met"), condition, **shown)
            if value in (condition.get("unsure") or []):
                return self._line(UNKNOWN, condition.get("unsure_text"), condition, **shown)
            return self._line(NOT_MET, condition.get("not_met"), condition, **shown)
        if test == "at_most_by" and limits.get("unsure_from") is not None and limits["unsure_from"] < value <= limit:
            shown["unsure_from"] = self._show(fact, limits["unsure_from"])
            return self._line(UNKNOWN, condition.get("unsure_text"), condition, **shown)
        holds = {
            "is": lambda: value == condition["value"],
            "at_most": lambda: value <= limit,
            "at_most_by": lambda: value <= limit,
            "at_least": lambda: value >= limit,
            "below": lambda: value < limit,
            "above": lambda: value > limit,
            "any_below": lambda: any(age < limit for age in value),
            "any_between": lambda: any(condition["min"] <= age <= condition["max"] for age in value),
            "count_at_least": lambda: len(value) >= limit,
        }[test]()
        return self._line(MET if holds else NOT_MET, condition.get("met" if holds else "not_met"), condition, **shown)

    # ------------------------------------------------------------------ what to ask

    def next_fact(self, scheme: dict[str, Any], facts: dict[str, Any]) -> str | None:
        """The next fact the scheme needs, or None when the verdict can be given."""
        for condition in scheme["conditions"]:
            checked = self.check(condition, facts)
            if checked.status == NOT_MET:
                return None  # one condition excludes: no need to ask more
            if checked.status == MISSING:
                return checked.needs
        amounts = scheme.get("amounts") or {}
        for tier in amounts.get("tiers") or []:
            outcome = self._all(tier["when"], facts)
            if outcome.status == MISSING:
                return outcome.needs
            if outcome.status != NOT_MET:
                break  # this tier applies, or cannot be told: the following ones need nothing more
        for extra in amounts.get("extras") or []:
            outcome = self._all(extra["when"], facts)
            if outcome.status == MISSING:
                return outcome.needs
        return None

    def _all(self, conditions: list[dict[str, Any]], facts: dict[str, Any]) -> Check:
        """MET when every condition holds; else the first that does not (NOT_MET, UNKNOWN or MISSING)."""
        for condition in conditions:
            checked = self.check(condition, facts)
            if checked.status not in (MET, SKIPPED):
                return checked
        return Check(MET)

    # ------------------------------------------------------------------ the answer

    def verdict(self, scheme: dict[str, Any], facts: dict[str, Any]) -> Verdict:
        checks: list[Check] = []
        unchecked = 0
        for condition in scheme["conditions"]:
            checked = self.check(condition, facts)
            if checked.status == MISSING:
                unchecked += 1
            elif checked.status != SKIPPED:
                checks.append(checked)
        statuses = {c.status for c in checks}
        outcome = NOT_ELIGIBLE if NOT_MET in statuses else CANNOT_TELL if UNKNOWN in statuses or unchecked else ELIGIBLE
        amounts = self.amounts(scheme, facts) if outcome != NOT_ELIGIBLE else []
        return Verdict(outcome, checks, amounts, unchecked, any(c.case_by_case for c in checks))

    def amounts(self, scheme: dict[str, Any], facts: dict[str, Any]) -> list[str]:
        amounts = scheme.get("amounts") or {}
        lines: list[str] = []
        tier_found = None
        for tier in amounts.get("tiers") or []:
            outcome = self._all(tier["when"], facts)
            if outcome.status == MET:
                tier_found = tier["amount"]
            if outcome.status != NOT_MET:
                break
        if tier_found:
            lines.append(tier_found)
        elif amounts.get("otherwise"):
            lines.append(amounts["otherwise"])
        lines += [
            extra["amount"] for extra in amounts.get("extras") or [] if self._all(extra["when"], facts).status == MET
        ]
        lines += list(amounts.get("details") or [])
        return lines

    def first_exclusion(self, scheme: dict[str, Any], facts: dict[str, Any]) -> Check | None:
        """With partial facts (the profile questions), the first condition that already excludes, if any."""
        for condition in scheme["conditions"]:
            checked = self.check(condition, facts)
            if checked.status == NOT_MET:
                return checked
        return None
