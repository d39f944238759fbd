"""HR's inbox of « Ask HR » in the back-office: for hr_admin only, open requests by topic and age, the answer
form that the person's chat delivers, « Marquer comme traitée », the audit log without any text, and a new
article pre-filled from an answer that the running engine answers with once published."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from bot.cases.store import ANSWERED, IN_PROGRESS, CaseStore
from bot.core.models import Article, AuditEntry
from bot.knowledge.answering import Answerer
from tests.backoffice.client import PSYCHOLOGIST, run, signed_in

QUESTION = "Puis-je garer mon vélo cargo électrique dans le local à vélos du bâtiment Clavières ?"
ANSWER = (
    "Oui. Le local à vélos du bâtiment Clavières accueille les vélos cargos électriques. "
    "Demandez le badge du local à l'accueil, au rez-de-chaussée : il est prêt en 48 heures."
)
FIGURE = "badge du local"


def _article_form(page_text: str, **changes: str) -> dict[str, str]:
    """The new article form as the page pre-fills it, with `changes` typed in."""
    form: dict[str, str] = {}
    for name, value in re.findall(r'<input type="text" id="champ-[a-z_]+" name="([a-z_]+)" value="([^"]*)"', page_text):
        form[name] = html.unescape(value)
    for name, value in re.findall(r'<textarea[^>]* name="([a-z_]+)"[^>]*>([^<]*)</textarea>', page_text):
        form[name] = html.unescape(value)
    for name, block in re.findall(r'<select id="champ-[a-z_]+" name="([a-z_]+)"[^>]*>(.*?)</select>', page_text, re.S):
        form[name] = re.search(r'<option value="([^"]*)" selected>', block).group(1)
    return {**form, **changes}


def test_hr_sees_the_open_requests_by_topic_with_their_age_and_status(office):
    store = CaseStore(office)
    first = store.open("camille.martin", "Camille Martin", QUESTION, "policy")
    second = store.open("alex.durand", "Alex Durand", "Combien de jours de congé pour un déménagement ?", "leave")
    store.take(second.reference)
    done = store.open("alex.durand", "Alex Durand", "Une question déjà traitée", "leave")
    store.mark_done(done.reference, "RH")

    async def scenario(new_person):
        hr = await signed_in(new_person)
        return await hr.get("/rh/"), await hr.get("/rh/demandes"), await hr.get("/rh/demandes?theme=leave")

    home, inbox, leave = run(office, scenario)
    assert 'href="/rh/demandes"' in home.text
    assert inbox.status == 200
    assert first.reference in inbox.text and second.reference in inbox.text and done.reference not in inbox.text
    assert "Règles de l&#39;école : 1 demande" in inbox.text and "Congés et absences : 1 demande" in inbox.text
    assert "Nouvelle" in inbox.text and "En cours" in inbox.text and "<td>aujourd'hui</td>" in inbox.text
    assert QUESTION not in inbox.text  # the list shows references, not texts
    assert second.reference in leave.text and first.reference not in leave.text


def test_a_practitioner_and_an_agent_without_a_role_get_the_french_403(office):
    case = CaseStore(office).open("camille.martin", "Camille Martin", QUESTION, "policy")

    async def scenario(new_person):
        practitioner = await signed_in(new_person, "helene.faure", PSYCHOLOGIST)
        pages = [
            await practitioner.get("/rh/demandes"),
            await practitioner.get(f"/rh/demandes/{case.reference}"),
            await practitioner.get(f"/rh/demandes/{case.reference}/fiche"),
            await practitioner.post(f"/rh/demandes/{case.reference}/repondre", {"reponse": ANSWER}),
        ]
        agent = new_person()
        pages.append(await agent.sign_in("camille.martin"))
        pages.append(await agent.post(f"/rh/demandes/{case.reference}/repondre", {"reponse": ANSWER}, csrf=False))
        return pages, await practitioner.get("/rh/rendez-vous")

    pages, menu = run(office, scenario)
    assert [page.status for page in pages] == [403] * 6
    assert all("Accès refusé" in page.text and QUESTION not in page.text for page in pages)
    assert "/rh/demandes" not in menu.text
    assert CaseStore(office).get(case.reference).status == "nouvelle"


def test_a_form_without_the_csrf_token_is_refused(office):
    case = CaseStore(office).open("camille.martin", "Camille Martin", QUESTION, "policy")

    async def scenario(new_person):
        hr = await signed_in(new_person)
        await hr.get("/rh/demandes")
        return [
            await hr.post(f"/rh/demandes/{case.reference}/repondre", {"reponse": ANSWER}, csrf=False),
            await hr.post(f"/rh/demandes/{case.reference}/traitee", csrf=False),
            await hr.post(f"/rh/demandes/{case.reference}/prendre", {"csrf": "0" * 40}, csrf=False),
        ]

    pages = run(office, scenario)
    assert [page.status for page in pages] == [403, 403, 403]
    assert CaseStore(office).get(case.reference).status == "nouvelle"


def test_an_answer_closes_the_request_reaches_the_persons_chat_and_is_audited_without_text(office):
    store = CaseStore(office)
    case = store.open("camille.martin", "Camille Martin", QUESTION, "policy")
    other = store.open("alex.durand", "Alex Durand", "Une autre question MARQUEUR-5521", "leave")

    async def scenario(new_person):
        hr = await signed_in(new_person)
        shown = await hr.get(f"/rh/demandes/{case.reference}")
        taken = await hr.post(f"/rh/demandes/{case.reference}/prendre")
        status_taken = store.get(case.reference).status
        empty = await hr.post(f"/rh/demandes/{case.reference}/repondre", {"reponse": "  "})
        answered = await hr.post(f"/rh/demandes/{case.reference}/repondre", {"reponse": ANSWER})
        again = await hr.post(f"/rh/demandes/{case.reference}/repondre", {"reponse": "Autre chose"})
        closed = await hr.post(f"/rh/demandes/{other.reference}/traitee")
        return shown, taken, status_taken, empty, answered, again, closed, await hr.get("/rh/journal")

    shown, taken, status_taken, empty, answered, again, closed, journal = run(office, scenario)
    assert shown.status == 200 and "Camille Martin" in shown.text and html.escape(QUESTION) in shown.text
    assert "Marquer comme traitée" in shown.text and 'name="reponse"' in shown.text
    assert taken.status == 200 and status_taken == IN_PROGRESS
    assert empty.status == 422 and 'aria-invalid="true"' in empty.text and 'id="erreur-reponse"' in empty.text
    assert "La réponse est vide." in empty.text
    assert answered.status == 200 and "La réponse est enregistrée" in answered.text
    assert "Créer une fiche à partir de cette réponse" in answered.text
    assert again.status == 409 and "ne peut plus changer" in again.text
    assert closed.status == 200 and store.get(other.reference).status == ANSWERED

    assert store.get(case.reference).status == ANSWERED
    delivered = store.deliver("camille.martin")
    assert [(view.reference, view.answer) for view in delivered] == [(case.reference, ANSWER)]
    assert store.deliver("camille.martin") == []  # shown once

    with office.session() as session:
        entries = [(e.action, e.object_id) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert ("case.read", case.reference) in entries and ("case.take", case.reference) in entries
    assert ("case.answer", case.reference) in entries and ("case.done", other.reference) in entries
    assert ("case.answer", case.reference) in entries
    texts = " ".join(f"{action} {object_id}" for action, object_id in entries)
    assert "Clavières" not in texts and "MARQUEUR" not in texts and "badge" not in texts
    assert "Demande répondue" in journal.text and case.reference in journal.text
    assert "Clavières" not in journal.text


def test_an_article_made_from_an_answer_is_reviewed_then_published_and_the_engine_answers_with_it(office):
    running = Answerer(office)  # as the action server holds it: built before the change
    assert FIGURE not in running.ask(QUESTION).text
    store = CaseStore(office)
    case = store.open("camille.martin", "Camille Martin", QUESTION, "policy")
    store.answer(case.reference, ANSWER, "Nadia Rousseau")

    async def scenario(new_person):
        hr = await signed_in(new_person)
        draft = await hr.get(f"/rh/demandes/{case.reference}/fiche")
        form = _article_form(draft.text)
        taken_id = await hr.post("/rh/contenus/nouvelle", {**form, "id": "conge-rtt", "action": "publier"})
        published = await hr.post("/rh/contenus/nouvelle", {**form, "action": "publier"})
        return draft, form, taken_id, published

    draft, form, taken_id, published = run(office, scenario)
    assert draft.status == 200 and "Nouvelle fiche" in draft.text and 'action="/rh/contenus/nouvelle"' in draft.text
    assert 'id="champ-id"' in draft.text and "Camille Martin" not in draft.text
    assert form["questions"] == QUESTION and form["body"] == ANSWER and form["id"].endswith(case.reference.lower())
    assert form["source"] and form["source_date"] == store.get(case.reference).answered_at.date().isoformat()
    assert taken_id.status == 422 and 'id="erreur-id"' in taken_id.text and "déjà cet identifiant" in taken_id.text
    assert published.status == 200 and "La fiche est publiée" in published.text
    with office.session() as session:
        assert session.get(Article, form["id"]).body == ANSWER
    assert FIGURE in running.ask(QUESTION).text
    with office.session() as session:
        actions = [e.action for e in session.scalars(select(AuditEntry))]
    assert "case.article" in actions and "article.publish" in actions
