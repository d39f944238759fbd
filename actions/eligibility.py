"""Rasa side of the eligibility check: a form whose questions come from the rules of the chosen scheme.

The form has one answer slot, asked again and again: `required_slots` asks for it
while the rules still need a fact, and returns nothing once the verdict can be given.
Which question, how the answer is read and what the verdict says live in
bot/eligibility/dialogue.py. The facts stay in one slot for the length of the form
and are reset when it ends; they are never logged nor written to the database.
"""

from __future__ import annotations

import json
import re
from abc import ABC
from dataclasses import replace
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import actions as content
from actions import base, cases
from actions.base import answer_text, send
from bot.core.db import default_database
from bot.core.text import fold
from bot.core.vocabulary import canonical
from bot.eligibility import dialogue as talk
from bot.eligibility.engine import RuleBook
from bot.eligibility.rules import rule_book
from bot.knowledge.answering import Button, Reply

ANSWER, STATE, SCHEME = "eligibility_answer", "eligibility_state", "eligibility_scheme"
FORM_SLOTS = (ANSWER, STATE, SCHEME)


def rules() -> RuleBook:
    """Read on each turn (a dozen rows), so that HR's `eligibility load` applies from the next question."""
    return rule_book(default_database())


def today() -> date:
    return date.today()


def state_of(tracker: Tracker, book: RuleBook) -> dict[str, Any]:
    return tracker.get_slot(STATE) or talk.begin(book, canonical("aid_type", tracker.get_slot(SCHEME)))


# A message about a scheme that asks for a fact (« le CESU c'est jusqu'à quel âge ? », « what's the income ceiling
# for the chèques-vacances? ») rather than only whether the person is entitled: the fact comes first, from the
# answering engine, with a button that starts the check; the check's questions would not answer it.
ASKS_A_FACT = re.compile(
    r"\b(combien|cb|quand|jusqu|montant|plafond|age|taux|delai|duree|how (much|many|long|old)|when|until|ceiling|"
    r"amount|limit)\b"
)
CHECK_BUTTON = "Vérifier mes droits pas à pas"


def fact_first(tracker: Tracker) -> Reply | None:
    """The answer to the fact asked in the message that opened the check, or to a question that is not about
    social aid (when the base answers it or says it does not know it, or when no scheme is named and the nearest
    article is about something else); None once the check has started, for a button's payload, or for « ai-je droit
    au CESU ? »."""
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    opening = (message.get("intent") or {}).get("name") == "check_aid_eligibility" and not tracker.get_slot(STATE)
    if not opening or text.startswith("/"):
        return None
    scheme = canonical("aid_type", tracker.get_slot(SCHEME))
    answerer = content.answerer()
    result = answerer.search.index().ask(text, topic="social_aid", tags=(scheme,) if scheme else ())
    # The check goes on (nothing counted as unanswered) unless the base answers, or says plainly that it does not
    # know (« prime de précarité », « plafond de revenu pour une part »), and either a fact is asked or the article is
    # not about social aid at all (« droit de retrait », « CET » read as a right to check).
    payload = "/check_aid_eligibility" + (json.dumps({"aid_type": scheme}) if scheme else "")
    if result.decision not in ("answer", "unknown") or (
        not ASKS_A_FACT.search(fold(text)) and result.best.article.topic == "social_aid"
    ):
        # « j'ai droit à un jour pour le mariage de mon frère ? », « droit au chômage à la fin de mon CDD ? »: no
        # scheme named and the nearest article is not about social aid: a question for the whole base, not a check
        # (« mes droits ? » names too little to tell: the check).
        if (
            scheme
            or not result.candidates
            or result.candidates[0].article.topic == "social_aid"
            or answerer.search.index().is_generic(text)
        ):
            return None
        reply = answerer.ask(text)
        return replace(reply, buttons=[*reply.buttons, Button(CHECK_BUTTON, payload)])
    reply = answerer.reply(result, "social_aid")
    return replace(reply, buttons=[*reply.buttons, Button(CHECK_BUTTON, payload)])


def reset() -> list[EventType]:
    return base.reset(FORM_SLOTS)


def stop_form() -> list[EventType]:
    return base.stop_form(FORM_SLOTS)


class ValidateEligibilityForm(base.FormValidation):
    """Reads each answer against the question asked; the form goes on while the rules need a fact."""

    action_name, form_slots = "validate_eligibility_form", FORM_SLOTS

    def question(self, tracker: Tracker, slot: str) -> str:
        """One slot, many questions: the fact being asked."""
        return (tracker.get_slot(STATE) or {}).get("asked") or slot

    def give_up(self, tracker: Tracker) -> tuple[Reply, dict[str, Any]]:
        step = talk.handoff(state_of(tracker, rules()))
        return step.replies[0], {ANSWER: None, STATE: step.state}

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        if fact_first(tracker):  # answered by ActionEligibilityDone, no question asked
            return []
        book = rules()
        return [ANSWER] if talk.next_needed(book, state_of(tracker, book)) else []

    def validate_eligibility_answer(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        book = rules()
        intent = base.intent_of(tracker)
        step = talk.take_answer(book, state_of(tracker, book), answer_text(tracker, value, "answer"), intent)
        if step.invalid:
            return self.invalid(dispatcher, tracker, ANSWER, step.replies[0], {STATE: step.state})
        for reply in step.replies:
            send(dispatcher, reply)
        slots: dict[str, Any] = {ANSWER: None, STATE: step.state}
        if step.state.get("end"):
            slots["requested_slot"] = None
        return slots


class EligibilityAction(base.FormAction, ABC):
    """An action of the check: if the database is down, the check ends and forgets every answer."""

    form_slots = FORM_SLOTS


class ActionAskEligibilityAnswer(EligibilityAction):
    """Asks the next question the scheme's rules need, with examples (and buttons for a choice)."""

    action_name = "action_ask_eligibility_answer"

    def act(self, dispatcher, tracker):
        book = rules()
        state = state_of(tracker, book)
        opening = not state["facts"] and state.get("asked") is None
        noted: list[str] = []
        if opening:  # the first question: what the request already said is not asked
            state, noted = talk.in_passing(book, state, cases.written_text(tracker))
        fact = talk.next_needed(book, state)
        if fact is None:  # nothing left to ask (the rules changed meanwhile): the form ends on its next turn
            return [SlotSet(STATE, state)]
        send(dispatcher, talk.question_reply(book, state, fact, noted=noted, opening=opening))
        return [SlotSet(STATE, {**state, "asked": fact})]


class ActionEligibilityDone(EligibilityAction):
    """After the form: the reasoned verdict, or the schemes that may apply; then every answer is forgotten."""

    action_name = "action_eligibility_done"

    def act(self, dispatcher, tracker):
        book = rules()
        reply = fact_first(tracker) or talk.final_reply(book, state_of(tracker, book), today())
        if reply is not None:
            send(dispatcher, reply)
        return reset()


class ActionEligibilityStop(EligibilityAction, base.StopFormAction):
    action_name, stopped = "action_eligibility_stop", talk.STOPPED  # every answer is forgotten
