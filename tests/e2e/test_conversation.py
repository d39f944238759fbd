"""Whole conversations through the REST channel of a running assistant (real model, real actions).

Run by `make test` against an assistant of its own (own ports, own database):
see the Makefile's e2e step. Skipped when no assistant answers, except under CI.
"""

from __future__ import annotations

import pytest

from bot.booking.bookings import Booking
from bot.core.db import default_database
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
    # On a Saturday, Sunday is « demain »: « Le restaurant est fermé demain, dimanche 6 décembre (week-end) ».
    assert "Le restaurant est fermé" in said and "dimanche" in said and "week-end" in said, said


def test_an_eligibility_check_in_natural_french_reaches_a_reasoned_verdict():
    dominique = Person("dominique-eligibility")
    said = dominique.say("est-ce que j'ai droit au CESU ?")
    assert "Quel est votre statut" in said, said
    said = dominique.say("je suis contractuelle depuis 2 ans")
    assert "enfants à charge" in said, said
    said = dominique.say("au fait, qu'est-ce qu'on mange à midi ?")  # answered, then the same question again
    assert "enfants à charge" in said and ("menu" in said.lower() or "fermé" in said), said
    said = dominique.say("deux enfants de 3 et 7 ans")
    assert "garder votre enfant" in said, said
    said = dominique.click("Oui")
    assert "en couple" in said, said
    said = dominique.say("en couple")
    assert "parts fiscales" in said, said
    said = dominique.say("trois parts")
    assert "revenu fiscal de référence" in said, said
    said = dominique.say("environ 28 000 €")
    for expected in (
        "vous remplissez les conditions",
        "✔ enfant de moins de 6 ans",
        "sous le plafond de 49 948 € pour 3 parts",
        "700 €",
        "sous réserve de l'instruction",
        "Source :",
    ):
        assert expected in said, said
    assert any(b["payload"].startswith("/book_appointment") for b in dominique.buttons)
    said = dominique.say("bonjour")
    assert "revenu fiscal" not in said, said  # the form is over


def test_without_a_scheme_the_profile_then_a_scheme_checked_from_its_button():
    lou = Person("lou-eligibility")
    said = lou.say("à quelles aides ai-je droit ?")
    assert "Quel est votre statut" in said, said
    lou.click("Fonctionnaire titulaire")
    said = lou.say("je n'ai pas d'enfant")
    assert "peuvent vous concerner" in said and "ne semblent pas vous concerner" in said, said
    said = lou.click("Vaccination gratuite contre la grippe")  # no question: the verdict at once
    assert "ouverte à tous les membres du personnel" in said and "sous réserve" in said, said
    said = lou.say("je veux vérifier mes droits aux chèques-vacances")
    assert "Quel est votre statut" in said, said
    said = lou.say("annuler")
    assert "j'arrête la vérification" in said, said
