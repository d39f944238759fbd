"""« Ask HR » through the REST channel of a running assistant (real model, real actions, its own database): a
question the base cannot answer is offered to HR, shown, rewritten, sent with « Envoyer »; another person
cannot see it; HR answers (as the back-office inbox will, through CaseStore); the answer comes back once at the
person's next message; no case text in the assistant's log."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from bot.cases.store import CaseStore
from bot.core.db import default_database
from tests.e2e.client import Person, require_assistant

require_assistant()

ROOT = Path(__file__).resolve().parents[2]
OFFER = "Transmettre ma question au service RH"


def test_a_question_reaches_hr_with_consent_and_the_answer_comes_back():
    store = CaseStore(default_database())
    marker = f"Parkingzorg{uuid.uuid4().hex[:8]}"
    alex, sam = Person("askhr-alex"), Person("askhr-sam")
    said = alex.say("Combien coûte une place de parking au campus de Clavières en 2027 ?")
    assert any(b["title"] == OFFER for b in alex.buttons), said  # « je ne sais pas » or the fallback
    said = alex.click(OFFER)
    assert "Voici ce qui sera transmis" in said and "parking" in said, said
    assert store.mine(alex.sender) == []  # nothing stored before « Envoyer »
    rewritten = f"Le parking de Clavières est-il payant pour le personnel en 2027 ? {marker}"
    said = alex.say(rewritten)
    assert marker in said and "Envoyer" in [b["title"] for b in alex.buttons], said
    said = alex.click("Envoyer")
    [case] = store.mine(alex.sender)
    assert case.text == rewritten and case.reference in said, said

    said = sam.say("mes demandes")
    assert case.reference not in said and marker not in said, said

    store.answer(case.reference, f"Non, il est gratuit. {marker}-réponse", "Camille (RH)")
    said = alex.say("bonjour")
    assert "Le service RH a répondu" in said and f"{marker}-réponse" in said, said
    said = alex.say("bonjour")
    assert "Le service RH a répondu" not in said, said  # once
    said = alex.say("mes demandes")
    assert "répondue" in said and f"{marker}-réponse" in said, said

    log = ROOT / "var" / f"assistant-{os.environ.get('RASA_PORT', '5005')}.log"
    if log.exists():
        assert marker not in log.read_text(encoding="utf-8", errors="replace")


def test_a_crisis_message_is_never_offered_the_path():
    person = Person("askhr-crisis")
    said = person.say("je veux en finir, je ne sais plus quoi faire")
    assert "3114" in said and not any(b["title"] == OFFER for b in person.buttons), said


def test_the_widgets_hidden_payload_shows_the_answer_mid_booking_and_the_booking_goes_on():
    store = CaseStore(default_database())
    person = Person("askhr-booking")
    case = store.open(person.sender, "Alex", "Le parking de Clavières est-il payant en 2027 ?", "policy")
    said = person.say("/check_hr_answers")
    assert said == "", said  # not answered yet: nothing said, nothing marked
    said = person.say("Bonjour, je voudrais prendre rendez-vous avec la psychologue")
    assert "Où préférez-vous" in said, said
    store.answer(case.reference, "Non, il est gratuit pour le personnel.", "Camille (RH)")
    said = person.say("/check_hr_answers")
    assert "Le service RH a répondu" in said and "il est gratuit" in said and "Où préférez-vous" in said, said
    assert store.get(case.reference).delivered_at is not None
    said = person.say("en visio")
    assert "Quel jour" in said, said  # the booking goes on where it was
    said = person.say("/check_hr_answers")
    assert "Le service RH a répondu" not in said, said  # once
