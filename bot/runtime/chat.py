"""A terminal chat over Rasa's REST channel: `python -m bot.runtime.chat` (used by `make shell`).

Buttons are numbered; typing a number sends the button's payload.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import urllib.error
import urllib.request

from bot.core.settings import settings_or_exit

QUIT = {"/quit", "/exit", "quitter", "/stop"}


def send(url: str, sender: str, message: str) -> list[dict]:
    data = json.dumps({"sender": sender, "message": message}).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read().decode("utf-8"))


def show(messages: list[dict]) -> list[dict]:
    buttons: list[dict] = []
    for message in messages:
        if message.get("text"):
            print(f"\nAssistant RH : {message['text']}")
        for button in message.get("buttons") or []:
            buttons.append(button)
            print(f"  {len(buttons)}. {button['title']}")
    return buttons


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Chat with Assistant RH in the terminal")
    port = settings_or_exit().rasa_port
    parser.add_argument("--url", default=f"http://127.0.0.1:{port}/webhooks/rest/webhook")
    parser.add_argument("--sender", default=f"terminal-{getpass.getuser()}")
    args = parser.parse_args(argv)
    print("Assistant RH — écrivez votre message (numéro pour choisir un bouton, /quit pour sortir).")
    buttons: list[dict] = []
    while True:
        try:
            text = input("\nVous : ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if text.lower() in QUIT:
            return 0
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        try:
            buttons = show(send(args.url, args.sender, text))
        except (urllib.error.URLError, TimeoutError) as error:
            print(f"\nL'assistant ne répond pas ({error}). Est-il démarré (make run) ?", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
