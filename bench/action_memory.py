"""The action server's start-up time and memory, at rest and after answering 2,000 varied questions.

Starts `python -m bot.runtime.action_server` (as scripts/run.sh does: ACTIONS_WARM_UP=1) on a free port
against a fresh SQLite database holding the project's content, waits for /health, then sends knowledge
questions through its webhook as Rasa would (the gold questions and the articles' own questions, each
varied: greetings, typos, missing accents, lower case, so that no two texts are the same), a few at once.
Prints one JSON line: seconds to /health, resident memory (MB) at rest and after the questions, and the
replies' median time.

    python -m bench.action_memory [--questions 2000] [--concurrency 4]

Needs no Rasa, PostgreSQL nor Redis; the port is chosen free, so it runs next to anything else.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
import unicodedata
import urllib.request
from pathlib import Path

import aiohttp

from bench import gold

ROOT = Path(__file__).resolve().parent.parent
ACTIONS = (
    ("action_answer_leave", "ask_leave"),
    ("action_answer_social_aid", "ask_social_aid"),
    ("action_answer_telework", "ask_telework"),
    ("action_answer_onboarding", "ask_onboarding"),
    ("action_answer_policy", "ask_policy"),
    ("action_fallback", "nlu_fallback"),
)
OPENINGS = ("", "", "Bonjour, ", "bjr ", "Hello, ", "Excusez-moi, ", "Petite question : ")
ENDINGS = ("", "", " ?", " merci", " svp", " Merci d'avance.", " stp")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 6:
        return text
    i = rng.randrange(1, len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def questions(count: int, seed: int = 2026) -> list[str]:
    """`count` distinct questions: the gold ones and the articles' own, varied."""
    import yaml

    base = [q.q for part in ("dev", "heldout") for q in gold.load(part)]
    for path in sorted(gold.CONTENT.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        base += [str(q) for article in data["articles"] for q in article.get("questions") or []]
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        text = rng.choice(base)
        variant = rng.random()
        if variant < 0.25:
            text = _typo(text, rng)
        elif variant < 0.45:
            text = _unaccented(text).lower()
        text = f"{rng.choice(OPENINGS)}{text}{rng.choice(ENDINGS)}"
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def call(action: str, intent: str, text: str, sender: str) -> dict:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    tracker = {
        "sender_id": sender,
        "slots": {},
        "latest_message": message,
        "events": [{"event": "user", "text": text, "parse_data": message}],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }
    return {"next_action": action, "sender_id": sender, "tracker": tracker, "domain": {}, "version": "3.6.2"}


async def send_all(url: str, token: str, texts: list[str], concurrency: int) -> tuple[list[float], int]:
    times: list[float] = []
    errors = 0
    queue = list(enumerate(texts))
    headers = {"Authorization": f"Bearer {token}"}

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        while queue:
            n, text = queue.pop()
            action, intent = ACTIONS[n % len(ACTIONS)]
            start = time.perf_counter()
            async with session.post(url, json=call(action, intent, text, f"bench-{n % 50}"), headers=headers) as r:
                body = await r.json()
                if r.status != 200 or not body.get("responses"):
                    errors += 1
            times.append((time.perf_counter() - start) * 1000)

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return times, errors


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.action_memory", description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args(argv)
    texts = questions(args.questions)
    database = gold.content_database()
    port, token = free_port(), secrets.token_hex(24)
    env = {
        **os.environ,
        "DATABASE_URL": str(database.engine.url),
        "ACTION_SERVER_TOKEN": token,
        "ACTIONS_WARM_UP": "1",
    }
    start = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.runtime.action_server", "--actions", "actions", "-p", str(port), "--quiet"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        ready = None
        while time.monotonic() - start < 180 and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as health:
                    if health.status == 200:
                        ready = time.monotonic() - start
                        break
            except OSError:
                time.sleep(0.1)
        if ready is None:
            print("ERROR: the action server did not start", file=sys.stderr)
            return 1
        rest = rss_mb(server.pid)
        times, errors = asyncio.run(send_all(f"http://127.0.0.1:{port}/webhook", token, texts, args.concurrency))
        loaded = rss_mb(server.pid)
        print(
            json.dumps(
                {
                    "command": "python -m bench.action_memory",
                    "questions": len(texts),
                    "errors": errors,
                    "ready_s": round(ready, 1),
                    "rss_rest_mb": round(rest),
                    "rss_after_mb": round(loaded),
                    "reply_ms_p50": round(statistics.median(times), 1),
                }
            ),
            flush=True,
        )
        return 1 if errors else 0
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
