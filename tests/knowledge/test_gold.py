"""The answering engine on the development gold questions (tests/gold/dev.yml): floors a regression would
break, a few points below the figures measured when they were set (bench/results/answers.json). Since 2026-12-05 the
development set holds half of two more blind writers' questions (English, half-English and SMS French: harder), so
the figures and the floors are lower than before for the same engine (top-1 0.921 -> 0.891, fact 0.853 -> 0.807 with
the previous ranker)."""

from __future__ import annotations

import pytest

from bench import gold
from bench.answers import evaluate
from bot.knowledge.answering import Answerer


@pytest.fixture(scope="module")
def figures(content_database):
    return evaluate(Answerer(content_database), gold.load("dev"))[0]


def test_the_right_article_comes_first(figures):
    assert figures["top1_accuracy"] >= 0.84, figures  # measured 0.856


def test_the_answer_shows_the_fact(figures):
    assert figures["fact_in_answer"] >= 0.77, figures  # measured 0.787


def test_few_answers_to_what_the_base_does_not_know(figures):
    assert figures["wrong_on_unanswerable"] <= 0.30, figures  # measured 0.271 (144 questions, 70 of them adversarial)


def test_few_questions_back(figures):
    assert figures["clarifying_rate"] <= 0.05, figures  # measured 0.0
