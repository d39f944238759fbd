"""« Ask HR » in the chat, run as the action server runs the actions: the offer after an honest « je ne sais pas »,
nothing stored without « Envoyer », cancel, a rewritten text, « mes demandes », withdrawal, another person's
requests, HR's answer shown once, crisis messages never offered the path, no case text in the logs."""

from __future__ import annotations

import json
import logging

import pytest
from rasa_sdk import Tracker

from actions import actions, cases, support
from bot.cases import dialogue as talk
from tests.support import run

UNKNOWN = "Combien coûte une place de parking au campus de Clavières en 2027 ?"
OFFER = {"title": "Transmettre ma question au service RH", "payload": "/send_to_hr"}
NAME = {"name": "Alex Martin"}


@pytest.fixture(autouse=True)
def use_content_database(monkeypatch, answerer):
    monkeypatch.setattr(actions, "answerer", lambda: answerer)


class Chat:
    """One person's conversation as Rasa keeps it for the actions: slots, events, the latest message."""

    def __init__(self, sender: str = "agent-a") -> None:
        self.sender = sender
        self.slots: dict = {}
        self.events: list[dict] = []
        self.said: list[dict] = []

    def turn(self, action, text: str, intent: str, entities: list | None = None, parse: dict | None = None):
        message = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or []}
        message |= {"metadata": NAME} | (parse or {})
        self.events.append({"event": "user", "text": text, "parse_data": message})
        tracker = Tracker(self.sender, dict(self.slots), message, list(self.events), False, None, {}, "action_listen")
        messages, events = run(action, tracker)
        self.events.append({"event": "action", "name": action.name()})
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        self.events += [*events, {"event": "action", "name": "action_listen"}]
        self.said = messages
        return messages

    @property
    def text(self) -> str:
        return "\n".join(m["text"] or "" for m in self.said)

    def buttons(self) -> list[dict]:
        return [b for m in self.said for b in m.get("buttons") or []]

    def unknown_question(self, text: str = UNKNOWN):
        return self.turn(actions.ActionAnswerPolicy(), text, "ask_policy")

    def offer(self):
        return self.turn(cases.ActionOfferSendToHr(), "/send_to_hr", "send_to_hr")

    def offered(self):
        """A question the base cannot answer, then « Transmettre ma question au service RH »."""
        self.unknown_question()
        return self.offer()

    def send(self):
        return self.turn(cases.ActionConfirmSendToHr(), "/confirm_send_to_hr", "confirm_send_to_hr")


def test_je_ne_sais_pas_offers_to_send_the_question_and_keeps_it_only_in_a_slot(case_store):
    chat = Chat()
    chat.unknown_question()
    assert "Je ne sais pas" in chat.text and OFFER in chat.buttons()
    assert chat.slots["hr_question"] == {"text": UNKNOWN, "topic": "policy"}
    assert case_store.mine("agent-a") == []  # nothing stored by the offer
    chat.turn(actions.ActionAnswerLeave(), "combien de RTT ?", "ask_leave", [{"entity": "leave_type", "value": "rtt"}])
    assert OFFER not in chat.buttons() and chat.slots["hr_question"] is None  # an answer forgets it


def test_the_preview_shows_the_text_the_name_who_reads_how_long_and_withdrawal_then_envoyer_stores_it(case_store):
    chat = Chat()
    chat.offered()
    assert UNKNOWN in chat.text and "Alex Martin" in chat.text
    assert "service RH" in chat.text and "90 jours" in chat.text and "retirer" in chat.text
    assert [b["title"] for b in chat.buttons()] == ["Envoyer", "Annuler"]
    assert case_store.mine("agent-a") == []  # shown, not sent
    chat.send()
    [case] = case_store.mine("agent-a")
    assert (case.text, case.person_name, case.topic, case.status) == (UNKNOWN, "Alex Martin", "policy", "nouvelle")
    assert case.reference in chat.text
    assert chat.slots["hr_question"] is None and chat.slots["pending_question"] is None
    chat.send()  # a second click sends nothing more
    assert chat.text == talk.NOTHING_TO_SEND and len(case_store.mine("agent-a")) == 1


def test_annuler_drops_the_question_and_stores_nothing(case_store):
    chat = Chat()
    chat.offered()
    chat.turn(cases.ActionCancelSendToHr(), "/cancel_send_to_hr", "cancel_send_to_hr")
    assert chat.text == talk.CANCELLED and chat.slots["hr_question"] is None
    chat.send()
    assert case_store.mine("agent-a") == []


def test_a_message_written_after_the_preview_replaces_the_text_and_is_shown_again(case_store):
    chat = Chat()
    chat.offered()
    rewritten = "Combien coûte le parking de Clavières pour une personne à temps partiel ?"
    chat.turn(actions.ActionFallback(), rewritten, "nlu_fallback")
    assert rewritten in chat.text and "Voici ce qui sera transmis" in chat.text
    again = "Finalement : le parking de Clavières est-il payant ?"
    chat.turn(actions.ActionAnswerPolicy(), again, "ask_policy")  # rewritten twice
    assert again in chat.text and case_store.mine("agent-a") == []
    chat.send()
    assert [c.text for c in case_store.mine("agent-a")] == [again]


def test_envoyer_never_sends_a_text_that_was_not_shown_last(case_store):
    chat = Chat()
    chat.offered()
    chat.events += [{"event": "user", "text": "merci"}, {"event": "action", "name": "utter_you_are_welcome"}]
    chat.unknown_question("Le parking de la résidence des élèves est-il ouvert au personnel en 2027 ?")
    assert "Je ne sais pas" in chat.text  # after another reply, a question is a question again
    chat.send()  # the old « Envoyer » button: the new question is shown first, not sent
    assert case_store.mine("agent-a") == [] and "Voici ce qui sera transmis" in chat.text
    chat.send()
    assert [c.text for c in case_store.mine("agent-a")] == [
        "Le parking de la résidence des élèves est-il ouvert au personnel en 2027 ?"
    ]


def test_human_handoff_offers_the_path_and_asks_for_the_text_when_there_is_none(case_store):
    chat = Chat()
    chat.turn(actions.ActionHumanHandoff(), "je veux parler aux RH", "human_handoff")
    assert OFFER in chat.buttons()
    chat.offer()
    assert chat.text == talk.ASK_TEXT
    chat.turn(actions.ActionFallback(), "Mon badge ne marche plus depuis lundi, qui dois-je prévenir ?", "nlu_fallback")
    assert "Mon badge ne marche plus" in chat.text and "Envoyer" in [b["title"] for b in chat.buttons()]
    chat.send()
    assert case_store.mine("agent-a")[0].topic == "unknown"


def test_after_a_question_that_got_je_ne_sais_pas_handoff_keeps_it_to_send(case_store):
    chat = Chat()
    chat.unknown_question()
    chat.turn(actions.ActionHumanHandoff(), "/human_handoff", "human_handoff")
    chat.offer()
    assert UNKNOWN in chat.text


@pytest.mark.parametrize(
    "parse",
    [
        {"intent": {"name": "urgent_distress", "confidence": 1.0}},
        {"distress_net": {"outcome": "ask", "answer_intent": "ask_policy"}},  # « non » to the crisis question
        {"distress_net": {"outcome": "crisis", "answer_intent": "ask_policy"}},
    ],
)
def test_a_message_flagged_as_crisis_is_never_offered_nor_becomes_the_text(case_store, parse):
    chat = Chat()
    chat.turn(actions.ActionAnswerPolicy(), UNKNOWN, "ask_policy", parse=parse)
    assert OFFER not in chat.buttons() and chat.slots.get("hr_question") is None
    chat.offered()
    chat.turn(actions.ActionFallback(), "je n'en peux plus, je veux en finir", "nlu_fallback", parse=parse)
    assert "Voici ce qui sera transmis" not in chat.text and chat.slots["hr_question"] is None  # dropped
    chat.send()
    assert case_store.mine("agent-a") == []


def test_the_crisis_answer_drops_the_question_kept(case_store):
    chat = Chat()
    chat.offered()
    crisis = {"intent": {"name": "urgent_distress", "confidence": 1.0}}
    chat.turn(support.ActionOfferSupport(), "je veux en finir", "urgent_distress", parse=crisis)
    assert chat.slots["hr_question"] is None and chat.slots["pending_question"] is None
    chat.send()
    assert case_store.mine("agent-a") == []


def withdraw_payload(reference: str) -> tuple[str, list[dict]]:
    return f"/withdraw_request{json.dumps({'case_reference': reference})}", [
        {"entity": "case_reference", "value": reference}
    ]


def test_my_requests_lists_the_persons_own_and_another_person_cannot_see_or_withdraw_them(case_store):
    chat = Chat("agent-a")
    chat.turn(cases.ActionMyRequests(), "mes demandes", "my_requests")
    assert chat.text == talk.NO_REQUESTS
    chat.offered()
    chat.send()
    [case] = case_store.mine("agent-a")
    chat.turn(cases.ActionMyRequests(), "mes demandes", "my_requests")
    assert case.reference in chat.text and "nouvelle" in chat.text
    assert chat.buttons() == [talk.withdraw_button(case).__dict__]

    other = Chat("agent-b")
    other.turn(cases.ActionMyRequests(), "mes demandes", "my_requests")
    assert case.reference not in other.text and "parking" not in other.text
    text, entities = withdraw_payload(case.reference)
    other.turn(cases.ActionWithdrawRequest(), text, "withdraw_request", entities)
    assert talk.NOT_WITHDRAWN in other.text and "parking" not in other.text
    assert case_store.get(case.reference).status == "nouvelle"

    chat.turn(cases.ActionWithdrawRequest(), text, "withdraw_request", entities)
    assert "retirée" in chat.text and case_store.get(case.reference).text is None
    chat.turn(cases.ActionMyRequests(), "mes demandes", "my_requests")
    assert "retirée" in chat.text and chat.buttons() == []


def test_withdraw_without_a_reference_lists_the_requests_with_their_buttons(case_store):
    case = case_store.open("agent-a", "Alex", UNKNOWN, "policy")
    chat = Chat()
    chat.turn(cases.ActionWithdrawRequest(), "je veux retirer ma demande", "withdraw_request")
    assert case.reference in chat.text and talk.withdraw_button(case).__dict__ in chat.buttons()
    assert case_store.get(case.reference).status == "nouvelle"


def test_hrs_answer_is_shown_once_at_the_next_message_and_listed_in_my_requests(case_store):
    case = case_store.open("agent-a", "Alex", UNKNOWN, "policy")
    case_store.answer(case.reference, "Le parking est gratuit pour le personnel.", "Camille (RH)")
    other = Chat("agent-b")
    other.turn(cases.ActionDeliverAnswers(), "bonjour", "greet")
    assert other.said == []
    chat = Chat()
    chat.turn(cases.ActionDeliverAnswers(), "bonjour", "greet")
    assert "Le service RH a répondu" in chat.text and "Le parking est gratuit" in chat.text
    chat.turn(actions.ActionAnswerLeave(), "combien de RTT ?", "ask_leave", [{"entity": "leave_type", "value": "rtt"}])
    assert "Le service RH a répondu" not in chat.text  # once
    chat.turn(cases.ActionMyRequests(), "mes demandes", "my_requests")
    assert "répondue" in chat.text and "Le parking est gratuit" in chat.text


def test_an_answer_comes_after_the_reply_to_the_next_question_never_after_a_crisis_message(case_store):
    case = case_store.open("agent-a", "Alex", UNKNOWN, "policy")
    case_store.answer(case.reference, "Le parking est gratuit pour le personnel.", "Camille (RH)")
    chat = Chat()
    crisis = {"distress_net": {"outcome": "ask", "answer_intent": "ask_leave"}}
    chat.turn(actions.ActionAnswerLeave(), "combien de RTT ?", "ask_leave", parse=crisis)
    assert "Le service RH a répondu" not in chat.text
    chat.turn(actions.ActionAnswerLeave(), "combien de RTT ?", "ask_leave")
    assert len(chat.said) == 2 and "Le service RH a répondu" in chat.said[1]["text"]


def test_no_case_text_in_the_logs(case_store, caplog):
    caplog.set_level(logging.DEBUG)
    marker = "MARQUEUR-5531 parking de Clavières en 2027, combien ?"
    chat = Chat()
    chat.unknown_question(marker)
    chat.offer()
    chat.send()
    [case] = case_store.mine("agent-a")
    case_store.answer(case.reference, "Réponse MARQUEUR-6642.", "RH")
    chat.turn(cases.ActionMyRequests(), "mes demandes", "my_requests")
    assert "MARQUEUR" in chat.text  # the person sees it...
    assert case.reference in caplog.text and "MARQUEUR" not in caplog.text  # ...the logs never do


def test_the_case_actions_are_in_the_domain():
    from tests.support import action_names

    names = {
        cases.ActionOfferSendToHr,
        cases.ActionConfirmSendToHr,
        cases.ActionCancelSendToHr,
        cases.ActionMyRequests,
        cases.ActionWithdrawRequest,
        cases.ActionDeliverAnswers,
    }
    assert {action.action_name for action in names} <= action_names()


def test_the_offer_follows_the_fallback_too(case_store):
    chat = Chat()
    chat.turn(actions.ActionFallback(), "blorp zzkx quand exactement ?", "nlu_fallback")
    assert OFFER in chat.buttons()
    assert chat.slots["hr_question"] == {"text": "blorp zzkx quand exactement ?", "topic": "unknown"}


def test_hrs_answer_never_follows_a_support_answer(case_store):
    case = case_store.open("agent-a", "Alex", UNKNOWN, "policy")
    case_store.answer(case.reference, "Le parking est gratuit pour le personnel.", "Camille (RH)")
    chat = Chat()
    chat.turn(support.ActionAnswerRps(), "je suis épuisé, je n'en peux plus du travail", "rps_support")
    assert "Le service RH a répondu" not in chat.text
    assert case_store.get(case.reference).delivered_at is None


def hidden_check(chat: Chat):
    """The widget's hidden payload, sent when the web server says answers wait."""
    return chat.turn(cases.ActionDeliverAnswers(), "/check_hr_answers", "check_hr_answers")


def test_the_widgets_hidden_payload_shows_hrs_answers_once_and_says_nothing_when_none(case_store):
    case = case_store.open("agent-a", "Alex", UNKNOWN, "policy")
    other = Chat("agent-b")
    assert hidden_check(other) == []  # nothing waits for agent-b
    chat = Chat()
    assert hidden_check(chat) == []  # not answered yet: nothing said, nothing marked
    case_store.answer(case.reference, "Le parking est gratuit pour le personnel.", "Camille (RH)")
    assert hidden_check(other) == [] and case_store.waiting("agent-a") == 1  # another person's answer stays
    hidden_check(chat)
    assert "Le service RH a répondu" in chat.text and "Le parking est gratuit" in chat.text
    assert case_store.waiting("agent-a") == 0 and case_store.get(case.reference).delivered_at is not None
    assert hidden_check(chat) == []  # once, and no listing for the payload
    assert chat.slots == {}  # no slot set: a form or a question being rewritten goes on


def test_written_has_hr_answered_gives_the_new_answers_or_else_the_requests(case_store):
    case = case_store.open("agent-a", "Alex", UNKNOWN, "policy")
    chat = Chat()
    chat.turn(cases.ActionDeliverAnswers(), "les RH m'ont répondu ?", "check_hr_answers")
    assert case.reference in chat.text and "nouvelle" in chat.text  # no answer yet: the requests
    case_store.answer(case.reference, "Le parking est gratuit pour le personnel.", "Camille (RH)")
    chat.turn(cases.ActionDeliverAnswers(), "les RH m'ont répondu ?", "check_hr_answers")
    assert chat.text.startswith("Le service RH a répondu") and len(chat.said) == 1
    chat.turn(cases.ActionDeliverAnswers(), "bonjour", "greet")
    assert chat.said == []  # after the greeting: only new answers, never the listing


def test_hrs_answer_shown_by_the_widget_while_rewriting_does_not_lose_the_rewrite(case_store):
    earlier = case_store.open("agent-a", "Alex", "Ma question d'octobre sur les badges ?", "policy")
    chat = Chat()
    chat.offered()
    case_store.answer(earlier.reference, "Les badges sont à l'accueil.", "Camille (RH)")
    hidden_check(chat)
    assert "Les badges sont à l'accueil" in chat.text
    rewritten = "Le parking de Clavières est-il payant pour le personnel en 2027 ?"
    chat.turn(actions.ActionAnswerPolicy(), rewritten, "ask_policy")
    assert "Voici ce qui sera transmis" in chat.text and rewritten in chat.text
    chat.send()
    assert [c.text for c in case_store.mine("agent-a") if c.reference != earlier.reference] == [rewritten]


def test_no_case_text_in_the_logs_when_the_widget_shows_an_answer(case_store, caplog):
    caplog.set_level(logging.DEBUG)
    case = case_store.open("agent-a", "Alex", "MARQUEUR-7713 question ?", "policy")
    case_store.answer(case.reference, "Réponse MARQUEUR-8824.", "RH")
    chat = Chat()
    hidden_check(chat)
    assert "MARQUEUR-8824" in chat.text
    assert case.reference in caplog.text and "MARQUEUR" not in caplog.text
