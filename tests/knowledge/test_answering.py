"""The answer chosen for a question, against the real content in a real SQLite database."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.core.models import Article, UnansweredCount
from bot.core.vocabulary import AID_TYPES, LEAVE_TYPES
from bot.knowledge.answers import caveat, render


# The entity is a signal, no longer a route: the question is the entity's name as staff type it.
@pytest.mark.parametrize("value", sorted(LEAVE_TYPES))
def test_each_leave_type_gets_its_article(answerer, value):
    reply = answerer.topic("leave", "ask_leave", LEAVE_TYPES[value], value)
    assert reply.answered, value
    assert answerer.search.get(reply.article_id).leave_type == value
    assert "Source :" in reply.text and "Voir la fiche complète" in [b.title for b in reply.buttons]


@pytest.mark.parametrize("value", sorted(AID_TYPES))
def test_each_aid_type_gets_its_article(answerer, value):
    reply = answerer.topic("social_aid", "ask_social_aid", AID_TYPES[value], value)
    assert answerer.search.get(reply.article_id).aid_type == value, value


def test_a_generic_leave_question_never_gets_the_fixed_list_of_types(answerer):
    reply = answerer.topic("leave", "ask_leave", "j'ai une question sur les congés", None)
    assert "Quel type de congé" not in reply.text
    assert len(reply.buttons) <= 3


@pytest.mark.parametrize(
    "question, words",
    [
        ("combien de jours de congé pour mon mariage ?", ["mariage"]),
        ("comment fonctionne le compte épargne-temps ?", ["épargne"]),
        ("jour de carence en cas d'arrêt", ["maladie"]),
        ("congé de proche aidant pour ma mère", ["aidant"]),
    ],
)
def test_a_specific_leave_question_without_entity_is_answered_by_search(answerer, question, words):
    reply = answerer.topic("leave", "ask_leave", question, None)
    assert reply.answered, question
    title = answerer.search.get(reply.article_id).title.lower()
    assert any(w in title for w in words), title


@pytest.mark.parametrize(
    "question, words",
    [
        ("quel est le salaire moyen à l'école ?", ["salari", "rémunération"]),
        ("qui sont les sauveteurs secouristes du travail", ["santé", "sécurité", "secour"]),
        ("c'est quoi le rôle de développeur de talents", ["développeur"]),
        ("quelles associations pour le personnel ?", ["association", "amicale"]),
        ("je pars en mission à l'étranger, quelles précautions", ["étranger", "international", "déplacement"]),
        ("combien d'heures de formation ont été dispensées", ["formation", "compétence"]),
        ("la charte égalité femmes hommes", ["égalité"]),
        ("les hôpitaux à Alès", ["alès"]),
    ],
)
def test_policy_questions_find_the_right_article(answerer, question, words):
    reply = answerer.anywhere(question)
    # An answer, or the article's own « l'assistant ne le sait pas » (names of the first-aiders): both name it.
    shown = reply.article_id or next(
        (b.payload.split('"')[3] for b in reply.buttons if "article_id" in b.payload), None
    )
    assert shown, question
    title = answerer.search.get(shown).title.lower()
    assert any(w in title for w in words), (question, title)


@pytest.mark.parametrize(
    "question",
    ["quel temps fera-t-il demain à Montpellier ?", "recette du cassoulet au confit", "zzzz qwerty"],
)
def test_unrelated_questions_are_not_answered_and_are_counted(answerer, content_database, question):
    with content_database.session() as session:
        before = sum(c.count for c in session.scalars(select(UnansweredCount)))
    reply = answerer.anywhere(question, "policy")
    assert not reply.answered
    assert "service RH" in reply.text or "ressources humaines" in reply.text
    with content_database.session() as session:
        rows = session.scalars(select(UnansweredCount)).all()
    assert sum(c.count for c in rows) == before + 1
    assert {c.topic for c in rows} >= {"policy"}


def test_telework_and_onboarding_always_get_an_answer(answerer):
    assert answerer.topic("telework", "ask_telework", "télétravail ?").answered
    assert answerer.topic("onboarding", "ask_onboarding", "je viens d'arriver, par où commencer ?").answered


def test_eligibility_without_scheme_asks_which_one(answerer):
    reply = answerer.eligibility(None)
    assert reply.asked == "check_aid_eligibility" and len(reply.buttons) == len(AID_TYPES)
    answered = answerer.eligibility("cesu")  # while another form runs: what the check will ask, and the article
    assert (
        answered.answered and "service social" in answered.text and "je vous demanderai votre statut" in answered.text
    )


def test_resuming_a_question_with_a_bare_answer(answerer):
    assert answerer.search.get(answerer.answer_choice("ask_leave", "RTT", "rtt").article_id).leave_type == "rtt"
    reply = answerer.answer_choice("check_aid_eligibility", "les chèques-vacances", "cheques_vacances")
    assert answerer.search.get(reply.article_id).aid_type == "cheques_vacances"


def _article(**kwargs) -> Article:
    values = dict(id="x", topic="policy", title="T", body="B", source="S", source_date="2025", reliability="high")
    return Article(**(values | kwargs))


def test_old_or_uncertain_content_carries_a_warning():
    today = date(2026, 11, 25)
    assert caveat(_article(source_date="2025"), today) is None
    assert "2018" in caveat(_article(source_date="2018"), today)
    assert "Vérifiez" in caveat(_article(reliability="low"), today)
    text = render(_article(source_date="2019-12-31", source_url="https://example.org"), today)
    assert text.endswith("Source : S (2019-12-31), https://example.org") and "2019" in text.split("Source")[0]


def test_figures_of_the_school_page_are_answered_with_their_date(answerer):
    for question, figure, year in [
        ("salaire moyen mensuel du personnel", "3 062", "2018"),
        ("nombre d'heures de formation en 2019", "5 000", "2019"),
        ("combien de sauveteurs secouristes du travail", "26", None),
        ("part des agents en CDD", "12", None),
    ]:
        reply = answerer.anywhere(question)
        assert reply.answered and figure in reply.text.replace("\u202f", " ").replace("\xa0", " "), question
        if year:
            assert year in reply.text, question


def test_after_i_do_not_know_the_nearest_articles_can_be_opened(answerer):
    from bot.knowledge.answering import RELATED, RELATED_FLOOR, RELATED_TEXT
    from bot.knowledge.engine import Candidate, Result

    articles = answerer.search.index().articles
    near = Result(
        [Candidate(articles[0], 0.4), Candidate(articles[1], RELATED_FLOOR), Candidate(articles[2], 0.3)], "abstain"
    )
    reply = answerer.reply(near)
    assert not reply.answered and reply.text.startswith("Je ne sais pas") and RELATED_TEXT in reply.text
    opened = [b.payload for b in reply.buttons if "article_id" in b.payload]
    assert len(opened) == RELATED == 2  # the best two, never the third
    assert [b.title for b in reply.buttons[:2]] == [articles[0].title, articles[1].title]
    assert reply.buttons[-1].payload == "/human_handoff"
    # Far from every article: the plain « je ne sais pas », nothing to open.
    far = answerer.reply(Result([Candidate(articles[0], RELATED_FLOOR - 0.01)], "abstain"))
    assert RELATED_TEXT not in far.text and all("article_id" not in b.payload for b in far.buttons)
    # An opened article is the whole article.
    assert answerer.show(articles[0].id).article_id == articles[0].id


def test_a_question_between_the_overview_and_a_close_article_gets_the_overview_passage(answerer):
    # « combien de jours de congé par an ? » is close to annual and to paternity leave: the overview HR designated
    # for leave answers, with the passage that holds the figure first, not the whole article with its title.
    reply = answerer.topic("leave", "ask_leave", "bonjour, combien de jours de congés j'ai par an ?", None)
    assert reply.article_id == "conge-annuels"
    first = reply.text.split("\n\n")[0]
    assert "25 jours" in first and first != answerer.search.get("conge-annuels").title


def test_the_whole_article_keeps_what_it_leaves_to_hr_after_its_steps():
    article = _article(
        body="Vous avez droit à 25 jours. Le congé bonifié : l'assistant ne le connaît pas ; le service RH vous renseignera.",
        how_to="Posez vos dates dans l'outil. Les fermetures de l'école : l'assistant ne les connaît pas.",
    )
    paragraphs = render(article, date(2026, 11, 25)).split("\n\n")
    assert paragraphs[1] == "Vous avez droit à 25 jours."
    assert paragraphs[2] == "Comment faire : Posez vos dates dans l'outil."
    assert paragraphs[3].startswith("À savoir : Le congé bonifié") and "fermetures" in paragraphs[3]


@pytest.mark.parametrize("question", ["combien de jours de congés il me reste ?", "how many days off do I have left?"])
def test_a_question_on_ones_own_counter_says_the_assistant_cannot_see_it(answerer, question):
    reply = answerer.topic("leave", "ask_leave", question, None)
    assert reply.text.startswith("Je n'ai pas accès à votre dossier personnel") and not reply.answered
    assert answerer.ask("combien de jours de congés par an ?").text.startswith("Je n'ai pas accès") is False


def test_a_source_that_names_its_date_keeps_it_once():
    from bot.knowledge.answers import source_line

    assert (
        source_line(_article(source="Légifrance (JORF, 2010)", source_date="2010"))
        == "Source : Légifrance (JORF, 2010)"
    )
    assert source_line(_article(source="S", source_date="2025")) == "Source : S (2025)"
