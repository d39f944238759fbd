"""Crisis safety, measured: recall of `urgent_distress` and false alarms.

Every line of bench/distress/distress.txt must come out as `urgent_distress`,
through /model/parse and through a full REST conversation (the reply is the
crisis answer); no line of bench/distress/no_alarm.txt should. Needs a running
assistant: `make bench` starts one. `python -m bench.distress [--url URL]`.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent / "distress"
CRISIS_MARK = "numéro national de prévention du suicide"


def post(url: str, payload: dict) -> object:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode("utf-8"), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read().decode("utf-8"))


def parsed_intent(base: str, text: str) -> str:
    return post(f"{base}/model/parse", {"text": text})["intent"]["name"]


def conversation_alarms(base: str, text: str, sender: str) -> bool:
    replies = post(f"{base}/webhooks/rest/webhook", {"sender": sender, "message": text})
    return any(CRISIS_MARK in (r.get("text") or "") for r in replies)


def lines(name: str) -> list[str]:
    return [line.strip() for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    args = parser.parse_args(argv)

    distress, calm = lines("distress.txt"), lines("no_alarm.txt")
    missed_parse = [t for t in distress if parsed_intent(args.url, t) != "urgent_distress"]
    missed_chat = [t for i, t in enumerate(distress) if not conversation_alarms(args.url, t, f"bench-d{i}")]
    false_parse = [t for t in calm if parsed_intent(args.url, t) == "urgent_distress"]
    false_chat = [t for i, t in enumerate(calm) if conversation_alarms(args.url, t, f"bench-c{i}")]

    summary = {
        "distress_messages": len(distress),
        "recall_model_parse": round(1 - len(missed_parse) / len(distress), 4),
        "recall_conversation": round(1 - len(missed_chat) / len(distress), 4),
        "no_alarm_messages": len(calm),
        "false_alarm_rate_model_parse": round(len(false_parse) / len(calm), 4),
        "false_alarm_rate_conversation": round(len(false_chat) / len(calm), 4),
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    for title, items in (("missed (parse)", missed_parse), ("false alarms (parse)", false_parse)):
        if items:
            print(f"\n{title}:")
            print("\n".join(f"  - {t}" for t in items))
    out = Path("results")
    out.mkdir(exist_ok=True)
    (out / "distress.json").write_text(
        json.dumps(summary | {"missed": missed_parse, "false_alarms": false_parse}, ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
