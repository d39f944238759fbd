"""Which offered slot a person picks, however they write it (fillers, politeness, English, a weekday alone)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.booking.bookings import SlotView
from bot.booking.dialogue import understand_choice
from bot.core.dates import PARIS

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=PARIS)  # a Saturday


def _slot(number: int, day: int, hour: int, minute: int) -> SlotView:
    start = datetime(2026, 12, day, hour, minute, tzinfo=PARIS)
    return SlotView(number, "psychologue", start, start + timedelta(minutes=45), "clavieres", None)


OFFERS = [_slot(1, 8, 9, 0), _slot(2, 10, 8, 30), _slot(3, 10, 10, 30), _slot(4, 14, 13, 30), _slot(5, 16, 14, 30)]


@pytest.mark.parametrize(
    "answer, picked",
    [
        ("le 2eme", 2),
        ("bon, le premier", 1),
        ("le deuxième, je vous prie", 2),
        ("ok pour le troisième", 3),
        ("the second one", 2),
        ("first one please", 1),
        ("le dernier", 5),
        ("10h30 c bon", 3),
        ("bon alors jeudi 10 à 8h30", 2),
        ("celui du 16 à 14 h 30", 5),
        ("mercredi 16 14h30 parfait", 5),
        ("lundi 13h30 ça me va, je finis le service à 13h", 4),  # the offered Monday, a week later
        ("Mardi 8 à 9h me convient parfaitement.", 1),
        ("tant pis, jeudi 10h30", 3),
        ("the tuesday at 9am please", 1),
        ("13h30 pareil", 4),
        ("lundi 13h30 à Clavières", 4),
        ("je reprends le 16 à 14h30", 5),
        ("Wednesday 2:30pm works for me", 5),
    ],
)
def test_an_offered_slot_is_read_however_it_is_written(answer, picked):
    chosen = understand_choice(answer, OFFERS, NOW)
    assert isinstance(chosen, SlotView) and chosen.id == picked, chosen


def test_yes_picks_a_single_offer_and_an_unoffered_day_is_a_new_period():
    assert understand_choice("oui celui-là", OFFERS[:1], NOW).id == 1
    assert understand_choice("oui", OFFERS, NOW) is None  # five offers: which one?
    other = understand_choice("plutôt le 18", OFFERS, NOW)
    assert not isinstance(other, SlotView) and other.first_day.day == 18


def test_a_day_said_with_the_place_is_read_and_a_question_about_a_place_is_no_choice():
    from bot.booking.dialogue import asks_about_place, period_besides_place

    assert period_besides_place("Clavières, mardi 8 décembre", NOW).first_day == datetime(2026, 12, 8).date()
    assert period_besides_place("en visio demain", NOW).first_day == datetime(2026, 12, 6).date()
    assert period_besides_place("Clavières", NOW) is None and period_besides_place("peu importe", NOW) is None
    assert asks_about_place("c'est où Croupillac ?") and asks_about_place("where is Clavières?")
    assert not asks_about_place("à Croupillac svp")
