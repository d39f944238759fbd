"""Whole conversations through the REST channel of a running assistant (real model, real actions).

Run by `make test` against an assistant of its own (own ports, own database):
see the Makefile's e2e step. Skipped when no assistant answers, except under CI.
"""

from __future__ import annotations

import pytest

from bot.booking import Booking
from bot.db import default_database
from tests.e2e.client import Person, require_assistant

require_assistant()


@pytest.fixture(scope="module")
def booking() -> Booking:
    return Booking(default_database())


def test_book_list_and_cancel_a_slot_by_conversation(booking):
    camille, dominique = Person("camille"), Person("dominique")
    said = camille.say("Bonjour, je voudrais prendre rendez-vous avec la psychologue")
    assert "Où préférez-vous" in said, said
    said = camille.say("en visio")
    assert "Quel jour" in said, said
    said = camille.say("dès que possible")
    assert "créneaux libres" in said and camille.buttons, said
    chosen = camille.buttons[0]["title"]
    said = camille.click(chosen)
    assert "Je récapitule" in said, said
    said = camille.say("oui je confirme")
    assert "C'est réservé" in said and "Aucun motif" in said and ".ics" in said, said
    (slot,) = booking.upcoming(camille.sender)
    assert slot.title == chosen and slot.reference in said

    said = dominique.say("quels sont mes rendez-vous ?")
    assert slot.reference not in said and "aucun rendez-vous" in said, said
    dominique.say("annuler mon rendez-vous")
    dominique.say("oui")
    assert booking.slot(slot.id).holder == camille.sender  # someone else cannot cancel it

    said = camille.say("quels sont mes rendez-vous ?")
    assert slot.reference in said, said
    said = camille.say("je voudrais annuler mon rendez-vous avec la psychologue")
    assert "Voulez-vous annuler" in said, said
    said = camille.say("oui")
    assert "C'est annulé" in said, said
    assert booking.slot(slot.id).holder is None and booking.upcoming(camille.sender) == []


def test_a_question_mid_form_is_answered_and_the_form_resumes_then_stops(booking):
    alex = Person("alex")
    said = alex.say("je souhaite un rendez-vous avec l'avocat")
    assert "Où préférez-vous" in said, said
    said = alex.say("combien de jours de télétravail puis-je faire par semaine ?")
    assert "télétravail" in said.lower() and "Où préférez-vous" in said, said
    said = alex.say("laisse tomber")
    assert "aucun rendez-vous n'a été pris" in said, said
    said = alex.say("bonjour")
    assert "Où préférez-vous" not in said, said
    assert booking.upcoming(alex.sender) == []


def test_an_unknown_date_is_asked_again_and_distress_comes_first(booking):
    sam = Person("sam")
    sam.say("rdv avec la médecine du travail")
    said = sam.say("à la saint-glinglin")
    assert "Quel jour" in said and "par exemple" in said.lower(), said  # asked again, with an example
    said = sam.say("je n'en peux plus, je veux mourir")
    assert "3114" in said and "Quel jour" not in said, said
    assert booking.upcoming(sam.sender) == []


def test_the_restaurant_answers_today_a_named_day_and_sunday():
    claude = Person("claude")
    said = claude.say("on mange quoi à midi ?")
    assert "Au menu aujourd'hui" in said or "Le restaurant est fermé aujourd'hui" in said, said
    said = claude.say("menu de vendredi")
    assert "vendredi" in said and ("Plat végétarien et sans porc" in said or "fermé" in said), said
    said = claude.say("le restaurant est-il ouvert dimanche ?")
    assert "Le restaurant est fermé dimanche" in said and "week-end" in said, said
