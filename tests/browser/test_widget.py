"""The web chat in Chromium: booking by clicks, safe rendering, identity, accessibility, keyboard."""

from __future__ import annotations

import json
import time

import pytest

from bot.booking.bookings import Booking
from bot.core.db import default_database
from bot.core.intranet import REFUSALS, issue_token
from bot.knowledge.feedback import feedback_by_day
from tests.browser.chat import SOCKET_URL, WEB_URL, Chat, axe_violations, restart_conversation


@pytest.fixture
def booking() -> Booking:
    return Booking(default_database())


def forget_bookings(booking: Booking, holder: str) -> None:
    for slot in booking.upcoming(holder):
        booking.cancel(slot.id, holder)


def useful_votes(kind: str) -> int:
    return sum(row.useful for row in feedback_by_day(default_database()) if row.kind == kind)


def test_a_signed_in_agent_books_by_clicking_buttons_and_sees_it_listed(chat, booking):
    forget_bookings(booking, "camille.martin")
    chat.sign_in("camille.martin").open()
    said = chat.say("je voudrais prendre rendez-vous avec la psychologue")
    assert "Où préférez-vous" in said, said
    assert "Quel jour" in chat.click("En visio")
    said = chat.click("Dès que possible")
    assert "créneaux libres" in said, said
    chosen = chat.log.locator(".arh-reply").first.inner_text()
    assert "Je récapitule" in chat.click(chosen)
    said = chat.click("Oui, je confirme")
    assert "C'est réservé" in said, said

    # The booking is the signed-in person's: the token's subject, with the name HR sees.
    (slot,) = booking.upcoming("camille.martin")
    assert slot.title == chosen and slot.holder_name == "Camille Martin" and slot.reference in said
    calendar = chat.log.get_by_role("link", name=".ics")
    assert calendar.get_attribute("href").startswith(f"{WEB_URL}/agenda/{slot.reference}.")
    download = chat.page.request.get(calendar.get_attribute("href"))
    assert download.ok and download.headers["content-type"].startswith("text/calendar")

    votes = useful_votes("action_booking_done")
    chat.log.get_by_role("button", name="Utile", exact=True).last.click()
    chat.log.get_by_text("Merci pour votre avis.").wait_for()
    assert useful_votes("action_booking_done") == votes + 1

    said = chat.click("Mes rendez-vous")
    assert slot.reference in said and "visio" in said, said

    # The history stays in the tab (reload), and goes at sign-out.
    chat.page.reload()
    chat.page.get_by_role("button", name="Assistant RH", exact=True).click()
    assert slot.reference in chat.log.inner_text()
    chat.page.get_by_role("button", name="Fermer l'Assistant RH").click()
    chat.page.get_by_role("button", name="Se déconnecter").click()
    chat.page.get_by_label("Agent de démonstration").wait_for()
    assert chat.page.evaluate("sessionStorage.getItem('assistant-rh')") is None
    assert chat.page.locator(".arh-msg").count() == 0
    forget_bookings(booking, "camille.martin")


def test_markup_and_script_links_are_shown_as_inert_text(chat):
    chat.sign_in("alex.petit").open()
    typed = ['<img src=x onerror="window.pwned=1">', "[clic](javascript:window.pwned=2) javascript:window.pwned=3"]
    for text in typed:
        chat.say(text)
    log = chat.log.inner_text()
    assert all(text in log for text in typed), log
    assert chat.log.locator("img, script, a[href^='javascript']").count() == 0
    # What the assistant writes goes through the same rendering: only http(s), mailto and tel become links.
    rendered = chat.page.evaluate(
        """text => {
        const box = document.createElement('div');
        box.append(AssistantRH.renderText(text));
        return {links: [...box.querySelectorAll('a')].map(a => a.getAttribute('href')),
                tags: [...box.querySelectorAll('*')].map(e => e.tagName.toLowerCase()), text: box.textContent};
    }""",
        "Voir https://www.service-public.gouv.fr/F488). <b>gras</b> <img src=x onerror=alert(1)>\n"
        "javascript:alert(1) data:text/html,<script>alert(1)</script> mailto:rh@mines-ales.fr tel:+33466782000",
    )
    assert rendered["links"] == [
        "https://www.service-public.gouv.fr/F488",
        "mailto:rh@mines-ales.fr",
        "tel:+33466782000",
    ]
    assert set(rendered["tags"]) <= {"p", "br", "a", "span"}
    assert "<b>gras</b>" in rendered["text"] and "javascript:alert(1)" in rendered["text"]
    assert chat.page.evaluate("window.pwned") is None


# A raw socket.io client in the page (the vendored one), to try what the widget never sends.
PROBE = """async ({url, token, sessionId, messages}) => {
    const seen = {errors: [], replies: [], confirmed: null, connected: false};
    const socket = io(url, {auth: token ? {token} : {}, reconnection: false, transports: ['websocket']});
    socket.on('bot_uttered', m => seen.replies.push(m.text));
    socket.on('session_confirm', id => { seen.confirmed = id; });
    const result = await new Promise(resolve => {
        socket.on('connect_error', e => resolve({message: e.message, code: e.data && e.data.code}));
        socket.on('connect', () => resolve(null));
        setTimeout(() => resolve({message: 'timeout'}), 5000);
    });
    if (result) { seen.errors.push(result); socket.close(); return seen; }
    seen.connected = true;
    socket.emit('session_request', {session_id: sessionId});
    for (const message of messages) {
        await new Promise(resolve => {
            socket.once('turn_done', resolve);
            socket.emit('user_uttered', {message, session_id: sessionId, metadata: {name: 'Usurpation'}});
            setTimeout(resolve, 30000);
        });
    }
    socket.close();
    return seen;
}"""


def probe(page, token: str | None, messages: list[str] = (), session_id: str | None = None) -> dict:
    return page.evaluate(
        PROBE, {"url": SOCKET_URL, "token": token, "sessionId": session_id, "messages": list(messages)}
    )


def test_forged_expired_or_missing_tokens_are_refused_and_another_session_id_gives_nothing(page, secret, booking):
    page.goto(f"{WEB_URL}/")
    forged = issue_token("not-the-intranet-secret-" + "0" * 24, "camille.martin", "Camille Martin", 600)
    expired = issue_token(secret, "camille.martin", "Camille Martin", -120)
    for token, code in ((forged, "invalid"), (expired, "expired"), (None, "missing")):
        seen = probe(page, token)
        assert not seen["connected"] and seen["errors"] == [{"message": REFUSALS[code], "code": code}], seen

    forget_bookings(booking, "camille.martin")
    slot = booking.free_slots("avocat")[0]
    booked = booking.book(slot.id, "camille.martin", "Camille Martin").booked
    dominique = issue_token(secret, "dominique.bernard", "Dominique Bernard", 600)
    restart_conversation("dominique.bernard")
    seen = probe(
        page, dominique, ["quels sont mes rendez-vous ?", "annuler mon rendez-vous", "oui"], session_id="camille.martin"
    )
    assert seen["confirmed"] == "dominique.bernard" and seen["replies"], seen
    assert all(booked.reference not in reply for reply in seen["replies"]), seen
    assert booking.slot(slot.id).holder == "camille.martin"  # still Camille's
    forget_bookings(booking, "camille.martin")


def test_a_page_from_another_origin_cannot_open_the_chat(page, secret):
    other_origin = WEB_URL.replace("127.0.0.1", "localhost")  # same server, another origin: not allowed
    page.goto(f"{other_origin}/")
    seen = probe(page, issue_token(secret, "camille.martin", "Camille Martin", 600))
    assert not seen["connected"] and seen["errors"], seen


def test_axe_finds_no_wcag_a_or_aa_violation(chat):
    chat.page.goto(f"{WEB_URL}/")
    assert axe_violations(chat.page) == []
    chat.sign_in("sacha.moreau")
    chat.page.get_by_role("button", name="Assistant RH", exact=True).click()
    assert axe_violations(chat.page) == []  # the privacy notice
    chat.open()
    chat.say("combien de jours de télétravail par semaine ?")  # an answer with its feedback buttons
    chat.say("<b>" + "x" * 50)
    chat.say("je voudrais un rendez-vous")  # buttons
    assert chat.log.get_by_role("button", name="Utile", exact=True).count() >= 1
    assert chat.log.get_by_role("button", name="Psychologue").count() == 1
    assert axe_violations(chat.page) == []
    chat.page.set_viewport_size({"width": 320, "height": 640})
    assert axe_violations(chat.page) == []


def test_the_chat_reflows_at_320_pixels(chat):
    chat.page.set_viewport_size({"width": 320, "height": 640})
    chat.sign_in("alex.petit").open()
    chat.say("bonjour")
    sizes = chat.page.evaluate("""() => {
        const panel = document.querySelector('.arh-panel').getBoundingClientRect();
        return {scroll: document.documentElement.scrollWidth, left: panel.left, right: panel.right};
    }""")
    assert sizes["scroll"] <= 320 and sizes["left"] >= 0 and sizes["right"] <= 320, sizes
    for control in (
        chat.input,
        chat.page.get_by_role("button", name="Envoyer"),
        chat.page.get_by_role("button", name="Fermer l'Assistant RH"),
    ):
        box = control.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320, box


def focused(page) -> dict:
    return page.evaluate("""() => {
        const e = document.activeElement, style = getComputedStyle(e);
        return {text: (e.getAttribute('aria-label') || e.textContent || e.id || '').trim(), tag: e.tagName,
                inPanel: Boolean(e.closest('.arh-panel')), cls: e.className,
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
    }""")


def tab_until(page, predicate, key: str = "Tab", limit: int = 40) -> dict:
    for _ in range(limit):
        page.keyboard.press(key)
        state = focused(page)
        assert state["outline"] or state["tag"] in ("BODY", "MAIN"), f"no visible focus on {state}"
        if predicate(state):
            return state
    raise AssertionError(f"{key} never reached the element (keyboard trap?); last focus: {state}")


def test_a_keyboard_only_walkthrough(page):
    restart_conversation("lou.garnier")
    page.goto(f"{WEB_URL}/")
    page.get_by_label("Agent de démonstration").wait_for()
    tab_until(page, lambda s: s["tag"] == "SELECT")
    page.keyboard.press("End")  # the last demo agent, Lou Garnier
    assert page.get_by_label("Agent de démonstration").input_value() == "lou.garnier"
    tab_until(page, lambda s: s["text"] == "Se connecter")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Se déconnecter").wait_for()

    tab_until(page, lambda s: s["text"] == "Assistant RH")
    page.keyboard.press("Enter")
    assert focused(page)["text"] == "J'ai compris, commencer" and focused(page)["outline"]
    page.keyboard.press("Enter")
    assert focused(page)["tag"] == "TEXTAREA"
    chat = Chat(page)
    before = chat.bot_count()
    page.keyboard.type("je voudrais prendre un rendez-vous")
    page.keyboard.press("Enter")
    chat.wait_for_turn(before)

    # Back from the input to the offered buttons, and choose one with the keyboard.
    state = tab_until(page, lambda s: "arh-reply" in s["cls"], key="Shift+Tab")
    before = chat.bot_count()
    page.keyboard.press("Enter")
    said = chat.wait_for_turn(before)
    assert state["text"] in chat.log.inner_text() and said
    assert focused(page)["tag"] == "TEXTAREA"

    # No trap: Tab leaves the panel; Escape closes it and gives the focus back to the launcher.
    tab_until(page, lambda s: not s["inPanel"])
    tab_until(page, lambda s: s["tag"] == "TEXTAREA", key="Shift+Tab")
    page.keyboard.press("Escape")
    assert page.get_by_role("dialog").count() == 0
    assert focused(page)["text"] == "Assistant RH" and focused(page)["outline"]
    assert json.loads(page.evaluate("sessionStorage.getItem('assistant-rh')"))["entries"]


def test_an_expired_session_is_renewed_and_the_message_sent_again(chat, secret):
    # The intranet's token endpoint, stood in for: during the first 3 s, tokens that the channel takes for
    # 6 s more (it allows 30 s of clock skew); then fresh ones.
    fetched: list[float] = []

    def token_endpoint(route):
        fetched.append(time.monotonic())
        lifetime = -24 if fetched[-1] - fetched[0] < 3 else 600
        token = issue_token(secret, "camille.martin", "Camille Martin", lifetime)
        route.fulfill(status=200, content_type="application/json", body=json.dumps({"token": token}))

    chat.sign_in("camille.martin")
    chat.page.route("**/dev/token", token_endpoint)
    chat.open()
    assert "Bonjour" in chat.say("bonjour")
    chat.page.wait_for_timeout(max(0.0, fetched[0] + 7 - time.monotonic()) * 1000)
    said = chat.say("combien de jours de télétravail par semaine ?")
    assert "télétravail" in said.lower() and fetched[-1] - fetched[0] > 6, said
    assert chat.log.locator(".arh-info").count() == 0  # renewed without a refusal shown to the person


def test_the_notice_is_the_widgets_own_or_hrs_article(chat):
    chat.sign_in("alex.petit")
    chat.page.get_by_role("button", name="Assistant RH", exact=True).click()
    built_in = chat.page.locator(".arh-notice-text").inner_text()
    assert "30 jours" in built_in and "santé" in built_in, built_in
    chat.page.route(
        "**/notice",
        lambda route: route.fulfill(
            status=200,
            content_type="application/json",
            body=json.dumps({"title": "RH", "text": "Texte <b>du</b> service RH."}),
        ),
    )
    chat.page.reload()
    chat.page.get_by_role("button", name="Assistant RH", exact=True).click()
    notice = chat.page.locator(".arh-notice-text")
    notice.filter(has_text="service RH").wait_for()
    assert notice.inner_text() == "Texte <b>du</b> service RH."
