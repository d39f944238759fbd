"""The same content, search and counters on PostgreSQL, the production store."""

from __future__ import annotations

from datetime import date

from bot.knowledge.answering import Answerer
from bot.knowledge.content import load_content
from bot.knowledge.feedback import feedback_by_day, record_feedback
from bot.knowledge.unanswered import record_unanswered, unanswered_by_topic
from tests.conftest import CONTENT_DIR


def test_content_search_and_counters_work_on_postgresql(postgres_database):
    report = load_content(postgres_database, CONTENT_DIR)
    assert len(report.added) >= 60
    assert load_content(postgres_database, CONTENT_DIR).added == []

    answerer = Answerer(postgres_database)
    reply = answerer.topic("leave", "ask_leave", "RTT", "rtt")
    assert answerer.search.get(reply.article_id).leave_type == "rtt"
    assert answerer.anywhere("salaire moyen du personnel").answered

    for _ in range(3):
        record_unanswered(postgres_database, "policy", date(2026, 11, 25))
    assert [(r.topic, r.count) for r in unanswered_by_topic(postgres_database)] == [("policy", 3)]
    for useful in (True, False, True):
        record_feedback(postgres_database, "action_answer_leave", useful, date(2026, 11, 25))
    assert [(r.kind, r.useful, r.not_useful) for r in feedback_by_day(postgres_database)] == [
        ("action_answer_leave", 2, 1)
    ]
