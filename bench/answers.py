"""The answering engine measured on the gold questions: `python -m bench.answers`.

For the development and held-out parts side by side: top-1 article accuracy on answerable questions (the
answer's article is one of the question's articles), fact-in-answer rate (the fact's pattern found in the
text shown to the person, lower-cased and accent-free), wrong answers on unanswerable questions (an answer
given instead of « je ne sais pas »), the clarifying-question rate; answer time per question in-process,
index build time, and the same timings with the base replicated to 500 articles. Figures are written to
bench/results/answers.json. The held-out questions are scored only: nothing here prints them.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select

from bench import gold
from bot.core.models import Article
from bot.core.text import clear_caches, lexicon
from bot.knowledge.answering import CLARIFY, Answerer
from bot.knowledge.engine import KnowledgeIndex

RESULTS = Path(__file__).resolve().parent / "results" / "answers.json"
REPLICATED = 500


def evaluate(answerer: Answerer, questions: list[gold.Question]) -> tuple[dict, list[float]]:
    answerable = [q for q in questions if q.answerable]
    unanswerable = [q for q in questions if not q.answerable]
    top1 = fact = wrong_unanswerable = clarify = abstain_answerable = offered_right = offered_unanswerable = 0
    times = []
    for question in questions:
        start = time.perf_counter()
        reply = answerer.ask(question.q)
        times.append((time.perf_counter() - start) * 1000)
        asked_back = reply.asked == CLARIFY
        opens = {b.payload for b in reply.buttons} if not reply.answered and not asked_back else set()
        clarify += asked_back
        if question.answerable:
            top1 += reply.article_id in question.articles
            fact += reply.answered and question.fact_in(reply.text)
            abstain_answerable += not reply.answered and not asked_back
            offered_right += any(f'"article_id": "{a}"' in payload for a in question.articles for payload in opens)
        else:
            wrong_unanswerable += reply.answered
            offered_unanswerable += any("article_id" in payload for payload in opens)
    return {
        "questions": len(questions),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "top1_accuracy": round(top1 / len(answerable), 3),
        "fact_in_answer": round(fact / len(answerable), 3),
        "wrong_on_unanswerable": round(wrong_unanswerable / len(unanswerable), 3) if unanswerable else None,
        "clarifying_rate": round(clarify / len(questions), 3),
        "abstained_on_answerable": round(abstain_answerable / len(answerable), 3),
        # After « je ne sais pas »: the right article among the buttons offered (share of the abstentions), and
        # how often an unanswerable question gets such buttons (harmless: nothing is asserted).
        "right_article_offered_on_abstention": round(offered_right / abstain_answerable, 3)
        if abstain_answerable
        else None,
        "articles_offered_on_unanswerable": round(offered_unanswerable / len(unanswerable), 3)
        if unanswerable
        else None,
    }, times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)


def replicated(articles: list[Article], size: int) -> list[Article]:
    """`size` distinct articles made from the real ones: each copy's sentences and questions carry a marker, so
    that nothing is shared with the original's analysis (a cold build really analyses every text)."""
    out = []
    for n in range(size):
        a = articles[n % len(articles)]
        tag = f"r{n}"
        out.append(
            Article(
                id=f"{a.id}-{tag}",
                topic=a.topic,
                title=f"{a.title} {tag}",
                body=" ".join(f"{s} {tag}." for s in a.body.split(". ")),
                how_to=a.how_to and f"{a.how_to} {tag}",
                source=a.source,
                source_date=a.source_date,
                reliability=a.reliability,
                keywords=list(a.keywords or []),
                questions=[f"{q} {tag}" for q in a.questions or []],
                default_for=[],
            )
        )
    return out


def timing_500(articles: list[Article], questions: list[str]) -> dict:
    big = replicated(articles, REPLICATED)
    clear_caches()
    start = time.perf_counter()
    index = KnowledgeIndex(big)
    cold = time.perf_counter() - start
    edited = big[:]
    first = edited[0]
    edited[0] = Article(
        **{
            c: getattr(first, c)
            for c in (
                "id",
                "topic",
                "title",
                "how_to",
                "source",
                "source_date",
                "reliability",
                "keywords",
                "questions",
                "default_for",
            )
        },
        body=first.body + " Phrase ajoutée par le service RH.",
    )
    start = time.perf_counter()
    KnowledgeIndex(edited)
    rebuild = time.perf_counter() - start
    times = []
    for q in questions:
        start = time.perf_counter()
        index.ask(q)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "articles": len(big),
        "units": len(index.unit_text),
        "cold_build_s": round(cold, 2),
        "rebuild_after_edit_s": round(rebuild, 2),
        "answer_ms_p50": percentile(times, 0.5),
        "answer_ms_p95": percentile(times, 0.95),
    }


def main() -> int:
    start = time.perf_counter()
    clear_caches(lexicon_too=True)
    lexicon()
    lexicon_load = time.perf_counter() - start
    database = gold.content_database()
    answerer = Answerer(database)
    clear_caches()
    start = time.perf_counter()
    index = answerer.search.index()
    build = time.perf_counter() - start
    parts = {}
    all_times: list[float] = []
    for part in gold.PARTS:
        parts[part], times = evaluate(answerer, gold.load(part))
        all_times += times
    with database.session() as session:
        articles = list(session.scalars(select(Article).order_by(Article.id)))
    dev_texts = [q.q for q in gold.load("dev")]
    figures = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores, Python {platform.python_version()}",
        "command": "python -m bench.answers",
        "articles": len(index.articles),
        "units": len(index.unit_text),
        "parts": parts,
        "lexicon_load_s": round(lexicon_load, 2),
        "index_build_s": round(build, 2),
        "answer_ms_p50": percentile(all_times, 0.5),
        "answer_ms_p95": percentile(all_times, 0.95),
        "replicated_500": timing_500(articles, dev_texts),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")

    rows = [
        ("top-1 article accuracy (answerable)", "top1_accuracy"),
        ("fact in answer (answerable)", "fact_in_answer"),
        ("wrong answers on unanswerable", "wrong_on_unanswerable"),
        ("clarifying questions", "clarifying_rate"),
        ("« je ne sais pas » on answerable", "abstained_on_answerable"),
        ("  of which right article offered", "right_article_offered_on_abstention"),
        ("articles offered on unanswerable", "articles_offered_on_unanswerable"),
    ]
    names = {
        "dev": "dev",
        "heldout": "held-out",
        "heldout2": "held-out 2",
        "heldout3": "held-out 3",
        "heldout4": "held-out 4",
    }
    print(f"{'':40}" + "".join(f" {names[p]:>11}" for p in parts))
    print(
        f"{'questions (answerable / unanswerable)':40}"
        + "".join(f" {parts[p]['answerable']:>7}/{parts[p]['unanswerable']:<3}" for p in parts)
    )
    for label, key in rows:
        print(f"{label:40}" + "".join(f" {100 * parts[p][key]:>10.1f}%" for p in parts))
    big = figures["replicated_500"]
    print(
        f"\n{len(index.articles)} articles, {len(index.unit_text)} units: index build {build:.2f} s "
        f"(lemma table load {lexicon_load:.1f} s apart); answer p50 {figures['answer_ms_p50']} ms, "
        f"p95 {figures['answer_ms_p95']} ms"
    )
    print(
        f"{big['articles']} articles, {big['units']} units: cold build {big['cold_build_s']} s, rebuild after an "
        f"HR edit {big['rebuild_after_edit_s']} s; answer p50 {big['answer_ms_p50']} ms, p95 {big['answer_ms_p95']} ms"
    )
    print(f"written {RESULTS.relative_to(gold.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
