"""Answers for people in difficulty: what follows the crisis answer, psychosocial risks, harassment.

The crisis answer itself (utter_urgent_distress, domain/safety.yml) is sent by Rasa without the
action server, so that it goes out even when this server or the database is down.
"""

from __future__ import annotations

from dataclasses import replace

from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet

from actions import actions, cases
from actions.actions import DefaultArticleAction
from actions.base import BaseAction, given_back, intent_of, or_fallback, send
from actions.booking import booking, request_booking
from bot.core.risk import happening_now
from bot.safety.support import (
    HARASSMENT_BUTTONS,
    RPS_BUTTONS,
    asks_after_no,
    changes_subject,
    crisis_follow_up,
    plain_no,
)

RPS_FALLBACK = (
    "Ce que vous traversez est difficile, et vous avez bien fait d'en parler. Plusieurs personnes peuvent "
    "vous écouter à l'école, en toute confidentialité : la psychologue du travail, l'assistante sociale, "
    "la médecine de prévention, les permanences de la responsable RH sur les campus, le service RH et les "
    "organisations syndicales. Si un jour vous vous sentez en danger, appelez le 3114 (gratuit, 24 h sur 24)."
)
HARASSMENT_FALLBACK = (
    "Ce que vous décrivez est sérieux et vous avez raison d'en parler. Tout employeur public doit "
    "disposer d'un dispositif de signalement des violences, du harcèlement, des discriminations et "
    "des agissements sexistes, qui garantit la confidentialité. Vous pouvez aussi vous adresser au "
    "service RH, au médecin du travail ou à une personne représentante du personnel. En cas de danger "
    "immédiat, appelez le 17 ou le 112 ; pour des violences faites aux femmes, le 3919 (gratuit, anonyme)."
)


CRISIS_DENIED = (
    "Merci de m'avoir répondu. Si un jour les choses deviennent trop lourdes, le 3114 répond "
    "gratuitement, 24 h sur 24. Je reviens à votre message."
)


# After the answer to a practical question asked by someone tired or stressed.
RPS_SHORT = (
    "Et si la fatigue ou le stress pèsent, vous pouvez en parler en toute confidentialité à la psychologue du "
    "travail, au médecin du travail ou lors d'une permanence RH."
)


class ActionAnswerRps(DefaultArticleAction):
    """Stress, exhaustion, loss of meaning: HR's article on who can listen. A practical question in the same
    message (« je suis crevé, y a des chèques-vacances ? ») that the base answers from an article of another topic
    gets that answer, then a short word on who can listen."""

    action_name, intent, fallback, buttons = "action_answer_rps", "rps_support", RPS_FALLBACK, tuple(RPS_BUTTONS)

    def reply(self, tracker):
        text = tracker.latest_message.get("text") or ""
        practical = or_fallback(self.name(), lambda: practical_answer(text), lambda: None)
        if practical is None:
            return super().reply(tracker)
        return replace(practical, text=f"{practical.text}\n\n{RPS_SHORT}", buttons=[*practical.buttons, *self.buttons])


def practical_answer(text: str):
    """The base's answer to a message read as stress or exhaustion, when an article of another topic answers it."""
    if text.startswith("/"):
        return None
    result = actions.answerer().search.index().ask(text)
    if result.decision != "answer" or result.best.article.topic == "rps":
        return None
    return actions.answerer().reply(result)


class ActionAnswerHarassment(DefaultArticleAction):
    action_name, intent, fallback = "action_answer_harassment", "report_harassment", HARASSMENT_FALLBACK
    buttons = tuple(HARASSMENT_BUTTONS)


class ActionOfferSupport(BaseAction):
    """After the crisis numbers: someone of the school, and the psychologist's next free slot (without it if
    the database is down: the offer goes out all the same). Any question kept to send to HR is dropped."""

    action_name = "action_offer_support"

    def act(self, dispatcher, tracker):
        # The person's words, read here and not kept: whether they speak of someone else at risk.
        message = crisis_message(tracker)
        reply = or_fallback(
            self.name(),
            lambda: crisis_follow_up(booking(), tracker.sender_id, message),
            lambda: crisis_follow_up(None, tracker.sender_id, message),
        )
        # A question kept to send to HR is dropped: a crisis message never leads there.
        return [*send(dispatcher, reply), *cases.forget(tracker)]


def taken_back(dispatcher, tracker) -> list | None:
    """« en fait oui », "actually yes" just after a no to the crisis question (the question asked in the turn before
    the previous one, or the previous one): the crisis answer and its offer; None otherwise."""
    users = [i for i, e in enumerate(tracker.events) if e.get("event") == "user"]
    asked = [
        i for i, e in enumerate(tracker.events) if e.get("event") == "action" and e.get("name") == "utter_crisis_check"
    ]
    if not asked or len([u for u in users if u > asked[-1]]) > 3:  # the « non », its replay, and this yes
        return None
    dispatcher.utter_message(response="utter_urgent_distress")
    return [FollowupAction(ActionOfferSupport.action_name)]


class ActionAcceptSupport(BaseAction):
    """« oui », « ok » just after the crisis answer and its offer: the booking with the psychologist starts, her
    earliest slots first (the person still chooses and confirms)."""

    action_name = "action_accept_support"

    def act(self, dispatcher, tracker):
        # After a danger happening now (« jvais en finir ce soir », « j'ai pris mes cachets »), « ok » is no time
        # for a booking form: the 15 and the 3114 again.
        if happening_now(offered_for(tracker)):
            dispatcher.utter_message(response="utter_crisis_still")
            return []
        return request_booking("psychologue", "dès que possible")


def offered_for(tracker) -> str:
    """The message the latest offer of support answered (the user message before the latest action_offer_support)."""
    events = tracker.events
    offer = max(
        (
            i
            for i, e in enumerate(events)
            if e.get("event") == "action" and e.get("name") == ActionOfferSupport.action_name
        ),
        default=None,
    )
    if offer is None:
        return ""
    users = [e for e in events[:offer] if e.get("event") == "user"]
    return (users[-1].get("text") or "") if users else ""


def crisis_message(tracker) -> str:
    """The message that the crisis answer answers: the latest one when it is a crisis message, or, after an answer
    to the crisis question (« oui », « je sais pas »), the message that raised the question."""
    if intent_of(tracker) != "urgent_distress":
        asked = _checked_message(tracker)
        if asked is not None:
            return asked.get("text") or ""
    return tracker.latest_message.get("text") or ""


def _checked_position(tracker) -> int | None:
    """Where, in the events, the latest user message that raised the crisis question is."""
    return next(
        (
            i
            for i in range(len(tracker.events) - 1, -1, -1)
            if tracker.events[i].get("event") == "user"
            and (tracker.events[i].get("parse_data") or {}).get("intent", {}).get("name") == "crisis_check"
        ),
        None,
    )


def _checked_message(tracker) -> dict | None:
    """The latest user event that raised the crisis question."""
    position = _checked_position(tracker)
    return None if position is None else tracker.events[position]


def form_before(events: list[dict], position: int) -> list:
    """The events that put back the form the crisis question stopped (its loop and the answers given so far), as
    they were before the message at `position`; none when no form was running then."""
    loop, slots = None, {}
    for event in events[:position]:
        kind = event.get("event")
        if kind == "active_loop":
            loop = event.get("name")
        elif kind == "slot":
            slots[event.get("name")] = event.get("value")
        elif kind in ("restart", "reset_slots"):
            loop, slots = None, {}
    if not loop:
        return []
    now = {}
    for event in events[position:]:
        if event.get("event") == "slot":
            now[event.get("name")] = event.get("value")
    changed = [SlotSet(name, value) for name, value in slots.items() if name in now and now[name] != value]
    return [*changed, ActiveLoop(loop)]


class ActionCrisisReply(BaseAction):
    """Anything but « oui » said to the crisis question. A plain no (the « Non » button, « non », « non, ça va »,
    "no lol") resumes: the message that raised the question gets the answer it would have had, in the form it
    interrupted if any (the form resumes with the answers given before). Anything else — « pas vraiment », « je sais
    pas », « un peu », "maybe", « ok » — gets the crisis answer and the offer that follows it, except a message that
    plainly goes on with something else (« et le menu de demain ? »): taken as a no, with the 3114 said again.

    The message that raised the question is given back to the dialogue as a fresh turn (the person's own words,
    already in the conversation; nothing new is stored), with the intent the intent model gave it, so that the rules
    answer it as usual. Its message asks no « utile ? »."""

    action_name, tagged = "action_crisis_reply", False

    def act(self, dispatcher, tracker):
        text = tracker.latest_message.get("text") or ""
        intent = intent_of(tracker)
        if (intent == "deny" and text.startswith("/")) or plain_no(text):
            intent_asked = question_after_no(tracker)
            if intent_asked:  # « non, juste stressé. je peux poser demain ? »: that question is the one to answer
                dispatcher.utter_message(text=CRISIS_DENIED)
                return replayed(tracker, text, dict(tracker.latest_message), intent_asked)
            return resume(dispatcher, tracker)
        if intent in NEW_SUBJECT and not text.startswith("/") and changes_subject(text):
            # « she is 5 », « et le menu de demain ? »: the person went on with something else; taken as a no, the
            # 3114 said again, and this message answered (in the form the question interrupted, if any).
            dispatcher.utter_message(text=TAKEN_AS_NO)
            return replayed(tracker, text, dict(tracker.latest_message))
        dispatcher.utter_message(response="utter_urgent_distress")
        # The offer as its own action: what follows the crisis answer (data/rules/general.yml) starts from it.
        return [FollowupAction(ActionOfferSupport.action_name)]


def question_after_no(tracker) -> str | None:
    """The intent to give a no that asks its own question (« no, just stressed. can I take a day off tomorrow? »):
    the intent model's best choice among those of a new subject; None for a plain no."""
    text = tracker.latest_message.get("text") or ""
    if text.startswith("/") or not asks_after_no(text):
        return None
    ranking = tracker.latest_message.get("intent_ranking") or []
    return next((r["name"] for r in ranking if r.get("name") in NEW_SUBJECT and r.get("name") != "inform"), None)


def replayed(tracker, text: str, parse: dict, intent: str | None = None) -> list:
    """A message given back to the dialogue after the crisis question, in the form the question stopped if any."""
    return [*form_before(tracker.events, _checked_position(tracker)), *given_back(text, parse, intent)]


# The intents of a message that may go on with something else after the crisis question (never thanks, a greeting,
# a goodbye, a message no intent fits, a wish to talk to someone or a word of distress: those get the crisis answer).
NEW_SUBJECT = frozenset(
    {
        "inform", "ask_leave", "ask_telework", "ask_social_aid", "check_aid_eligibility", "ask_onboarding",
        "ask_policy", "ask_menu", "ask_privacy", "ask_capabilities", "bot_challenge", "book_appointment",
        "list_bookings", "cancel_booking", "send_to_hr", "confirm_send_to_hr", "cancel_send_to_hr", "my_requests",
        "withdraw_request", "check_hr_answers",
    }
)  # fmt: skip
TAKEN_AS_NO = (
    "Je prends cela pour un non, et je réponds à votre message. Si un jour les choses deviennent trop lourdes, le 3114 "
    "répond gratuitement, 24 h sur 24."
)


def resume(dispatcher, tracker) -> list:
    """After a no to the crisis question: the message that raised it, given back to the dialogue."""
    asked = _checked_message(tracker)
    if asked is None:
        dispatcher.utter_message(text=CRISIS_DENIED)
        return []
    parse = dict(asked.get("parse_data") or {})
    answer_intent = (parse.get("distress_net") or {}).get("answer_intent") or "nlu_fallback"
    dispatcher.utter_message(text=CRISIS_DENIED)
    # A form the question stopped resumes where it was: the message then gets the answer it would have had
    # in the form (the rules that answer it and ask the form's question again).
    return replayed(tracker, asked.get("text"), parse, answer_intent)
