"""Runs in the Rasa environment (make test): the first NLU component."""

from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.text import MAX_MESSAGE_CHARS as MAX_CHARS
from bot.core.text import bound_text
from rasa_components.message_limits import MessageLimits


def test_control_characters_and_spaces_are_folded():
    assert bound_text("bon\x00jour\u200b  à\ttous\n") == "bon jour à tous"


def test_long_text_is_cut_on_a_word_boundary():
    text = "congé " * 20000
    bounded = bound_text(text)
    assert len(bounded) <= MAX_CHARS and bounded.endswith("congé")


def test_component_rewrites_the_message_text():
    component = MessageLimits(MessageLimits.get_default_config())
    message = Message(data={TEXT: "x" * 5000})
    component.process([message])
    assert message.get(TEXT) == "x" * MAX_CHARS
