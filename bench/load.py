"""Latency, throughput, memory and start-up of the assistant under load, next to Rasa's starter bot.

Real conversations (bookings with their actions and database writes, questions, menus, eligibility)
go through the REST channel, closed loop: each simulated person sends the next message when the
previous one is answered, with no pause. At 1, 10 and 50 people at once, on one and on two Rasa
instances (tests/cluster: PostgreSQL tracker store and application database, Redis lock store, one
action server per instance), then the same harness on the bot `rasa init` creates, trained in the
same run. Prints a Markdown table (also written to results/bench-load.md, with the raw figures in
results/bench-load.json).

    python -m bench.load [--seconds 20] [--users 1 10 50] [--instances 1 2]     (`make bench` runs it)

Needs PostgreSQL and Redis on 127.0.0.1 (as tests/cluster), the trained model and both environments.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from tests.cluster.cluster import ROOT, Cluster, get, services_missing

FIRST_BUTTON = object()  # a step that clicks the first button of the previous answer
CONVERSATIONS = [
    [
        "Bonjour, je voudrais prendre rendez-vous avec la psychologue",
        "en visio",
        "dès que possible",
        FIRST_BUTTON,
        "oui je confirme",
        "quels sont mes rendez-vous ?",
        "annuler mon rendez-vous",
        "oui",
    ],
    ["bonjour", "combien de jours de congés annuels ai-je ?", "et pour le télétravail ?", "merci, au revoir"],
    ["on mange quoi à midi ?", "menu de vendredi", "le restaurant est-il ouvert dimanche ?"],
    [
        "est-ce que j'ai droit au CESU ?",
        "je suis contractuelle depuis 2 ans",
        "deux enfants de 3 et 7 ans",
        FIRST_BUTTON,
        "en couple",
        "trois parts",
        "environ 28 000 €",
    ],
    ["je voudrais voir l'assistante sociale", "à Clavières", "mardi prochain", FIRST_BUTTON, "non, laisse tomber"],
    ["je suis nouvelle, par où commencer ?", "comment poser un jour de congé ?", "qui contacter aux RH ?"],
]
STARTER_CONVERSATIONS = [
    ["hello", "I am sad", "yes", "bye"],
    ["hi", "great", "goodbye"],
    ["hey there", "are you a bot?", "I am very unhappy", "no", "bye"],
]
STARTER_PORT = 5399
ASSISTANT, STARTER = "Assistant RH", "Rasa starter bot (`rasa init`)"


@dataclass
class Run:
    """What one load level measured."""

    users: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def percentile(self, q: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1]

    def row(self) -> dict:
        return {
            "users": self.users,
            "messages": len(self.latencies),
            "errors": self.errors,
            "p50_ms": round(1000 * self.percentile(50), 1),
            "p95_ms": round(1000 * self.percentile(95), 1),
            "p99_ms": round(1000 * self.percentile(99), 1),
            "replies_per_second": round(len(self.latencies) / self.seconds, 1),
        }


async def person(
    session: aiohttp.ClientSession, urls: list[str], conversations: list, index: int, until: float, run: Run
) -> None:
    """One simulated person: conversation after conversation until the time is up, alternating instances."""
    turn = index
    while time.monotonic() < until:
        sender = f"bench-{uuid.uuid4().hex[:12]}"
        buttons: list[dict] = []
        for step in conversations[turn % len(conversations)]:
            if time.monotonic() >= until:
                return
            message = (buttons[0]["payload"] if buttons else "1") if step is FIRST_BUTTON else step
            url = urls[turn % len(urls)]  # every conversation on one instance, people spread over all
            started = time.monotonic()
            try:
                async with session.post(
                    f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}
                ) as response:
                    replies = await response.json() if response.status == 200 else None
            except (aiohttp.ClientError, asyncio.TimeoutError):
                replies = None
            if replies is None:
                run.errors += 1
                break
            run.latencies.append(time.monotonic() - started)
            buttons = [button for reply in replies for button in reply.get("buttons") or []]
        turn += 1


async def load(urls: list[str], conversations: list, users: int, seconds: float) -> Run:
    run = Run(users, seconds)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        until = time.monotonic() + seconds
        await asyncio.gather(*(person(session, urls, conversations, i, until, run) for i in range(users)))
    return run


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def warm_up(urls: list[str], conversations: list) -> None:
    """One pass of every conversation on every instance: TensorFlow traces its graphs on first use."""
    for url in urls:
        asyncio.run(load([url], conversations, len(conversations), 0.01))


def measure(bot: str, urls: list[str], conversations: list, levels: list[int], seconds: float) -> list[dict]:
    warm_up(urls, conversations)
    rows = []
    for users in levels:
        row = asyncio.run(load(urls, conversations, users, seconds)).row()
        rows.append({"bot": bot, "instances": len(urls), **row})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def assistant(levels: list[int], seconds: float, layouts: list[int]) -> tuple[list[dict], dict]:
    rows, facts = [], {}
    for instances in layouts:
        cluster = Cluster(instances, instances)
        started = time.monotonic()
        try:
            cluster.start()
            facts[f"start_seconds_{instances}"] = round(time.monotonic() - started, 1)
            urls = [cluster.rasa_url(i) for i in range(instances)]
            rows += measure(ASSISTANT, urls, CONVERSATIONS, levels, seconds)
            facts[f"rasa_rss_mb_{instances}"] = [
                round(rss_mb(cluster.processes[f"rasa{i}"].pid)) for i in range(instances)
            ]
        finally:
            cluster.stop()
    return rows, facts


def starter(levels: list[int], seconds: float) -> tuple[list[dict], dict]:
    """`rasa init` in a temporary folder (it trains), `rasa run`, the same harness."""
    rasa = str(ROOT / ".venv-rasa" / "bin" / "rasa")
    env = {
        "TF_INTRA_OP_PARALLELISM_THREADS": "1",
        "TF_INTER_OP_PARALLELISM_THREADS": "1",  # as ours
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
    }
    with tempfile.TemporaryDirectory(prefix="rasa-init-") as folder:
        started = time.monotonic()
        subprocess.run(
            [rasa, "init", "--no-prompt", "--init-dir", folder],
            cwd=folder,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        facts = {"starter_init_and_train_seconds": round(time.monotonic() - started, 1)}
        log = open(ROOT / "var" / "bench-starter.log", "wb")
        started = time.monotonic()
        server = subprocess.Popen(
            [rasa, "run", "--enable-api", "--interface", "127.0.0.1", "--port", str(STARTER_PORT)],
            cwd=folder,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{STARTER_PORT}"
        try:
            while not get(f"{url}/status"):
                if server.poll() is not None:
                    raise RuntimeError("the starter bot stopped while starting; see var/bench-starter.log")
                time.sleep(0.5)
            facts["starter_start_seconds"] = round(time.monotonic() - started, 1)
            rows = measure(STARTER, [url], STARTER_CONVERSATIONS, levels, seconds)
            facts["starter_rss_mb"] = round(rss_mb(server.pid))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return rows, facts


def training_seconds() -> float | None:
    """How long `make train` took for the model in models/ (written by the Makefile)."""
    path = ROOT / "models" / "assistant.train-seconds"
    return float(path.read_text()) if path.exists() else None


def table(rows: list[dict], facts: dict) -> str:
    lines = [
        "| Setup | People at once | p50 (ms) | p95 (ms) | p99 (ms) | Replies/s | Errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['bot']}, {r['instances']} instance{'s' if r['instances'] > 1 else ''} | {r['users']} | "
        f"{r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['replies_per_second']} | {r['errors']} |"
        for r in rows
    ]
    by = {(r["bot"], r["instances"], r["users"]): r for r in rows}
    notes = []
    for users in sorted({r["users"] for r in rows}):
        one, two, base = by.get((ASSISTANT, 1, users)), by.get((ASSISTANT, 2, users)), by.get((STARTER, 1, users))
        if one and two:
            notes.append(
                f"{users} at once: two instances give {two['replies_per_second'] / one['replies_per_second']:.2f}"
                f"× the replies/s of one"
            )
        if one and base:
            notes.append(
                f"{users} at once: p50 {one['p50_ms'] / base['p50_ms']:.1f}× the starter bot's, "
                f"replies/s {one['replies_per_second'] / base['replies_per_second']:.2f}× its"
            )
    facts_text = [f"{key}: {value}" for key, value in facts.items()]
    return "\n".join(lines + [""] + [f"- {note}" for note in notes + facts_text])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="measuring time per load level")
    parser.add_argument("--users", type=int, nargs="+", default=[1, 10, 50], help="people at once")
    parser.add_argument("--instances", type=int, nargs="+", default=[1, 2], help="Rasa instances of the assistant")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers and drop the databases on `kill`
    missing = services_missing()
    if missing:
        print(f"ERROR: {missing}", file=sys.stderr)
        return 1
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "results").mkdir(exist_ok=True)
    rows, facts = assistant(args.users, args.seconds, args.instances)
    starter_rows, starter_facts = starter(args.users, args.seconds)
    facts = {
        "machine": f"{os.cpu_count()} cores, {platform.machine()}",
        "training_seconds": training_seconds(),
        **facts,
        **starter_facts,
    }
    text = table(rows + starter_rows, facts)
    (ROOT / "results" / "bench-load.md").write_text(text + "\n", encoding="utf-8")
    (ROOT / "results" / "bench-load.json").write_text(
        json.dumps({"rows": rows + starter_rows, "facts": facts}, indent=2), encoding="utf-8"
    )
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
