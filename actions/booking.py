"""Rasa side of booking: the form's validation and questions, listing and cancelling.

What each step understands and says is in bot/booking/dialogue.py; this module
only reads the tracker, calls it, and sets slots.
"""

from __future__ import annotations

from abc import ABC
from datetime import datetime
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import base
from actions.actions import other_question
from actions.base import PENDING, answer_text, display_name, entity, send
from bot.booking import dialogue as talk
from bot.booking.bookings import ANY_PLACE, Booking, SlotView
from bot.booking.ics import calendar_url
from bot.core.dates import PARIS, When, understand
from bot.core.db import default_database
from bot.knowledge.answering import Reply

SERVICE, PLACE, PERIOD, CHOICE, CONFIRMED = (
    "service",
    "booking_place",
    "booking_period",
    "booking_choice",
    "booking_confirmed",
)
OFFERS, REFERENCE = "booking_offers", "booking_reference"
FORM_SLOTS = (SERVICE, PLACE, PERIOD, CHOICE, CONFIRMED, OFFERS, REFERENCE)
CANCEL_PREFIX = "cancel:"
MOVE_PREFIX, MOVE_DATE = "move:", "|"  # « move:12|jeudi 17 »: the booking to move, then the new date said


@lru_cache(maxsize=1)
def booking() -> Booking:
    return Booking(default_database())


def now() -> datetime:
    return datetime.now(PARIS)


def reset() -> list[EventType]:
    return base.reset(FORM_SLOTS)


def offered(tracker: Tracker) -> list[SlotView]:
    return booking().slots([int(slot_id) for slot_id in tracker.get_slot(OFFERS) or []])


def period_of(tracker: Tracker) -> When | None:
    encoded = tracker.get_slot(PERIOD)
    return When.decode(encoded) if encoded else None


def stop_form() -> list[EventType]:
    return base.stop_form(FORM_SLOTS)


class BookingAction(base.FormAction, ABC):
    """A booking action whose database failure ends the form with a clear French answer."""

    form_slots = FORM_SLOTS


# Intents whose message is never read as an answer the form finds in it; nor as a place, even one that names a place.
NEVER_AN_ANSWER = frozenset({"urgent_distress", "crisis_check", "cancel_booking", "goodbye"})
NOT_A_PLACE = NEVER_AN_ANSWER | {"deny", "book_appointment"}


class ValidateBookingForm(base.FormValidation):
    """Checks each answer of the booking form; books the slot when the person confirms."""

    action_name, form_slots = "validate_booking_form", FORM_SLOTS

    def give_up(self, tracker: Tracker) -> tuple[Reply, dict[str, Any]]:
        return talk.gave_up_reply(tracker.get_slot(SERVICE)), {name: None for name in FORM_SLOTS}

    def starting(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        # A knowledge question asked in the message that asks for an appointment gets its answer first.
        if base.intent_of(tracker) == "book_appointment":
            other = base.or_fallback("other_question", lambda: other_question(tracker), lambda: None)
            if other:
                send(dispatcher, other)

    def validate_service(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        code = talk.understand_service(answer_text(tracker, value, "service"))
        service = booking().service(code)
        if service is None:
            return self.invalid(dispatcher, tracker, SERVICE, "Je n'ai pas reconnu ce service.")
        existing = booking().upcoming(tracker.sender_id, service=code)
        if existing:  # one upcoming booking per service and person: scarce consultations stay fair
            dispatcher.utter_message(text=talk.already_booked_text(service, existing[0]))
            return {SERVICE: None, "requested_slot": None}
        places = booking().places(code)
        slots: dict[str, Any] = {SERVICE: code}
        if len(places) == 1:
            slots[PLACE] = places[0]
        elif tracker.get_slot(PLACE) and talk.understand_place(tracker.get_slot(PLACE), places) not in (
            *places,
            ANY_PLACE,
        ):  # a place of the service first asked for (« Croupillac » for the talent developer): asked again
            slots[PLACE] = None
        elif not tracker.get_slot(PLACE):
            slots[PLACE] = talk.place_in_request(tracker.latest_message.get("text"), places)
        return slots

    def extract_booking_place(self, dispatcher, tracker, domain) -> dict[str, Any]:
        """The place asked, named in a message the intent model reads as something else (« à Alès » as a question on
        life in Alès): taken as the answer, instead of the form giving the message up to that intent's rule."""
        code = tracker.get_slot(SERVICE)
        if tracker.get_slot("requested_slot") != PLACE or not code or base.intent_of(tracker) in NOT_A_PLACE:
            return {}
        text = tracker.latest_message.get("text") or ""
        if talk.asks_about_place(text):  # « c'est où Croupillac ? »: a question, answered by the base
            return {}
        place = talk.understand_place(text, booking().places(code))
        return {PLACE: text} if place is not None and not text.startswith("/") else {}

    def extract_booking_choice(self, dispatcher, tracker, domain) -> dict[str, Any]:
        """An offered slot picked in a message the intent model reads as something else (« bon alors jeudi 10 à 8h30 »
        as a no, « le deuxième, merci » as thanks): taken as the choice."""
        if tracker.get_slot("requested_slot") != CHOICE or base.intent_of(tracker) in NEVER_AN_ANSWER:
            return {}
        text = tracker.latest_message.get("text") or ""
        if text.startswith("/") or not isinstance(talk.understand_choice(text, offered(tracker), now()), SlotView):
            return {}
        return {CHOICE: text}

    def extract_booking_confirmed(self, dispatcher, tracker, domain) -> dict[str, Any]:
        """« oui merci », « ok c'est bon » at the recap: a yes, whatever else the message says (the intent model
        reads « oui merci » as thanks)."""
        if tracker.get_slot("requested_slot") != CONFIRMED or base.intent_of(tracker) in NEVER_AN_ANSWER:
            return {}
        return {CONFIRMED: True} if talk.plain_yes(tracker.latest_message.get("text") or "") else {}

    def validate_booking_place(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        code = tracker.get_slot(SERVICE)
        if not code:  # a site named before the service: keep it, it is checked once the service is known
            return {PLACE: value}
        places = booking().places(code)
        place = talk.understand_place(answer_text(tracker, value, "campus"), places)
        if place is None:
            # A day given before the place (« demain » to « où préférez-vous ? »): kept for the next question.
            when = talk.period_in_answer(tracker.latest_message.get("text"), now())
            if when is not None:
                noted = talk.period_noted(booking().service(code), places, when, now().date())
                return self.invalid(dispatcher, tracker, PLACE, noted, {PERIOD: when.encode()}, readable=True)
        if place is None or (place != ANY_PLACE and place not in places):
            explanation = talk.place_not_offered(booking().service(code), places, place)
            return self.invalid(dispatcher, tracker, PLACE, explanation, readable=place is not None)
        # « Clavières, mardi 8 décembre »: the day given with the place is kept too.
        when = talk.period_besides_place(tracker.latest_message.get("text"), now())
        return {PLACE: place, PERIOD: when.encode()} if when else {PLACE: place}

    def validate_booking_period(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        when, problem = talk.understand_period(answer_text(tracker, value, "date"), now())
        if problem:
            return self.invalid(dispatcher, tracker, PERIOD, problem, readable=problem == talk.PAST_DATE)
        return {PERIOD: when.encode(), CHOICE: None, CONFIRMED: None}

    def validate_booking_choice(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        picked = talk.understand_choice(answer_text(tracker, value, "date"), offered(tracker), now())
        if isinstance(picked, SlotView):
            return {CHOICE: str(picked.id)}
        if isinstance(picked, When) and picked.first_day >= now().date():
            return {CHOICE: None, PERIOD: picked.encode()}  # another day: new offers for it
        return self.invalid(dispatcher, tracker, CHOICE, talk.CHOICE_NOT_UNDERSTOOD)

    def validate_booking_confirmed(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if not value:
            other_day = talk.understand_correction(tracker.latest_message.get("text"), now())
            if other_day:  # « non, plutôt vendredi »: offers for that day instead
                return {CONFIRMED: None, CHOICE: None, PERIOD: other_day.encode()}
            return {CONFIRMED: False}
        service = booking().service(tracker.get_slot(SERVICE))
        result = booking().book(int(tracker.get_slot(CHOICE)), tracker.sender_id, display_name(tracker))
        if result.booked:
            return {CONFIRMED: True, REFERENCE: result.booked.reference}
        dispatcher.utter_message(text=talk.refusal_text(result, service))
        if result.problem == "taken":
            return {CHOICE: None, CONFIRMED: None}
        return {CONFIRMED: False}


class ActionAskService(BookingAction):
    action_name = "action_ask_service"

    def act(self, dispatcher, tracker):
        return send(dispatcher, talk.service_question())


class ActionAskBookingPlace(BookingAction):
    action_name = "action_ask_booking_place"

    def act(self, dispatcher, tracker):
        code = tracker.get_slot(SERVICE)
        return send(dispatcher, talk.place_question(booking().service(code), booking().places(code)))


class ActionAskBookingPeriod(BookingAction):
    action_name = "action_ask_booking_period"

    def act(self, dispatcher, tracker):
        return send(dispatcher, talk.period_question())


class ActionAskBookingChoice(BookingAction):
    action_name = "action_ask_booking_choice"

    def act(self, dispatcher, tracker):
        code, place, when = tracker.get_slot(SERVICE), tracker.get_slot(PLACE), period_of(tracker)
        offers = booking().free_slots(code, when, place)
        in_period = bool(offers)
        if not offers and when is not None:  # the same days at other times, then the next days...
            offers = booking().free_slots(code, When(when.first_day, when.last_day), place) or booking().free_slots(
                code, When(when.first_day, None), place
            )
        if not offers:  # ...or, for a period already too far, the first ones
            offers = booking().free_slots(code, place=place)
        send(dispatcher, talk.offers_reply(booking().service(code), when, offers, in_period, now().date()))
        if not offers:
            return stop_form()
        return [SlotSet(OFFERS, [str(slot.id) for slot in offers])]


class ActionAskBookingConfirmed(BookingAction):
    action_name = "action_ask_booking_confirmed"

    def act(self, dispatcher, tracker):
        slot = booking().slot(int(tracker.get_slot(CHOICE)))
        return send(dispatcher, talk.recap_reply(booking().service(slot.service), slot))


class ActionBookingDone(BookingAction):
    """After the form: the confirmation with its reference, or « rien réservé »."""

    action_name = "action_booking_done"

    def act(self, dispatcher, tracker):
        reference = tracker.get_slot(REFERENCE)
        if reference:
            slot = booking().by_reference(reference)
            send(dispatcher, talk.booked_reply(booking().service(slot.service), slot, calendar_url(reference)))
        elif tracker.get_slot(CONFIRMED) is False:
            dispatcher.utter_message(text=talk.NOT_BOOKED)
        return reset()


class ActionBookingUnclear(BookingAction):
    """An answer the form cannot use (« oui » to « avec qui ? »): say so; the form then asks again."""

    action_name = "action_booking_unclear"

    def act(self, dispatcher, tracker):
        dispatcher.utter_message(text=talk.UNCLEAR)
        return []


class ActionBookingStop(BookingAction, base.StopFormAction):
    action_name, stopped = "action_booking_stop", talk.STOPPED  # nothing was booked


class ActionListBookings(BookingAction):
    action_name = "action_list_bookings"

    def act(self, dispatcher, tracker):
        return send(dispatcher, talk.bookings_reply(booking().upcoming(tracker.sender_id), booking().service_names()))


class ActionCancelBooking(BookingAction):
    """Finds which of the speaker's own bookings is meant, then asks to confirm (see YesNoAction)."""

    action_name = "action_cancel_booking"

    def act(self, dispatcher, tracker):
        mine = booking().upcoming(tracker.sender_id)
        dates = [e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "date"]
        # « déplacer mon rendez-vous à jeudi »: the date is the new one, not the one to find.
        moving = talk.wants_to_move(tracker.latest_message.get("text") or "")
        when = understand(" ".join(str(d) for d in dates), now()) if dates and not moving else None
        matching = talk.matching_bookings(mine, entity(tracker, "service"), when)
        if not mine:
            return send(dispatcher, talk.bookings_reply([], {}))
        if not matching:
            reply = talk.bookings_reply(mine, booking().service_names())
            return send(dispatcher, Reply(f"{talk.NOTHING_TO_CANCEL}\n{reply.text}", reply.buttons))
        if len(matching) > 1:
            return send(dispatcher, talk.which_to_cancel(matching))
        slot = matching[0]
        if moving:
            send(dispatcher, talk.move_question(slot, booking().service(slot.service)))
            new_date = " ".join(str(d) for d in dates)
            return [SlotSet(PENDING, f"{MOVE_PREFIX}{slot.id}{MOVE_DATE}{new_date}")]
        send(dispatcher, talk.cancel_question(slot, booking().service(slot.service)))
        return [SlotSet(PENDING, f"{CANCEL_PREFIX}{slot.id}")]


def cancel_pending(dispatcher: CollectingDispatcher, tracker: Tracker, confirmed: bool) -> list[EventType] | None:
    """Handles a yes / no to « Voulez-vous annuler… ? » or « On le déplace ? »: the events that follow (a move
    starts the booking again for the same service, with the new date if one was said); None when nothing was
    pending."""
    pending = tracker.get_slot(PENDING) or ""
    moving = pending.startswith(MOVE_PREFIX)
    if not pending.startswith(CANCEL_PREFIX) and not moving:
        return None
    if not confirmed:
        dispatcher.utter_message(text=talk.KEPT)
        return []
    slot_id, _, new_date = pending.removeprefix(MOVE_PREFIX if moving else CANCEL_PREFIX).partition(MOVE_DATE)
    slot = booking().cancel(int(slot_id), tracker.sender_id)
    if slot is None:
        dispatcher.utter_message(text=talk.GONE)
        return []
    service = booking().service(slot.service)
    if not moving:
        send(dispatcher, talk.cancelled_reply(slot, service))
        return []
    send(dispatcher, talk.moved_reply(slot, service))
    return request_booking(slot.service, new_date or None)


def request_booking(service: str, date: str | None = None) -> list[EventType]:
    """A booking started as a « Prendre rendez-vous » button starts it: a request for the service (and the date),
    given back to the dialogue, whose rules then start the form."""
    entities = [{"entity": "service", "value": service}]
    if date:
        entities.append({"entity": "date", "value": date})
    return base.given_back("/book_appointment", {"entities": entities}, "book_appointment")


class YesNoAction(BookingAction, ABC):
    """« oui » / « non »: the answer to a pending cancellation, a yes that takes back a no to the crisis question, or a
    plain acknowledgement."""

    confirmed: bool
    acknowledgement: str

    def act(self, dispatcher, tracker):
        events = cancel_pending(dispatcher, tracker, self.confirmed)
        if events is None and self.confirmed:
            from actions.support import taken_back  # actions.support imports this module

            events = taken_back(dispatcher, tracker)
        if events is None:
            dispatcher.utter_message(text=self.acknowledgement)
        return [SlotSet(PENDING, None), *(events or [])]


class ActionAnswerYes(YesNoAction):
    action_name = "action_answer_yes"
    confirmed, acknowledgement = True, "Très bien. Que puis-je faire d'autre pour vous ?"


class ActionAnswerNo(YesNoAction):
    action_name = "action_answer_no"
    confirmed, acknowledgement = False, "D'accord. Si vous avez une autre question, je suis là."
