"""HR's inbox of « Ask HR » (bot/cases/): the open requests by topic and age, one request with its answer form,
« Marquer comme traitée », and a new article pre-filled from an answer. For `hr_admin` only; the audit log
keeps each action with the request's reference, never its text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from aiohttp import web

from bot.backoffice import audit
from bot.backoffice.base import BOOKING, hr_only, not_found, page, person_of
from bot.backoffice.content_pages import TOPIC_LABELS, new_article_page
from bot.cases.store import IN_PROGRESS, MAX_ANSWER_CHARS, NEW, OPEN, STATUS_LABELS, CaseError, CaseStore, CaseView

REFERENCE = "{reference:RH-[A-Z0-9]{6}}"
AGES = {"": "Toutes", "2": "Envoyées il y a 2 jours ou plus", "7": "Envoyées il y a 7 jours ou plus"}

routes = web.RouteTableDef()


def _store(request: web.Request) -> CaseStore:
    return CaseStore(request.app[BOOKING].database)


def _case(request: web.Request) -> CaseView:
    case = _store(request).get(request.match_info["reference"])
    if case is None:
        raise not_found("Cette demande n'existe pas (elle a peut-être été supprimée à la fin de sa conservation).")
    return case


def _record(request: web.Request, action: str, case: CaseView) -> None:
    audit.record(request.app[BOOKING].database, person_of(request).subject, action, case.reference)


@routes.get("/demandes")
@hr_only
async def inbox(request: web.Request) -> web.Response:
    store, now = _store(request), datetime.now(timezone.utc)
    topic = request.query.get("theme", "")
    age = request.query.get("anciennete", "")
    age = age if age in AGES else ""
    cases = store.inbox(topic=topic or None, older_than_days=int(age) if age else None)
    groups: dict[str, list[CaseView]] = {}
    for case in cases:
        groups.setdefault(case.topic, []).append(case)
    return page(
        request,
        "cases.html",
        groups=sorted(groups.items(), key=lambda group: TOPIC_LABELS.get(group[0], group[0])),
        counts=store.counts_by_topic(),
        total=len(cases),
        topic=topic,
        age=age,
        ages=AGES,
        topics=TOPIC_LABELS,
        now=now,
        new=NEW,
        in_progress=IN_PROGRESS,
    )


def _case_page(request: web.Request, case: CaseView, status: int = 200, **context: Any) -> web.Response:
    context.setdefault("problem", None)  # the answer field's
    context.setdefault("refusal", None)  # an action the case's status no longer allows
    return page(
        request,
        "case.html",
        status,
        case=case,
        topics=TOPIC_LABELS,
        statuses=STATUS_LABELS,
        is_open=case.status in OPEN,
        new=NEW,
        max_chars=MAX_ANSWER_CHARS,
        now=datetime.now(timezone.utc),
        **context,
    )


@routes.get(f"/demandes/{REFERENCE}")
@hr_only
async def show_case(request: web.Request) -> web.Response:
    case = _case(request)
    _record(request, "case.read", case)  # reading a person's request is itself an access to personal data
    return _case_page(request, case)


def _change(request: web.Request, action: str, change: Callable[[CaseStore, str], CaseView], done: str) -> web.Response:
    """A change of status from a button (take, mark done): refused with the store's French reason when the
    case's status no longer allows it."""
    case = _case(request)
    try:
        case = change(_store(request), case.reference)
    except CaseError as error:
        return _case_page(request, case, 409, refusal=str(error))
    _record(request, action, case)
    return _case_page(request, case, done=done)


@routes.post(f"/demandes/{REFERENCE}/prendre")
@hr_only
async def take_case(request: web.Request) -> web.Response:
    done = "La demande est en cours : la personne le voit dans « mes demandes »."
    return _change(request, "case.take", CaseStore.take, done)


@routes.post(f"/demandes/{REFERENCE}/repondre")
@hr_only
async def answer_case(request: web.Request) -> web.Response:
    case, form = _case(request), await request.post()
    text = str(form.get("reponse", ""))
    try:
        case = _store(request).answer(case.reference, text, person_of(request).name)
    except CaseError as error:
        if not case.is_open:
            return _case_page(request, case, 409, refusal=str(error))
        return _case_page(request, case, 422, problem=str(error), draft=text)
    _record(request, "case.answer", case)
    return _case_page(
        request, case, done="La réponse est enregistrée : la personne la lira dans le chat dès qu'elle l'ouvrira."
    )


@routes.post(f"/demandes/{REFERENCE}/traitee")
@hr_only
async def close_case(request: web.Request) -> web.Response:
    by = person_of(request).name
    done = "La demande est marquée comme traitée : la personne en est informée."
    return _change(request, "case.done", lambda store, reference: store.mark_done(reference, by), done)


@routes.get(f"/demandes/{REFERENCE}/fiche")
@hr_only
async def article_from_case(request: web.Request) -> web.Response:
    """« Créer une fiche à partir de cette réponse »: the new article's form, pre-filled, nothing published."""
    case = _case(request)
    try:
        draft = _store(request).article_draft(case.reference)
    except CaseError as error:
        return _case_page(request, case, 409, refusal=str(error))
    _record(request, "case.article", case)
    return new_article_page(request, draft.as_article(), case=case.reference)
