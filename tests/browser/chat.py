"""Driving the web chat in Debian's Chromium with Playwright: shared by the browser tests and the screenshot."""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from bot.runtime.local_api import with_api_token

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright cannot download its own browser here: Debian's, quiet and offline.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
WEB_URL = f"http://127.0.0.1:{os.environ.get('WEB_PORT', '8080')}"
SOCKET_URL = f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}"
TURN_SECONDS = 60
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the page, each with the elements it found."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def restart_conversation(sender: str) -> None:
    """A fresh conversation for a demo agent (Rasa's HTTP API), whatever earlier tests said."""
    url = with_api_token(f"{SOCKET_URL}/conversations/{sender}/tracker/events", os.environ.get("RASA_PORT", "5005"))
    request = urllib.request.Request(
        url, json.dumps({"event": "restart"}).encode(), {"Content-Type": "application/json"}
    )
    urllib.request.urlopen(request, timeout=30).close()


class Chat:
    """The demo intranet page and its widget, used as a person would (role and label locators)."""

    def __init__(self, page: Page, base_url: str = WEB_URL) -> None:
        self.page = page
        self.base_url = base_url
        self.log = page.get_by_role("log")
        self.input = page.get_by_label("Votre message")

    def sign_in(self, agent: str = "camille.martin") -> Chat:
        restart_conversation(agent)
        self.page.goto(self.base_url + "/")
        self.page.get_by_label("Agent de démonstration").select_option(agent)
        self.page.get_by_role("button", name="Se connecter").click()
        self.page.get_by_role("button", name="Se déconnecter").wait_for()
        return self

    def open(self) -> Chat:
        if not self.page.get_by_role("dialog").is_visible():
            self.page.get_by_role("button", name="Assistant RH", exact=True).click()
        accept = self.page.get_by_role("button", name="J'ai compris, commencer")
        if accept.is_visible():
            accept.click()
        self.input.wait_for()
        return self

    def bot_count(self) -> int:
        return self.page.locator(".arh-bot").count()

    def wait_for_turn(self, bots_before: int) -> str:
        """Waits until the assistant has answered (a new message, the log no longer busy); its text."""
        self.page.wait_for_function(
            """n => document.querySelectorAll('.arh-bot').length > n
                   && !document.querySelector('.arh-log').hasAttribute('aria-busy')""",
            arg=bots_before,
            timeout=TURN_SECONDS * 1000,
        )
        return "\n".join(self.page.locator(".arh-bot").all_inner_texts()[bots_before:])

    def say(self, text: str) -> str:
        before = self.bot_count()
        self.input.fill(text)
        self.input.press("Enter")
        return self.wait_for_turn(before)

    def click(self, title: str) -> str:
        """Clicks a button the assistant offered (the first whose name starts with `title`)."""
        before = self.bot_count()
        self.log.get_by_role("button", name=title).first.click()
        return self.wait_for_turn(before)
