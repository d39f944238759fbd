"""The eligibility rules as data: reading data/eligibility/*.yml, checking them, loading them into the database.

The schema is described for HR in data/eligibility/README.md. A load is all or
nothing: every problem is listed in French and nothing changes when one is found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, select

from bot.core.db import Database
from bot.core.models import AidQuestion, AidScheme
from bot.core.schema import MEDIAN_DOT_PROBLEM, has_median_dot, validate
from bot.core.settings import PROJECT_ROOT
from bot.core.vocabulary import AID_TYPES
from bot.eligibility.engine import RuleBook
from bot.eligibility.schema import (
    ConditionSchema,
    QuestionSchema,
    RulesFile,
    SchemeSchema,
    ShownConditionSchema,
    TierSchema,
)

DEFAULT_RULES = PROJECT_ROOT / "data" / "eligibility"


class RulesError(ValueError):
    """The rule files are invalid; nothing was loaded."""


@dataclass
class RulesReport:
    schemes: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class _Files:
    questions: dict[str, dict[str, Any]] = field(default_factory=dict)
    profile: list[str] | None = None
    schemes: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _read(paths: list[Path]) -> _Files:
    found = _Files()
    for path in paths:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:
            found.problems.append(f"{path.name} : fichier illisible ({error})")
            continue
        if not isinstance(data, dict) or not {"questions", "schemes", "profile"} & set(data):
            found.problems.append(f"{path.name} : ni « questions » ni « schemes » dans ce fichier")
            continue
        refused = validate(RulesFile, data, path.name)[1]
        if refused:
            found.problems += refused
            continue
        for index, raw in enumerate(data.get("questions") or [], start=1):
            if not isinstance(raw, dict) or not raw.get("id"):
                found.problems.append(f"{path.name}, question {index} : « id » manquant")
            elif raw["id"] in found.questions:
                found.problems.append(f"{path.name} : question « {raw['id']} » définie deux fois")
            else:
                found.questions[raw["id"]] = raw
        if "profile" in data:
            found.profile = list(data.get("profile") or [])
        for index, raw in enumerate(data.get("schemes") or [], start=1):
            if not isinstance(raw, dict):
                found.problems.append(f"{path.name}, dispositif {index} : un dispositif doit être un dictionnaire")
            else:
                found.schemes.append({**raw, "_where": f"{path.name}, dispositif « {raw.get('id', index)} »"})
    return found


def _condition_problems(raw: Any, where: str, questions: dict[str, dict[str, Any]], shown: bool) -> list[str]:
    problems = []
    if isinstance(raw, dict) and raw.get("only_if") is not None and "test" in raw:
        problems += _condition_problems(raw["only_if"], f"{where} (only_if)", questions, shown=False)
    schema = ShownConditionSchema if shown else ConditionSchema
    return problems + validate(schema, raw, where, context={"questions": questions})[1]


def _scheme_problems(raw: dict[str, Any], questions: dict[str, dict[str, Any]]) -> list[str]:
    where, fields = raw["_where"], {k: v for k, v in raw.items() if k != "_where"}
    problems = validate(SchemeSchema, fields, where)[1]
    conditions = raw.get("conditions")
    for index, condition in enumerate(conditions if isinstance(conditions, list) else [], start=1):
        problems += _condition_problems(condition, f"{where}, condition {index}", questions, shown=True)
    amounts = raw.get("amounts")
    for group in ("tiers", "extras"):
        for index, tier in enumerate((amounts.get(group) or []) if isinstance(amounts, dict) else [], start=1):
            tier_where = f"{where}, {group} {index}"
            valid, found = validate(TierSchema, tier, tier_where)
            problems += found
            for condition in tier["when"] if valid else []:
                problems += _condition_problems(condition, tier_where, questions, shown=False)
    if has_median_dot(fields):
        problems.append(f"{where} : {MEDIAN_DOT_PROBLEM}")
    return problems


def check(found: _Files, known_questions: dict[str, dict[str, Any]] | None = None, whole: bool = True) -> None:
    """Raise RulesError listing every problem of the files (questions completed by `known_questions`)."""
    questions = {**(known_questions or {}), **found.questions}
    problems = list(found.problems)
    for fact, raw in found.questions.items():
        problems += validate(
            QuestionSchema, raw, f"question « {fact} »", median_dot=True, context={"questions": questions}
        )[1]
    problems += [f"profil : question « {fact} » inconnue" for fact in found.profile or [] if fact not in questions]
    seen: dict[str, str] = {}
    for raw in found.schemes:
        problems += _scheme_problems(raw, questions)
        for key in ("id", "aid_type"):
            value = raw.get(key)
            if value and f"{key}:{value}" in seen:
                problems.append(f"{raw['_where']} : {key} « {value} » déjà utilisé par {seen[f'{key}:{value}']}")
            elif value:
                seen[f"{key}:{value}"] = raw["_where"]
    if whole:
        covered = {raw.get("aid_type") for raw in found.schemes}
        problems += [
            f"aucune règle pour l'aid_type « {aid} » (une règle « case_by_case » suffit)"
            for aid in AID_TYPES
            if aid not in covered
        ]
        if found.profile is None:
            problems.append("aucune liste « profile » (questions posées quand aucun dispositif n'est nommé)")
    if problems:
        raise RulesError("\n".join(problems))


def _paths(path: Path) -> list[Path]:
    if path.is_dir():
        paths = sorted(path.glob("*.yml"))
        if not paths:
            raise RulesError(f"aucun fichier .yml dans {path}")
        return paths
    if not path.exists():
        raise RulesError(f"fichier introuvable : {path}")
    return [path]


def load_rules(database: Database, path: Path = DEFAULT_RULES) -> RulesReport:
    """A folder makes the database's rules exactly its files; one file adds or replaces its questions and
    schemes. All or nothing."""
    whole = path.is_dir()
    found = _read(_paths(path))
    with database.session() as session:
        stored = {q.id: q for q in session.scalars(select(AidQuestion))}
        check(found, {} if whole else {q.id: q.spec for q in stored.values()}, whole)
        report = RulesReport()
        profile = (
            found.profile
            if found.profile is not None
            else [
                q.id
                for q in sorted(
                    (q for q in stored.values() if q.profile_rank is not None), key=lambda q: q.profile_rank
                )
            ]
        )
        questions = {**({} if whole else {q.id: q.spec for q in stored.values()}), **found.questions}
        for fact, spec in questions.items():
            row = stored.pop(fact, None) or session.merge(AidQuestion(id=fact, kind=spec["kind"], spec=spec))
            row.kind, row.spec = spec["kind"], spec
            row.profile_rank = profile.index(fact) if fact in profile else None
            report.questions.append(fact)
        schemes = {s.aid_type: s for s in session.scalars(select(AidScheme))}
        for raw in found.schemes:
            rules = {k: v for k, v in raw.items() if k != "_where"}
            current = schemes.pop(raw["aid_type"], None)
            if current is not None and current.id != raw["id"]:
                session.delete(current)
                session.flush()
                current = None
            values = {"title": rules["title"], "rules": rules, "source_date": str(rules["source_date"])}
            if current is None:
                session.add(AidScheme(id=rules["id"], aid_type=rules["aid_type"], **values))
            else:
                for name, value in values.items():
                    setattr(current, name, value)
            report.schemes.append(rules["id"])
        if whole:
            if stored:
                session.execute(delete(AidQuestion).where(AidQuestion.id.in_(list(stored))))
            if schemes:
                session.execute(delete(AidScheme).where(AidScheme.aid_type.in_(list(schemes))))
                report.removed = sorted(s.id for s in schemes.values())
    return report


def rule_book(database: Database) -> RuleBook:
    """The rules as the engine reads them, from the database."""
    with database.session() as session:
        questions = list(session.scalars(select(AidQuestion)))
        schemes = list(session.scalars(select(AidScheme)))
    profile = [q.id for q in sorted((q for q in questions if q.profile_rank is not None), key=lambda q: q.profile_rank)]
    return RuleBook({q.id: q.spec for q in questions}, {s.aid_type: s.rules for s in schemes}, profile)
