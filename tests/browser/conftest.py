"""Browser tests of the web chat, in Debian's Chromium, against a running assistant with the demo sign-in.

Run by `make test` (see the Makefile's e2e step, which sets DEV_SIGN_IN=1 and the intranet secret).
Without Chromium, or without such an assistant, they are skipped with the reason, except under CI
(CI=true) where they fail.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.chat import CHROMIUM, SOCKET_URL, WEB_URL, Chat, chromium


def _missing(urls: tuple[str, ...] = (f"{WEB_URL}/dev/agents", f"{SOCKET_URL}/")) -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if not os.environ.get("INTRANET_JWT_SECRET"):
        return "INTRANET_JWT_SECRET is not set (run through `make test`)"
    for url in urls:
        try:
            urllib.request.urlopen(url, timeout=5)
        except OSError as error:
            return f"no assistant with the demo sign-in at {url} ({error}; run through `make test`)"
    return None


def _required(reason: str | None) -> None:
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser tests must run under CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_chromium():
    """One Chromium for the session (Playwright's sync API runs one instance per process)."""
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def browser(request):
    """Chromium, with the whole assistant running (the web server and Rasa)."""
    _required(_missing())
    return request.getfixturevalue("shared_chromium")


@pytest.fixture(scope="session")
def web_browser(request):
    """Chromium, with the web server running (the back-office needs nothing else)."""
    _required(_missing((f"{WEB_URL}/dev/agents",)))
    return request.getfixturevalue("shared_chromium")


def _checked_page(browser):
    """A page whose JavaScript errors and blocked resources fail the test."""
    context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="fr-FR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    context.close()
    assert errors == [], f"JavaScript errors or blocked resources on the page: {errors}"


@pytest.fixture
def page(browser):
    yield from _checked_page(browser)


@pytest.fixture
def office_page(web_browser):
    yield from _checked_page(web_browser)


@pytest.fixture
def chat(page) -> Iterator[Chat]:
    yield Chat(page)


@pytest.fixture
def secret() -> str:
    return os.environ["INTRANET_JWT_SECRET"]
