"""Write data/rules/form_interruptions.yml: what each form does when the person says something else.

One table for every form: a question (leave, menu, …) is answered and the form
asks its question again; « non », « annuler », « au revoir » and a crisis message
stop it. Run `python scripts/form_rules.py` after editing the table, then retrain;
tests/actions/test_form_rules.py fails while the file is stale.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "data" / "rules" / "form_interruptions.yml"

# Intents answered in passing by any form, and the actions that answer them; the form then resumes.
RESUMING: dict[str, list[str]] = {
    "ask_leave": ["action_answer_leave"],
    "ask_telework": ["action_answer_telework"],
    "ask_social_aid": ["action_answer_social_aid"],
    "check_aid_eligibility": ["action_check_aid_eligibility"],
    "ask_onboarding": ["action_answer_onboarding"],
    "ask_policy": ["action_answer_policy"],
    "ask_menu": ["action_answer_menu"],
    "rps_support": ["action_answer_rps"],
    "report_harassment": ["action_answer_harassment"],
    "ask_privacy": ["action_answer_privacy"],
    "human_handoff": ["action_human_handoff"],
    "bot_challenge": ["utter_bot_challenge"],
    "ask_capabilities": ["utter_capabilities"],
    "out_of_scope": ["utter_out_of_scope"],
    "greet": ["utter_greet"],
    "thank": ["utter_you_are_welcome"],
    "list_bookings": ["action_list_bookings"],
    "my_requests": ["action_my_requests"],
    "check_hr_answers": ["action_deliver_answers"],
    "nlu_fallback": ["action_fallback"],
}


@dataclass(frozen=True)
class Form:
    stop: str  # the action that ends the form and forgets its answers
    stop_intents: tuple[str, ...] = ("deny", "cancel_booking")
    unclear: str | None = None  # says the answer could not be used, then the form asks again
    unclear_intents: tuple[str, ...] = ()
    hand_over: dict[str, str] = field(default_factory=dict)  # intent -> the form that takes over


FORMS: dict[str, Form] = {
    "booking_form": Form(
        stop="action_booking_stop",
        unclear="action_booking_unclear",
        # A booking request the form cannot use (« c'est pour une visite de reprise » asked for a date).
        unclear_intents=("inform", "affirm", "book_appointment"),
    ),
    "eligibility_form": Form(stop="action_eligibility_stop", hand_over={"book_appointment": "booking_form"}),
}


def _rule(title: str, form: str, steps: list[tuple[str, str]]) -> str:
    lines = [f"- rule: {title}", "  condition:", f"  - active_loop: {form}", "  steps:"]
    lines += [f"  - {key}: {value}" for key, value in steps]
    return "\n".join(lines)


def _resume(form: str) -> list[tuple[str, str]]:
    return [("action", form), ("active_loop", form)]


def rules_of(name: str, form: Form) -> list[str]:
    rules = [
        _rule(
            f"{intent} during {name} is not an answer, asked again",
            name,
            [("intent", intent), ("action", form.unclear), *_resume(name)],
        )
        for intent in form.unclear_intents
    ]
    rules += [
        _rule(f"{intent} stops {name}", name, [("intent", intent), ("action", form.stop), ("active_loop", "null")])
        for intent in form.stop_intents
    ]
    rules.append(
        _rule(
            f"distress during {name} comes first and stops it",
            name,
            [
                ("intent", "urgent_distress"),
                ("action", "utter_urgent_distress"),
                ("action", form.stop),
                ("active_loop", "null"),
                ("action", "action_offer_support"),
            ],
        )
    )
    # Maybe a crisis: the question comes first; the form stops (the person may start it again).
    rules.append(
        _rule(
            f"a possible crisis during {name} is asked about first and stops it",
            name,
            [
                ("intent", "crisis_check"),
                ("action", form.stop),
                ("active_loop", "null"),
                ("action", "utter_crisis_check"),
            ],
        )
    )
    rules += [
        _rule(
            f"{intent} during {name}, then {name} resumes",
            name,
            [("intent", intent), *[("action", action) for action in actions], *_resume(name)],
        )
        for intent, actions in RESUMING.items()
    ]
    rules += [
        _rule(
            f"{intent} during {name} hands over to {other}",
            name,
            [
                ("intent", intent),
                ("action", form.stop),
                ("active_loop", "null"),
                ("action", other),
                ("active_loop", other),
            ],
        )
        for intent, other in form.hand_over.items()
    ]
    rules.append(
        _rule(
            f"goodbye during {name} stops it",
            name,
            [("intent", "goodbye"), ("action", form.stop), ("active_loop", "null"), ("action", "utter_goodbye")],
        )
    )
    return rules


def render() -> str:
    header = (
        'version: "3.1"\n'
        "# Generated by scripts/form_rules.py from one table: edit the table there, not this file.\n"
        "# What each form does when the person says something other than an answer.\n"
        "rules:\n"
    )
    return header + "\n\n".join(rule for name, form in FORMS.items() for rule in rules_of(name, form)) + "\n"


def main() -> int:
    OUTPUT.write_text(render(), encoding="utf-8")
    print(f"{OUTPUT.relative_to(OUTPUT.parents[2])} written.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
