"""The case store of « Ask HR »: questions people chose to send to HR from the chat, and HR's answers.

For the person (the chat, actions/cases.py): `open`, `mine`, `withdraw`, `deliver`; `waiting` (a count, for the
web server's /answers/waiting, which the widget asks). Every one of them takes the
person's identifier (the conversation's sender id, the intranet token's `sub`) and touches only that person's
cases: another person's reference is « not found », never shown or withdrawn.

For HR (the back-office inbox, which checks the `hr_admin` role before calling them): `inbox`, `counts_by_topic`,
`get`, `take`, `answer`, `mark_done`, `article_draft`. For the retention command: `purge_closed`.

Nothing here logs a case's text or answer: only its reference, topic and status.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.db import Database
from bot.core.models import Case
from bot.core.settings import settings
from bot.core.text import bound_text, fold
from bot.knowledge.schema import TOPICS

log = logging.getLogger(__name__)

NEW, IN_PROGRESS, ANSWERED, WITHDRAWN = "nouvelle", "en_cours", "repondue", "retiree"
STATUS_LABELS = {NEW: "nouvelle", IN_PROGRESS: "en cours", ANSWERED: "répondue", WITHDRAWN: "retirée"}
STATUSES = tuple(STATUS_LABELS)
OPEN = (NEW, IN_PROGRESS)  # HR still has to answer them; the person may withdraw them
MAX_ANSWER_CHARS = 4000
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
REFERENCE = re.compile(r"^RH-[A-Z0-9]{6}$")


class CaseError(ValueError):
    """An HR operation that cannot be done (unknown reference, a closed case, an empty answer); French message."""


@dataclass(frozen=True)
class CaseView:
    reference: str
    person: str
    person_name: str | None
    text: str | None
    topic: str
    status: str
    created_at: datetime
    answer: str | None
    answered_by: str | None
    answered_at: datetime | None
    delivered_at: datetime | None
    closed_at: datetime | None

    @classmethod
    def of(cls, case: Case) -> CaseView:
        return cls(**{name: getattr(case, name) for name in cls.__dataclass_fields__})

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def age_days(self, now: datetime) -> int:
        """Whole days since it was sent (the inbox sorts and filters on it)."""
        return (now - self.created_at).days


@dataclass(frozen=True)
class ArticleDraft:
    """A new article pre-filled from an answered case, for HR to review before publishing (the fields of
    data/content/*.yml, bot/knowledge/schema.py). The person's name and identifier are never in it."""

    id: str
    topic: str
    title: str
    body: str
    questions: list[str]
    source: str
    source_date: str
    reliability: str = "medium"

    def as_article(self) -> dict:
        return dict(self.__dict__)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_reference() -> str:
    return "RH-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


def _unshown_answers(person: str) -> tuple:
    """The conditions of the person's answered cases the chat has not shown yet (`waiting` counts, `deliver` shows)."""
    return (Case.person == person, Case.status == ANSWERED, Case.delivered_at.is_(None))


class CaseStore:
    def __init__(self, database: Database, now: Callable[[], datetime] = _utcnow) -> None:
        self.database = database
        self.now = now

    # -- the person, in the chat ------------------------------------------------------------------
    def open(self, person: str, name: str | None, text: str, topic: str) -> CaseView:
        """Store a question the person chose to send (after their « Envoyer »), status « nouvelle »."""
        text = bound_text(text)
        if not person or not text:
            raise CaseError("Une demande a besoin d'une personne et d'un texte.")
        for _ in range(10):  # a reference already taken: draw another
            try:
                with self.database.session() as session:
                    case = Case(
                        reference=new_reference(),
                        person=person,
                        person_name=bound_text(name or "", 200) or None,
                        text=text,
                        topic=topic,
                        status=NEW,
                        created_at=self.now(),
                    )
                    session.add(case)
                    session.flush()
                    view = CaseView.of(case)
                log.info("case %s opened (topic %s)", view.reference, view.topic)
                return view
            except IntegrityError:
                continue
        raise RuntimeError("no free case reference after 10 draws")

    def mine(self, person: str) -> list[CaseView]:
        """The person's cases, newest first."""
        with self.database.session() as session:
            cases = session.scalars(select(Case).where(Case.person == person).order_by(Case.created_at.desc()))
            return [CaseView.of(case) for case in cases]

    def withdraw(self, reference: str, person: str) -> CaseView | None:
        """Withdraw one of the person's own open cases: status « retirée », its text erased at once. None when
        there is no such open case of theirs (another person's reference included)."""
        now = self.now()
        with self.database.session() as session:
            done = session.execute(
                update(Case)
                .where(Case.reference == reference, Case.person == person, Case.status.in_(OPEN))
                .values(status=WITHDRAWN, text=None, closed_at=now)
            ).rowcount
            case = session.scalar(select(Case).where(Case.reference == reference)) if done == 1 else None
            view = CaseView.of(case) if case else None
        if view:
            log.info("case %s withdrawn", reference)
        return view

    def waiting(self, person: str) -> int:
        """How many of the person's answered cases the chat has not shown yet (a count: no text, no reference);
        the web server tells the widget, which then asks the assistant to show them."""
        with self.database.session() as session:
            return session.scalar(select(func.count(Case.id)).where(*_unshown_answers(person)))

    def deliver(self, person: str) -> list[CaseView]:
        """The person's cases answered since the chat last showed them, marked as shown (each is shown once)."""
        now = self.now()
        with self.database.session() as session:
            cases = list(session.scalars(select(Case).where(*_unshown_answers(person)).order_by(Case.answered_at)))
            for case in cases:
                case.delivered_at = now
            views = [CaseView.of(case) for case in cases]
        for view in views:
            log.info("case %s answer shown", view.reference)
        return views

    # -- HR, in the back-office inbox ---------------------------------------------------------------
    def inbox(
        self, topic: str | None = None, statuses: Iterable[str] = OPEN, older_than_days: int | None = None
    ) -> list[CaseView]:
        """Cases of `statuses` (open ones by default), of a topic if given, sent at least `older_than_days`
        ago if given; oldest first."""
        query = select(Case).where(Case.status.in_(tuple(statuses))).order_by(Case.created_at)
        if topic:
            query = query.where(Case.topic == topic)
        if older_than_days is not None:
            query = query.where(Case.created_at <= self.now() - timedelta(days=older_than_days))
        with self.database.session() as session:
            return [CaseView.of(case) for case in session.scalars(query)]

    def counts_by_topic(self, statuses: Iterable[str] = OPEN) -> dict[str, int]:
        counts: dict[str, int] = {}
        for case in self.inbox(statuses=statuses):
            counts[case.topic] = counts.get(case.topic, 0) + 1
        return dict(sorted(counts.items()))

    def get(self, reference: str) -> CaseView | None:
        with self.database.session() as session:
            case = session.scalar(select(Case).where(Case.reference == reference))
            return CaseView.of(case) if case else None

    def _change(self, reference: str, allowed: tuple[str, ...], **values) -> CaseView:
        with self.database.session() as session:
            done = session.execute(
                update(Case).where(Case.reference == reference, Case.status.in_(allowed)).values(**values)
            ).rowcount
        view = self.get(reference)
        if view is None:
            raise CaseError(f"Aucune demande {reference}.")
        if not done:
            raise CaseError(f"La demande {reference} est {view.status_label} : elle ne peut plus changer.")
        log.info("case %s is now %s", reference, view.status)
        return view

    def take(self, reference: str) -> CaseView:
        """HR starts on it: « nouvelle » → « en cours » (the person sees it in « mes demandes »)."""
        return self._change(reference, (NEW,), status=IN_PROGRESS)

    def answer(self, reference: str, answer: str, by: str) -> CaseView:
        """HR's answer (shown in the person's chat as soon as it is open): the case is « répondue » and closed."""
        answer = (answer or "").strip()
        if not answer:
            raise CaseError("La réponse est vide.")
        if len(answer) > MAX_ANSWER_CHARS:
            raise CaseError(f"La réponse dépasse {MAX_ANSWER_CHARS} caractères.")
        now = self.now()
        return self._change(
            reference, OPEN, status=ANSWERED, answer=answer, answered_by=by, answered_at=now, closed_at=now
        )

    def mark_done(self, reference: str, by: str) -> CaseView:
        """Closed without a written answer (HR answered by another way): « répondue », the person is told it
        was handled."""
        now = self.now()
        return self._change(reference, OPEN, status=ANSWERED, answered_by=by, answered_at=now, closed_at=now)

    def article_draft(self, reference: str) -> ArticleDraft:
        """« Créer une fiche à partir de cette réponse »: the question and HR's answer as a new article to review
        (HR rewrites what is personal to the person before publishing)."""
        case = self.get(reference)
        if case is None or not case.answer or not case.text:
            raise CaseError(f"La demande {reference} n'a pas de question et de réponse à reprendre.")
        title = bound_text(case.text, 120)
        slug = "-".join(re.findall(r"[a-z0-9]+", fold(title)))[:60].strip("-") or "reponse"
        answered = case.answered_at or self.now()
        return ArticleDraft(
            id=f"{slug}-{case.reference.lower()}",
            topic=case.topic if case.topic in TOPICS else "policy",
            title=title[:1].upper() + title[1:],
            body=case.answer,
            questions=[case.text],
            source="Service RH d'IMT Mines Alès, réponse à une question du personnel",
            source_date=answered.date().isoformat(),
        )

    # -- retention ----------------------------------------------------------------------------------
    def _expired(self, days: int | None) -> tuple:
        days = settings().case_retention_days if days is None else days
        return Case.closed_at.is_not(None), Case.closed_at < self.now() - timedelta(days=days)

    def count_closed(self, days: int | None = None) -> int:
        """How many cases `purge_closed` would delete."""
        with self.database.session() as session:
            return len(session.scalars(select(Case.id).where(*self._expired(days))).all())

    def purge_closed(self, days: int | None = None) -> int:
        """Delete the cases closed (answered, done or withdrawn) more than `days` ago (default
        $CASE_RETENTION_DAYS, 90); open cases stay. Returns how many were deleted."""
        with self.database.session() as session:
            purged = session.execute(delete(Case).where(*self._expired(days))).rowcount
        if purged:
            self.database.checkpoint()
        return purged
