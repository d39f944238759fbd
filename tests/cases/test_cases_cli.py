"""The retention command purges closed requests; HR's `cases` commands until the back-office inbox."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.__main__ import main
from bot.cases.store import CaseStore
from bot.core.db import database_for


def test_the_retention_command_purges_closed_requests_after_case_retention_days(tmp_path: Path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CASE_RETENTION_DAYS", "10")
    long_ago = datetime.now(timezone.utc) - timedelta(days=11)
    past = CaseStore(database_for(url), now=lambda: long_ago)
    closed = past.open("agent-a", "Alex", "MARQUEUR-4410 une question", "leave")
    past.answer(closed.reference, "Une réponse", "RH")
    still_open = past.open("agent-b", "Sam", "Une question en attente", "leave")
    recent = CaseStore(database_for(url)).open("agent-c", "Lou", "Une question récente", "leave")
    CaseStore(database_for(url)).withdraw(recent.reference, "agent-c")
    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"  # no conversation yet

    assert main(["conversations", "purge", "--url", tracker, "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cases"] == 1
    assert main(["conversations", "purge", "--url", tracker, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cases"] == 1
    store = CaseStore(database_for(url))
    assert store.get(closed.reference) is None
    assert store.get(still_open.reference) is not None and store.get(recent.reference) is not None
    assert b"MARQUEUR-4410" not in b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert main(["conversations", "purge", "--url", tracker, "--case-days", "0"]) == 0
    assert "Demandes au service RH closes supprimées : 1" in capsys.readouterr().out


def test_the_retention_command_creates_no_application_database(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    assert main(["conversations", "purge", "--url", f"sqlite:///{tmp_path / 'tracker.db'}"]) == 0
    assert not (tmp_path / "none.db").exists()


def test_hr_commands_list_answer_and_close(tmp_path: Path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    store = CaseStore(database_for(url))
    first = store.open("agent-a", "Alex", "Première question", "leave")
    second = store.open("agent-b", "Sam", "Seconde question", "telework")
    assert main(["cases", "inbox", "--topic", "telework", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["reference"], r["text"], r["age_days"]) for r in rows] == [(second.reference, "Seconde question", 0)]
    assert main(["cases", "answer", first.reference, "La réponse", "--by", "Camille"]) == 0
    assert "répondue" in capsys.readouterr().out
    assert main(["cases", "done", second.reference, "--by", "Camille"]) == 0
    assert main(["cases", "answer", second.reference, "Trop tard", "--by", "Camille"]) == 1
    assert "ne peut plus changer" in capsys.readouterr().err
    assert main(["cases", "inbox"]) == 0
    assert "0 demande(s)" in capsys.readouterr().out
