"""The one base of every custom action: how an action is named, what a database error does, how a form stops,
and how many answers a form tries to read before it gives up.

- Every action declares its name once, as the class attribute `action_name` (the name in domain/*.yml).
- `answers_database_errors` wraps every `run`: a database error is logged (which action, never the message),
  the person gets UNAVAILABLE, and the action's `abandon()` events are returned; every message is tagged
  with the action's name (the web chat counts « utile / pas utile » per kind).
- A form stops one way: `stop_form(slots)` (the loop ends, its slots are forgotten).
- Both forms share one retry policy (`FormValidation.invalid`, `MAX_INVALID`): an answer the form cannot read
  is explained and asked again; after `MAX_INVALID` of them in a row to the same question, the form stops kindly
  (`give_up`). An answer it reads but cannot use (`readable=True`: a place the service does not offer, a past
  date) is explained and asked again without counting.
"""

from __future__ import annotations

import functools
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, EventType, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from bot.core.vocabulary import canonical
from bot.knowledge.answering import Reply

logger = logging.getLogger(__name__)

UNAVAILABLE = (
    "Le service est momentanément indisponible, je ne peux pas consulter la base RH pour l'instant. "
    "Réessayez dans quelques minutes ; en cas d'urgence, contactez directement le service RH."
)
PENDING = "pending_question"
REQUESTED_SLOT = "requested_slot"
# The answers a form could not use in a row: {"slot": ..., "question": ..., "count": n} (domain/core.yml).
INVALID_ANSWERS = "invalid_answers"
# A question whose answer stays unusable this many times ends the form (the eligibility check's policy).
MAX_INVALID = 2

T = TypeVar("T")


def entity(tracker: Tracker, name: str) -> str | None:
    """The canonical value of an entity of the latest message, or None."""
    for found in tracker.latest_message.get("entities") or []:
        if found.get("entity") == name:
            value = canonical(name, str(found.get("value") or found.get("text") or ""))
            if value:
                return value
    return None


def answer_text(tracker: Tracker, value: Any, entity_name: str) -> str | None:
    """The person's answer: the slot value; for a button payload (« /inform{...} ») its entity; and all
    of the message's entities when it has several (« dans 15 jours » + « l'aprem »: Rasa keeps the last)."""
    text = str(value) if value is not None else None
    values = [
        str(e.get("value")) for e in tracker.latest_message.get("entities") or [] if e.get("entity") == entity_name
    ]
    if text and text.startswith("/"):
        return values[-1] if values else None
    if len(values) > 1 and text in values:
        return " ".join(values)
    return text


def display_name(tracker: Tracker) -> str | None:
    """The name HR sees on a booking or a request: the intranet's `name` claim, which the web channel passes as
    message metadata (never what the client says); None elsewhere (REST, terminal)."""
    name = (tracker.latest_message.get("metadata") or {}).get("name")
    return name if isinstance(name, str) and name.strip() else None


def log_database_error(where: str, error: Exception) -> None:
    """The database is down: log where (never what the person wrote)."""
    logger.error("database unavailable in %s: %s", where, type(error).__name__)


def intent_of(tracker: Tracker) -> str | None:
    """The intent the NLU gave the latest message."""
    return (tracker.latest_message.get("intent") or {}).get("name")


def loop_before_message(tracker: Tracker) -> str | None:
    """The form that was running when the person wrote the latest message (None: none was)."""
    events = list(tracker.events)
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    for event in reversed(events[:last_user]):
        if event.get("event") == "active_loop":
            return event.get("name") or None
    return None


def or_fallback(where: str, compute: Callable[[], T], fallback: Callable[[], T]) -> T:
    """`compute()`, or `fallback()` if the database is down: for the answers that matter most when something
    goes wrong (support, handoff, privacy), which must go out without the database."""
    try:
        return compute()
    except SQLAlchemyError as error:
        log_database_error(where, error)
        return fallback()


def tag_kind(dispatcher: CollectingDispatcher, kind: str) -> None:
    """Each message says which action wrote it: the web chat counts « utile / pas utile » per kind."""
    for message in dispatcher.messages:
        message.setdefault("kind", kind)


def send(dispatcher: CollectingDispatcher, reply: Reply) -> list[EventType]:
    buttons = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
    dispatcher.utter_message(text=reply.text, buttons=buttons or None)
    return [SlotSet(PENDING, reply.asked)]


def given_back(text: str, parse: dict[str, Any], intent: str | None = None) -> list[EventType]:
    """A message given back to the dialogue as a fresh turn (its rules then answer it as usual): the person's own
    words or a button's request, with `intent` as the only intent when given."""
    if intent is not None:
        chosen = {"name": intent, "confidence": 1.0}
        parse = {**parse, "intent": chosen, "intent_ranking": [chosen]}
    return [ActionExecuted("action_listen"), UserUttered(text, parse)]


def stop_form(slots: tuple[str, ...]) -> list[EventType]:
    """The one way to stop a form: the loop ends and its slots (and the retry count) are forgotten."""
    return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), *reset(slots)]


def reset(slots: tuple[str, ...]) -> list[EventType]:
    return [SlotSet(name, None) for name in (*slots, INVALID_ANSWERS)]


def invalid_count(tracker: Tracker) -> dict[str, Any]:
    """The unusable answers so far, {} if none (or if the slot holds anything else)."""
    count = tracker.get_slot(INVALID_ANSWERS)
    return count if isinstance(count, dict) and isinstance(count.get("count"), int) else {}


def answers_database_errors(run: Callable) -> Callable:
    """The one database-error handler, around an action's `run`: a clear French answer, then `abandon()`'s
    events; the messages are tagged with the action's name unless the action says otherwise (`tagged`)."""

    @functools.wraps(run)
    async def guarded(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]):
        try:
            return await run(self, dispatcher, tracker, domain)
        except SQLAlchemyError as error:
            log_database_error(self.name(), error)
            dispatcher.utter_message(text=UNAVAILABLE)
            return self.abandon()
        finally:
            if self.tagged:
                tag_kind(dispatcher, self.name())

    guarded.answers_database_errors = True
    return guarded


class Named(ABC):
    """Every custom action: its name in domain/*.yml is the class attribute `action_name` (a class without
    one is a base, which the action server does not register)."""

    @property
    @abstractmethod
    def action_name(self) -> str:
        """The name in domain/*.yml; a class attribute in each concrete action."""

    tagged: ClassVar[bool] = True  # its messages carry its name as their kind

    def name(self) -> str:
        return self.action_name

    def abandon(self) -> list[EventType]:
        """The events after a database error: those that end what the action is part of (a form)."""
        return []


class BaseAction(Named, Action, ABC):
    """An action: `act()` does the work; a database failure gets a clear French answer."""

    @abstractmethod
    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """The action itself."""

    @answers_database_errors
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return self.act(dispatcher, tracker)


class FormAction(BaseAction, ABC):
    """An action of a form (its questions, its end): a database failure stops the form, keeping nothing."""

    form_slots: ClassVar[tuple[str, ...]]

    def abandon(self) -> list[EventType]:
        return stop_form(self.form_slots)


class StopFormAction(FormAction, ABC):
    """« annuler », « laisse tomber », « au revoir » or a crisis message during a form: stop it, keep nothing.
    After a crisis message (or one the crisis net asks about) nothing more is said: its own answer follows."""

    stopped: ClassVar[str]

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if intent_of(tracker) not in ("urgent_distress", "crisis_check"):
            dispatcher.utter_message(text=self.stopped)
        return self.abandon()


class FormValidation(Named, FormValidationAction, ABC):
    """A form's validation (`action_name` is validate_<form>), with the forms' one retry policy."""

    form_slots: ClassVar[tuple[str, ...]]

    def abandon(self) -> list[EventType]:
        return stop_form(self.form_slots)

    @abstractmethod
    def give_up(self, tracker: Tracker) -> tuple[Reply, dict[str, Any]]:
        """After MAX_INVALID unreadable answers: the kind message, and the slots that end the form (its final
        action then says nothing more)."""

    def question(self, tracker: Tracker, slot: str) -> str:
        """What is being asked, for the count of unusable answers: the slot, by default."""
        return slot

    def invalid(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        slot: str,
        reply: Reply | str,
        slots: dict[str, Any] | None = None,
        *,
        readable: bool = False,
    ) -> dict[str, Any]:
        """An answer to `slot` the form cannot use: say why (`reply`) and return `slots` (by default the slot
        emptied: the form asks again). An unreadable one counts: after MAX_INVALID of them in a row to the
        same question, give up. A `readable` one (a place the service does not offer, a past date) does not
        count: the person is answering, only not with something possible (`run` then starts the count again)."""
        if readable:
            send(dispatcher, Reply(reply) if isinstance(reply, str) else reply)
            return {slot: None, **(slots or {})}
        question = self.question(tracker, slot)
        count = invalid_count(tracker)
        tries = count.get("count", 0) + 1 if count.get("question") == question else 1
        if tries >= MAX_INVALID:
            logger.info("%s gives up after %d unusable answers", self.name(), tries)
            message, ending = self.give_up(tracker)
            send(dispatcher, message)
            return {**ending, INVALID_ANSWERS: None, REQUESTED_SLOT: None}
        send(dispatcher, Reply(reply) if isinstance(reply, str) else reply)
        return {slot: None, **(slots or {}), INVALID_ANSWERS: {"slot": slot, "question": question, "count": tries}}

    def starting(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """Called when the latest message starts the form (it was not running when the person wrote it), before its
        answers are checked; nothing by default."""

    @answers_database_errors
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if loop_before_message(tracker) != self.name().removeprefix("validate_"):
            self.starting(dispatcher, tracker)
        count = invalid_count(tracker)
        answered = bool(count) and count.get("slot") in tracker.slots_to_validate()
        events = await FormValidationAction.run(self, dispatcher, tracker, domain)
        if answered and not any(e.get("name") == INVALID_ANSWERS for e in events if e.get("event") == "slot"):
            events.append(SlotSet(INVALID_ANSWERS, None))  # a usable answer: the count starts again
        return events
