"""The gold questions asked to the running assistant, as a new user would: `python -m bench.chat_answers` (with
`REST_CHANNEL=1 scripts/with-assistant.sh`, part of `make bench`).

Each question opens a fresh conversation through the REST channel, so the whole chain answers it: the NLU, the
crisis net, the forms, the actions and the answering engine. For each gold part: the fact-in-answer rate (the
fact's pattern anywhere in what the assistant said), answers given to unanswerable questions (a passage shown
« d'après la fiche » without « je ne sais pas » nor the HR contact), questions back, and crisis checks asked.
`python -m bench.answers` measures the engine alone. Held-out questions are scored only, never printed.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import gold
from bench.distress import CHECK_MARK, Assistant, running_assistant
from bot.knowledge.answering import CLARIFY_OPENING
from bot.knowledge.answers import HR_CONTACT

SOURCE_MARK = "D'après la fiche"


def answered(said: str) -> bool:
    return SOURCE_MARK in said and HR_CONTACT not in said and not said.startswith("Je ne sais pas")


def measure(assistant: Assistant, questions: list[gold.Question], workers: int) -> dict:
    with ThreadPoolExecutor(workers) as pool:
        replies = list(pool.map(lambda q: assistant.reply(q.q), questions))
    answerable = [(q, said) for q, said in zip(questions, replies) if q.answerable]
    unanswerable = [said for q, said in zip(questions, replies) if not q.answerable]
    return {
        "questions": len(questions),
        "fact_in_answer": round(sum(q.fact_in(said) for q, said in answerable) / len(answerable), 3),
        "wrong_on_unanswerable": round(sum(map(answered, unanswerable)) / len(unanswerable), 3),
        "clarifying_rate": round(sum(CLARIFY_OPENING in said for said in replies) / len(replies), 3),
        "crisis_check_rate": round(sum(CHECK_MARK in said for said in replies) / len(replies), 3),
    }


def main(argv: list[str] | None = None) -> int:
    assistant, workers = running_assistant(__doc__, argv)
    parts = {part: measure(assistant, gold.load(part), workers) for part in gold.PARTS}
    print(f"{'through the chat':32}" + "".join(f" {part:>10}" for part in parts))
    for key in ("fact_in_answer", "wrong_on_unanswerable", "clarifying_rate", "crisis_check_rate"):
        print(f"{key:32}" + "".join(f" {100 * parts[p][key]:>9.1f}%" for p in parts))
    out = Path("results")
    out.mkdir(exist_ok=True)
    (out / "chat_answers.json").write_text(json.dumps(parts, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
