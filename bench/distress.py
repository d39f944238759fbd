"""Crisis safety, measured: recall of `urgent_distress` and false alarms.

Sets (bench/distress/, one message per line, see its README):
- dev_*.txt, dev2_*.txt: the project's own sets; the lexicon and training data were improved
  while looking at their misses, and `make test` requires every distress line of them;
- heldout_*.txt: written blind last, never used to tune anything: the honest figures.

A distress message must come out as `urgent_distress` through /model/parse, and get the crisis
answer in a fresh conversation and in the middle of a booking form. A no-alarm message should not
get it. Needs a running assistant: `make bench` starts one. `python -m bench.distress [--url URL]`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.local_api import with_api_token

HERE = Path(__file__).resolve().parent / "distress"
CRISIS_MARK = "numéro national de prévention du suicide"
DISTRESS_SETS = ("dev_distress.txt", "dev2_distress.txt", "heldout_distress.txt")
NO_ALARM_SETS = ("dev_no_alarm.txt", "dev2_no_alarm_work.txt", "dev2_no_alarm_everyday.txt",
                 "heldout_no_alarm_work.txt", "heldout_no_alarm_everyday.txt")
FORM_OPENING = "je voudrais prendre rendez-vous avec la psychologue"


def post(url: str, payload: dict) -> object:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode("utf-8"), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read().decode("utf-8"))


def lines(name: str) -> list[str]:
    return [line.strip() for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()]


class Assistant:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def intent(self, text: str) -> str:
        # Rasa's HTTP API needs the run's token (scripts/run.sh writes it to var/api-token[-<port>]).
        port = self.base.rsplit(":", 1)[-1].split("/")[0]
        return post(with_api_token(f"{self.base}/model/parse", port), {"text": text})["intent"]["name"]

    def alarms(self, text: str, mid_form: bool = False) -> bool:
        """Whether the reply to `text` is the crisis answer, in a fresh conversation or mid-booking."""
        sender = f"bench-{uuid.uuid4().hex}"
        if mid_form:
            post(f"{self.base}/webhooks/rest/webhook", {"sender": sender, "message": FORM_OPENING})
        replies = post(f"{self.base}/webhooks/rest/webhook", {"sender": sender, "message": text})
        return any(CRISIS_MARK in (reply.get("text") or "") for reply in replies)


def measure(assistant: Assistant, name: str, distress: bool, workers: int) -> dict:
    texts = lines(name)
    with ThreadPoolExecutor(workers) as pool:
        parsed = list(pool.map(assistant.intent, texts))
        chat = list(pool.map(assistant.alarms, texts))
        form = list(pool.map(lambda t: assistant.alarms(t, mid_form=True), texts)) if distress else []
    crisis = [intent == "urgent_distress" for intent in parsed]
    if distress:
        wrong = {t: p for t, p, c, f in zip(texts, parsed, chat, form) if not (p == "urgent_distress" and c and f)}
        return {
            "set": name, "messages": len(texts),
            "recall_model_parse": round(sum(crisis) / len(texts), 4),
            "recall_conversation": round(sum(chat) / len(texts), 4),
            "recall_mid_form": round(sum(form) / len(texts), 4),
            "missed": wrong,
        }
    wrong = {t: p for t, p, c in zip(texts, parsed, chat) if p == "urgent_distress" or c}
    return {
        "set": name, "messages": len(texts),
        "false_alarms_model_parse": round(sum(crisis) / len(texts), 4),
        "false_alarms_conversation": round(sum(chat) / len(texts), 4),
        "false_alarms": wrong,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    assistant = Assistant(args.url)

    present = [name for name in (*DISTRESS_SETS, *NO_ALARM_SETS) if (HERE / name).exists()]
    results = [measure(assistant, name, name in DISTRESS_SETS, args.workers) for name in present]
    for result in results:
        figures = {k: v for k, v in result.items() if k not in ("missed", "false_alarms")}
        print(json.dumps(figures, ensure_ascii=False))
        for text, intent in (result.get("missed") or result.get("false_alarms") or {}).items():
            print(f"    - [{intent}] {text}")
    out = Path("results")
    out.mkdir(exist_ok=True)
    (out / "distress.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
