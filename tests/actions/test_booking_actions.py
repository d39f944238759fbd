"""The booking form's custom actions, driven turn by turn as Rasa drives them, on a real database."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet

from actions import booking as booking_actions
from bot.booking import dialogue as talk_module
from bot.booking.bookings import Booking
from bot.booking.cli import DEFAULT_SCHEDULES
from bot.booking.schedules import load_schedules
from bot.core.dates import PARIS
from bot.core.db import Database
from tests.support import FormTalk, domain, run

DOMAIN = domain()
REQUIRED = DOMAIN["forms"]["booking_form"]["required_slots"]
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)  # a Wednesday
ASK = {
    "service": booking_actions.ActionAskService(),
    "booking_place": booking_actions.ActionAskBookingPlace(),
    "booking_period": booking_actions.ActionAskBookingPeriod(),
    "booking_choice": booking_actions.ActionAskBookingChoice(),
    "booking_confirmed": booking_actions.ActionAskBookingConfirmed(),
}


@pytest.fixture
def booking(database: Database, monkeypatch) -> Booking:
    load_schedules(database, DEFAULT_SCHEDULES)
    service = Booking(database, now=lambda: NOW)
    monkeypatch.setattr(booking_actions, "booking", lambda: service)
    monkeypatch.setattr(booking_actions, "now", lambda: NOW)
    return service


class Conversation(FormTalk):
    """One person's booking form: what Rasa's FormAction does around our actions, in a few lines."""

    form = "booking_form"

    def say(self, text: str, extracted: dict, intent: str = "inform", entities: list[dict] | None = None) -> str:
        """The person answers; `extracted` is what the domain's slot mappings take from the message."""
        self.active = True
        self.slots.update(extracted)
        tracker = self.tracker(text, intent, entities or [], extracted)
        messages, events = run(booking_actions.ValidateBookingForm(), tracker)
        self.apply(events)
        self.said = messages
        stopped = any(e == SlotSet("requested_slot", None) or e == ActiveLoop(None) for e in events)
        missing = next((name for name in REQUIRED if self.slots[name] is None), None)
        if self.active and not stopped and missing:
            self.slots["requested_slot"] = missing
            messages, events = run(ASK[missing], self.tracker(text, intent, [], {}))
            self.apply(events)
            self.said += messages
        else:
            self.active = False
            messages, events = run(booking_actions.ActionBookingDone(), self.tracker(text, intent, [], {}))
            self.apply(events)
            self.said += messages
        return "\n".join(m.get("text") or "" for m in self.said)

    def reach_recap(self, service: str, place: str, choice: str) -> str:
        """Service and place at once, « dès que possible », then a slot: up to « Je récapitule »."""
        self.say(service, {"service": service, "booking_place": place}, intent="book_appointment")
        self.say("dès que possible", {"booking_period": "dès que possible"})
        return self.say(choice, {"booking_choice": choice})


def test_a_full_booking_asks_only_what_is_missing(booking):
    talk = Conversation("agent-a")
    said = talk.say("je voudrais voir la psy", {"service": "psy"}, intent="book_appointment")
    assert "Où préférez-vous" in said and "visio" in said
    assert [b["title"] for b in talk.buttons] == ["Clavières", "En visio", "Peu importe"]

    said = talk.say("à Clavières", {"booking_place": "à Clavières"})
    assert "Quel jour" in said and "mardi prochain" in said

    said = talk.say("le 8 décembre", {"booking_period": "le 8 décembre"})
    titles = [b["title"] for b in talk.buttons]
    assert titles[0] == "mar. 8 déc. 9 h – Clavières" and len(titles) == 4

    said = talk.say("celui de 9h45", {"booking_choice": "celui de 9h45"})
    assert "Je récapitule" in said and "mardi 8 décembre 2026 à 9 h 45" in said and "Clavières" in said

    said = talk.say("oui", {"booking_confirmed": True}, intent="affirm")
    reference = talk.slots["booking_reference"] or booking.upcoming("agent-a")[0].reference
    assert "C'est réservé" in said and reference in said
    assert "Aucun motif" in said and "la psychologue" in said  # what is stored and who sees it
    assert "/agenda/" in said and ".ics" in said
    (slot,) = booking.upcoming("agent-a")
    assert slot.start == datetime(2026, 12, 8, 9, 45, tzinfo=PARIS) and slot.holder == "agent-a"
    assert all(value is None for name, value in talk.slots.items() if name != "requested_slot")


def test_a_choice_and_a_yes_read_by_the_intent_model_as_something_else_still_book(booking):
    talk = Conversation("agent-a")
    talk.say("je voudrais voir la psy", {"service": "psy"}, intent="book_appointment")
    talk.say("à Clavières", {"booking_place": "à Clavières"})
    talk.say("le 8 décembre", {"booking_period": "le 8 décembre"})
    # No slot mapping takes a message read as thanks or as a no: the form's own reading does.
    said = talk.say("le deuxième, je vous remercie", {}, intent="thank")
    assert "Je récapitule" in said and "9 h 45" in said, said
    said = talk.say("oui merci", {}, intent="thank")
    assert "C'est réservé" in said and booking.upcoming("agent-a")
    other = Conversation("agent-b")
    other.say("je voudrais voir la psy", {"service": "psy"}, intent="book_appointment")
    other.say("à Clavières", {"booking_place": "à Clavières"})
    other.say("le 8 décembre", {"booking_period": "le 8 décembre"})
    said = other.say("bon alors 10h30", {}, intent="deny")  # 9 h 45 is agent-a's now
    assert "Je récapitule" in said and "10 h 30" in said, said
    said = other.say("ok mais plutôt l'après-midi", {}, intent="inform")  # not a plain yes: never booked
    assert other.slots["booking_confirmed"] is None and not booking.upcoming("agent-b")


def test_a_service_held_in_one_place_skips_the_site_question_and_everything_given_at_once(booking):
    talk = Conversation("agent-a")
    said = talk.say(
        "rdv médecine du travail jeudi prochain",
        {"service": "medecine_prevention", "booking_period": "jeudi prochain"},
        intent="book_appointment",
    )
    assert "Où" not in said and talk.slots["booking_place"] == "clavieres"
    assert all(b["title"].startswith("jeu. 3 déc.") for b in talk.buttons) and len(talk.buttons) == 5


def test_a_remote_mode_said_with_the_request_is_not_asked_again(booking):
    talk = Conversation("agent-a")
    said = talk.say(
        "rdv avec l'avocat mardi prochain par téléphone",
        {"service": "avocat", "booking_period": "mardi prochain"},
        intent="book_appointment",
    )
    assert "Où" not in said and talk.slots["booking_place"] == "telephone"
    assert talk.buttons and all("par téléphone" in b["title"] for b in talk.buttons)


def test_a_day_without_slots_offers_the_next_ones_and_a_holiday_says_closed(booking):
    talk = Conversation("agent-a")
    talk.say("permanence rh à nîmes", {"service": "permanence_rh", "booking_place": "nîmes"}, intent="book_appointment")
    said = talk.say("le 25 décembre", {"booking_period": "le 25 décembre"})
    assert "Vendredi 25 décembre : l'école est fermée (Noël)" in said and "les plus proches" in said
    assert talk.buttons and all("Nîmes" in b["title"] for b in talk.buttons)
    offered = [booking.slot(int(i)).start.date() for i in talk.slots["booking_offers"]]
    assert min(offered) == date(2027, 1, 8)  # the next ones after the day asked for (1 January is closed too)


def test_a_time_without_a_slot_offers_that_days_other_times(booking):
    talk = Conversation("agent-a")
    talk.say("permanence rh", {"service": "permanence_rh", "booking_place": "Croupillac"}, intent="book_appointment")
    said = talk.say("jeudi prochain à 13h15", {"booking_period": "jeudi prochain à 13h15"})
    assert "pas de créneau libre" in said and "jeudi 3 décembre à 13 h 15" in said
    assert [b["title"] for b in talk.buttons] == [
        f"jeu. 3 déc. {t} – Croupillac" for t in ("12 h 30", "13 h", "13 h 30")
    ]


def test_a_date_not_understood_is_asked_again_with_an_example(booking):
    talk = Conversation("agent-a")
    talk.say("la psy", {"service": "psychologue", "booking_place": "visio"}, intent="book_appointment")
    said = talk.say("à la saint-glinglin", {"booking_period": "à la saint-glinglin"})
    assert "pas compris" in said and "mardi prochain" in said and talk.slots["booking_period"] is None
    said = talk.say("hier", {"booking_period": "hier"})
    assert "passée" in said


def test_naming_another_day_at_the_choice_offers_that_day(booking):
    talk = Conversation("agent-a")
    talk.say("avocat par téléphone", {"service": "avocat", "booking_place": "par téléphone"}, intent="book_appointment")
    talk.say("dès que possible", {"booking_period": "dès que possible"})
    assert talk.buttons[0]["title"] == "mer. 25 nov. 14 h – par téléphone"  # today, still to come at 10:00
    said = talk.say("plutôt mercredi 16 décembre", {"booking_choice": "plutôt mercredi 16 décembre"})
    assert talk.buttons and all(b["title"].startswith("mer. 16 déc.") for b in talk.buttons), said


def test_a_slot_taken_meanwhile_says_so_and_offers_others(booking):
    talk = Conversation("agent-a")
    talk.say("dt", {"service": "developpeur_talents", "booking_place": "peu importe"}, intent="book_appointment")
    talk.say("la semaine prochaine", {"booking_period": "la semaine prochaine"})
    talk.say("le premier", {"booking_choice": "le premier"})
    chosen = int(talk.slots["booking_choice"])
    assert booking.book(chosen, "agent-b").booked  # someone else was quicker
    said = talk.say("oui", {"booking_confirmed": True}, intent="affirm")
    assert "vient d'être pris" in said and talk.buttons and talk.slots["booking_choice"] is None
    assert chosen not in {int(i) for i in talk.slots["booking_offers"]}
    assert "ne joue aucun rôle" not in said  # the talent developer's note comes with the recap, not here
    said = talk.say("le premier", {"booking_choice": "le premier"})
    assert "ne joue aucun rôle dans l'appréciation" in said  # seed page: no part in evaluation or promotion


def test_saying_no_at_the_recap_books_nothing(booking):
    talk = Conversation("agent-a")
    assert "Je récapitule" in talk.reach_recap("service_social", "Nîmes", "2")
    said = talk.say("non", {"booking_confirmed": False}, intent="deny")
    assert "rien réservé" in said and booking.upcoming("agent-a") == []


def test_a_web_booking_keeps_the_intranet_name_and_each_message_says_its_kind(booking):
    talk = Conversation("camille.martin", metadata={"name": "Camille Martin"})
    talk.reach_recap("avocat", "par téléphone", "le premier")
    assert [m["kind"] for m in talk.said] == ["action_ask_booking_confirmed"]
    said = talk.say("oui", {"booking_confirmed": True}, intent="affirm")
    (slot,) = booking.upcoming("camille.martin")
    assert slot.holder_name == "Camille Martin" and slot.reference in said
    assert [m["kind"] for m in talk.said] == ["action_booking_done"]
    other = Conversation("dominique.bernard")  # REST or terminal: no name, the identifier alone
    other.reach_recap("avocat", "par téléphone", "le premier")
    other.say("oui", {"booking_confirmed": True}, intent="affirm")
    assert booking.upcoming("dominique.bernard")[0].holder_name is None


def test_one_upcoming_booking_per_service_and_person(booking):
    slot = booking.free_slots("psychologue")[0]
    booking.book(slot.id, "agent-a")
    talk = Conversation("agent-a")
    said = talk.say("la psy", {"service": "psychologue"}, intent="book_appointment")
    assert "déjà un rendez-vous" in said and slot.reference is None and not talk.active


def list_and_cancel(sender: str, text: str, intent: str, entities: list[dict], slots: dict | None = None):
    tracker = Tracker(
        sender,
        slots or {},
        {"text": text, "intent": {"name": intent}, "entities": entities},
        [],
        False,
        None,
        {},
        "action_listen",
    )
    action = {
        "list_bookings": booking_actions.ActionListBookings(),
        "cancel_booking": booking_actions.ActionCancelBooking(),
        "affirm": booking_actions.ActionAnswerYes(),
        "deny": booking_actions.ActionAnswerNo(),
    }[intent]
    return run(action, tracker)


def test_list_and_cancel_act_on_the_speakers_own_bookings_only(booking):
    psy = booking.free_slots("psychologue")[0]
    lawyer = booking.free_slots("avocat")[0]
    booking.book(psy.id, "agent-a")
    booking.book(lawyer.id, "agent-a")
    other = booking.free_slots("medecine_prevention")[0]
    booking.book(other.id, "agent-b")

    messages, _ = list_and_cancel("agent-a", "mes rdv", "list_bookings", [])
    assert "Vos 2 rendez-vous" in messages[0]["text"] and "médecine" not in messages[0]["text"]
    messages, _ = list_and_cancel("agent-c", "mes rdv", "list_bookings", [])
    assert "aucun rendez-vous" in messages[0]["text"]

    # Several match « annuler mon rendez-vous »: which one?
    messages, events = list_and_cancel("agent-a", "annuler mon rendez-vous", "cancel_booking", [])
    assert "Lequel" in messages[0]["text"] and len(messages[0]["buttons"]) == 2
    assert events == [SlotSet("pending_question", None)]
    # One named by service: confirm first, then cancel and free the slot.
    messages, events = list_and_cancel(
        "agent-a", "annule l'avocat", "cancel_booking", [{"entity": "service", "value": "avocat"}]
    )
    assert "Voulez-vous annuler" in messages[0]["text"]
    pending = events[-1]["value"]
    messages, _ = list_and_cancel("agent-b", "oui", "affirm", [], {"pending_question": pending})
    assert booking.slot(lawyer.id).holder == "agent-a"  # agent-b cannot cancel agent-a's booking
    messages, _ = list_and_cancel("agent-a", "non", "deny", [], {"pending_question": pending})
    assert "je garde" in messages[0]["text"] and booking.slot(lawyer.id).holder == "agent-a"
    messages, _ = list_and_cancel("agent-a", "oui", "affirm", [], {"pending_question": pending})
    assert "C'est annulé" in messages[0]["text"] and booking.slot(lawyer.id).holder is None
    # A button from the list identifies one booking by its date and service.
    date_text = psy.start.strftime("%Y-%m-%d %H:%M")
    messages, events = list_and_cancel(
        "agent-a",
        "/cancel_booking",
        "cancel_booking",
        [{"entity": "service", "value": "psychologue"}, {"entity": "date", "value": date_text}],
    )
    assert "Voulez-vous annuler" in messages[0]["text"] and events[-1]["value"] == f"cancel:{psy.id}"
    # agent-b has no booking on that day: nothing of agent-a's is shown to them.
    messages, _ = list_and_cancel(
        "agent-b", "annule mon rdv", "cancel_booking", [{"entity": "date", "value": date_text}]
    )
    assert "psychologue" not in messages[0]["text"]


def test_a_yes_without_a_pending_question_is_a_plain_acknowledgement(booking):
    messages, events = list_and_cancel("agent-a", "oui", "affirm", [])
    assert "Que puis-je faire d'autre" in messages[0]["text"] and events == [SlotSet("pending_question", None)]


def test_a_database_that_is_down_stops_the_form_with_a_clear_answer(monkeypatch):
    unreachable = Booking(Database("postgresql+psycopg://assistant@127.0.0.1:1/assistant?connect_timeout=2"))
    monkeypatch.setattr(booking_actions, "booking", lambda: unreachable)
    talk = Conversation("agent-a")
    said = talk.say("la psy", {"service": "psychologue"}, intent="book_appointment")
    assert "momentanément indisponible" in said and not talk.active
    messages, _ = list_and_cancel("agent-a", "mes rdv", "list_bookings", [])
    assert "momentanément indisponible" in messages[0]["text"]


def test_a_place_the_service_does_not_use_or_no_place_at_all_is_explained(booking):
    talk = Conversation("agent-a")
    talk.say("la psy", {"service": "psychologue"}, intent="book_appointment")
    said = talk.say("à Nîmes", {"booking_place": "à Nîmes"})
    assert "ne reçoit pas à Nîmes, mais à Clavières (Alès) ou en visio" in said and talk.slots["booking_place"] is None
    said = talk.say("bof", {"booking_place": "bof"})
    assert "pas compris le lieu" in said and "Où préférez-vous" in said
    said = talk.say("en visio", {"booking_place": "en visio"})
    assert talk.slots["booking_place"] == "visio" and "Quel jour" in said


def test_a_day_given_when_the_place_is_asked_is_kept_and_only_the_place_asked_again(booking):
    talk = Conversation("agent-a")
    talk.say("la psy", {"service": "psychologue"}, intent="book_appointment")
    for day in ("demain", "non plutôt la semaine prochaine", "lundi 30 novembre"):  # never counted as unreadable
        said = talk.say(day, {"booking_place": day})
        assert "C'est noté" in said and "Où préférez-vous" in said and talk.slots["booking_place"] is None, said
    assert talk.active and talk.slots["booking_period"] is not None
    said = talk.say("en visio", {"booking_place": "en visio"})
    assert talk.slots["booking_place"] == "visio" and "Quel jour" not in said and "lundi 30 novembre" in said, said


def test_a_place_named_in_a_message_read_as_another_question_is_still_the_answer(booking):
    talk = Conversation("agent-a")
    said = talk.say("rdv assistante sociale", {"service": "service_social"}, intent="book_appointment")
    assert "Où préférez-vous" in said
    # « Alès » reads as a question on life in Alès (no slot mapping takes it); the social worker's one campus in Alès.
    said = talk.say("Alès please", {}, intent="ask_policy")
    assert talk.slots["booking_place"] == "clavieres" and "Quel jour" in said, said
    other = Conversation("agent-b")
    other.say("rdv assistante sociale", {"service": "service_social"}, intent="book_appointment")
    other.say("c'est quoi le menu ?", {}, intent="ask_menu")  # names no place: left to the menu's rule
    assert other.slots["booking_place"] is None


def test_no_with_another_day_at_the_recap_offers_that_day(booking):
    talk = Conversation("agent-a")
    assert "Je récapitule" in talk.reach_recap("permanence_rh", "Clavières", "le premier")
    said = talk.say("non, plutôt mardi 8 décembre", {"booking_confirmed": False}, intent="deny")
    assert "rien réservé" not in said and all(b["title"].startswith("mar. 8 déc.") for b in talk.buttons), said
    assert booking.upcoming("agent-a") == []


def test_several_date_entities_in_one_message_are_read_together(booking):
    talk = Conversation("agent-a")
    entities = [{"entity": "date", "value": "dans 15 jours"}, {"entity": "date", "value": "l'aprem"}]
    said = talk.say(
        "rdv avocat par téléphone dans 15 jours l'aprem",
        {"service": "avocat", "booking_place": "par téléphone", "booking_period": "l'aprem"},
        intent="book_appointment",
        entities=entities,
    )
    assert talk.buttons and all(b["title"].startswith("mer. 9 déc.") for b in talk.buttons), said


def test_after_two_answers_the_form_cannot_read_the_booking_stops_kindly(booking):
    talk = Conversation("agent-a")
    talk.say("la psy", {"service": "psychologue", "booking_place": "visio"}, intent="book_appointment")
    said = talk.say("à la saint-glinglin", {"booking_period": "à la saint-glinglin"})
    assert "pas compris" in said and "Quel jour" in said and talk.active  # asked again
    said = talk.say("quand les poules auront des dents", {"booking_period": "quand les poules auront des dents"})
    assert said == talk_module.GAVE_UP and not talk.active
    assert [b["payload"] for b in talk.buttons] == ['/book_appointment{"service": "psychologue"}', "/human_handoff"]
    assert all(value is None for name, value in talk.slots.items() if name != "requested_slot")
    assert booking.upcoming("agent-a") == []


def test_answers_understood_but_not_possible_are_explained_and_never_end_the_form(booking):
    talk = Conversation("agent-a")
    talk.say("la psy", {"service": "psychologue"}, intent="book_appointment")
    for _ in range(3):
        said = talk.say("à Nîmes", {"booking_place": "à Nîmes"})
        assert "Nîmes" in said and talk.active and talk.slots["invalid_answers"] is None, said
    talk.say("en visio", {"booking_place": "en visio"})
    for _ in range(3):
        said = talk.say("hier", {"booking_period": "hier"})
        assert "passée" in said and talk.active and talk.slots["invalid_answers"] is None, said


def test_the_count_is_per_question_and_a_usable_answer_starts_it_again(booking):
    talk = Conversation("agent-a")
    talk.say("la psy", {"service": "psychologue"}, intent="book_appointment")
    talk.say("bof", {"booking_place": "bof"})
    assert talk.slots["invalid_answers"] == {"slot": "booking_place", "question": "booking_place", "count": 1}
    talk.say("en visio", {"booking_place": "en visio"})
    assert talk.slots["invalid_answers"] is None
    said = talk.say("à la saint-glinglin", {"booking_period": "à la saint-glinglin"})
    assert talk.active and talk.slots["invalid_answers"]["count"] == 1, said
    said = talk.say("dès que possible", {"booking_period": "dès que possible"})
    assert "créneaux" in said and talk.slots["invalid_answers"] is None and talk.active


def test_a_service_not_recognised_twice_stops_without_a_service_in_the_restart_button(booking):
    talk = Conversation("agent-a")
    said = talk.say("le dentiste", {"service": "le dentiste"}, intent="book_appointment")
    assert "Je n'ai pas reconnu ce service." in said and talk.active
    said = talk.say("le dentiste", {"service": "le dentiste"})
    assert said == talk_module.GAVE_UP and not talk.active
    assert talk.buttons[0]["payload"] == "/book_appointment"


TELEWORK_AND_BOOKING = "Bonjour, je voudrais savoir si je peux télétravailler, et aussi comment réserver un rendez-vous avec la psychologue ?"


def _starting_or_running(starting: bool) -> Tracker:
    """The tracker the booking form's validation gets for TELEWORK_AND_BOOKING: as the message starts the form
    (Rasa activates the loop after the message) or while the form was already running."""
    message = {
        "text": TELEWORK_AND_BOOKING,
        "intent": {"name": "book_appointment", "confidence": 0.64},
        "intent_ranking": [
            {"name": "book_appointment", "confidence": 0.64},
            {"name": "ask_telework", "confidence": 0.3},
        ],
        "entities": [],
    }
    user = {"event": "user", "text": TELEWORK_AND_BOOKING, "parse_data": message}
    loop = {"event": "active_loop", "name": "booking_form"}
    events = [user, loop] if starting else [loop, user]
    return Tracker("agent-a", {}, message, events, False, None, {"name": "booking_form"}, "action_listen")


def test_a_knowledge_question_asked_with_a_booking_request_is_answered_before_the_form_starts(
    booking, answerer, monkeypatch
):
    from actions import actions

    monkeypatch.setattr(actions, "answerer", lambda: answerer)
    messages, _ = run(booking_actions.ValidateBookingForm(), _starting_or_running(True))
    assert messages and messages[0]["text"].startswith(actions.SECOND_QUESTION) and "télétravail" in messages[0]["text"]
    # Inside a running form, the same message is an answer to the form, not a new question.
    messages, _ = run(booking_actions.ValidateBookingForm(), _starting_or_running(False))
    assert not any(m["text"].startswith(actions.SECOND_QUESTION) for m in messages)


def test_moving_a_booking_cancels_it_then_starts_the_booking_again_with_the_new_date(booking):
    lawyer = booking.free_slots("avocat")[0]
    booking.book(lawyer.id, "agent-a")
    # « déplacer … à jeudi »: « jeudi » is the new date, not the booking to find.
    messages, events = list_and_cancel(
        "agent-a", "je peux déplacer mon rdv à jeudi ?", "cancel_booking", [{"entity": "date", "value": "jeudi"}]
    )
    assert "Pour déplacer votre rendez-vous" in messages[0]["text"]
    pending = events[-1]["value"]
    messages, _ = list_and_cancel("agent-a", "non", "deny", [], {"pending_question": pending})
    assert "je garde" in messages[0]["text"] and booking.slot(lawyer.id).holder == "agent-a"
    messages, events = list_and_cancel("agent-a", "oui", "affirm", [], {"pending_question": pending})
    assert "C'est annulé" in messages[0]["text"] and booking.slot(lawyer.id).holder is None
    (request,) = [e for e in events if e["event"] == "user"]
    assert request["parse_data"]["intent"]["name"] == "book_appointment"
    assert {(e["entity"], e["value"]) for e in request["parse_data"]["entities"]} == {
        ("service", "avocat"),
        ("date", "jeudi"),
    }


def test_a_place_and_a_day_in_one_answer_and_a_new_service_that_does_not_receive_there(booking):
    talk = Conversation("agent-a")
    talk.say("je voudrais voir la psy", {"service": "psy"}, intent="book_appointment")
    said = talk.say("Clavières, mardi 8 décembre", {"booking_place": "Clavières, mardi 8 décembre"})
    assert "Quel jour" not in said and "mar. 8 déc." in " ".join(b["title"] for b in talk.buttons)
    # The talent developer receives at Croupillac; the psychologist does not: the place is asked again.
    other = Conversation("agent-b")
    other.say("rdv développeur de talents", {"service": "developpeur_talents"}, intent="book_appointment")
    other.say("Croupillac", {"booking_place": "Croupillac"})
    said = other.say("finalement la psychologue", {"service": "psychologue"}, intent="book_appointment")
    assert other.slots["booking_place"] is None and "Où préférez-vous" in said
