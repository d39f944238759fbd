"""docs/widget.png: the web chat in Chromium, mid-booking (`make screenshot`, against a running assistant
with the demo sign-in)."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.browser.chat import Chat, chromium


def main(target: str) -> int:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1100, "height": 760}, locale="fr-FR")
        chat = Chat(page).sign_in("alex.petit").open()
        chat.say("combien de jours de télétravail par semaine ?")
        chat.say("je voudrais prendre rendez-vous avec la psychologue")
        page.get_by_label("Votre message").focus()
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/widget.png"))
