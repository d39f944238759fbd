"""The HR back-office in Chromium: HR, a practitioner and an agent sign in through the demo intranet; axe-core on
every page; keyboard use; a forged form; an article HR publishes is the chat's next answer."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete

from bot.cases.store import CaseStore, CaseView
from bot.core.db import default_database
from bot.core.models import Article, Case
from bot.knowledge.answering import Answerer
from bot.knowledge.versions import history, revert
from tests.browser.chat import WEB_URL, Chat, axe_violations

ARTICLE = "conge-rtt"
QUESTION = "combien de jours de RTT pour 39 heures par semaine ?"
NEW_FIGURE = "24 jours de RTT"
NEW_BODY = (
    "Le nombre de jours de RTT dépend de votre cycle de travail. À 39 heures par semaine, le barème de l'école "
    "donne 24 jours de RTT par an. À 38 heures par semaine, il en donne 18."
)
CASE_QUESTION = "Puis-je garer mon vélo cargo électrique dans le local à vélos du bâtiment Clavières ?"
CASE_ANSWER = "Oui : demandez le badge du local à vélos à l'accueil, il est prêt en 48 heures."
PREVIEW_MS = 60_000  # the preview indexes the whole base with the draft: seconds on a small machine
HR_PAGES = [
    "/rh/",
    "/rh/demandes",
    "/rh/contenus",
    f"/rh/contenus/{ARTICLE}",
    f"/rh/contenus/{ARTICLE}/versions",
    "/rh/rendez-vous",
    "/rh/rendez-vous/psychologue",
    "/rh/horaires",
    "/rh/statistiques",
    "/rh/menus",
    "/rh/journal",
]


def sign_in(page: Page, agent: str) -> None:
    """The back-office's demo sign-in (the intranet's stand-in)."""
    page.goto(f"{WEB_URL}/rh/connexion")
    page.get_by_label("Agent de démonstration").select_option(agent)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


@pytest.fixture
def restore_article():
    """Whatever a test publishes, the article is back to its first version afterwards."""
    yield
    database = default_database()
    versions = history(database, ARTICLE)
    if versions:
        revert(database, ARTICLE, versions[-1].id, "tests")


@pytest.fixture
def case() -> Iterator[CaseView]:
    """A request an agent sent to HR, gone afterwards with any article made from it."""
    database = default_database()
    view = CaseStore(database).open("camille.martin", "Camille Martin", CASE_QUESTION, "policy")
    yield view
    with database.session() as session:
        session.execute(delete(Case).where(Case.reference == view.reference))
        session.execute(delete(Article).where(Article.id.endswith(view.reference.lower())))


def test_every_back_office_page_passes_axe_and_has_a_skip_link(office_page):
    office_page.goto(f"{WEB_URL}/rh/connexion")
    assert axe_violations(office_page) == []
    sign_in(office_page, "nadia.rousseau")
    expect(office_page.get_by_role("heading", level=1)).to_contain_text("Bonjour Nadia Rousseau")
    for path in HR_PAGES:
        office_page.goto(WEB_URL + path)
        assert office_page.locator("html").get_attribute("lang") == "fr"
        assert axe_violations(office_page) == [], path
    # The form's errors, shown next to their fields, pass too.
    office_page.goto(f"{WEB_URL}/rh/contenus/{ARTICLE}")
    office_page.get_by_label("Source", exact=True).fill("")
    office_page.get_by_role("button", name="Publier").click()
    expect(office_page.get_by_label("Source", exact=True)).to_have_attribute("aria-invalid", "true")
    assert axe_violations(office_page) == []


def test_hr_edits_and_publishes_an_article_by_keyboard_and_the_engine_answers_with_it(office_page, restore_article):
    sign_in(office_page, "nadia.rousseau")
    office_page.goto(f"{WEB_URL}/rh/contenus/{ARTICLE}")
    office_page.keyboard.press("Tab")
    skip = office_page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    assert office_page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    office_page.keyboard.press("Enter")
    expect(office_page.locator("main")).to_be_focused()

    body = office_page.get_by_label("Texte de la fiche")
    body.focus()
    body.fill(NEW_BODY)
    preview = office_page.get_by_role("button", name="Prévisualiser la réponse")
    preview.focus()
    office_page.keyboard.press("Enter")
    heading = office_page.get_by_role("heading", name="Aperçu : ce que l'Assistant RH répondrait")
    expect(heading).to_be_visible(timeout=PREVIEW_MS)
    assert NEW_FIGURE in office_page.locator("section.carte").inner_text()
    assert NEW_FIGURE not in Answerer(default_database()).ask(QUESTION).text  # a preview publishes nothing

    publish = office_page.get_by_role("button", name="Publier")
    publish.focus()
    office_page.keyboard.press("Enter")
    expect(office_page.get_by_role("status")).to_contain_text("La fiche est publiée")
    assert NEW_FIGURE in Answerer(default_database()).ask(QUESTION).text

    office_page.get_by_role("link", name="Historique des versions de cette fiche").click()
    expect(office_page.get_by_role("table")).to_contain_text("nadia.rousseau")


def test_hr_answers_a_request_from_the_inbox_by_keyboard_and_its_pages_pass_axe(office_page, case):
    sign_in(office_page, "nadia.rousseau")
    office_page.get_by_role("navigation", name="Espace RH").get_by_role("link", name="Demandes").click()
    expect(office_page.get_by_role("heading", level=1)).to_have_text("Les demandes transmises au service RH")
    assert axe_violations(office_page) == []
    office_page.get_by_role("link", name=case.reference).click()
    expect(office_page.get_by_role("heading", level=1)).to_have_text(f"Demande {case.reference}")
    expect(office_page.locator("main")).to_contain_text(CASE_QUESTION)
    assert axe_violations(office_page) == []
    office_page.get_by_role("button", name="Envoyer la réponse").click()  # empty: refused next to the field
    answer = office_page.get_by_label("Votre réponse")
    expect(answer).to_have_attribute("aria-invalid", "true")
    assert axe_violations(office_page) == []
    answer.fill(CASE_ANSWER)
    answer.press("Tab")
    office_page.keyboard.press("Enter")
    expect(office_page.get_by_role("status")).to_contain_text("La réponse est enregistrée")
    assert CaseStore(default_database()).get(case.reference).status == "repondue"
    office_page.get_by_role("link", name="Créer une fiche à partir de cette réponse").click()
    expect(office_page.get_by_role("heading", level=1)).to_have_text("Nouvelle fiche")
    expect(office_page.get_by_label("Questions auxquelles la fiche répond")).to_have_value(CASE_QUESTION)
    expect(office_page.get_by_label("Texte de la fiche")).to_have_value(CASE_ANSWER)
    assert axe_violations(office_page) == []


def test_a_forged_form_without_the_csrf_token_is_refused(office_page):
    sign_in(office_page, "nadia.rousseau")
    response = office_page.request.post(
        f"{WEB_URL}/rh/contenus/{ARTICLE}", form={"title": "Forgé", "action": "publier"}, max_redirects=0
    )
    assert response.status == 403 and "jeton de sécurité" in response.text()
    assert "Forgé" not in Answerer(default_database()).ask(QUESTION).text


def test_a_practitioner_sees_only_their_service_and_gets_403_elsewhere(office_page):
    sign_in(office_page, "helene.faure")
    expect(office_page).to_have_url(re.compile(r"/rh/rendez-vous$"))
    nav = office_page.get_by_role("navigation", name="Espace RH")
    assert nav.get_by_role("link").all_inner_texts() == ["Rendez-vous"]
    office_page.get_by_role("link", name=re.compile("psychologue", re.IGNORECASE)).click()
    expect(office_page.get_by_role("heading", level=1)).to_contain_text("La psychologue du travail")
    assert axe_violations(office_page) == []
    for path in ("/rh/rendez-vous/avocat", "/rh/contenus", "/rh/journal"):
        response = office_page.goto(WEB_URL + path)
        assert response.status == 403, path
        expect(office_page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    assert axe_violations(office_page) == []


def test_an_agent_without_a_role_gets_403_on_the_back_office(office_page):
    sign_in(office_page, "camille.martin")
    expect(office_page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    assert "réservé au service des ressources humaines" in office_page.locator("main").inner_text()
    assert axe_violations(office_page) == []
    assert office_page.goto(f"{WEB_URL}/rh/contenus").url.endswith("/rh/connexion")  # no session was opened


def test_the_navigation_works_by_keyboard(office_page):
    sign_in(office_page, "nadia.rousseau")
    office_page.keyboard.press("Tab")  # the skip link
    names = []
    for _ in range(8):
        office_page.keyboard.press("Tab")
        names.append(office_page.evaluate("document.activeElement.textContent.trim()"))
    assert names == [
        "Accueil",
        "Demandes",
        "Fiches",
        "Rendez-vous",
        "Horaires",
        "Questions et avis",
        "Menus",
        "Journal",
    ]
    office_page.keyboard.press("Enter")
    expect(office_page.get_by_role("heading", level=1)).to_have_text("Journal de l'espace RH")


def test_an_article_hr_publishes_is_the_chats_next_answer(chat: Chat, restore_article):
    """Through the whole assistant: the action server's engine notices the publication at the next question."""
    page = chat.page
    sign_in(page, "nadia.rousseau")
    page.goto(f"{WEB_URL}/rh/contenus/{ARTICLE}")
    body = page.get_by_label("Texte de la fiche")
    body.fill(NEW_BODY)
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("status")).to_contain_text("La fiche est publiée")
    said = chat.sign_in("alex.petit").open().say(QUESTION)
    assert NEW_FIGURE in said, said
