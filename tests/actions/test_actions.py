"""Every custom action, run as the action server runs it, against a real SQLite database."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import actions, support
from bot.core.db import Database
from tests.support import action_names, actions_sent_the_domain


@pytest.fixture(autouse=True)
def use_content_database(monkeypatch, answerer):
    monkeypatch.setattr(actions, "answerer", lambda: answerer)


def tracker(text: str, intent: str, entities: list[dict] | None = None, slots: dict | None = None) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    return Tracker("agent-test", slots or {}, message, [], False, None, {}, "action_listen")


def run(action, tracker_: Tracker) -> tuple[list[dict], list]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, {}))
    return dispatcher.messages, events


def leave_entity(value: str, text: str | None = None) -> dict:
    return {"entity": "leave_type", "value": value, "text": text or value}


def test_leave_with_entity_answers_with_source():
    messages, events = run(actions.ActionAnswerLeave(), tracker("combien de RTT ?", "ask_leave", [leave_entity("rtt")]))
    assert len(messages) == 1 and "RTT" in messages[0]["text"] and "Source :" in messages[0]["text"]
    assert messages[0]["kind"] == "action_answer_leave"  # the web chat's feedback is counted per kind
    assert events == [SlotSet("pending_question", None)]


def test_leave_entity_with_unmapped_surface_form_is_normalised():
    entities = [{"entity": "leave_type", "value": "congés payés", "text": "congés payés"}]
    messages, _ = run(actions.ActionAnswerLeave(), tracker("mes congés payés", "ask_leave", entities))
    assert "annuel" in messages[0]["text"].lower()


def test_a_chosen_article_answers_the_previous_question_and_full_article_shows_it_all():
    # Behaviour changed with the answering engine: no fixed list of leave types; the person picks one of the
    # close articles offered, and the passage of that article answers the question asked just before.
    events = [
        {"event": "user", "text": "jusqu'à quand peut-on prendre ce congé ?"},
        {"event": "user", "text": '/inform{"article_id": "conge-parental"}'},
    ]
    chosen = Tracker(
        "agent-test",
        {"pending_question": "clarify"},
        {
            "text": '/inform{"article_id": "conge-parental"}',
            "intent": {"name": "inform"},
            "entities": [{"entity": "article_id", "value": "conge-parental"}],
        },
        events,
        False,
        None,
        {},
        "action_listen",
    )
    messages, events = run(actions.ActionHandleInform(), chosen)
    assert "Congé parental" in messages[0]["text"] and "Source :" in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == '/inform{"article_id": "conge-parental"}'
    assert events == [SlotSet("pending_question", None)]

    full = tracker(
        '/inform{"article_id": "conge-parental"}', "inform", [{"entity": "article_id", "value": "conge-parental"}]
    )
    messages, _ = run(actions.ActionHandleInform(), full)
    assert "Comment faire" in messages[0]["text"] and "PreParE" in messages[0]["text"]


def test_inform_without_context_or_entity_explains_what_the_assistant_does():
    messages, _ = run(actions.ActionHandleInform(), tracker("jeudi", "inform"))
    assert "congés" in messages[0]["text"] and "reformuler" in messages[0]["text"]


def test_a_question_read_as_a_bare_answer_outside_a_form_still_goes_to_the_base():
    # « inform » with nothing asked before: the message is a question, searched in the whole base like the fallback.
    question = "how many weeks is maternity leave in France?"
    messages, _ = run(actions.ActionHandleInform(), tracker(question, "inform"))
    assert "reformuler" not in messages[0]["text"]
    assert "maternité" in messages[0]["text"].lower()


@pytest.mark.parametrize(
    "action, text, intent, entities, expected",
    [
        (
            actions.ActionAnswerSocialAid(),
            "c'est quoi le cesu",
            "ask_social_aid",
            [{"entity": "aid_type", "value": "cesu"}],
            "CESU",
        ),
        (actions.ActionAnswerTelework(), "combien de jours de télétravail par semaine", "ask_telework", [], "3 jours"),
        (actions.ActionAnswerOnboarding(), "c'est quoi le livret d'accueil", "ask_onboarding", [], "livret"),
        (actions.ActionAnswerPolicy(), "qui est la référente égalité", "ask_policy", [], "égalité"),
        (
            actions.ActionCheckAidEligibility(),
            "ai-je droit aux chèques-vacances",
            "check_aid_eligibility",
            [{"entity": "aid_type", "value": "cheques_vacances"}],
            "service social",
        ),
        (actions.ActionAnswerMenu(), "on mange quoi", "ask_menu", [], "végétarien"),
        (actions.ActionHumanHandoff(), "je veux parler à quelqu'un des RH", "human_handoff", [], "RH"),
    ],
)
def test_each_content_action_gives_a_relevant_answer(action, text, intent, entities, expected):
    messages, _ = run(action, tracker(text, intent, entities))
    assert len(messages) == 1
    assert expected.lower() in messages[0]["text"].lower()


def _after_a_menu(text: str, intent: str, entities: list[dict]) -> Tracker:
    """`text` right after the menu was answered."""
    events = [
        {"event": "user", "text": "on mange quoi ?", "parse_data": {"intent": {"name": "ask_menu"}}},
        {"event": "action", "name": "action_answer_menu"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}},
    ]
    message = {"text": text, "intent": {"name": intent, "confidence": 0.45}, "entities": entities}
    return Tracker("agent-test", {}, message, events, False, None, {}, "action_listen")


def test_another_day_asked_right_after_the_menu_gets_that_days_menu():
    day = actions.now().date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    name = ("lundi", "mardi", "mercredi", "jeudi", "vendredi")[day.weekday()]
    text = f"et {name} ?"
    found = [{"entity": "date", "value": name, "start": 3, "end": 3 + len(name)}]
    for action, intent in (
        (actions.ActionFallback(), "nlu_fallback"),
        (actions.ActionHandleInform(), "inform"),
        (actions.ActionAnswerTelework(), "ask_telework"),  # the intent model's guess for « et mardi ? »
    ):
        messages, _ = run(action, _after_a_menu(text, intent, found))
        said = messages[0]["text"]
        assert "restaurant" in said.lower() and f"{name} {day.day} " in said and "Source" not in said, said
    # Not after another answer, nor with more than a day in the message.
    plain = Tracker(
        "agent-test", {}, {"text": text, "intent": {"name": "nlu_fallback"}, "entities": found}, [], False, None, {}, ""
    )
    assert actions.menu_follow_up(plain) is None
    longer = _after_a_menu(f"et {name} je peux poser un congé ?", "nlu_fallback", found)
    assert actions.menu_follow_up(longer) is None
    # After a menu given as a follow-up (« et vendredi ? » answered by another action): « et jeudi ? » goes on.
    chained = Tracker(
        "agent-test",
        {"pending_question": actions.MENU_SHOWN},
        {"text": text, "intent": {"name": "ask_telework"}, "entities": found},
        [],
        False,
        None,
        {},
        "",
    )
    assert actions.menu_follow_up(chained) is not None


@pytest.mark.parametrize(
    "action, payload, title",
    [
        (actions.ActionAnswerLeave(), "/ask_leave", "Congés annuels"),
        (actions.ActionAnswerTelework(), "/ask_telework", "Télétravail : les règles générales"),
        (actions.ActionAnswerSocialAid(), "/ask_social_aid", "L'action sociale de l'école : vue d'ensemble"),
    ],
)
def test_a_menu_button_of_a_topic_shows_hrs_overview_of_it(action, payload, title):
    messages, _ = run(action, tracker(payload, payload.removeprefix("/")))
    assert messages[0]["text"].startswith(title)


def _after_an_answer(question: str, article_id: str, text: str, intent: str) -> Tracker:
    """`text` right after the assistant answered `question` from one article."""
    button = {"title": "Voir la fiche complète", "payload": f'/inform{{"article_id": "{article_id}"}}'}
    events = [
        {"event": "user", "text": question, "parse_data": {"intent": {"name": "ask_leave"}}},
        {"event": "action", "name": "action_answer_leave"},
        {"event": "bot", "text": "…", "data": {"buttons": [button]}},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}},
    ]
    message = {"text": text, "intent": {"name": intent, "confidence": 0.5}, "entities": []}
    return Tracker("agent-test", {}, message, events, False, None, {}, "action_listen")


@pytest.mark.parametrize(
    "question, article_id, text, fact",
    [
        (
            "si mon fils est malade je peux rester à la maison ?",
            "conge-enfant-malade",
            "combien de jours par an ?",
            "6 jours",
        ),
        (
            "mon fils est malade, je peux m'absenter ?",
            "conge-enfant-malade",
            "il a 17 ans, ca marche encore ?",
            "16 ans",
        ),
        ("le teletravail est indemnise ?", "teletravail-forfait", "c verse quand", "2,88 €"),
        # The previous question was itself a follow-up: the article's title keeps the topic.
        ("combien de jours par an ?", "conge-enfant-malade", "il a 17 ans, ca marche encore ?", "16 ans"),
    ],
)
def test_a_short_question_going_on_from_the_article_just_shown_is_answered_from_it(question, article_id, text, fact):
    for action, intent in ((actions.ActionFallback(), "nlu_fallback"), (actions.ActionAnswerLeave(), "ask_leave")):
        messages, _ = run(action, _after_an_answer(question, article_id, text, intent))
        assert fact in messages[0]["text"], messages[0]["text"]


def test_a_short_question_on_another_topic_after_an_answer_is_not_read_as_a_follow_up():
    tracker_ = _after_an_answer(
        "combien de jours de congés annuels ?", "conge-annuels", "et le télétravail ?", "ask_telework"
    )
    assert actions.knowledge_follow_up(tracker_, "telework") is None
    longer = "et sinon pour le télétravail je voudrais savoir combien de jours je peux faire par semaine"
    assert (
        actions.knowledge_follow_up(_after_an_answer("congés ?", "conge-annuels", longer, "ask_telework"), "x") is None
    )


@pytest.mark.parametrize(
    "question, article_id, text",
    [
        ("combien de RTT par an ?", "conge-rtt", "ya un jour de carence?"),
        ("combien de RTT par an ?", "conge-rtt", "jsui malade dpuis hier jfai koi pr larret"),
        ("combien de RTT par an ?", "conge-rtt", "et le teletravail cé possible pr un technicien?"),
        ("how long is parental leave?", "conge-parental", "How do I apply for telework?"),
    ],
)
def test_a_question_that_stands_alone_on_another_subject_is_not_a_follow_up(question, article_id, text):
    assert actions.knowledge_follow_up(_after_an_answer(question, article_id, text, "ask_leave"), "leave") is None


def test_fallback_answers_a_clear_content_match_and_otherwise_explains():
    messages, _ = run(actions.ActionFallback(), tracker("compte épargne-temps", "nlu_fallback"))
    assert "Source :" in messages[0]["text"]
    messages, _ = run(actions.ActionFallback(), tracker("blablabla xyz", "nlu_fallback"))
    assert "reformuler" in messages[0]["text"]
    # A clear question the base does not cover is told so, not asked to be reworded.
    messages, _ = run(actions.ActionFallback(), tracker("le parking du personnel est-il gratuit ?", "nlu_fallback"))
    assert messages[0]["text"].startswith("Je ne sais pas") and "reformuler" not in messages[0]["text"]


def test_out_of_scope_answers_from_the_base_only_when_an_article_clearly_answers():
    messages, _ = run(
        actions.ActionOutOfScope(), tracker("y a-t-il une aide pour garder mon enfant ? le CESU", "out_of_scope")
    )
    assert "Source :" in messages[0]["text"] and "CESU" in messages[0]["text"]
    # An article about the question that lacks the case asked: its honest « je ne sais pas », not « hors sujet ».
    messages, _ = run(actions.ActionOutOfScope(), tracker("ok et pour le mariage de ma soeur ?", "out_of_scope"))
    assert "sœur" in messages[0]["text"] and "mariage" in messages[0]["text"].lower(), messages[0]["text"]
    messages, events = run(actions.ActionOutOfScope(), tracker("raconte-moi une blague sur les chats", "out_of_scope"))
    assert messages == [{**messages[0], "response": "utter_out_of_scope"}] and events == []


def test_a_database_that_is_down_gets_a_clear_french_answer(monkeypatch):
    from bot.knowledge.answering import Answerer

    # Nothing listens on port 1: every connection is refused, as when PostgreSQL is down.
    unreachable = Answerer(Database("postgresql+psycopg://assistant@127.0.0.1:1/assistant?connect_timeout=2"))
    monkeypatch.setattr(actions, "answerer", lambda: unreachable)
    for action in (
        actions.ActionAnswerLeave(),
        actions.ActionAnswerPolicy(),
        actions.ActionFallback(),
        actions.ActionOutOfScope(),
    ):
        messages, _ = run(action, tracker("RTT", "ask_leave", [leave_entity("rtt")]))
        assert len(messages) == 1 and "momentanément indisponible" in messages[0]["text"]
        assert messages[0]["kind"] == action.name()


def test_actions_never_log_what_the_person_typed(caplog):
    secret = "je suis en dépression à cause de mon chef Dupont"
    caplog.set_level(logging.DEBUG)
    for action in (actions.ActionAnswerPolicy(), actions.ActionFallback(), actions.ActionAnswerLeave()):
        run(action, tracker(secret, "ask_policy"))
    assert "Dupont" not in caplog.text and "dépression" not in caplog.text


def test_the_action_server_registers_exactly_the_domains_custom_actions():
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(executor.actions) == action_names()


def test_the_form_validators_are_sent_the_domain():
    # Rasa sends the domain only to actions marked send_domain (enable_selective_domain); a form
    # validator reads its form's required slots from it.
    from rasa_sdk import FormValidationAction
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    validators = {name for name, run in executor.actions.items() if isinstance(run.__self__, FormValidationAction)}
    assert validators and validators == actions_sent_the_domain()


def test_a_restaurant_question_that_is_not_about_the_food_goes_to_the_content_base():
    messages, _ = run(actions.ActionAnswerMenu(), tracker("le resto c'est géré par l'école ?", "ask_menu"))
    assert "Entrée :" not in messages[0]["text"] and "prestataire" in messages[0]["text"], messages[0]["text"]
    messages, _ = run(actions.ActionAnswerMenu(), tracker("y a du poisson au menu ?", "ask_menu"))
    assert "Source :" not in messages[0]["text"]


def test_menu_prices_come_from_the_content_base():
    messages, _ = run(actions.ActionAnswerMenu(), tracker("combien coûte un repas au restaurant ?", "ask_menu"))
    assert "subvention" in messages[0]["text"] and "Source :" in messages[0]["text"]


def ranked(text: str, first: str, second: str, confidence: float, **extra) -> Tracker:
    message = {
        "text": text,
        "intent": {"name": first, "confidence": 1 - confidence},
        "intent_ranking": [{"name": first, "confidence": 1 - confidence}, {"name": second, "confidence": confidence}],
        "entities": [],
        **extra,
    }
    return Tracker("agent-test", {}, message, [], False, None, {}, "action_listen")


TIRED_AND_LEAVE = (
    "je suis à bout, ce boulot m'épuise, je peux poser une semaine de congés annuels la semaine prochaine ?"
)


def test_two_questions_in_one_message_get_two_answers():
    messages, _ = run(support.ActionAnswerRps(), ranked(TIRED_AND_LEAVE, "rps_support", "ask_leave", 0.44))
    assert len(messages) == 2, [m["text"][:80] for m in messages]
    assert "psychologue" in messages[0]["text"]
    assert messages[1]["text"].startswith(actions.SECOND_QUESTION) and "congés annuels" in messages[1]["text"].lower()


@pytest.mark.parametrize(
    "tracker_",
    [
        ranked(TIRED_AND_LEAVE, "rps_support", "ask_leave", actions.SECOND_QUESTION_MIN - 0.01),  # a weak runner-up
        ranked(TIRED_AND_LEAVE, "rps_support", "ask_capabilities", 0.44),  # not a knowledge topic
        ranked(TIRED_AND_LEAVE, "rps_support", "ask_leave", 0.44, distress_net={"outcome": "ask"}),  # crisis net asked
    ],
)
def test_no_second_answer_without_a_clear_second_question(tracker_):
    messages, _ = run(support.ActionAnswerRps(), tracker_)
    assert len(messages) == 1 and not messages[0]["text"].startswith(actions.SECOND_QUESTION)


def _two_questions_that_fell_back() -> Tracker:
    """A message with two questions that the intent model could not place (its topics ranked after the fallback)."""
    message = {
        "text": "Hi, I just arrived as a postdoc, how many days of holidays do I get and can I work from home?",
        "intent": {"name": "nlu_fallback", "confidence": 0.45},
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.45},
            {"name": "ask_telework", "confidence": 0.38},
            {"name": "ask_leave", "confidence": 0.34},
        ],
        "entities": [],
    }
    return Tracker("agent-test", {}, message, [], False, None, {}, "action_listen")


def test_a_message_that_fell_back_can_still_get_both_of_its_answers():
    messages, _ = run(actions.ActionFallback(), _two_questions_that_fell_back())
    said = " ".join(m["text"] for m in messages).lower()
    assert len(messages) == 2 and messages[1]["text"].startswith(actions.SECOND_QUESTION)
    assert "télétravail" in said and "congés annuels" in said


def test_a_fallback_answered_in_the_top_topic_is_not_counted_as_unanswered():
    from sqlalchemy import func, select

    from bot.core.models import UnansweredCount

    def unanswered() -> int:
        with actions.answerer().database.session() as session:
            return session.scalar(select(func.coalesce(func.sum(UnansweredCount.count), 0)))

    before = unanswered()
    messages, _ = run(actions.ActionFallback(), _two_questions_that_fell_back())
    assert "D'après la fiche" in messages[0]["text"] and not messages[0]["text"].startswith("Je ne sais pas")
    assert unanswered() == before


def test_the_top_intents_topic_is_answered_second_when_the_engine_answered_the_other_one_first():
    text = (
        "Bonjour, je suis agent contractuel depuis 3 ans. Je souhaiterais savoir combien de jours je peux épargner "
        "sur mon CET et aussi si je peux télétravailler 3 jours par semaine ?"
    )
    messages, _ = run(actions.ActionAnswerTelework(), ranked(text, "ask_telework", "ask_leave", 0.35))
    said = [m["text"].lower() for m in messages]
    assert len(said) == 2 and said[1].startswith(actions.SECOND_QUESTION.lower())
    assert any("épargne" in s or "cet" in s for s in said) and any("télétravail" in s for s in said)


def test_a_booking_request_asked_with_a_question_gets_its_button_after_the_answer():
    text = "combien de jours de congés annuels j'ai, et je voudrais un rendez-vous avec l'assistante sociale"
    entities = [{"entity": "service", "value": "assistante sociale", "text": "assistante sociale"}]
    asked = ranked(text, "ask_leave", "book_appointment", 0.35)
    asked.latest_message["entities"] = entities
    messages, _ = run(actions.ActionAnswerLeave(), asked)
    assert messages[-1]["text"] == actions.BOOKING_OFFER
    assert messages[-1]["buttons"][0]["payload"].startswith('/book_appointment{"service": ')
    # Not when booking is only a weak runner-up.
    messages, _ = run(actions.ActionAnswerLeave(), ranked(text, "ask_leave", "book_appointment", 0.1))
    assert all(m["text"] != actions.BOOKING_OFFER for m in messages)


def test_a_message_of_one_clause_gets_no_second_answer():
    single = ranked("combien de jours de congés pour un agent contractuel", "ask_leave", "ask_policy", 0.44)
    messages, _ = run(actions.ActionAnswerLeave(), single)
    assert not any(m["text"].startswith(actions.SECOND_QUESTION) for m in messages)
