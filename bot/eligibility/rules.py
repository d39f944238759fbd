"""The eligibility rules as data: reading data/eligibility/*.yml, checking them, loading them into the database.

The schema is described for HR in data/eligibility/README.md. A load is all or
nothing: every problem is listed in French and nothing changes when one is found.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, select

from bot.core.settings import PROJECT_ROOT
from bot.core.text import SOURCE_DATE
from bot.core.db import Database
from bot.eligibility.engine import TEST_KINDS, TEXT_TESTS, VALUE_TESTS, RuleBook
from bot.core.models import AidQuestion, AidScheme
from bot.eligibility.natural_answers import KINDS
from bot.core.vocabulary import AID_TYPES

DEFAULT_RULES = PROJECT_ROOT / "data" / "eligibility"
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Each condition test, the texts it shows, and the placeholders those texts may use.
_TEXTS = {"met": ("value", "limit", "by"), "not_met": ("value", "limit", "by"),
          "unsure_text": ("value", "limit", "by", "unsure_from"), "no_limit": ("by",)}
_SCHEME_TEXTS = ("title", "summary", "how_to_apply", "contact", "source", "source_date")
_EXTRACTABLE = ("duration",)  # kinds a value can be picked from in passing (« contractuelle depuis 2 ans »)


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


def _question_problems(fact: str, raw: dict[str, Any], questions: dict[str, dict[str, Any]]) -> list[str]:
    where = f"question « {fact} »"
    problems = [f"{where} : champ « {name} » manquant" for name in ("kind", "question", "label", "examples")
                if not raw.get(name)]
    if not _ID.match(fact):
        problems.append(f"{where} : identifiant invalide (minuscules, chiffres, _ et -)")
    if raw.get("kind") and raw["kind"] not in KINDS:
        problems.append(f"{where} : genre « {raw['kind']} » inconnu ({', '.join(KINDS)})")
    if raw.get("kind") == "choice":
        options = raw.get("options")
        if not isinstance(options, dict) or not options:
            problems.append(f"{where} : une question à choix doit lister ses « options »")
        else:
            problems += [f"{where} : l'option « {value} » n'a pas de « label »" for value, option in options.items()
                         if not isinstance(option, dict) or not option.get("label")]
    for bound in ("min", "max", "step"):
        if bound in raw and not isinstance(raw[bound], (int, float)):
            problems.append(f"{where} : « {bound} » doit être un nombre")
    for other in raw.get("also") or []:
        if other not in questions:
            problems.append(f"{where} : « also » nomme une question inconnue « {other} »")
        elif questions[other].get("kind") not in _EXTRACTABLE:
            problems.append(f"{where} : « also » ne peut lire en passant qu'une durée, pas « {other} »")
    return problems


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _condition_problems(raw: Any, where: str, questions: dict[str, dict[str, Any]], with_texts: bool) -> list[str]:
    if not isinstance(raw, dict) or "test" not in raw:
        return [f"{where} : condition sans « test »"]
    test = raw["test"]
    problems: list[str] = []
    if raw.get("only_if") is not None:
        problems += _condition_problems(raw["only_if"], f"{where} (only_if)", questions, with_texts=False)
    if test in TEXT_TESTS:
        if with_texts and not raw.get("text"):
            problems.append(f"{where} : le test « {test} » demande un « text » qui dit pourquoi")
        return problems
    if test not in VALUE_TESTS:
        return problems + [f"{where} : test « {test} » inconnu ({', '.join([*VALUE_TESTS, *TEXT_TESTS])})"]
    fact = raw.get("fact")
    question = questions.get(fact)
    if question is None:
        return problems + [f"{where} : « fact » « {fact} » ne correspond à aucune question"]
    if question.get("kind") not in TEST_KINDS[test]:
        problems.append(f"{where} : le test « {test} » ne s'applique pas à « {fact} » ({question.get('kind')})")
    problems += [f"{where} : paramètre « {name} » manquant pour le test « {test} »"
                 for name in VALUE_TESTS[test] if raw.get(name) is None]
    if test == "one_of" and question.get("kind") == "choice":
        options = question.get("options") or {}
        unknown = [v for v in [*(raw.get("values") or []), *(raw.get("unsure") or [])] if v not in options]
        problems += [f"{where} : valeur « {v} » absente des options de « {fact} »" for v in unknown]
        if raw.get("unsure") and with_texts and not raw.get("unsure_text"):
            problems.append(f"{where} : des valeurs « unsure » demandent un « unsure_text »")
    if test == "at_most_by":
        problems += _table_problems(raw, where, questions, with_texts)
    if question.get("kind") == "money" and test in TEST_KINDS["at_most"] + ("at_most_by",) and with_texts \
            and not raw.get("year"):
        problems.append(f"{where} : un plafond en euros doit indiquer son année (« year »)")
    if with_texts:
        problems += [f"{where} : texte « {name} » manquant" for name in ("met", "not_met") if not raw.get(name)]
        for name, allowed in _TEXTS.items():
            extra = _placeholders(str(raw.get(name) or "")) - set(allowed)
            problems += [f"{where} : « {{{p}}} » inconnu dans « {name} » ({', '.join(allowed)})" for p in sorted(extra)]
    return problems


def _table_problems(raw: dict[str, Any], where: str, questions: dict[str, dict[str, Any]], with_texts: bool) -> list[str]:
    problems = []
    if raw.get("by") not in questions:
        problems.append(f"{where} : « by » « {raw.get('by')} » ne correspond à aucune question")
    for name in ("table", "unsure_from"):
        table = raw.get(name)
        if table is None:
            continue
        if not isinstance(table, dict) or not table or not all(
                isinstance(k, (int, float)) and isinstance(v, (int, float)) for k, v in table.items()):
            problems.append(f"{where} : « {name} » doit associer des nombres à des plafonds")
    step = raw.get("step")
    if step is not None and not (isinstance(step, dict) and {"every", "add"} <= set(step)):
        problems.append(f"{where} : « step » doit donner « every » et « add »")
    if with_texts and not raw.get("no_limit") and not raw.get("step"):
        problems.append(f"{where} : texte « no_limit » manquant (quand le barème n'a pas le nombre de parts)")
    if raw.get("unsure_from") and with_texts and not raw.get("unsure_text"):
        problems.append(f"{where} : « unsure_from » demande un « unsure_text »")
    return problems


def _scheme_problems(raw: dict[str, Any], questions: dict[str, dict[str, Any]]) -> list[str]:
    where = raw["_where"]
    problems = [f"{where} : champ « {name} » manquant" for name in ("id", "aid_type", *_SCHEME_TEXTS) if not raw.get(name)]
    if raw.get("id") and not _ID.match(str(raw["id"])):
        problems.append(f"{where} : identifiant invalide (minuscules, chiffres, _ et -)")
    if raw.get("aid_type") and raw["aid_type"] not in AID_TYPES:
        problems.append(f"{where} : aid_type « {raw['aid_type']} » inconnu ({', '.join(AID_TYPES)})")
    if raw.get("source_date") and not SOURCE_DATE.match(str(raw["source_date"])):
        problems.append(f"{where} : source_date « {raw['source_date']} » attendue sous la forme AAAA ou AAAA-MM-JJ")
    conditions = raw.get("conditions")
    if not isinstance(conditions, list) or not conditions:
        problems.append(f"{where} : au moins une condition est nécessaire (ou « test: case_by_case »)")
    else:
        for index, condition in enumerate(conditions, start=1):
            problems += _condition_problems(condition, f"{where}, condition {index}", questions, with_texts=True)
    amounts = raw.get("amounts")
    if not isinstance(amounts, dict) or not isinstance(amounts.get("year"), int):
        problems.append(f"{where} : « amounts » doit donner l'année des montants (« year »)")
    else:
        for group in ("tiers", "extras"):
            for index, tier in enumerate(amounts.get(group) or [], start=1):
                tier_where = f"{where}, {group} {index}"
                if not isinstance(tier, dict) or not tier.get("amount") or not tier.get("when"):
                    problems.append(f"{tier_where} : « when » et « amount » sont nécessaires")
                    continue
                for condition in tier["when"]:
                    problems += _condition_problems(condition, tier_where, questions, with_texts=False)
    if "·" in yaml.safe_dump(raw, allow_unicode=True):
        problems.append(f"{where} : point médian interdit par les règles de rédaction de l'école")
    return problems


def check(found: _Files, known_questions: dict[str, dict[str, Any]] | None = None, whole: bool = True) -> None:
    """Raise RulesError listing every problem of the files (questions completed by `known_questions`)."""
    questions = {**(known_questions or {}), **found.questions}
    problems = list(found.problems)
    for fact, raw in found.questions.items():
        problems += _question_problems(fact, raw, questions)
        if "·" in yaml.safe_dump(raw, allow_unicode=True):
            problems.append(f"question « {fact} » : point médian interdit par les règles de rédaction de l'école")
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
        problems += [f"aucune règle pour l'aid_type « {aid} » (une règle « case_by_case » suffit)"
                     for aid in AID_TYPES if aid not in covered]
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
        profile = found.profile if found.profile is not None else [q.id for q in sorted(
            (q for q in stored.values() if q.profile_rank is not None), key=lambda q: q.profile_rank)]
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
