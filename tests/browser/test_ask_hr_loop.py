"""« Ask HR » end to end in Chromium, as the issue asks: an agent asks the widget something the base does not know,
gets the honest « je ne sais pas » and the offer, sends it with « Envoyer »; HR answers it in the back-office inbox;
the agent reopens the chat (a new page load) and reads HR's answer without typing; HR turns the answer into an
article and publishes it; another agent asks the same question and the assistant answers it. And the variant where
the agent stays connected and the answer appears by itself (the widget asks the web server every
CHAT_ANSWERS_POLL_SECONDS, which `make test` shortens)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import delete, select

from bot.cases.store import CaseStore
from bot.core.db import default_database
from bot.core.models import Article, Case
from tests.browser.chat import WEB_URL, Chat
from tests.browser.test_backoffice import sign_in

QUESTION = "Peut-on installer un aquarium dans son bureau au bâtiment Clavières ?"
ANSWER = (
    "Oui, un aquarium de moins de 20 litres est accepté dans les bureaux du bâtiment Clavières : prévenez "
    "l'accueil du bâtiment avant de l'installer."
)
FIGURE = "moins de 20 litres"
STAYING_QUESTION = "Le bâtiment Clavières prête-t-il des plantes vertes pour les bureaux ?"
STAYING_ANSWER = "Oui : l'accueil du bâtiment Clavières prête des plantes vertes, demandez-les par courriel."
OFFER = "Transmettre ma question au service RH"
ANSWERED = "Le service RH a répondu à votre demande"


def _forget(*questions: str) -> None:
    """The requests with these questions and any article made from them: gone (before and after each test)."""
    database = default_database()
    with database.session() as session:
        references = session.scalars(select(Case.reference).where(Case.text.in_(questions))).all()
        for reference in references:
            session.execute(delete(Article).where(Article.id.endswith(reference.lower())))
        session.execute(delete(Case).where(Case.reference.in_(references)))


@pytest.fixture
def clean() -> Iterator[None]:
    _forget(QUESTION, STAYING_QUESTION)
    yield
    _forget(QUESTION, STAYING_QUESTION)


@pytest.fixture
def pages(browser: Browser) -> Iterator[callable]:
    """New pages, each in its own browser context (its own cookies and tab storage); JavaScript errors fail."""
    contexts, errors = [], []

    def new_page() -> Page:
        context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="fr-FR")
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield new_page
    for context in contexts:
        context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def poll_ms(page: Page) -> int:
    """How long the widget may take to ask for waiting answers: three of its periods, and the turn's time."""
    seconds = page.locator("script[data-answers-poll-seconds]").get_attribute("data-answers-poll-seconds")
    return (3 * int(seconds or 45) + 60) * 1000


def user_bubbles(page: Page) -> list[str]:
    return page.locator(".arh-user").all_text_contents()  # the same whether the panel is shown or not


def test_a_question_goes_to_hr_the_answer_comes_back_without_typing_and_becomes_an_article(pages, clean):
    store = CaseStore(default_database())
    agent = Chat(pages()).sign_in("camille.martin").open()
    said = agent.say(QUESTION)
    assert "Je ne sais pas" in said, said  # the base has nothing on it
    expect(agent.log.get_by_role("button", name=OFFER)).to_be_visible()
    said = agent.click(OFFER)
    assert "Voici ce qui sera transmis" in said and QUESTION in said and "Camille Martin" in said, said
    assert store.mine("camille.martin") == []  # nothing sent before « Envoyer »
    said = agent.click("Envoyer")
    reference = re.search(r"RH-[A-Z0-9]{6}", said).group(0)
    assert store.get(reference).text == QUESTION
    agent.page.goto("about:blank")  # the agent leaves the page: the chat is closed

    hr = pages()
    sign_in(hr, "nadia.rousseau")
    hr.goto(f"{WEB_URL}/rh/demandes")
    hr.get_by_role("link", name=reference).click()
    expect(hr.locator("main")).to_contain_text(QUESTION)
    hr.get_by_label("Votre réponse").fill(ANSWER)
    hr.get_by_role("button", name="Envoyer la réponse").click()
    expect(hr.get_by_role("status")).to_contain_text("La réponse est enregistrée")
    assert store.get(reference).delivered_at is None  # nobody has seen it yet

    # The agent comes back to the intranet, opens the chat and reads the answer without typing anything.
    agent.page.goto(f"{WEB_URL}/")
    agent.page.get_by_role("button", name="Se déconnecter").wait_for()
    typed = user_bubbles(agent.page)
    agent.open()
    expect(agent.log).to_contain_text(ANSWERED, timeout=poll_ms(agent.page))
    expect(agent.log).to_contain_text(ANSWER)
    assert user_bubbles(agent.page) == typed  # the widget's request to the assistant is no message of theirs
    assert "check_hr_answers" not in agent.log.inner_text()
    assert store.get(reference).delivered_at is not None and store.waiting("camille.martin") == 0

    # HR turns the answer into an article, reviews it and publishes it.
    hr.goto(f"{WEB_URL}/rh/demandes/{reference}")
    hr.get_by_role("link", name="Créer une fiche à partir de cette réponse").click()
    expect(hr.get_by_role("heading", level=1)).to_have_text("Nouvelle fiche")
    expect(hr.get_by_label("Questions auxquelles la fiche répond")).to_have_value(QUESTION)
    hr.get_by_role("button", name="Publier").click()
    expect(hr.get_by_role("status")).to_contain_text("La fiche est publiée")

    # Another agent asks the same question: the assistant answers it.
    said = Chat(pages()).sign_in("alex.petit").open().say(QUESTION)
    assert FIGURE in said and OFFER not in said, said


def test_the_answer_appears_by_itself_in_a_chat_that_stays_open(pages, clean):
    store = CaseStore(default_database())
    case = store.open("sacha.moreau", "Sacha Moreau", STAYING_QUESTION, "policy")
    agent = Chat(pages()).sign_in("sacha.moreau").open()
    agent.page.wait_for_function("!document.querySelector('.arh-status').textContent.includes('Connexion')")
    agent.page.wait_for_timeout(1500)  # the check at connection finds nothing: HR has not answered
    assert ANSWERED not in agent.log.inner_text() and store.get(case.reference).delivered_at is None
    store.answer(case.reference, STAYING_ANSWER, "Nadia Rousseau")
    expect(agent.log).to_contain_text(STAYING_ANSWER, timeout=poll_ms(agent.page))
    assert user_bubbles(agent.page) == []  # nothing typed, nothing shown as the person's
    assert store.get(case.reference).delivered_at is not None
    agent.page.wait_for_timeout(1000)
    assert agent.log.inner_text().count(STAYING_ANSWER) == 1  # once
