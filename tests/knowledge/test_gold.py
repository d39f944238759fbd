"""The answering engine on the development gold questions (tests/gold/dev.yml): floors a regression would
break, a few points below the figures measured when they were set (bench/results/answers.json)."""

from __future__ import annotations

import pytest

from bench import gold
from bench.answers import evaluate
from bot.knowledge.answering import Answerer


@pytest.fixture(scope="module")
def figures(content_database):
    return evaluate(Answerer(content_database), gold.load("dev"))[0]


def test_the_right_article_comes_first(figures):
    assert figures["top1_accuracy"] >= 0.90, figures  # measured 0.921


def test_the_answer_shows_the_fact(figures):
    assert figures["fact_in_answer"] >= 0.82, figures  # measured 0.849


def test_few_answers_to_what_the_base_does_not_know(figures):
    assert figures["wrong_on_unanswerable"] <= 0.33, figures  # measured 0.290 (107 questions, 70 of them adversarial)


def test_few_questions_back(figures):
    assert figures["clarifying_rate"] <= 0.05, figures  # measured 0.0
