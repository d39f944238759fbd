"""The eligibility form's custom actions, driven turn by turn as Rasa drives them, on a real database."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from sqlalchemy import inspect, text

from actions import actions as content_actions
from actions import eligibility as eligibility_actions
from bot.core.db import Database
from bot.eligibility.rules import rule_book
from tests.support import FormTalk, domain, run

DOMAIN = domain()
REQUIRED = DOMAIN["forms"]["eligibility_form"]["required_slots"]
FORM_SLOTS = ("eligibility_answer", "eligibility_state", "eligibility_scheme")
SOCIAL_WORKER = '/book_appointment{"service": "service_social"}'


@pytest.fixture(autouse=True)
def use_project_rules(monkeypatch, content_database, answerer):
    monkeypatch.setattr(eligibility_actions, "rules", lambda: rule_book(content_database))
    monkeypatch.setattr(eligibility_actions, "today", lambda: date(2026, 11, 25))
    monkeypatch.setattr(content_actions, "answerer", lambda: answerer)


class Check(FormTalk):
    """One person's eligibility check: what Rasa's FormAction does around our actions, in a few lines."""

    form = "eligibility_form"
    question = ""

    def _form_turn(self, said: str, intent: str, entities: list[dict], extracted: dict) -> str:
        """The validation action, then the next question, or the end of the form and its final action."""
        self.slots.update(extracted)
        messages, events = run(
            eligibility_actions.ValidateEligibilityForm(), self.tracker(said, intent, entities, extracted)
        )
        self.apply(events)
        self.said = messages
        finished = SlotSet("requested_slot", None) in events or not self.active
        missing = next((name for name in REQUIRED if self.slots[name] is None), None)
        if self.active and not finished and missing:
            self.slots["requested_slot"] = missing
            messages, events = run(eligibility_actions.ActionAskEligibilityAnswer(), self.tracker(said, intent, [], {}))
            self.apply(events)
            self.question = "\n".join(m.get("text") or "" for m in messages)
            self.said += messages
        elif self.active:
            self.active = False
            messages, events = run(eligibility_actions.ActionEligibilityDone(), self.tracker(said, intent, [], {}))
            self.apply(events)
            self.said += messages
        return self.text

    def start(self, said: str, aid_type: str | None = None) -> str:
        """« ai-je droit au CESU ? »: the scheme comes from the aid_type entity, then the form activates."""
        entities = [{"entity": "aid_type", "value": aid_type}] if aid_type else []
        self.active = True
        return self._form_turn(said, "check_aid_eligibility", entities, {"eligibility_scheme": aid_type})

    def say(self, said: str, intent: str = "inform", entities: list[dict] | None = None) -> str:
        """An answer: the domain's from_text mapping puts the whole message in the answer slot."""
        return self._form_turn(said, intent, entities or [], {"eligibility_answer": said})

    def click(self, title: str) -> str:
        button = next(b for b in self.buttons if b["title"] == title)
        value = button["payload"].split('"answer": "')[1].rstrip('"}')
        return self.say(button["payload"], entities=[{"entity": "answer", "value": value}])

    def interrupt(self, said: str, intent: str, action) -> str:
        """Another question mid-form: the rule's action answers it, then Rasa runs the form again."""
        messages, _ = run(action, self.tracker(said, intent, [], {}))
        answered = "\n".join(m.get("text") or "" for m in messages)
        resumed = self._form_turn(said, intent, [], {})
        return f"{answered}\n{resumed}"

    def stop(self, said: str, intent: str) -> str:
        messages, events = run(eligibility_actions.ActionEligibilityStop(), self.tracker(said, intent, [], {}))
        self.apply(events)
        self.said = messages
        return self.text

    @property
    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.said)

    @property
    def forgotten(self) -> bool:
        return all(self.slots[name] is None for name in FORM_SLOTS)


def test_cesu_asks_only_what_its_rules_need_then_gives_a_reasoned_verdict():
    check = Check()
    said = check.start("est-ce que j'ai droit au CESU ?", "cesu")
    assert (
        "CESU garde d'enfant 0-6 ans" in said and "ne sont pas conservées" in said and "Quel est votre statut" in said
    )
    assert [b["title"] for b in check.buttons] == [
        "Fonctionnaire titulaire",
        "Fonctionnaire stagiaire",
        "Agent contractuel (CDD ou CDI)",
        "Retraité ou retraitée",
    ]
    assert "enfants à charge" in check.say("je suis contractuelle depuis 2 ans")
    assert "garder votre enfant" in check.say("deux enfants de 3 et 7 ans")
    assert "en couple" in check.click("Oui")
    assert "parts fiscales" in check.say("en couple")
    assert "revenu fiscal de référence" in check.say("3 parts")
    said = check.say("environ 28 000 €")
    assert not check.active
    for expected in (
        "vous remplissez les conditions",
        "✔ vous êtes en activité : agent contractuel (CDD ou CDI)",
        "✔ enfant de moins de 6 ans",
        "✔ garde payante",
        "✔ revenu fiscal de référence de 28 000 €, sous le plafond de 49 948 € pour 3 parts (barème 2025)",
        "700 € par an et par enfant",
        "Montants 2025 (barème en vigueur depuis 2020, toujours appliqué en 2025), qui ont pu changer depuis",
        "cesu-fonctionpublique.fr",
        "Source : ",
        "sous réserve de l'instruction de votre dossier",
    ):
        assert expected in said, expected
    assert SOCIAL_WORKER in [b["payload"] for b in check.buttons]
    assert check.forgotten  # nothing kept once the form has ended


def test_a_ceiling_exceeded_says_which_and_for_how_many_parts():
    check = Check()
    check.start("ai-je droit à l'AIP ?", "logement")
    for answer in ("titulaire", "oui", "8 mois", "oui", "2 parts"):
        check.say(answer, intent="affirm" if answer == "oui" else "inform")
    said = check.say("45k")
    assert "une condition n'est pas remplie" in said
    assert "✘ revenu fiscal de référence de 45 000 €, au-dessus du plafond de 41 383 € pour 2 parts" in said
    assert "1 500 €" not in said  # no amount for a scheme that does not apply


def test_an_answer_not_understood_is_asked_again_with_an_example_then_the_social_worker_is_offered():
    check = Check()
    check.start("la prestation repas ?", "restauration")
    check.say("titulaire")
    question = check.question
    said = check.say("plutôt élevé")
    assert (
        "Je n'ai pas trouvé de nombre" in said and "par exemple « indice 420 », « 539 » ou « je ne sais pas »" in said
    )
    assert check.question == question and check.active  # the same question, again
    said = check.say("ça dépend des mois")
    assert "je préfère ne pas deviner" in said and not check.active
    assert [b["payload"] for b in check.buttons] == [
        SOCIAL_WORKER,
        '/check_aid_eligibility{"aid_type": "restauration"}',
    ]
    assert check.forgotten


def test_a_valid_answer_between_two_bad_ones_starts_the_count_again():
    check = Check()
    check.start("chèques-vacances", "cheques_vacances")
    check.say("bof")
    check.say("stagiaire")
    said = check.say("vieux")
    assert "Je n'ai pas trouvé de nombre" in said and check.active


def test_i_do_not_know_is_accepted_and_the_verdict_says_where_to_find_it():
    check = Check()
    check.start("prestation repas", "restauration")
    check.say("stagiaire")
    said = check.say("je ne sais pas")
    assert "Je ne peux pas vous répondre avec certitude" in said
    assert "? point non vérifié, faute de connaître votre indice majoré" in said and "bulletin de paie" in said


def test_a_question_mid_form_is_answered_and_the_same_question_comes_back():
    check = Check()
    check.start("ai-je droit au CESU ?", "cesu")
    check.say("titulaire")
    question = check.question
    said = check.interrupt("on mange quoi à midi ?", "ask_menu", content_actions.ActionAnswerMenu())
    assert "végétarien" in said.lower() and check.question == question and check.active
    assert check.slots["eligibility_state"]["facts"] == {"statut": "titulaire"}  # nothing lost
    assert "garder votre enfant" in check.say("un enfant de 2 ans")


def test_annuler_or_no_stops_the_check_and_forgets_the_answers():
    check = Check()
    check.start("ai-je droit au CESU ?", "cesu")
    check.say("titulaire")
    said = check.stop("annuler", "cancel_booking")  # « annuler » is not an answer: the rule stops the form
    assert "j'arrête la vérification" in said and not check.active and check.forgotten

    check = Check()
    check.start("l'aide au logement", "logement")
    said = check.say("non", intent="deny")  # « non » to « quel est votre statut ? »
    assert "j'arrête la vérification" in said and not check.active and check.forgotten
    assert "Ce que j'ai vérifié" not in said

    check = Check()
    check.start("l'AEEH", "aeeh")
    check.say("titulaire")
    said = check.say("laisse tomber", intent="deny")  # to a yes / no question
    assert "j'arrête la vérification" in said and not check.active


def test_no_to_a_yes_no_question_is_an_answer():
    check = Check()
    check.start("l'AEEH", "aeeh")
    check.say("titulaire")
    said = check.say("non", intent="deny")
    assert "a priori, ce dispositif ne s'applique pas à vous" in said and "✘ l'allocation suppose un enfant" in said


def test_distress_mid_form_stops_without_a_second_message():
    check = Check()
    check.start("ai-je droit au CESU ?", "cesu")
    assert check.stop("je veux mourir", "urgent_distress") == "" and not check.active and check.forgotten


def test_a_case_by_case_scheme_asks_nothing_and_sends_to_the_social_worker():
    check = Check()
    said = check.start("je peux avoir un secours ?", "aide_financiere")
    assert not check.active and "accordé au cas par cas" in said and "2 000 €" in said
    assert "Montants 2010, qui ont pu changer depuis" in said and SOCIAL_WORKER in [b["payload"] for b in check.buttons]


def test_without_a_scheme_a_few_profile_questions_then_the_schemes_that_may_apply():
    check = Check()
    said = check.start("à quelles aides ai-je droit ?")
    assert "les aides qui peuvent vous concerner" in said and "statut" in said
    check.say("fonctionnaire")
    said = check.say("je n'ai pas d'enfant")
    assert "peuvent vous concerner" in said and "Ceux-ci ne semblent pas vous concerner" in said
    possible = {b["title"]: b["payload"] for b in check.buttons}
    assert possible["Chèques-vacances"] == '/check_aid_eligibility{"aid_type": "cheques_vacances"}'
    assert (
        "CESU garde d'enfant 0-6 ans" not in possible
        and "CESU garde d'enfant 0-6 ans : pas d'enfant de moins de 6 ans (aucun enfant)" in said
    )
    assert "Arbre de Noël des enfants du personnel" not in possible and check.forgotten


def test_a_retired_person_is_told_which_schemes_remain():
    check = Check()
    check.start("mes droits ?")
    check.say("retraitée")
    check.say("un enfant de 15 ans")
    possible = [b["title"] for b in check.buttons]
    assert (
        "Chèques-vacances" not in possible
        and "Allocation aux parents d'un enfant handicapé (liée à l'AEEH)" in possible
    )


def test_an_unknown_scheme_name_falls_back_to_the_profile_and_a_scheme_without_rules_says_so(monkeypatch, database):
    check = Check()
    assert "les aides qui peuvent vous concerner" in check.start("droit au truc ?", "truc")
    empty = Database(database.url)
    monkeypatch.setattr(eligibility_actions, "rules", lambda: rule_book(empty))
    check = Check()
    said = check.start("ai-je droit au CESU ?", "cesu")
    assert "Je n'ai pas de règles pour vérifier ce dispositif" in said and not check.active


def test_a_database_that_is_down_stops_the_check_with_a_clear_answer(monkeypatch):
    unreachable = Database("postgresql+psycopg://assistant@127.0.0.1:1/assistant?connect_timeout=2")
    monkeypatch.setattr(eligibility_actions, "rules", lambda: rule_book(unreachable))
    check = Check()
    said = check.start("ai-je droit au CESU ?", "cesu")
    assert "momentanément indisponible" in said and not check.active


def test_answers_are_neither_logged_nor_written_to_the_database(content_database, caplog):
    def counts() -> dict[str, int]:
        with content_database.engine.connect() as connection:
            return {
                t: connection.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar()
                for t in inspect(content_database.engine).get_table_names()
            }

    before = counts()
    caplog.set_level(logging.DEBUG)
    check = Check()
    check.start("ai-je droit au CESU ?", "cesu")
    for answer in (
        "contractuelle chez Dupont depuis 2 ans",
        "un enfant de 4 ans",
        "oui",
        "en couple",
        "3 parts",
        "31 337 €",
    ):
        check.say(answer)
    assert "Dupont" not in caplog.text and "31 337" not in caplog.text and "31337" not in caplog.text
    assert counts() == before and not check.active and check.forgotten


def test_an_eligibility_question_during_another_form_gets_what_the_check_will_ask():
    messages, _ = run(
        content_actions.ActionCheckAidEligibility(),
        Tracker(
            "agent-a",
            {},
            {
                "text": "et le CESU ?",
                "intent": {"name": "check_aid_eligibility"},
                "entities": [{"entity": "aid_type", "value": "cesu"}],
            },
            [],
            False,
            None,
            {},
            "action_listen",
        ),
    )
    said = messages[0]["text"]
    assert "je vous demanderai votre statut, l'âge de vos enfants" in said and "ai-je droit au dispositif" in said


def test_the_stop_action_leaves_no_form_running():
    _, events = run(
        eligibility_actions.ActionEligibilityStop(),
        Tracker(
            "a",
            {},
            {"text": "stop", "intent": {"name": "cancel_booking"}},
            [],
            False,
            None,
            {"name": "eligibility_form"},
            "action_listen",
        ),
    )
    assert ActiveLoop(None) in events and SlotSet("eligibility_state", None) in events


def test_the_check_counts_unreadable_answers_with_the_forms_one_retry_policy():
    from actions import base

    assert base.MAX_INVALID == 2
    check = Check()
    check.start("la prestation repas ?", "restauration")
    check.say("bof")
    assert check.slots["invalid_answers"] == {"slot": "eligibility_answer", "question": "statut", "count": 1}
    check.say("titulaire")
    assert check.slots["invalid_answers"] is None  # a usable answer: the count starts again
    check.say("plutôt élevé")
    assert check.slots["invalid_answers"]["question"] == "indice" and check.active
    said = check.say("ça dépend des mois")
    assert said.startswith(eligibility_actions.talk.HANDOFF) and not check.active
    assert check.forgotten and check.slots["invalid_answers"] is None


def test_a_fact_asked_about_a_scheme_comes_first_with_a_button_that_starts_the_check():
    check = Check()
    said = check.start("le CESU garde d'enfant c'est jusqu'à quel âge de l'enfant ?", "cesu")
    assert not check.active and "6 ans" in said and "Quel est votre statut" not in said
    assert "D'après la fiche" in said and check.forgotten
    button = next(b for b in check.buttons if b["title"] == eligibility_actions.CHECK_BUTTON)
    assert button["payload"] == '/check_aid_eligibility{"aid_type": "cesu"}'
    # The button (or « ai-je droit au CESU ? ») starts the check itself.
    again = Check()
    assert "Quel est votre statut" in again.start(button["payload"], "cesu") and again.active
    assert "Quel est votre statut" in Check().start("est-ce que j'ai droit au CESU ?", "cesu")


def test_a_right_that_is_not_a_social_aid_is_answered_not_checked():
    check = Check()
    said = check.start("si j'exerce mon droit de retrait, on peut me retirer du salaire ?")
    assert not check.active and "retrait" in said and "D'après la fiche" in said and "statut" not in said


def test_what_the_base_says_it_does_not_know_is_said_plainly_not_checked():
    check = Check()
    said = check.start("je suis en CDD, est-ce que je toucherai une prime de précarité à la fin de mon contrat ?")
    assert not check.active and "Quel est votre statut" not in said
    # The article's own sentence saying the base does not know it, and where to ask.
    assert "précarité" in said and "ne la connaît pas" in said and "service RH" in said


def test_what_the_person_already_said_is_not_asked_again():
    check = Check()
    said = check.start("ai-je droit au CESU ? j'ai 2 enfants de 3 et 5 ans", "cesu")
    assert "D'après votre message, j'ai noté l'âge de vos enfants : 3 et 5 ans." in said
    assert "ne sont pas conservées" in said and "Quel est votre statut" in said  # still the check's opening
    said = check.say("je suis titulaire, mon revenu fiscal de référence est de 32000 euros, 2 parts")
    assert "votre revenu fiscal de référence : 32 000 €" in said and "votre nombre de parts fiscales : 2" in said
    asked = [said, check.say("oui"), check.say("en couple")]  # paid childcare; the household
    assert not check.active and "CESU garde d'enfant 0-6 ans —" in asked[-1]  # the verdict, nothing asked twice
    questions = "\n".join(asked)
    assert "enfants à charge" not in questions and "revenu fiscal de référence de votre foyer" not in questions
    assert "Combien de parts" not in questions


def test_a_right_asked_about_another_topic_is_a_question_for_the_base_not_a_check():
    # No scheme named, the nearest article about leave: the base's reply (here its nearest articles to open), and
    # the button that starts a check if that was what the person meant.
    check = Check()
    said = check.start("mon frère se marie le mois prochain, j'ai droit à quelque chose ?")
    assert not check.active and "Quel est votre statut" not in said and check.forgotten
    assert eligibility_actions.CHECK_BUTTON in [b["title"] for b in check.buttons]
    assert any("mariage" in b["title"].lower() or "mariage" in b["payload"] for b in check.buttons) or "mariage" in said
    # « à quelles aides ai-je droit ? » is still the check.
    assert "Quel est votre statut" in Check().start("à quelles aides ai-je droit ?")
