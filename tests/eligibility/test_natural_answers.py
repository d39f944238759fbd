"""French answers to the eligibility questions: what each is read as, and what is refused."""

from __future__ import annotations

import pytest
import yaml

from bot.eligibility.natural_answers import OPEN_ENDED, display, extract, mentioned, parse
from bot.eligibility.rules import DEFAULT_RULES

QUESTIONS = {
    q["id"]: q for q in yaml.safe_load((DEFAULT_RULES / "questions.yml").read_text(encoding="utf-8"))["questions"]
}


@pytest.mark.parametrize(
    "text, ages",
    [
        ("deux enfants de 3 et 7 ans", [3, 7]),
        ("un enfant de 5 ans", [5]),
        ("trois enfants de 2, 5 et 9 ans", [2, 5, 9]),
        ("un de 3 ans et une de 7 ans", [3, 7]),
        ("j'ai une fille de 12 ans et un fils de 15 ans", [12, 15]),
        ("mes enfants ont 3 et 11 ans", [3, 11]),
        ("des jumeaux de 4 ans", [4, 4]),
        ("un bébé de 8 mois", [0]),
        ("18 mois et 4 ans", [1, 4]),
        ("2 enfants, 6 et 14 ans", [6, 14]),
        ("non", []),
        ("aucun", []),
        ("je n'ai pas d'enfant", []),
        ("pas d'enfants", []),
    ],
)
def test_children_and_their_ages(text, ages):
    assert parse("ages", text, QUESTIONS["enfants"]).value == ages


@pytest.mark.parametrize(
    "text, why",
    [
        ("deux enfants", "âge de chaque enfant"),
        ("oui", "âge de chaque enfant"),
        ("trois enfants de 4 et 6 ans", "3 enfants mais je lis 2 âges"),
        ("plein", "pas trouvé l'âge"),
    ],
)
def test_children_without_every_age_are_asked_again(text, why):
    parsed = parse("ages", text, QUESTIONS["enfants"])
    assert not parsed.ok and why in parsed.problem


@pytest.mark.parametrize(
    "text, euros",
    [
        ("environ 28 000 €", 28000),
        ("28k", 28000),
        ("28 k€", 28000),
        ("28,5k", 28500),
        ("28 mille", 28000),
        ("vingt-huit mille euros", 28000),
        ("28.000 euros", 28000),
        ("28\u202f000 €", 28000),
        ("mon revenu fiscal de référence est de 31 200 €", 31200),
        ("28 000 € pour 2 parts", 28000),
        ("RFR 39 000", 39000),
    ],
)
def test_amounts_in_euros(text, euros):
    assert parse("money", text, QUESTIONS["revenu"]).value == euros


@pytest.mark.parametrize(
    "text, why",
    [
        ("2300 € par mois", "annuel"),
        ("entre 27 et 29k", "un seul montant"),
        ("beaucoup", "pas trouvé de montant"),
    ],
)
def test_amounts_that_cannot_be_used(text, why):
    parsed = parse("money", text, QUESTIONS["revenu"])
    assert not parsed.ok and why in parsed.problem


@pytest.mark.parametrize(
    "text, parts",
    [
        ("2,5 parts", 2.5),
        ("2.5", 2.5),
        ("deux parts et demie", 2.5),
        ("2 parts 1/2", 2.5),
        ("une part", 1.0),
        ("trois", 3.0),
        ("trois parts et un quart", 3.25),
        ("1,75 part", 1.75),
        ("deux virgule cinq", 2.5),
    ],
)
def test_number_of_parts(text, parts):
    assert parse("decimal", text, QUESTIONS["parts"]).value == parts


@pytest.mark.parametrize("text", ["2,3 parts", "0,5 part", "15 parts", "2 ou 3"])
def test_impossible_numbers_of_parts_are_refused(text):
    assert not parse("decimal", text, QUESTIONS["parts"]).ok


@pytest.mark.parametrize(
    "text, months",
    [
        ("2 ans", 24),
        ("depuis 18 mois", 18),
        ("deux ans et demi", 30),
        ("1 an et 3 mois", 15),
        ("un an et demi", 18),
        ("six mois", 6),
        ("ça fait trois ans", 36),
    ],
)
def test_durations_in_months(text, months):
    assert parse("duration", text, QUESTIONS["anciennete"]).value == months


def test_a_permanent_contract_is_open_ended_and_a_duration_is_needed():
    assert parse("duration", "en CDI", QUESTIONS["duree_contrat"]).value == OPEN_ENDED
    assert display("duration", OPEN_ENDED) == "durée indéterminée"
    assert not parse("duration", "bientôt", QUESTIONS["anciennete"]).ok


@pytest.mark.parametrize(
    "text, status, months",
    [
        ("titulaire", "titulaire", None),
        ("je suis contractuelle depuis 2 ans", "contractuel", 24),
        ("fonctionnaire stagiaire", "stagiaire", None),  # the longest words win over « fonctionnaire »
        ("non titulaire", "contractuel", None),
        ("je ne suis pas titulaire, je suis en CDD", "contractuel", None),
        ("retraitée depuis six mois", "retraite", 6),
        ("doctorante", "contractuel", None),
    ],
)
def test_status_and_seniority_in_one_answer(text, status, months):
    assert parse("choice", text, QUESTIONS["statut"]).value == status
    assert extract("duration", text) == months


def test_a_status_that_names_no_option_is_refused():
    assert not parse("choice", "bof", QUESTIONS["statut"]).ok
    assert parse("choice", "seule avec mes deux enfants", QUESTIONS["foyer"]).value == "seul"
    assert parse("choice", "je suis pacsée", QUESTIONS["foyer"]).value == "couple"


@pytest.mark.parametrize(
    "text, value",
    [
        ("oui", True),
        ("oui bien sûr", True),
        ("tout à fait", True),
        ("si", True),
        ("non", False),
        ("pas du tout", False),
        ("pas encore", False),
        ("jamais", False),
    ],
)
def test_yes_and_no(text, value):
    assert parse("yes_no", text, QUESTIONS["handicap"]).value is value


def test_neither_yes_nor_no_is_refused():
    assert not parse("yes_no", "laisse tomber", QUESTIONS["handicap"]).ok
    assert not parse("yes_no", "oui et non", QUESTIONS["handicap"]).ok


@pytest.mark.parametrize(
    "kind, fact",
    [
        ("money", "revenu"),
        ("decimal", "parts"),
        ("yes_no", "handicap"),
        ("integer", "indice"),
        ("choice", "statut"),
        ("ages", "enfants"),
    ],
)
def test_i_do_not_know_is_an_answer_of_every_kind(kind, fact):
    for text in ("je ne sais pas", "aucune idée", "je ne connais pas mon indice"):
        parsed = parse(kind, text, QUESTIONS[fact])
        assert parsed.ok and parsed.unknown and parsed.value is None


@pytest.mark.parametrize(
    "text, percent",
    [
        ("à temps partiel 80 %", 80),
        ("80%", 80),
        ("temps plein", 100),
        ("à mi-temps", 50),
        ("quatre-vingts pour cent", 80),
        ("90", 90),
    ],
)
def test_working_time(text, percent):
    assert parse("percent", text, {"min": 10, "max": 100}).value == percent


def test_working_time_needs_a_figure_when_partial():
    assert not parse("percent", "temps partiel", {}).ok


@pytest.mark.parametrize(
    "text, value, ok",
    [
        ("j'ai 28 ans", 28, True),
        ("vingt-huit ans", 28, True),
        ("indice majoré 420", None, False),
        ("28 ou 29", None, False),
        ("12", None, False),
    ],
)
def test_whole_numbers_within_their_bounds(text, value, ok):
    parsed = parse("integer", text, QUESTIONS["age"])
    assert parsed.ok is ok and (parsed.value == value if ok else True)


def test_an_empty_answer_is_refused():
    assert not parse("money", "   ", QUESTIONS["revenu"]).ok


@pytest.mark.parametrize(
    "kind, value, shown",
    [
        ("money", 41383, "41 383 €"),
        ("decimal", 2.5, "2,5"),
        ("ages", [3, 7], "3 et 7 ans"),
        ("ages", [0], "moins d'un an"),
        ("ages", [], "aucun enfant"),
        ("duration", 30, "2 ans et 6 mois"),
        ("duration", 8, "8 mois"),
        ("yes_no", True, "oui"),
        ("percent", 80.0, "80 %"),
    ],
)
def test_values_are_written_the_french_way(kind, value, shown):
    assert display(kind, value) == shown


@pytest.mark.parametrize(
    "kind, text, value",
    [
        ("ages", "ai-je droit au CESU ? j'ai 2 enfants de 3 et 5 ans", [3, 5]),
        ("money", "je suis titulaire, mon revenu fiscal de référence est 32000 euros, 2 parts", 32000),
        ("decimal", "je suis titulaire, mon revenu fiscal de référence est 32000 euros, 2 parts", 2),
        ("decimal", "on a 2,5 parts", 2.5),
        ("money", "mon revenu est d'environ 28k", 28000),
        # Not read: a clause that does not name the fact, a monthly amount, a clause not read entirely, a choice.
        ("ages", "ai-je droit au CESU pour mes enfants ?", None),
        ("money", "je gagne 32000 euros", None),
        ("money", "mon revenu est de 2500 euros par mois", None),
        ("decimal", "32000 euros pour 2 parts", None),
        ("choice", "je suis titulaire", None),
    ],
)
def test_a_value_given_in_passing_is_read_only_from_a_clause_that_names_it(kind, text, value):
    assert mentioned(kind, text, QUESTIONS["parts"] if kind == "decimal" else None) == value


@pytest.mark.parametrize(
    "kind, text, value",
    [
        ("ages", "two kids, 3 and 6 years old", [3, 6]),
        ("ages", "3 and 6", [3, 6]),
        ("ages", "3 et 6", [3, 6]),
        ("ages", "no kids", []),
        ("money", "about 28k", 28000),
    ],
)
def test_english_and_bare_answers(kind, text, value):
    parsed = parse(kind, text)
    assert parsed.ok and parsed.value == value, parsed


def test_a_hedge_before_the_answer_keeps_the_answer_and_a_scheme_name_is_no_age():
    statut = {"options": {"contractuel": {"label": "Agent contractuel", "words": ["contractuel", "cdi", "cdd"]}}}
    assert parse("choice", "je sais pas trop, je suis en CDI", statut).value == "contractuel"
    assert parse("choice", "je sais pas", statut).unknown
    assert mentioned("ages", "cesu garde enfant 0-6 ans jai droit? jai un gamin de 2 ans") == [2]


def test_a_contract_length_is_not_time_already_spent():
    assert extract("duration", "contractuelle depuis 2 ans") == 24
    assert extract("duration", "Contractuelle, en CDD de 18 mois") is None
