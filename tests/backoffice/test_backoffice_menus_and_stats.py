"""Menus uploaded all or nothing with every rejected line named; the charts of what staff asked."""

from __future__ import annotations

from datetime import date, timedelta

from aiohttp import FormData
from sqlalchemy import func, select

from bot.core.models import Menu
from bot.knowledge.feedback import record_feedback
from bot.knowledge.unanswered import record_unanswered
from tests.backoffice.client import run, signed_in


def _monday_in(weeks: int) -> date:
    today = date.today()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)


def _csv(*lines: str) -> FormData:
    form = FormData()
    text = "date;vegetarian;starters;mains;desserts;labels;allergens\n" + "\n".join(lines) + "\n"
    form.add_field("fichier", text.encode(), filename="semaine.csv", content_type="text/csv")
    return form


def test_a_menu_file_is_loaded_all_or_nothing_with_each_rejected_line_named(office):
    monday = _monday_in(1)
    good = [f"{monday + timedelta(days=n)};Gratin de blettes;Soupe;Poisson pané;Flan;bio;lait" for n in range(2)]
    bad = [f"{monday + timedelta(days=2)};;Soupe;Steak;Flan;;", "31/02/2027;Dahl;;Steak;;;"]

    async def scenario(new_person):
        hr = await signed_in(new_person)
        refused = await hr.post("/rh/menus", _csv(*good, *bad))
        with office.session() as session:
            after_refusal = session.scalar(select(func.count(Menu.id)))
        loaded = await hr.post("/rh/menus", _csv(*good))
        return refused, after_refusal, loaded

    refused, after_refusal, loaded = run(office, scenario)
    assert refused.status == 422 and "aucun menu n'a été chargé" in refused.text
    assert "semaine.csv, ligne 4" in refused.text and "semaine.csv, ligne 5" in refused.text
    assert "ligne 2" not in refused.text and after_refusal == 0
    assert loaded.status == 200 and "2 menu(s) chargé(s)" in loaded.text
    assert "Gratin de blettes" in loaded.text  # the coming weeks at a glance


def test_the_charts_show_unanswered_questions_and_feedback_with_their_tables(office):
    this_week = date.today()
    for _ in range(3):
        record_unanswered(office, "telework", this_week)
    record_unanswered(office, "leave", this_week - timedelta(weeks=2))
    record_unanswered(office, "leave", this_week + timedelta(days=8))  # another clock's tomorrow: not shown
    record_feedback(office, "action_answer_leave", True, this_week)
    record_feedback(office, "action_answer_leave", False, this_week)
    record_feedback(office, "action_booking_done", True, this_week)

    async def scenario(new_person):
        hr = await signed_in(new_person)
        return await hr.get("/rh/statistiques"), await hr.get("/rh/statistiques?type=action_booking_done")

    every, one_kind = run(office, scenario)
    assert every.text.count('role="img"') == 2 and "<rect" in every.text
    assert "Questions restées sans réponse, par semaine et par thème" in every.text
    telework_row = every.text.split('<th scope="row">Télétravail</th>')[1].split("</tr>")[0]
    assert telework_row.endswith('<td class="nombre">3</td>')
    useful_row = every.text.split('<th scope="row">Utile</th>')[1].split("</tr>")[0]
    assert useful_row.endswith('<td class="nombre">2</td>')
    useful_row = one_kind.text.split('<th scope="row">Utile</th>')[1].split("</tr>")[0]
    assert useful_row.endswith('<td class="nombre">1</td>')
