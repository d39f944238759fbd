"""Rasa side of « Ask HR »: the offer after an honest « je ne sais pas », what will be sent, « Envoyer » and
« Annuler », « mes demandes », withdrawal, and HR's answer shown as soon as the person's chat is open: the widget
asks the web server how many answers wait and, when some do, sends the hidden payload /check_hr_answers
(`ActionDeliverAnswers`); they are also shown after the greeting and after a knowledge answer.

The question that got « je ne sais pas » is kept in the slot `hr_question` only for this: until it is sent, dropped,
or another answer is given; nothing is stored in the database without the person's « Envoyer ». A message the
crisis net flagged (crisis, or the crisis question) never gets the offer, never becomes the text to send, and the
crisis answer drops any question kept (actions/support.py). What the chat says is in bot/cases/dialogue.py.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import PENDING, BaseAction, display_name, intent_of, or_fallback, send
from bot.cases import dialogue as talk
from bot.cases.store import CaseStore
from bot.core.db import default_database
from bot.core.replies import Reply
from bot.core.settings import settings
from bot.core.text import bound_text

logger = logging.getLogger(__name__)

QUESTION = "hr_question"  # {"text": ..., "topic": ...}
DRAFT = "send_to_hr"  # pending_question while the person may rewrite the text to send
CRISIS_INTENTS = ("urgent_distress", "crisis_check")
CHECK_ANSWERS = "check_hr_answers"  # the widget's hidden payload, or « les RH m'ont répondu ? » typed
# Actions that may show what will be sent: after one of them (with DRAFT pending), a written message is the new
# text. actions.actions.ContentAction registers its subclasses.
PREVIEWERS: set[str] = {"action_offer_send_to_hr"}


@lru_cache(maxsize=1)
def case_store() -> CaseStore:
    return CaseStore(default_database())


def flagged_crisis(tracker: Tracker) -> bool:
    """The latest message is a crisis, or one the crisis net asked about (even if the person then said no)."""
    message = tracker.latest_message or {}
    if (message.get("intent") or {}).get("name") in CRISIS_INTENTS:
        return True
    return (message.get("distress_net") or {}).get("outcome") in ("crisis", "ask")


def written_text(tracker: Tracker) -> str | None:
    """The latest message when the person wrote it (not a button's payload)."""
    text = bound_text(tracker.latest_message.get("text") or "")
    return text if text and not text.startswith("/") else None


def kept_question(tracker: Tracker) -> dict[str, str] | None:
    value = tracker.get_slot(QUESTION)
    if isinstance(value, dict) and isinstance(value.get("text"), str) and value["text"].strip():
        return {"text": value["text"], "topic": str(value.get("topic") or "unknown")}
    return None


def forget(tracker: Tracker) -> list[EventType]:
    return [SlotSet(QUESTION, None)] if tracker.get_slot(QUESTION) is not None else []


def with_offer(reply: Reply, tracker: Tracker, topic: str, always: bool = False) -> tuple[Reply, list[EventType]]:
    """An honest « je ne sais pas » to a written, non-crisis message: the offer's button, and the question kept
    to be sent. `always` (human_handoff): the button, keeping the question the person may have asked before.
    Any other reply forgets a question kept."""
    if flagged_crisis(tracker):
        return reply, forget(tracker)
    if always:
        return replace(reply, buttons=[*reply.buttons, talk.OFFER]), []
    text = written_text(tracker)
    if reply.unknown and text:
        return replace(reply, buttons=[*reply.buttons, talk.OFFER]), [SlotSet(QUESTION, {"text": text, "topic": topic})]
    return reply, forget(tracker)


def hidden_turn(event: dict[str, Any]) -> bool:
    """A user event that is the widget's hidden payload: the person did not write it."""
    intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    return intent == CHECK_ANSWERS and str(event.get("text") or "").startswith("/")


def last_bot_action(tracker: Tracker) -> str | None:
    """The assistant's last action before the latest message (action_listen aside), through the turns of the
    widget's hidden payload (HR's answers shown while the person was rewriting their question)."""
    seen_message, candidate = False, None
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if not seen_message:
                seen_message = True
            elif hidden_turn(event):
                candidate = None  # the actions after it answered the widget, not the person
            else:
                return candidate
        elif seen_message and candidate is None and event.get("event") == "action":
            if event.get("name") != "action_listen":
                candidate = event.get("name")
    return candidate


def rewriting(tracker: Tracker) -> bool:
    """The person wrote right after being shown what will be sent (or asked to write it): their message is the
    new text to send, not a question to answer."""
    return (
        tracker.get_slot(PENDING) == DRAFT
        and written_text(tracker) is not None
        and not flagged_crisis(tracker)
        and last_bot_action(tracker) in PREVIEWERS
    )


def show_preview(dispatcher: CollectingDispatcher, tracker: Tracker, question: dict[str, str]) -> list[EventType]:
    """Exactly what « Envoyer » would send; nothing is stored yet."""
    send(dispatcher, talk.preview(question["text"], display_name(tracker), settings().case_retention_days))
    return [SlotSet(QUESTION, question), SlotSet(PENDING, DRAFT)]


def rewritten(dispatcher: CollectingDispatcher, tracker: Tracker, topic: str) -> list[EventType]:
    """The person's new text replaces the question to send; shown again before anything is sent."""
    kept = kept_question(tracker)
    return show_preview(
        dispatcher, tracker, {"text": written_text(tracker) or "", "topic": kept["topic"] if kept else topic}
    )


def deliver_answers(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """HR's answers the person has not seen yet, shown once (never after a crisis message; the reply goes out
    without them if the database is down)."""
    if flagged_crisis(tracker):
        return
    for case in or_fallback("deliver_answers", lambda: case_store().deliver(tracker.sender_id), list):
        dispatcher.utter_message(text=talk.answered(case))


def reference_of(tracker: Tracker) -> str | None:
    for found in tracker.latest_message.get("entities") or []:
        if found.get("entity") == "case_reference" and found.get("value"):
            return str(found["value"]).strip().upper()
    return None


class CaseAction(BaseAction):
    """An action of « Ask HR »: on a database failure the question kept is not lost, nothing is half-sent."""

    def abandon(self) -> list[EventType]:
        return [SlotSet(PENDING, None)]


class ActionOfferSendToHr(CaseAction):
    """« Transmettre ma question au service RH »: what will be sent, or a request to write the question."""

    action_name = "action_offer_send_to_hr"

    def act(self, dispatcher, tracker):
        question = kept_question(tracker)
        if question:
            return show_preview(dispatcher, tracker, question)
        send(dispatcher, Reply(talk.ASK_TEXT, [talk.CANCEL]))
        return [SlotSet(PENDING, DRAFT)]


class ActionConfirmSendToHr(CaseAction):
    """« Envoyer »: the question shown is stored as a case, and forgotten from the conversation."""

    action_name = "action_confirm_send_to_hr"

    def act(self, dispatcher, tracker):
        question = kept_question(tracker)
        if question is None:
            dispatcher.utter_message(text=talk.NOTHING_TO_SEND)
            return [SlotSet(PENDING, None)]
        if tracker.get_slot(PENDING) != DRAFT:  # not the text last shown: show it first
            return show_preview(dispatcher, tracker, question)
        case = case_store().open(tracker.sender_id, display_name(tracker), question["text"], question["topic"])
        send(dispatcher, talk.sent(case))
        return [SlotSet(QUESTION, None), SlotSet(PENDING, None)]


class ActionCancelSendToHr(CaseAction):
    action_name = "action_cancel_send_to_hr"

    def act(self, dispatcher, tracker):
        dispatcher.utter_message(text=talk.CANCELLED)
        return [SlotSet(QUESTION, None), SlotSet(PENDING, None)]


class ActionMyRequests(CaseAction):
    """« Mes demandes »: the person's own requests, their status and HR's answers (shown: no longer pending)."""

    action_name = "action_my_requests"

    def act(self, dispatcher, tracker):
        store = case_store()
        store.deliver(tracker.sender_id)
        send(dispatcher, talk.requests_reply(store.mine(tracker.sender_id)))
        return [SlotSet(PENDING, None)]


class ActionWithdrawRequest(CaseAction):
    """« Retirer RH-… » (a button of « mes demandes »): only the person's own open request; without a reference,
    their requests with the buttons."""

    action_name = "action_withdraw_request"

    def act(self, dispatcher, tracker):
        reference = reference_of(tracker)
        case = case_store().withdraw(reference, tracker.sender_id) if reference else None
        if case is not None:
            send(dispatcher, talk.withdrawn(case))
            return [SlotSet(PENDING, None)]
        listing = talk.requests_reply(case_store().mine(tracker.sender_id))
        text = f"{talk.NOT_WITHDRAWN}\n\n{listing.text}" if reference else listing.text
        send(dispatcher, Reply(text, listing.buttons))
        return [SlotSet(PENDING, None)]


class ActionDeliverAnswers(BaseAction):
    """HR's answers not yet shown, if any, saying nothing otherwise: after the greeting, and for the widget's hidden
    payload /check_hr_answers, which it sends only when the web server says some wait (mid-form too: the form then
    asks its question again). « Les RH m'ont répondu ? » written by the person: the new answers, or else their
    requests as « mes demandes ». It sets no slot, so a form or a question being rewritten goes on."""

    action_name = "action_deliver_answers"

    def act(self, dispatcher, tracker) -> list[dict[str, Any]]:
        deliver_answers(dispatcher, tracker)
        asked = intent_of(tracker) == CHECK_ANSWERS
        if asked and not dispatcher.messages and written_text(tracker) and not flagged_crisis(tracker):
            send(dispatcher, talk.requests_reply(case_store().mine(tracker.sender_id)))
        return []
