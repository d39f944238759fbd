"""Answers for people in difficulty: the offer after the crisis answer, RPS, harassment, privacy.
Run as the action server runs them, against real SQLite databases (and one that is down)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import actions, support
from bot.booking.bookings import Booking
from bot.booking.cli import DEFAULT_SCHEDULES
from bot.booking.schedules import load_schedules
from bot.core.dates import PARIS
from bot.core.db import Database
from bot.knowledge.answering import Answerer
from bot.safety.support import STILL_THERE

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)
DOWN = Database("postgresql+psycopg://assistant@127.0.0.1:1/assistant?connect_timeout=2")


def run(action, text: str, intent: str, sender: str = "agent-a") -> list[dict]:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    tracker = Tracker(sender, {}, message, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages


def payloads(messages: list[dict]) -> list[str]:
    return [b["payload"] for m in messages for b in m.get("buttons") or []]


@pytest.fixture
def booking(database: Database, monkeypatch) -> Booking:
    load_schedules(database, DEFAULT_SCHEDULES)
    service = Booking(database, now=lambda: NOW)
    monkeypatch.setattr(support, "booking", lambda: service)
    return service


def test_after_the_crisis_answer_the_psychologists_next_free_slot_is_offered(booking):
    (message,) = run(support.ActionOfferSupport(), "je veux mourir", "urgent_distress")
    first = booking.free_slots("psychologue", limit=1)[0]
    assert "confidentialité" in message["text"] and first.when in message["text"]
    started = [
        json.loads(p.removeprefix("/book_appointment"))
        for p in payloads([message])
        if p.startswith("/book_appointment")
    ]
    assert {"service": "psychologue", "date": "dès que possible"} in started
    assert {"service": "medecine_prevention", "date": "dès que possible"} in started
    assert "/human_handoff" in payloads([message])


def test_a_person_who_already_has_a_psychologist_appointment_is_reminded_of_it(booking):
    slot = booking.free_slots("psychologue", limit=1)[0]
    assert booking.book(slot.id, "agent-b").booked
    (message,) = run(support.ActionOfferSupport(), "je veux mourir", "urgent_distress", sender="agent-b")
    assert "déjà rendez-vous" in message["text"] and slot.when in message["text"]


def test_a_person_worried_for_someone_else_is_told_what_the_entourage_can_do(booking):
    (message,) = run(
        support.ActionOfferSupport(), "mon collègue parle de se suicider, je fais quoi ?", "urgent_distress"
    )
    assert message["text"].startswith("Vous vous inquiétez pour quelqu'un") and "15 ou le 112" in message["text"]
    assert booking.free_slots("psychologue", limit=1)[0].when in message["text"]
    (own,) = run(support.ActionOfferSupport(), "je veux mourir", "urgent_distress")
    assert "inquiétez" not in own["text"]


def test_after_yes_to_the_crisis_question_the_message_that_raised_it_is_read():
    checked = {"text": "ma fille dit qu'elle veut en finir", "intent": {"name": "crisis_check"}}
    events = [{"event": "user", "text": checked["text"], "parse_data": checked}]
    answer = {"text": "/affirm", "intent": {"name": "affirm", "confidence": 1.0}, "entities": []}
    tracker = Tracker("agent-a", {}, answer, events, False, None, {}, "action_listen")
    assert support.crisis_message(tracker) == checked["text"]
    plain = Tracker(
        "agent-a", {}, {"text": "je veux mourir", "intent": {"name": "urgent_distress"}}, [], False, None, {}, ""
    )
    assert support.crisis_message(plain) == "je veux mourir"


def test_the_offer_still_goes_out_when_the_database_is_down(monkeypatch):
    monkeypatch.setattr(support, "booking", lambda: Booking(DOWN))
    (message,) = run(support.ActionOfferSupport(), "je veux mourir", "urgent_distress")
    assert "confidentialité" in message["text"] and "créneau" not in message["text"]
    assert any(p.startswith("/book_appointment") for p in payloads([message]))


@pytest.fixture
def content(monkeypatch, answerer):
    monkeypatch.setattr(actions, "answerer", lambda: answerer)


@pytest.mark.parametrize(
    "action, text, intent, expected, buttons",
    [
        (
            support.ActionAnswerRps(),
            "je n'en peux plus de mon travail",
            "rps_support",
            ["psychologue", "permanences", "médecine de prévention", "organisations syndicales", "qualité de vie"],
            ['"service": "psychologue"', '"service": "permanence_rh"', '"service": "medecine_prevention"'],
        ),
        (
            support.ActionAnswerHarassment(),
            "mon chef me harcèle",
            "report_harassment",
            ["dispositif de signalement", "confidentialité", "référente égalité", "3919", "Source :"],
            ['"service": "service_social"', '"service": "psychologue"'],
        ),
        (
            actions.ActionAnswerPrivacy(),
            "confidentialité",
            "ask_privacy",
            ["30 jours", "santé", "jamais le motif", "Source :"],
            [],
        ),
    ],
)
def test_support_answers_come_from_the_content_base_with_their_offers(content, action, text, intent, expected, buttons):
    (message,) = run(action, text, intent)
    for part in expected:
        assert part in message["text"]
    for part in buttons:
        assert any(part in p for p in payloads([message]))


@pytest.mark.parametrize(
    "action", [support.ActionAnswerRps(), support.ActionAnswerHarassment(), actions.ActionAnswerPrivacy()]
)
def test_support_answers_do_not_depend_on_the_database(monkeypatch, action):
    monkeypatch.setattr(actions, "answerer", lambda: Answerer(DOWN))
    (message,) = run(action, "aidez-moi", "rps_support")
    assert "indisponible" not in message["text"] and len(message["text"]) > 100
    assert payloads([message]) == [b.payload for b in action.buttons]


def _resume(events: list[dict]) -> list[dict]:
    answer = {"text": "non", "intent": {"name": "deny", "confidence": 1.0}, "entities": []}
    tracker = Tracker("agent-a", {}, answer, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    return asyncio.run(support.ActionCrisisReply().run(dispatcher, tracker, {}))


CHECKED = {
    "event": "user",
    "text": "je vois plus l'intérêt de continuer",
    "parse_data": {"intent": {"name": "crisis_check"}, "distress_net": {"answer_intent": "rps_support"}},
}


def test_no_to_the_crisis_question_mid_form_puts_the_form_back_as_it_was():
    events = [
        {"event": "slot", "name": "service", "value": "assistante_sociale"},
        {"event": "active_loop", "name": "booking_form"},
        {"event": "slot", "name": "campus", "value": "Clavières"},
        {"event": "slot", "name": "requested_slot", "value": "date"},
        CHECKED,
        # The form stopped before the question: its answers forgotten.
        {"event": "active_loop", "name": None},
        {"event": "slot", "name": "requested_slot", "value": None},
        {"event": "slot", "name": "service", "value": None},
        {"event": "slot", "name": "campus", "value": None},
    ]
    resumed = _resume(events)
    replay = resumed.index(next(e for e in resumed if e["event"] == "user"))
    before = resumed[:replay]
    assert {"event": "active_loop", "name": "booking_form"} in [
        {"event": e["event"], "name": e["name"]} for e in before if e["event"] == "active_loop"
    ]
    restored = {e["name"]: e["value"] for e in before if e["event"] == "slot"}
    assert restored == {"service": "assistante_sociale", "campus": "Clavières", "requested_slot": "date"}
    assert resumed[replay]["parse_data"]["intent"]["name"] == "rps_support"


def test_no_to_the_crisis_question_outside_a_form_starts_none():
    events = [
        {"event": "active_loop", "name": "booking_form"},
        {"event": "active_loop", "name": None},  # a booking finished earlier
        CHECKED,
    ]
    resumed = _resume(events)
    assert not [e for e in resumed if e["event"] in ("active_loop", "slot")]


def _reply_to_the_question(text: str, intent: str) -> tuple[list[dict], list[dict]]:
    answer = {"text": text, "intent": {"name": intent, "confidence": 0.6}, "entities": []}
    tracker = Tracker("agent-a", {}, answer, [CHECKED], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(support.ActionCrisisReply().run(dispatcher, tracker, {}))
    return dispatcher.messages, events


@pytest.mark.parametrize(
    "text, intent",
    [("je sais pas", "inform"), ("maybe", "nlu_fallback"), ("un peu", "inform"), ("pas vraiment", "deny")],
)
def test_an_unsure_answer_to_the_crisis_question_gets_the_crisis_answer(booking, text, intent):
    messages, events = _reply_to_the_question(text, intent)
    assert messages[0].get("response") == "utter_urgent_distress"
    # The offer follows as its own action (what comes after the crisis answer starts from it).
    assert {"event": "followup", "name": "action_offer_support"} in [
        {"event": e["event"], "name": e.get("name")} for e in events
    ]
    assert not [e for e in events if e["event"] == "user"]


def test_the_no_button_resumes_the_first_message(booking):
    messages, events = _reply_to_the_question("/deny", "deny")
    assert support.CRISIS_DENIED in messages[0]["text"]


def test_a_plain_no_in_other_words_resumes_the_first_message(booking):
    messages, events = _reply_to_the_question("non merci, ça va", "cancel_send_to_hr")
    assert support.CRISIS_DENIED in messages[0]["text"]
    assert [e["parse_data"]["intent"]["name"] for e in events if e["event"] == "user"] == ["rps_support"]


@pytest.mark.parametrize(
    "text", ["i took all my pills", "je viens d'avaler une boîte de cachets", "je suis sur le toit"]
)
def test_a_danger_happening_now_gets_the_15_first(booking, text):
    (message,) = run(support.ActionOfferSupport(), text, "urgent_distress")
    assert message["text"].startswith("Si vous êtes en danger maintenant") and "15" in message["text"]
    (plain,) = run(support.ActionOfferSupport(), "je veux mourir", "urgent_distress")
    assert "danger maintenant" not in plain["text"]


def test_asking_for_someone_after_the_crisis_answer_gives_the_numbers_that_answer_at_any_hour(content):
    message = {"text": "je veux parler à quelqu'un de l'école maintenant", "intent": {"name": "human_handoff"}}
    after = [{"event": "action", "name": "action_offer_support"}]
    for events, expected in (([], False), (after, True)):
        tracker = Tracker("agent-a", {}, message, events, False, None, {}, "action_listen")
        dispatcher = CollectingDispatcher()
        asyncio.run(actions.ActionHumanHandoff().run(dispatcher, tracker, {}))
        assert dispatcher.messages[0]["text"].startswith(STILL_THERE) is expected


def test_a_yes_just_after_a_no_to_the_crisis_question_gets_the_crisis_answer(booking):
    from actions import booking as booking_actions

    def yes_after(events: list[dict]) -> list[dict]:
        answer = {"text": "en fait oui", "intent": {"name": "affirm", "confidence": 0.9}, "entities": []}
        tracker = Tracker("agent-a", {}, answer, events, False, None, {}, "action_listen")
        dispatcher = CollectingDispatcher()
        asyncio.run(booking_actions.ActionAnswerYes().run(dispatcher, tracker, {}))
        return dispatcher.messages

    asked = [CHECKED, {"event": "action", "name": "utter_crisis_check"}, {"event": "user", "text": "non"}]
    assert yes_after(asked)[0].get("response") == "utter_urgent_distress"
    later = [*asked, *({"event": "user", "text": "autre chose"} for _ in range(4))]
    assert yes_after(later)[0]["text"].startswith("Très bien")


def test_yes_to_the_offer_after_the_crisis_answer_starts_the_booking_with_the_psychologist():
    message = {"text": "ok", "intent": {"name": "affirm", "confidence": 0.9}, "entities": []}
    tracker = Tracker("agent-a", {}, message, [], False, None, {}, "action_listen")
    events = asyncio.run(support.ActionAcceptSupport().run(CollectingDispatcher(), tracker, {}))
    (request,) = [e for e in events if e["event"] == "user"]
    assert request["parse_data"]["intent"]["name"] == "book_appointment"
    assert {"entity": "service", "value": "psychologue"} in request["parse_data"]["entities"]


@pytest.mark.parametrize(
    "text, intent",
    [("on mange quoi demain à la cantine ?", "ask_menu"), ("she is 5", "inform")],
)
def test_a_reply_that_goes_on_with_something_else_is_taken_as_a_no_and_answered(booking, text, intent):
    messages, events = _reply_to_the_question(text, intent)
    assert messages[0]["text"] == support.TAKEN_AS_NO and "3114" in messages[0]["text"]
    (replayed,) = [e for e in events if e["event"] == "user"]
    assert replayed["text"] == text and replayed["parse_data"]["intent"]["name"] == intent


@pytest.mark.parametrize("text", ["tout le temps", "ok", "merci", "oui mais bon, des fois j'y pense"])
def test_a_short_or_yes_like_reply_is_no_change_of_subject(text):
    from bot.safety.support import changes_subject

    assert not changes_subject(text)


def test_a_no_that_asks_its_own_question_gets_that_question_answered(booking):
    answer = {
        "text": "no, just stressed. can I take a day off tomorrow?",
        "intent": {"name": "deny", "confidence": 0.5},
        "intent_ranking": [{"name": "deny", "confidence": 0.5}, {"name": "ask_leave", "confidence": 0.3}],
        "entities": [],
    }
    tracker = Tracker("agent-a", {}, answer, [CHECKED], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(support.ActionCrisisReply().run(dispatcher, tracker, {}))
    assert support.CRISIS_DENIED in dispatcher.messages[0]["text"]
    (replayed,) = [e for e in events if e["event"] == "user"]
    assert replayed["text"] == answer["text"] and replayed["parse_data"]["intent"]["name"] == "ask_leave"


def test_ok_after_a_danger_happening_now_is_no_time_for_a_booking_form():
    events = [
        {"event": "user", "text": "jvais en finir ce soir"},
        {"event": "action", "name": "action_offer_support"},
    ]
    message = {"text": "ok", "intent": {"name": "affirm", "confidence": 0.9}, "entities": []}
    tracker = Tracker("agent-a", {}, message, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    assert asyncio.run(support.ActionAcceptSupport().run(dispatcher, tracker, {})) == []
    assert dispatcher.messages[0].get("response") == "utter_crisis_still"
