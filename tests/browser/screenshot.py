"""The README's screenshots (`make screenshot`, against a running assistant with the demo sign-in):
docs/widget.png, the web chat in Chromium mid-booking; docs/backoffice.png, the HR back-office previewing an
article's answer."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.browser.chat import WEB_URL, Chat, chromium

PREVIEW_MS = 60_000


def widget(browser, target: str) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 760}, locale="fr-FR")
    chat = Chat(page).sign_in("alex.petit").open()
    chat.say("combien de jours de télétravail par semaine ?")
    chat.say("je voudrais prendre rendez-vous avec la psychologue")
    page.get_by_label("Votre message").focus()
    page.screenshot(path=target)


def backoffice(browser, target: str) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 800}, locale="fr-FR")
    page.goto(f"{WEB_URL}/rh/connexion")
    page.get_by_label("Agent de démonstration").select_option("nadia.rousseau")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{WEB_URL}/rh/contenus/teletravail-forfait")
    page.get_by_label("Questions auxquelles la fiche répond").fill("le forfait télétravail, c'est combien par jour ?")
    page.get_by_role("button", name="Prévisualiser la réponse").click()
    heading = page.get_by_role("heading", name="Aperçu : ce que l'Assistant RH répondrait")
    heading.wait_for(timeout=PREVIEW_MS)
    page.screenshot(path=target, full_page=True)


def main(widget_target: str, backoffice_target: str | None) -> int:
    with chromium() as browser:
        for shoot, target in ((widget, widget_target), (backoffice, backoffice_target)):
            if target:
                Path(target).parent.mkdir(parents=True, exist_ok=True)
                shoot(browser, target)
                print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:] or ["docs/widget.png", "docs/backoffice.png"]
    sys.exit(main(arguments[0] if arguments[0] != "-" else "", arguments[1] if len(arguments) > 1 else None))
