"""Start Rasa with the HTTP API token read from a file: `python -m rasa_components.serve run
--auth-token-file var/api-token …` (scripts/run.sh).

`rasa run --auth-token X` would show the token to every local user in the process list; this
launcher reads it from a file only its owner can read (mode 0600) and hands it to Rasa's own
command line parser inside the process. Everything else is Rasa's `rasa` command, unchanged, after
the project's settings are checked (bot/core/settings.py: a wrong value stops the start, naming it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.core.settings import settings_or_exit

OPTION = "--auth-token-file"


def with_token(argv: list[str]) -> list[str]:
    """argv with `--auth-token-file PATH` replaced by `--auth-token <the file's content>`."""
    if OPTION not in argv:
        return argv
    index = argv.index(OPTION)
    if index + 1 >= len(argv):
        raise SystemExit(f"{OPTION} needs a path")
    token = Path(argv[index + 1]).read_text(encoding="utf-8").strip()
    if len(token) < 32:
        raise SystemExit(f"{OPTION}: the token in {argv[index + 1]} is shorter than 32 characters")
    return argv[:index] + ["--auth-token", token] + argv[index + 2 :]


def main() -> None:
    settings_or_exit()
    sys.argv = [sys.argv[0]] + with_token(sys.argv[1:])
    from rasa.__main__ import main as rasa_main

    import rasa_components  # noqa: F401  the log filter, before Rasa logs anything

    rasa_main()


if __name__ == "__main__":
    main()
