"""One base for every custom action: one way to name it, one database-error handler, one way to stop a form."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

import pytest
from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher
from sqlalchemy.exc import OperationalError

from actions import actions as content_actions
from actions import base, support
from actions import booking as booking_actions
from actions import cases as case_actions
from actions import eligibility as eligibility_actions
from bot.booking.bookings import Booking
from bot.cases.store import CaseStore
from bot.core.db import Database
from bot.eligibility.rules import rule_book
from bot.knowledge.answering import Answerer
from tests.support import ROOT, action_names, domain

# A SQLite file in a directory that does not exist: every connection fails at once, as when the database is down.
DOWN = Database("sqlite:////nonexistent-directory/assistant.db")
# Actions that answer without the database on purpose (the answers that matter most when something goes
# wrong), or that never read it; the database-error handler is around them all the same.
ANSWER_WITHOUT_DATABASE = {
    "action_answer_rps",
    "action_answer_harassment",
    "action_human_handoff",
    "action_answer_privacy",
    "action_offer_support",
    "action_accept_support",
    "action_crisis_reply",
    "action_booking_unclear",
    "action_booking_stop",
    "action_eligibility_stop",
    "action_answer_no",
    "action_ask_service",
    "action_ask_booking_period",
    "action_offer_send_to_hr",
    "action_cancel_send_to_hr",
    "action_deliver_answers",  # after the greeting: says nothing more when the database is down
}


def registered() -> dict[str, object]:
    """The actions the action server registers, by name: instances, as it runs them."""
    executor = ActionExecutor()
    executor.register_package("actions")
    return {name: run.__self__ for name, run in executor.actions.items()}


def test_every_action_is_named_one_way_and_its_name_is_in_the_domain():
    actions = registered()
    assert set(actions) == action_names()
    for name, action in actions.items():
        assert isinstance(action, base.Named), name
        assert type(action).name is base.Named.name, f"{name} overrides name()"
        assert action.name() == action.action_name == name


def test_no_action_module_defines_name_or_catches_database_errors_itself():
    for path in (ROOT / "actions").glob("*.py"):
        if path.name == "base.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "name"], path
        assert "SQLAlchemyError" not in path.read_text(encoding="utf-8"), path
        assert "OperationalError" not in path.read_text(encoding="utf-8"), path


def test_the_actions_import_nothing_from_the_web_server_or_the_runtime():
    for path in (ROOT / "actions").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [m for m in imported if m.startswith(("bot.web", "bot.runtime", "rasa_components"))], path


def test_every_action_runs_inside_the_one_database_error_handler():
    for name, action in registered().items():
        assert getattr(type(action).run, "answers_database_errors", False), name


@pytest.fixture
def database_down(monkeypatch):
    down = Booking(DOWN)
    monkeypatch.setattr(content_actions, "answerer", lambda: Answerer(DOWN))
    monkeypatch.setattr(booking_actions, "booking", lambda: down)
    monkeypatch.setattr(support, "booking", lambda: down)
    monkeypatch.setattr(eligibility_actions, "rules", lambda: rule_book(DOWN))
    monkeypatch.setattr(case_actions, "case_store", lambda: CaseStore(DOWN))


def down_tracker(name: str) -> Tracker:
    """A turn that makes each action read the database: a form running, an answer to validate."""
    form = {"validate_booking_form": "booking_form", "validate_eligibility_form": "eligibility_form"}.get(name)
    slots = {
        "service": "psychologue",
        "booking_choice": "1",
        "booking_reference": "ABC123",
        "pending_question": "cancel:1",
        "eligibility_scheme": "cesu",
    }
    message = {
        "text": "psychologue",
        "intent": {"name": "inform", "confidence": 0.9},
        "entities": [{"entity": "service", "value": "psychologue"}, {"entity": "aid_type", "value": "cesu"}],
    }
    events = [
        {"event": "user", "text": "psychologue", "parse_data": message},
        {"event": "slot", "name": "service", "value": "psychologue"},
        {"event": "slot", "name": "eligibility_answer", "value": "titulaire"},
    ]
    slots["eligibility_answer"] = "titulaire"
    if name == "action_confirm_send_to_hr":  # « Envoyer » after the text was shown
        slots |= {"hr_question": {"text": "une question", "topic": "policy"}, "pending_question": "send_to_hr"}
    return Tracker("agent-a", slots, message, events, False, None, {"name": form} if form else {}, "action_listen")


def test_every_action_that_reads_the_database_answers_in_french_when_it_is_down(database_down):
    for name, action in registered().items():
        dispatcher = CollectingDispatcher()
        events = asyncio.run(action.run(dispatcher, down_tracker(name), domain()))  # nothing escapes
        texts = [m.get("text") for m in dispatcher.messages]
        if name in ANSWER_WITHOUT_DATABASE:
            assert base.UNAVAILABLE not in texts, name
            continue
        assert texts == [base.UNAVAILABLE], name
        assert events == action.abandon(), name
        if isinstance(action, (FormValidationAction, base.FormAction)):
            assert ActiveLoop(None) in events and SlotSet("requested_slot", None) in events, name
            assert SlotSet(base.INVALID_ANSWERS, None) in events, name
        if action.tagged:
            assert all(m.get("kind") == name for m in dispatcher.messages), name


def test_the_handler_turns_any_database_error_into_the_french_answer_and_the_abandon_events(monkeypatch):
    def refused():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(booking_actions, "booking", refused)
    dispatcher = CollectingDispatcher()
    tracker = Tracker("agent-a", {}, {"text": "mes rdv"}, [], False, None, {}, "action_listen")
    events = asyncio.run(booking_actions.ActionListBookings().run(dispatcher, tracker, {}))
    assert [m["text"] for m in dispatcher.messages] == [base.UNAVAILABLE]
    assert dispatcher.messages[0]["kind"] == "action_list_bookings"
    assert events == [
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        *[SlotSet(name, None) for name in booking_actions.FORM_SLOTS],
        SlotSet(base.INVALID_ANSWERS, None),
    ]
    assert "momentanément indisponible" in base.UNAVAILABLE


def test_both_forms_stop_one_way_and_share_one_retry_policy():
    assert booking_actions.stop_form() == base.stop_form(booking_actions.FORM_SLOTS)
    assert eligibility_actions.stop_form() == base.stop_form(eligibility_actions.FORM_SLOTS)
    for validator in (booking_actions.ValidateBookingForm, eligibility_actions.ValidateEligibilityForm):
        assert validator.invalid is base.FormValidation.invalid and validator.run is base.FormValidation.run
    assert "invalid_answers" in domain()["slots"]
    assert domain()["slots"]["invalid_answers"]["influence_conversation"] is False


def test_no_action_file_uses_the_point_median():
    for path in [*(ROOT / "actions").glob("*.py"), ROOT / "bot" / "booking" / "dialogue.py"]:
        assert "·" not in Path(path).read_text(encoding="utf-8"), path
