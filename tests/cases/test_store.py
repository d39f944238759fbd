"""The case store of « Ask HR »: the person's own cases only, withdrawal, answers shown once, HR's inbox, the
article pre-filled from an answer, retention, and no case text in any log."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pytest

from bot.cases.store import ANSWERED, IN_PROGRESS, NEW, REFERENCE, WITHDRAWN, CaseError, CaseStore
from bot.core.db import Database
from bot.knowledge.schema import ArticleSchema

TEXT = "Puis-je poser un jour de RTT la veille de mon congé de formation MARQUEUR-7781 ?"
ANSWER = "Oui, si votre responsable l'accepte ; dites-le au service RH MARQUEUR-9902."


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(database: Database, clock: Clock) -> CaseStore:
    return CaseStore(database, now=clock)


def test_a_case_is_stored_with_the_person_text_topic_date_status_and_reference(store, clock):
    case = store.open("agent-a", "Alex Martin", TEXT, "leave")
    assert REFERENCE.match(case.reference)
    assert (case.person, case.person_name, case.text, case.topic) == ("agent-a", "Alex Martin", TEXT, "leave")
    assert (case.status, case.status_label, case.created_at) == (NEW, "nouvelle", clock.now)
    assert store.mine("agent-a") == [case]
    with pytest.raises(CaseError):
        store.open("agent-a", None, "   ", "leave")


def test_another_person_can_neither_see_nor_withdraw_a_case(store):
    mine = store.open("agent-a", "Alex", TEXT, "leave")
    assert store.mine("agent-b") == []
    assert store.withdraw(mine.reference, "agent-b") is None
    assert store.get(mine.reference).status == NEW and store.get(mine.reference).text == TEXT


def test_withdrawal_erases_the_text_and_closes_the_case_once(store, clock):
    case = store.open("agent-a", "Alex", TEXT, "leave")
    withdrawn = store.withdraw(case.reference, "agent-a")
    assert (withdrawn.status, withdrawn.text, withdrawn.closed_at) == (WITHDRAWN, None, clock.now)
    assert store.withdraw(case.reference, "agent-a") is None  # already withdrawn
    assert store.inbox() == []
    with pytest.raises(CaseError, match="retirée"):
        store.answer(case.reference, ANSWER, "RH")


def test_an_answered_case_cannot_be_withdrawn_and_its_answer_is_delivered_once(store, clock):
    case = store.open("agent-a", "Alex", TEXT, "leave")
    assert store.take(case.reference).status == IN_PROGRESS
    clock.now += timedelta(hours=3)
    answered = store.answer(case.reference, ANSWER, "Camille (RH)")
    assert (answered.status, answered.answer, answered.answered_by) == (ANSWERED, ANSWER, "Camille (RH)")
    assert answered.answered_at == answered.closed_at == clock.now
    assert store.withdraw(case.reference, "agent-a") is None
    assert store.deliver("agent-b") == []
    delivered = store.deliver("agent-a")
    assert [c.reference for c in delivered] == [case.reference] and delivered[0].delivered_at == clock.now
    assert store.deliver("agent-a") == []  # shown once
    assert store.mine("agent-a")[0].answer == ANSWER  # still listed


def test_waiting_counts_the_persons_answers_not_yet_shown_only(store, clock):
    mine = store.open("agent-a", "Alex", TEXT, "leave")
    done = store.open("agent-a", "Alex", TEXT, "leave")
    still_open = store.open("agent-a", "Alex", TEXT, "leave")
    theirs = store.open("agent-b", "Sam", TEXT, "leave")
    assert store.waiting("agent-a") == 0  # nothing answered yet
    store.answer(mine.reference, ANSWER, "RH")
    store.mark_done(done.reference, "RH")
    store.answer(theirs.reference, ANSWER, "RH")
    store.take(still_open.reference)
    assert (store.waiting("agent-a"), store.waiting("agent-b"), store.waiting("nobody")) == (2, 1, 0)
    assert {c.reference for c in store.deliver("agent-a")} == {mine.reference, done.reference}
    assert (store.waiting("agent-a"), store.waiting("agent-b")) == (0, 1)


def test_the_inbox_lists_open_cases_by_topic_and_age(store, clock):
    old = store.open("agent-a", "Alex", TEXT, "leave")
    clock.now += timedelta(days=5)
    recent = store.open("agent-b", "Sam", "Question sur le télétravail", "telework")
    done = store.open("agent-c", "Lou", "Autre question", "leave")
    store.mark_done(done.reference, "RH")
    assert [c.reference for c in store.inbox()] == [old.reference, recent.reference]  # oldest first
    assert [c.reference for c in store.inbox(topic="telework")] == [recent.reference]
    assert [c.reference for c in store.inbox(older_than_days=3)] == [old.reference]
    assert store.inbox()[0].age_days(clock.now) == 5
    assert store.counts_by_topic() == {"leave": 1, "telework": 1}
    assert [c.reference for c in store.inbox(statuses=(ANSWERED,))] == [done.reference]
    marked = store.get(done.reference)
    assert marked.answer is None and marked.closed_at is not None


def test_hr_operations_refuse_unknown_references_and_empty_answers(store):
    case = store.open("agent-a", "Alex", TEXT, "leave")
    with pytest.raises(CaseError, match="Aucune demande"):
        store.answer("RH-XXXXXX", ANSWER, "RH")
    with pytest.raises(CaseError, match="vide"):
        store.answer(case.reference, "  ", "RH")
    store.take(case.reference)
    with pytest.raises(CaseError):
        store.take(case.reference)


def test_an_answered_case_prefills_a_valid_article_without_the_person(store, clock):
    case = store.open("agent-a", "Alex Martin", TEXT, "leave")
    with pytest.raises(CaseError):
        store.article_draft(case.reference)  # no answer yet
    store.answer(case.reference, ANSWER, "Camille (RH)")
    draft = store.article_draft(case.reference)
    assert (draft.topic, draft.body, draft.questions) == ("leave", ANSWER, [TEXT])
    assert draft.source_date == "2026-12-01"
    article = draft.as_article()
    ArticleSchema.model_validate(article)  # the content schema accepts it as it is
    assert "Alex" not in str(article) and "agent-a" not in str(article)
    other = store.open("agent-b", None, "Une question sans thème connu", "unknown")
    store.answer(other.reference, ANSWER, "RH")
    assert store.article_draft(other.reference).topic == "policy"


def test_closed_cases_are_purged_after_the_retention_days_and_open_ones_kept(store, clock, monkeypatch):
    answered = store.open("agent-a", "Alex", TEXT, "leave")
    store.answer(answered.reference, ANSWER, "RH")
    withdrawn = store.open("agent-a", "Alex", "Une autre question", "leave")
    store.withdraw(withdrawn.reference, "agent-a")
    still_open = store.open("agent-b", "Sam", "Une question en attente", "policy")
    clock.now += timedelta(days=89)
    assert store.purge_closed() == 0  # CASE_RETENTION_DAYS: 90 by default
    clock.now += timedelta(days=2)
    assert store.count_closed() == 2
    assert store.purge_closed() == 2
    assert [c.reference for c in store.inbox(statuses=(NEW, ANSWERED, WITHDRAWN))] == [still_open.reference]
    monkeypatch.setenv("CASE_RETENTION_DAYS", "1")
    store.withdraw(still_open.reference, "agent-b")
    clock.now += timedelta(days=2)
    assert store.purge_closed() == 1


def test_no_case_text_or_answer_in_the_logs(store, caplog):
    caplog.set_level(logging.DEBUG)
    case = store.open("agent-a", "Alex", TEXT, "leave")
    store.mine("agent-a")
    store.take(case.reference)
    store.answer(case.reference, ANSWER, "RH")
    store.deliver("agent-a")
    store.article_draft(case.reference)
    other = store.open("agent-a", "Alex", TEXT, "leave")
    store.withdraw(other.reference, "agent-a")
    assert case.reference in caplog.text  # it does log, by reference
    assert "MARQUEUR" not in caplog.text
