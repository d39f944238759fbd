"""Words of a question also read in plain French (bot/knowledge/expansion.py)."""

from __future__ import annotations

from bot.knowledge.expansion import in_french, readings


def test_english_words_and_phrases_get_their_french():
    french = in_french("How much sick leave do I get? And the meal subsidy?")
    assert "maladie" in french
    assert "repas" in french


def test_a_longer_phrase_wins_over_its_words():
    assert "deuil" in in_french("is there bereavement leave?")


def test_french_alone_adds_nothing_english():
    assert in_french("je suis malade depuis lundi, qui dois-je prévenir ?") == ""


def test_each_phrase_read_in_french_comes_with_its_french():
    found = dict(readings("How much SICK LEAVE do I get?"))
    assert "maladie" in found["sick leave"]
    assert "sick" not in found  # the longer phrase, once
    assert readings("je suis malade depuis lundi") == []


def test_french_clippings_are_read_as_the_full_word():
    assert ("resto", "restaurant") in readings("ya un resto a l'ecole ?")
    assert ("ordi", "ordinateur") in readings("mon ordi perso")
