"""data/rules/form_interruptions.yml is generated from one table (scripts/form_rules.py): it must be fresh."""

from __future__ import annotations

import importlib.util
import sys

import yaml

from tests.support import ROOT, action_names, domain

_spec = importlib.util.spec_from_file_location("form_rules", ROOT / "scripts" / "form_rules.py")
form_rules = importlib.util.module_from_spec(_spec)
sys.modules["form_rules"] = form_rules  # dataclasses look their module up there
_spec.loader.exec_module(form_rules)


def test_the_generated_rules_file_is_up_to_date():
    assert form_rules.OUTPUT.read_text(encoding="utf-8") == form_rules.render(), (
        "data/rules/form_interruptions.yml is stale: run `python scripts/form_rules.py`, then retrain"
    )


def test_every_form_of_the_domain_has_its_interruptions_and_every_name_exists():
    merged = domain()
    assert set(form_rules.FORMS) == set(merged["forms"])
    known = action_names() | set(merged["responses"]) | set(merged["forms"]) | {"action_fallback"}
    intents = set(merged["intents"]) | {"nlu_fallback"}
    rules = yaml.safe_load(form_rules.render())["rules"]
    for rule in rules:
        for step in rule["steps"]:
            assert step.get("action", "action_fallback") in known, step
            assert step.get("intent", "greet") in intents, step
    for form in form_rules.FORMS:
        interrupted = {r["steps"][0]["intent"] for r in rules if r["condition"] == [{"active_loop": form}]}
        assert set(form_rules.RESUMING) | {"urgent_distress", "goodbye", "deny", "cancel_booking"} <= interrupted


def test_no_form_reads_a_message_answered_in_passing_as_its_answer():
    """A from_text slot of a form must exclude every intent answered in passing (the widget's hidden payload
    /check_hr_answers included): otherwise the form takes the message as its answer and the rule never runs."""
    in_passing = set(form_rules.RESUMING) - {"nlu_fallback"}  # the fallback has no examples to exclude
    for name, slot in domain()["slots"].items():
        for mapping in slot.get("mappings") or []:
            if mapping.get("type") == "from_text" and mapping.get("conditions"):
                assert in_passing <= set(mapping.get("not_intent") or []), (
                    name,
                    in_passing - set(mapping["not_intent"]),
                )


def test_every_message_a_form_cannot_take_as_its_answer_has_a_rule():
    """A message whose intent a form's slot excludes (not_intent) and that names nothing the form can use is
    rejected by the form; without a rule for its intent in that form, Rasa's core fallback answered it ten times in
    a row (« c'est pour une visite de reprise » asked for a date: book_appointment, no date)."""
    rules = yaml.safe_load(form_rules.render())["rules"]
    merged = domain()
    for form, spec in merged["forms"].items():
        handled = {r["steps"][0]["intent"] for r in rules if r["condition"] == [{"active_loop": form}]}
        excluded = {
            intent
            for slot in spec["required_slots"]
            for mapping in merged["slots"][slot].get("mappings") or []
            for intent in mapping.get("not_intent") or []
        }
        assert excluded <= handled, (form, sorted(excluded - handled))
