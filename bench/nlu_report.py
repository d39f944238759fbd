"""Summarise `rasa test nlu` results: intent accuracy and macro-F1 (python -m bench.nlu_report DIR...)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def summarise(results: Path) -> dict:
    report = json.loads((results / "intent_report.json").read_text(encoding="utf-8"))
    intents = {
        k: v
        for k, v in report.items()
        if isinstance(v, dict) and "f1-score" in v and k not in ("macro avg", "weighted avg", "micro avg")
    }
    summary = {
        "examples": int(report["macro avg"]["support"]),
        "intent_accuracy": round(report["accuracy"], 4),
        "macro_f1": round(report["macro avg"]["f1-score"], 4),
        "weakest_intents": sorted(((k, round(v["f1-score"], 3)) for k, v in intents.items()), key=lambda kv: kv[1])[:5],
    }
    return summary


def main() -> int:
    for results in [Path(arg) for arg in sys.argv[1:]] or [Path("results/nlu")]:
        summary = summarise(results)
        print(f"{results}:")
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        (results / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
