"""The eligibility rules of data/eligibility/ through the generic engine: every boundary, per scheme.

Each row gives the facts a person stated and what the verdict must be: ceilings ± 1 €,
age limits, seniority limits, numbers of parts. Then what is asked, in which order,
and the loader that refuses a bad rule file in French without changing anything.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from bot.__main__ import main
from bot.core.db import Database, database_for
from bot.core.vocabulary import AID_TYPES
from bot.eligibility.engine import CANNOT_TELL, ELIGIBLE, NOT_ELIGIBLE, Engine, RuleBook
from bot.eligibility.natural_answers import OPEN_ENDED
from bot.eligibility.rules import DEFAULT_RULES, RulesError, load_rules, rule_book

CESU_COUPLE = dict(statut="titulaire", enfants=[3, 7], garde_payante=True, foyer="couple", parts=3)
AIP = dict(statut="titulaire", premiere_affectation=True, anciennete=10, bail_recent=True, parts=2)


def verdict(rules: RuleBook, aid_type: str, **facts):
    return Engine(rules).verdict(rules.schemes[aid_type], facts)


def lines(result) -> str:
    return "\n".join(check.line for check in result.checks)


CASES = [
    # CESU: a child under 6, a paid childcare, and for couples the income ceiling for 3 parts (the only one known)
    ("cesu", {**CESU_COUPLE, "revenu": 32200}, ELIGIBLE, "700 €"),
    ("cesu", {**CESU_COUPLE, "revenu": 32201}, ELIGIBLE, "400 €"),
    ("cesu", {**CESU_COUPLE, "revenu": 41648}, ELIGIBLE, "400 €"),
    ("cesu", {**CESU_COUPLE, "revenu": 41649}, ELIGIBLE, "200 €"),
    ("cesu", {**CESU_COUPLE, "revenu": 49948}, ELIGIBLE, "200 €"),
    ("cesu", {**CESU_COUPLE, "revenu": 49949}, NOT_ELIGIBLE, "au-dessus du plafond de 49 948 € pour 3 parts"),
    ("cesu", {**CESU_COUPLE, "parts": 2, "revenu": 20000}, CANNOT_TELL, "pas celui pour 2 parts"),
    ("cesu", {**CESU_COUPLE, "enfants": [5], "revenu": 30000}, ELIGIBLE, "✔ enfant de moins de 6 ans"),
    ("cesu", {**CESU_COUPLE, "enfants": [6], "revenu": 30000}, NOT_ELIGIBLE, "pas d'enfant de moins de 6 ans"),
    ("cesu", {**CESU_COUPLE, "enfants": [0, 9], "revenu": 30000}, ELIGIBLE, "700 €"),
    ("cesu", {**CESU_COUPLE, "enfants": [], "revenu": 30000}, NOT_ELIGIBLE, "aucun enfant"),
    ("cesu", {**CESU_COUPLE, "garde_payante": False}, NOT_ELIGIBLE, "sans garde payante"),
    ("cesu", {**CESU_COUPLE, "statut": "retraite"}, NOT_ELIGIBLE, "retraitées"),
    ("cesu", {**CESU_COUPLE, "foyer": "seul"}, ELIGIBLE, "840 €, 480 € ou 265 €"),
    ("cesu", {**CESU_COUPLE, "revenu": None}, CANNOT_TELL, "faute de connaître votre revenu fiscal de référence"),
    # AIP: income ceiling by parts (+ 3 334 € per quarter beyond 2, two sources for 2 parts), 24 months, 12 months
    ("logement", {**AIP, "parts": 1, "revenu": 28047}, ELIGIBLE, "sous le plafond de 28 047 €"),
    ("logement", {**AIP, "parts": 1, "revenu": 28048}, NOT_ELIGIBLE, "au-dessus du plafond de 28 047 € pour 1 part"),
    ("logement", {**AIP, "parts": 1.25, "revenu": 31380}, ELIGIBLE, "31 380 €"),
    ("logement", {**AIP, "parts": 1.25, "revenu": 31381}, NOT_ELIGIBLE, "31 380 €"),
    ("logement", {**AIP, "revenu": 41083}, ELIGIBLE, "sous le plafond de 41 383 € pour 2 parts (barème 2021)"),
    ("logement", {**AIP, "revenu": 41084}, CANNOT_TELL, "41 083 € ou 41 383 €"),
    ("logement", {**AIP, "revenu": 41383}, CANNOT_TELL, "41 083 € ou 41 383 €"),
    ("logement", {**AIP, "revenu": 41384}, NOT_ELIGIBLE, "au-dessus du plafond de 41 383 €"),
    ("logement", {**AIP, "parts": 2.5, "revenu": 47751}, ELIGIBLE, "48 051 €"),
    ("logement", {**AIP, "parts": 2.5, "revenu": 48051}, CANNOT_TELL, "47 751 € ou 48 051 €"),
    ("logement", {**AIP, "parts": 2.5, "revenu": 48052}, NOT_ELIGIBLE, "48 051 € pour 2,5 parts"),
    ("logement", {**AIP, "parts": 3, "revenu": 54719}, CANNOT_TELL, "54 719 €"),
    ("logement", {**AIP, "parts": 3, "revenu": 54720}, NOT_ELIGIBLE, "54 719 €"),
    ("logement", {**AIP, "anciennete": 24, "revenu": 20000}, ELIGIBLE, "2 ans, dans les 24 mois"),
    ("logement", {**AIP, "anciennete": 25, "revenu": 20000}, NOT_ELIGIBLE, "2 ans et 1 mois : la demande"),
    ("logement", {**AIP, "statut": "contractuel", "duree_contrat": 12, "revenu": 20000}, ELIGIBLE, "1 an"),
    ("logement", {**AIP, "statut": "contractuel", "duree_contrat": 11, "revenu": 20000}, NOT_ELIGIBLE, "11 mois"),
    (
        "logement",
        {**AIP, "statut": "contractuel", "duree_contrat": OPEN_ENDED, "revenu": 20000},
        ELIGIBLE,
        "durée indéterminée",
    ),
    ("logement", {**AIP, "premiere_affectation": False}, NOT_ELIGIBLE, "entrée dans la fonction publique"),
    ("logement", {**AIP, "bail_recent": False, "revenu": 20000}, NOT_ELIGIBLE, "12 mois"),
    ("logement", {**AIP, "statut": "retraite"}, NOT_ELIGIBLE, "retraitées"),
    # Meal subsidy: index ceiling
    ("restauration", {"statut": "contractuel", "indice": 539}, ELIGIBLE, "1,47 € HT"),
    ("restauration", {"statut": "contractuel", "indice": 540}, NOT_ELIGIBLE, "au-dessus du plafond de 539"),
    ("restauration", {"statut": "stagiaire", "indice": None}, CANNOT_TELL, "bulletin de paie"),
    ("restauration", {"statut": "retraite"}, NOT_ELIGIBLE, "retraitées"),
    # Holiday vouchers: the income scale is not known; 35 % under 30; disability bonus
    ("cheques_vacances", {"statut": "titulaire", "age": 29, "handicap": False}, CANNOT_TELL, "pas dans ma base"),
    ("cheques_vacances", {"statut": "retraite"}, NOT_ELIGIBLE, "18 juillet 2025"),
    # Children's holidays: under 18; contractual staff uncertain; resources unknown
    ("sejours_enfants", {"statut": "titulaire", "enfants": [17]}, CANNOT_TELL, "✔ enfant de moins de 18 ans"),
    ("sejours_enfants", {"statut": "titulaire", "enfants": [18]}, NOT_ELIGIBLE, "pas d'enfant de moins de 18 ans"),
    ("sejours_enfants", {"statut": "contractuel", "enfants": [8]}, CANNOT_TELL, "souvent 10 mois"),
    # Disabled child allowance
    ("aeeh", {"statut": "titulaire", "enfant_aeeh": True, "internat": False}, ELIGIBLE, "183,00 € par mois"),
    ("aeeh", {"statut": "titulaire", "enfant_aeeh": True, "internat": True}, NOT_ELIGIBLE, "internat permanent"),
    ("aeeh", {"statut": "titulaire", "enfant_aeeh": False}, NOT_ELIGIBLE, "ouvrant droit à l'AEEH"),
    ("aeeh", {"statut": "retraite", "enfant_aeeh": True, "internat": False}, CANNOT_TELL, "règles de l'employeur"),
    # The school's own schemes
    ("arbre_noel", {"enfants": []}, NOT_ELIGIBLE, "fête de fin d'année"),
    ("arbre_noel", {"enfants": [4]}, CANNOT_TELL, "âge limite"),
    ("vaccination", {}, ELIGIBLE, "ouverte à tous les membres du personnel"),
    ("aide_financiere", {}, CANNOT_TELL, "au cas par cas"),
    ("pret_solidarite", {}, CANNOT_TELL, "au cas par cas"),
    ("indemnite_etudes_superieures", {}, CANNOT_TELL, "ne publie ni les conditions ni le montant"),
]


@pytest.mark.parametrize("aid_type, facts, outcome, said", CASES)
def test_each_scheme_on_its_boundaries(rules, aid_type, facts, outcome, said):
    result = verdict(rules, aid_type, **facts)
    assert result.outcome == outcome
    assert said in lines(result) + "\n" + "\n".join(result.amounts)


def test_every_aid_type_of_the_contract_has_rules(rules):
    assert set(rules.schemes) == set(AID_TYPES)


def test_holiday_voucher_rate_depends_on_age_30_and_disability(rules):
    young = verdict(rules, "cheques_vacances", statut="titulaire", age=29, handicap=True).amounts
    thirty = verdict(rules, "cheques_vacances", statut="titulaire", age=30, handicap=False).amounts
    assert "35 %" in young[0] and any("majorée de 30 %" in line for line in young)
    assert "10 %, 15 %, 20 %, 25 % ou 30 %" in thirty[0] and not any("majorée" in line for line in thirty)


def test_case_by_case_schemes_are_flagged_as_such(rules):
    assert (
        verdict(rules, "aide_financiere").case_by_case
        and not verdict(rules, "indemnite_etudes_superieures").case_by_case
    )


def ask_all(rules: RuleBook, aid_type: str, answers: dict) -> list[str]:
    """The questions in the order the engine asks them, answering each from `answers`."""
    engine, facts, asked = Engine(rules), {}, []
    while (fact := engine.next_fact(rules.schemes[aid_type], facts)) is not None:
        asked.append(fact)
        facts[fact] = answers[fact]
    return asked


def test_only_the_questions_the_rules_need_are_asked(rules):
    assert ask_all(rules, "cesu", {**CESU_COUPLE, "revenu": 30000}) == [
        "statut",
        "enfants",
        "garde_payante",
        "foyer",
        "parts",
        "revenu",
    ]
    # a single parent has no income ceiling; a couple with 2 parts has none known: the income is not asked
    assert ask_all(rules, "cesu", {**CESU_COUPLE, "foyer": "seul"}) == ["statut", "enfants", "garde_payante", "foyer"]
    assert "revenu" not in ask_all(rules, "cesu", {**CESU_COUPLE, "parts": 2})
    # a condition that already excludes ends the questions
    assert ask_all(rules, "cesu", {"statut": "retraite"}) == ["statut"]
    assert ask_all(rules, "logement", {**AIP, "statut": "contractuel", "duree_contrat": 24, "revenu": 1}) == [
        "statut",
        "duree_contrat",
        "premiere_affectation",
        "anciennete",
        "bail_recent",
        "parts",
        "revenu",
    ]
    assert "duree_contrat" not in ask_all(rules, "logement", {**AIP, "revenu": 1})
    # amount tiers need their facts too, and only while the person may be eligible
    assert ask_all(rules, "cheques_vacances", {"statut": "titulaire", "age": 40, "handicap": False}) == [
        "statut",
        "age",
        "handicap",
    ]
    assert ask_all(rules, "vaccination", {}) == [] and ask_all(rules, "aide_financiere", {}) == []


def test_another_fact_given_instead_of_the_one_asked_is_noted_and_the_question_asked_again(rules):
    from bot.eligibility import dialogue

    state = {**dialogue.start("cesu"), "facts": {"statut": "contractuel"}, "asked": "enfants"}
    step = dialogue.take_answer(rules, state, "mon revenu fiscal c'est 28000", "inform")
    assert not step.invalid and step.state["asked"] == "enfants" and "enfants" not in step.state["facts"]
    assert step.state["facts"]["revenu"] == 28000 and "28 000" in step.replies[0].text
    step = dialogue.take_answer(rules, step.state, "2 parts", "inform")
    assert not step.invalid and step.state["facts"]["parts"] == 2 and "enfants" not in step.state["facts"]
    # An answer to the question asked is still read as such, with what it says in passing.
    step = dialogue.take_answer(rules, step.state, "2 enfants de 3 et 5 ans", "inform")
    assert step.state["facts"]["enfants"] is not None and step.state["asked"] is None


def test_a_verdict_after_an_exclusion_says_the_other_questions_were_not_asked(rules):
    result = verdict(rules, "logement", statut="retraite")
    assert result.outcome == NOT_ELIGIBLE and result.unchecked == 4 and result.amounts == []


# ---------------------------------------------------------------------- the loader


def write(folder: Path, name: str, data: dict) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def rules_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    for path in DEFAULT_RULES.glob("*.yml"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_the_project_rules_load_and_reload_idempotently(database: Database):
    first = load_rules(database, DEFAULT_RULES)
    again = load_rules(database, DEFAULT_RULES)
    assert len(first.schemes) == len(AID_TYPES) == len(again.schemes) and again.removed == []
    assert rule_book(database).profile == ["statut", "enfants"]


def test_a_bad_rule_file_is_refused_whole_with_every_problem_in_french(database: Database, tmp_path: Path):
    load_rules(database, DEFAULT_RULES)
    folder = rules_copy(tmp_path)
    cesu = yaml.safe_load((folder / "cesu.yml").read_text(encoding="utf-8"))
    scheme = cesu["schemes"][0]
    scheme["conditions"][0]["values"].append("intermittent")  # not an option of « statut »
    scheme["conditions"][1]["fact"] = "pointure"  # no such question
    scheme["conditions"][3].pop("year")  # a ceiling in euros without its year
    scheme["conditions"].append({"test": "plus_ou_moins"})
    scheme["title"] = "CESU pour les agent·es"
    write(folder, "cesu.yml", cesu)
    (folder / "vaccination.yml").unlink()
    with pytest.raises(RulesError) as refused:
        load_rules(database, folder)
    problems = str(refused.value)
    for expected in (
        "valeur « intermittent » absente des options de « statut »",
        "« fact » « pointure » ne correspond à aucune question",
        "un plafond en euros doit indiquer son année",
        "test « plus_ou_moins » inconnu",
        "point médian interdit",
        "aucune règle pour l'aid_type « vaccination »",
    ):
        assert expected in problems
    assert rule_book(database).schemes["cesu"]["title"] == "CESU garde d'enfant 0-6 ans"  # nothing changed


def test_one_file_replaces_its_scheme_and_a_folder_makes_the_base_exactly_its_files(database: Database, tmp_path: Path):
    load_rules(database, DEFAULT_RULES)
    restauration = yaml.safe_load((DEFAULT_RULES / "restauration.yml").read_text(encoding="utf-8"))
    restauration["schemes"][0]["conditions"][1]["limit"] = 545
    report = load_rules(database, write(tmp_path, "repas-2027.yml", restauration))
    assert report.schemes == ["prestation-repas"]
    book = rule_book(database)
    assert (
        Engine(book).verdict(book.schemes["restauration"], {"statut": "titulaire", "indice": 545}).outcome == ELIGIBLE
    )
    assert len(book.schemes) == len(AID_TYPES)
    load_rules(database, DEFAULT_RULES)
    book = rule_book(database)
    assert (
        Engine(book).verdict(book.schemes["restauration"], {"statut": "titulaire", "indice": 545}).outcome
        == NOT_ELIGIBLE
    )


def test_a_single_file_is_checked_against_the_questions_already_loaded(database: Database, tmp_path: Path):
    load_rules(database, DEFAULT_RULES)
    scheme = yaml.safe_load((DEFAULT_RULES / "aeeh.yml").read_text(encoding="utf-8"))
    scheme["schemes"][0]["conditions"][1]["fact"] = "nombre_de_chats"
    with pytest.raises(RulesError, match="nombre_de_chats"):
        load_rules(database, write(tmp_path, "aeeh.yml", scheme))


def test_cli_load_and_list(monkeypatch, tmp_path: Path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["eligibility", "list"]) == 0
    assert "Aucune règle" in capsys.readouterr().out
    assert main(["eligibility", "load"]) == 0
    assert f"{len(AID_TYPES)} dispositif(s)" in capsys.readouterr().out
    assert main(["eligibility", "list", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    rows = {row["aid_type"]: row for row in listing["schemes"]}
    assert listing["missing"] == [] and rows["cesu"]["questions"][:2] == ["statut", "enfants"]
    assert rows["aide_financiere"]["decided"] == ["décidé au cas par cas"] and rows["logement"]["amounts_year"] == 2025
    assert main(["eligibility", "list"]) == 0
    assert "Prestation repas" in capsys.readouterr().out
    (tmp_path / "bad.yml").write_text("schemes:\n  - id: x\n", encoding="utf-8")
    assert main(["eligibility", "load", str(tmp_path / "bad.yml")]) == 1
    assert "rien n'a été chargé" in capsys.readouterr().err
    assert len(rule_book(database_for(url)).schemes) == len(AID_TYPES)


def test_a_person_without_children_is_never_asked_about_a_child_and_gets_no_child_allowance(rules):
    # « Avez-vous des enfants à charge ? » « non »: the AEEH allowance does not apply, and its child questions
    # (AEEH, boarding school) are not asked.
    result = verdict(rules, "aeeh", statut="titulaire", enfants=[])
    assert result.outcome == NOT_ELIGIBLE, lines(result)
    assert Engine(rules).next_fact(rules.schemes["aeeh"], {"statut": "titulaire", "enfants": []}) is None
    assert verdict(rules, "aeeh", statut="titulaire", enfants=[4], enfant_aeeh=True, internat=False).outcome == ELIGIBLE
