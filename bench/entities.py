"""Entity extraction, measured on the blind entity sets (tests/nlu/entities_dev.yml, entities_heldout.yml).

`python -m bench.entities` (part of `make bench`). The extractor is bot/core/entity_finder.py, the same
code the Rasa component runs. A closed-vocabulary entity counts as right when its entity and
canonical value match an annotation of the message; a date when its span overlaps an annotated
date. Precision, recall and F1 over all entities and per entity; the development part's errors
are listed, the held-out part's never (it is not read while tuning).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

from bot.core.entity_finder import find_entities

ROOT = Path(__file__).resolve().parent.parent
SETS = {"dev": ROOT / "tests" / "nlu" / "entities_dev.yml", "heldout": ROOT / "tests" / "nlu" / "entities_heldout.yml"}
_ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")


def parse_example(example: str) -> tuple[str, list[tuple[str, str, int, int]]]:
    """The plain text and its annotations (entity, value, start, end)."""
    text, gold, cursor, last = "", [], 0, 0
    for match in _ANNOTATION.finditer(example):
        text += example[last : match.start()]
        start = len(text)
        text += match.group(1)
        spec = match.group(2)
        if spec.startswith("{"):
            data = json.loads(spec)
            entity, value = data["entity"], data.get("value", match.group(1))
        else:
            entity, value = spec[1:-1], match.group(1)
        gold.append((entity, value, start, len(text)))
        last = match.end()
    text += example[last:]
    del cursor
    return text, gold


def examples(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [line[2:] for block in data["nlu"] for line in block["examples"].splitlines() if line.startswith("- ")]


def score(path: Path) -> dict:
    counts: dict[str, list[int]] = {}
    errors = []
    for example in examples(path):
        text, gold = parse_example(example)
        found = [(f.entity, f.value, f.start, f.end) for f in find_entities(text)]
        unmatched = list(gold)
        for entity, value, start, end in found:
            tally = counts.setdefault(entity, [0, 0, 0])  # right, predicted, expected
            tally[1] += 1
            match = next(
                (
                    g
                    for g in unmatched
                    if g[0] == entity and (g[1] == value if entity != "date" else g[2] < end and start < g[3])
                ),
                None,
            )
            if match:
                tally[0] += 1
                unmatched.remove(match)
            else:
                errors.append(f"extra {entity}={value!r} in: {text}")
        for entity, _value, _, _ in gold:
            counts.setdefault(entity, [0, 0, 0])[2] += 1
        errors += [f"missed {g[0]}={g[1]!r} in: {text}" for g in unmatched]
    right, predicted, expected = (sum(c[i] for c in counts.values()) for i in range(3))

    def f1(r: int, p: int, e: int) -> dict:
        precision, recall = (r / p if p else 0.0), (r / e if e else 0.0)
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        }

    return {
        "all": f1(right, predicted, expected),
        "per_entity": {k: f1(*v) for k, v in sorted(counts.items())},
        "errors": errors,
    }


def main() -> int:
    report = {}
    for name, path in SETS.items():
        result = score(path)
        print(f"{name}: {json.dumps(result['all'])}")
        for entity, figures in result["per_entity"].items():
            print(f"    {entity}: {json.dumps(figures)}")
        if name == "dev":
            for error in result["errors"]:
                print(f"    - {error}")
        report[name] = {k: v for k, v in result.items() if k != "errors"}
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "entities.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
