"""The HR command line, run against a real SQLite database."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.__main__ import main
from bot.core.db import database_for
from bot.knowledge.feedback import record_feedback
from bot.knowledge.unanswered import record_unanswered
from tests.conftest import CONTENT_DIR


def test_content_load_then_unanswered_report(monkeypatch, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["content", "load", "--dir", str(CONTENT_DIR), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["added"]) >= 60 and report["removed"] == []

    assert main(["content", "load", "--dir", str(CONTENT_DIR)]) == 0
    assert "0 ajouté(s)" in capsys.readouterr().out

    database = database_for(url)
    for topic in ("policy", "policy", "leave"):
        record_unanswered(database, topic)
    assert main(["unanswered", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["topic"], r["count"]) for r in rows] == [("policy", 2), ("leave", 1)]
    assert main(["unanswered"]) == 0
    assert "policy" in capsys.readouterr().out


def test_refused_content_exits_non_zero_with_a_french_reason(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    (tmp_path / "bad.yml").write_text("articles:\n  - id: x\n    topic: leave\n", encoding="utf-8")
    assert main(["content", "load", "--dir", str(tmp_path)]) == 1
    assert "rien n'a été chargé" in capsys.readouterr().err


def test_seed_prepares_everything_make_run_needs_once(monkeypatch, tmp_path, capsys):
    from bot.booking.bookings import Booking
    from bot.restaurant.menus import Restaurant

    url = f"sqlite:///{tmp_path / 'seed.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["seed"]) == 0
    first = capsys.readouterr().out
    assert int(first.split("Base prête : ")[1].split(" article")[0]) >= 60 and "horaires chargés" in first
    database = database_for(url)
    assert Booking(database).places("psychologue") and Restaurant(database).closed(date(2026, 12, 28))
    assert main(["seed"]) == 0
    again = capsys.readouterr().out
    assert "0 article(s)" in again and "horaires inchangés" in again and "0 menu(s)" in again


def test_feedback_is_counted_per_day_and_kind_without_text(monkeypatch, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    database = database_for(url)
    for kind, useful, day in (
        ("action_answer_leave", True, date(2026, 11, 30)),
        ("action_answer_leave", True, date(2026, 11, 30)),
        ("action_answer_leave", False, date(2026, 11, 30)),
        ("utter_greet", False, date(2026, 12, 1)),
    ):
        record_feedback(database, kind, useful, day)
    assert main(["feedback", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"day": "2026-11-30", "kind": "action_answer_leave", "useful": 2, "not_useful": 1},
        {"day": "2026-12-01", "kind": "utter_greet", "useful": 0, "not_useful": 1},
    ]
    assert main(["feedback", "--since", "2026-12-01"]) == 0
    out = capsys.readouterr().out
    assert "utter_greet" in out and "action_answer_leave" not in out
    for bad in ("", "Action answer", "x" * 81, "<script>", None):
        with pytest.raises(ValueError):
            record_feedback(database, bad, True)
