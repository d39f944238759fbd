"""Every reply to the crisis question has a rule: « non » resumes, anything else goes to the crisis answer."""

from __future__ import annotations

import pytest
import yaml

from bot.safety.support import plain_no
from tests.support import ROOT, domain


def _replies_after_the_question() -> set[str]:
    rules = yaml.safe_load((ROOT / "data" / "rules" / "general.yml").read_text(encoding="utf-8"))["rules"]
    intents = set()
    for rule in rules:
        steps = rule["steps"]
        if steps[0] == {"action": "utter_crisis_check"}:
            reply = steps[1]
            intents |= {s["intent"] for s in reply["or"]} if "or" in reply else {reply["intent"]}
    return intents


def test_every_intent_said_after_the_crisis_question_has_its_rule():
    assert _replies_after_the_question() == {*domain()["intents"], "nlu_fallback"}


@pytest.mark.parametrize("text", ["non", "Non.", "nan", "no lol", "pas du tout", "non merci, ça va", "no, I'm fine"])
def test_a_plain_no(text):
    assert plain_no(text)


@pytest.mark.parametrize(
    "text",
    [
        "je sais pas",
        "maybe",
        "un peu",
        "oui",
        "non enfin parfois",
        "no but I think about it",
        "non je sais pas",
        "non, mais je n'en peux plus",
        "I don't know",
        "tout le temps",
        "ya",
        "wé",
        "grave",
    ],
)
def test_an_unsure_answer_is_no_no(text):
    assert not plain_no(text)
