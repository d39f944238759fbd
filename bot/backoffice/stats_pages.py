"""What staff asked: the questions left unanswered per topic and week, and « utile / pas utile » per answer
kind and week, as charts with the table of their figures. Only counters: no text, no person."""

from __future__ import annotations

from datetime import date, timedelta

from aiohttp import web

from bot.backoffice.base import BOOKING, hr_only, page
from bot.backoffice.charts import Series, stacked_bars
from bot.backoffice.content_pages import TOPIC_LABELS
from bot.knowledge.feedback import feedback_by_day
from bot.knowledge.unanswered import unanswered_by_day

WEEKS = 12

routes = web.RouteTableDef()


def _weeks(today: date) -> list[date]:
    """The Mondays of the last WEEKS weeks, oldest first."""
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _label(monday: date) -> str:
    return f"{monday.day:02d}/{monday.month:02d}"


@routes.get("/statistiques")
@hr_only
async def statistics(request: web.Request) -> web.Response:
    database = request.app[BOOKING].database
    weeks = _weeks(request.app[BOOKING].now().date())
    position = {monday: index for index, monday in enumerate(weeks)}

    unanswered: dict[str, list[int]] = {}
    for day, topic, count in unanswered_by_day(database, weeks[0]):
        if _monday(day) in position:  # a counter dated after today (another clock) waits for its week
            unanswered.setdefault(topic, [0] * WEEKS)[position[_monday(day)]] += count
    unanswered_series = [Series(TOPIC_LABELS.get(topic, topic), values) for topic, values in sorted(unanswered.items())]

    rows = feedback_by_day(database, weeks[0])
    kinds = sorted({row.kind for row in rows})
    kind = request.query.get("type", "")
    useful, not_useful = [0] * WEEKS, [0] * WEEKS
    by_kind: dict[str, list[int]] = {}
    for row in rows:
        totals = by_kind.setdefault(row.kind, [0, 0])
        totals[0] += row.useful
        totals[1] += row.not_useful
        if kind in ("", row.kind) and _monday(row.day) in position:
            useful[position[_monday(row.day)]] += row.useful
            not_useful[position[_monday(row.day)]] += row.not_useful
    feedback_series = [Series("Utile", useful), Series("Pas utile", not_useful)]
    periods = [_label(monday) for monday in weeks]
    return page(
        request,
        "stats.html",
        periods=periods,
        unanswered=unanswered_series,
        unanswered_chart=stacked_bars(
            "sans-reponse", "Questions restées sans réponse, par semaine et par thème", periods, unanswered_series
        ),
        feedback=feedback_series,
        feedback_chart=stacked_bars(
            "avis", f"Avis « utile / pas utile » par semaine{f' ({kind})' if kind else ''}", periods, feedback_series
        ),
        kinds=kinds,
        kind=kind,
        by_kind=sorted(by_kind.items()),
    )
