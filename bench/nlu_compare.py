"""Which intent classifier: the project's linear model, Rasa's LogisticRegressionClassifier, DIET.

Runs in the Rasa environment (`make bench-nlu`, or `.venv-rasa/bin/python -m bench.nlu_compare`).
Each candidate is a whole Rasa NLU pipeline (bench/nlu_configs/*.yml) trained with Rasa
and queried through Rasa's Agent, so the figures are those of what would be served:
- trained on data/nlu, tested on tests/nlu/blind.yml (written blind) and tests/nlu/test.yml;
- 5-fold cross-validation of data/nlu (stratified, fixed seed);
- MASSIVE fr-FR (../shared/benchmarks/massive-fr-FR), train/test as given.
Reported: accuracy, macro-F1 (over the test set's intents), training seconds, inference
ms per message. Results go to
bench/results/nlu_compare/ (kept in git: the README's figures); `--markdown` prints the README table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "bench" / "nlu_configs"
MASSIVE = ROOT.parent / "shared" / "benchmarks" / "massive-fr-FR"
RESULTS = ROOT / "bench" / "results" / "nlu_compare"


def rasa_examples(path: Path) -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples if m.get("text")]


def write_nlu(examples: list[tuple[str, str]], path: Path) -> Path:
    by_intent: dict[str, list[str]] = {}
    for text, intent in examples:
        by_intent.setdefault(intent, []).append(text)
    blocks = [
        {"intent": intent, "examples": "".join(f"- {json.dumps(t, ensure_ascii=False)[1:-1]}\n" for t in texts)}
        for intent, texts in by_intent.items()
    ]
    path.write_text(
        yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True, width=10_000), encoding="utf-8"
    )
    return path


def massive(split: str) -> list[tuple[str, str]]:
    lines = (MASSIVE / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
    return [(row["text"], row["intent"]) for row in map(json.loads, lines)]


def folds(examples: list[tuple[str, str]], k: int = 5, seed: int = 2026):
    from sklearn.model_selection import StratifiedKFold

    labels = [intent for _, intent in examples]
    for train, test in StratifiedKFold(k, shuffle=True, random_state=seed).split(examples, labels):
        yield [examples[i] for i in train], [examples[i] for i in test]


def train_and_test(config: Path, train: list[tuple[str, str]], tests: dict[str, list[tuple[str, str]]]) -> dict:
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu
    from sklearn.metrics import accuracy_score, f1_score

    with tempfile.TemporaryDirectory() as tmp:
        data = write_nlu(train, Path(tmp) / "train.yml")
        start = time.perf_counter()
        model = train_nlu(str(config), str(data), output=tmp, fixed_model_name="candidate")
        seconds = time.perf_counter() - start
        agent = Agent.load(model)
        results = {"train_seconds": round(seconds, 1)}
        for name, examples in tests.items():
            start = time.perf_counter()
            predicted = [
                (asyncio.run(agent.parse_message(text)).get("intent") or {}).get("name") for text, _ in examples
            ]
            elapsed = time.perf_counter() - start
            truth = [intent for _, intent in examples]
            results[name] = {
                "examples": len(examples),
                "accuracy": round(accuracy_score(truth, predicted), 4),
                "macro_f1": round(f1_score(truth, predicted, average="macro", labels=sorted(set(truth))), 4),
                "ms_per_message": round(1000 * elapsed / len(examples), 2),
            }
        return results


def run(candidates: list[str], parts: list[str]) -> dict:
    logging.disable(logging.WARNING)
    own = rasa_examples(ROOT / "data" / "nlu")
    report: dict = {}
    for candidate in candidates:
        config = CONFIGS / f"{candidate}.yml"
        saved = RESULTS / f"{candidate}.json"
        entry = report[candidate] = json.loads(saved.read_text()) if saved.exists() else {}
        RESULTS.mkdir(parents=True, exist_ok=True)
        if "project" in parts:
            tests = {n: rasa_examples(ROOT / "tests" / "nlu" / f"{n}.yml") for n in ("blind", "test")}
            entry["project"] = train_and_test(config, own, tests)
            saved.write_text(json.dumps(entry, indent=2), encoding="utf-8")
        if "massive" in parts:
            entry["massive"] = train_and_test(config, massive("train"), {"test": massive("test")})
            saved.write_text(json.dumps(entry, indent=2), encoding="utf-8")
        if "cv" in parts:
            runs = [train_and_test(config, tr, {"fold": te})["fold"] for tr, te in folds(own)]
            entry["cv"] = {k: round(sum(r[k] for r in runs) / len(runs), 4) for k in ("accuracy", "macro_f1")}
            saved.write_text(json.dumps(entry, indent=2), encoding="utf-8")
        print(candidate, json.dumps(entry), flush=True)
    return report


def markdown(report: dict) -> str:
    rows = [
        "| model | blind.yml acc / F1 | test.yml acc / F1 | 5-fold CV acc / F1 | MASSIVE fr-FR acc / F1 | training s (data/nlu; MASSIVE) | ms/message (whole NLU pipeline) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, e in report.items():
        p, cv, m = e.get("project", {}), e.get("cv", {}), e.get("massive", {})

        def pair(d: dict) -> str:
            return f"{d['accuracy']:.3f} / {d['macro_f1']:.3f}" if d else "—"

        rows.append(
            f"| {name} | {pair(p.get('blind', {}))} | {pair(p.get('test', {}))} | {pair(cv)} | {pair(m.get('test', {}))} "
            f"| {p.get('train_seconds', '—')}; {m.get('train_seconds', '—')} | {p.get('blind', {}).get('ms_per_message', '—')} |"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", default="linear,logreg,diet")
    parser.add_argument("--parts", default="project,cv,massive")
    parser.add_argument("--markdown", action="store_true", help="print the README table of the saved results")
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if args.markdown:
        print(markdown({p.stem: json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"))}))
        return 0
    run(args.candidates.split(","), args.parts.split(","))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
