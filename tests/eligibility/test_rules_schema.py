"""The eligibility rules' schemas: the shipped rules validate; a bad question, condition or scheme is refused
in French, naming the field."""

from __future__ import annotations

import pytest
import yaml

from bot.core.schema import validate
from bot.eligibility.rules import DEFAULT_RULES, RulesError, load_rules
from bot.eligibility.schema import ConditionSchema, QuestionSchema, SchemeSchema, ShownConditionSchema

QUESTIONS = {
    q["id"]: q for q in yaml.safe_load((DEFAULT_RULES / "questions.yml").read_text(encoding="utf-8"))["questions"]
}
CONTEXT = {"questions": QUESTIONS}


def schemes() -> list[dict]:
    return [
        raw
        for path in sorted(DEFAULT_RULES.glob("*.yml"))
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")).get("schemes") or []
    ]


def test_every_shipped_question_scheme_and_condition_validates():
    assert all(validate(QuestionSchema, raw, fact, context=CONTEXT)[1] == [] for fact, raw in QUESTIONS.items())
    found = schemes()
    assert len(found) >= 10
    for raw in found:
        assert validate(SchemeSchema, raw, raw["id"], median_dot=True)[1] == []
        assert all(validate(ShownConditionSchema, c, raw["id"], context=CONTEXT)[1] == [] for c in raw["conditions"])
        tiers = [*(raw["amounts"].get("tiers") or []), *(raw["amounts"].get("extras") or [])]
        assert all(validate(ConditionSchema, c, raw["id"], context=CONTEXT)[1] == [] for t in tiers for c in t["when"])


def test_a_bad_question_is_refused_naming_each_field():
    raw = QUESTIONS["statut"] | {"kind": "choice", "min": "zéro", "also": ["enfants"], "aide": "x"}
    raw["options"] = {**raw["options"], "retraite": {"words": ["retraite"]}}
    entry, problems = validate(QuestionSchema, raw, "question « statut »", context=CONTEXT)
    assert entry is None and problems == [
        "question « statut » : l'option « retraite » n'a pas de « label »",
        "question « statut » : « also » ne peut lire en passant qu'une durée, pas « enfants »",
        "question « statut » : « min » doit être un nombre",
        "question « statut » : champ « aide » inconnu",
    ]


def test_a_bad_condition_is_refused_naming_each_field():
    shown = {"fact": "revenu", "test": "at_most", "limit": "beaucoup", "met": "ok", "not_met": "non", "valeur": 1}
    assert validate(ShownConditionSchema, shown, "condition 1", context=CONTEXT)[1] == [
        "condition 1 : « limit » doit être un nombre",
        "condition 1 : champ « valeur » inconnu",
    ]
    shown = {"fact": "revenu", "test": "at_most", "limit": 30000, "met": "sous {plafond}"}
    assert validate(ShownConditionSchema, shown, "condition 1", context=CONTEXT)[1] == [
        "condition 1 : texte « not_met » manquant",
        "condition 1 : « {plafond} » inconnu dans « met » (value, limit, by)",
    ]
    shown = {"fact": "revenu", "test": "at_most_by", "by": "parts", "table": {"3": 49948}, "met": "a", "not_met": "b"}
    assert validate(ShownConditionSchema, shown, "condition 2", context=CONTEXT)[1] == [
        "condition 2 : « table » doit associer des nombres à des plafonds"
    ]
    shown |= {"table": {3: 49948}, "by": "part"}
    assert validate(ShownConditionSchema, shown, "condition 2", context=CONTEXT)[1] == [
        "condition 2 : « by » « part » ne correspond à aucune question",
        "condition 2 : texte « no_limit » manquant (quand le barème n'a pas le nombre de parts)",
        "condition 2 : un plafond en euros doit indiquer son année (« year »)",
    ]
    # Without texts (a tier's `when`, an `only_if`), only the test itself is checked.
    assert (
        validate(ConditionSchema, {"fact": "revenu", "test": "at_most", "limit": 30000}, "tier", context=CONTEXT)[1]
        == []
    )
    assert validate(ConditionSchema, {"fact": "garde_payante", "test": "is", "value": "oui"}, "c", context=CONTEXT)[
        1
    ] == ["c : « value » doit valoir true ou false"]


def test_a_bad_scheme_is_refused_naming_each_field():
    raw = schemes()[0] | {"aid_type": "velo", "source_date": "l'an dernier", "contact": " ", "amounts": {"note": "x"}}
    entry, problems = validate(SchemeSchema, raw, "dispositif « x »")
    assert entry is None and problems == [
        (
            "dispositif « x » : aid_type « velo » inconnu (aide_financiere, pret_solidarite, indemnite_etudes_superieures, "
            "logement, restauration, cesu, cheques_vacances, sejours_enfants, aeeh, arbre_noel, vaccination)"
        ),
        "dispositif « x » : champ « contact » manquant",
        "dispositif « x » : source_date « l'an dernier » attendue sous la forme AAAA ou AAAA-MM-JJ",
        "dispositif « x » : « amounts » doit donner l'année des montants (« year »)",
    ]


def test_a_misspelt_key_of_a_rules_file_is_refused(database, tmp_path):
    path = tmp_path / "questions.yml"
    path.write_text("profil: [statut]\nquestions: []\n", encoding="utf-8")
    with pytest.raises(RulesError, match="questions.yml : champ « profil » inconnu"):
        load_rules(database, path)
