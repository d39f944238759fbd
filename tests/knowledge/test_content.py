from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot.core.models import Article
from bot.core.vocabulary import AID_TYPES, LEAVE_TYPES
from bot.knowledge.content import ContentError, load_content, read_articles
from tests.conftest import CONTENT_DIR


def write(directory: Path, articles: list[dict], name: str = "a.yml") -> None:
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(yaml.safe_dump({"articles": articles}, allow_unicode=True), encoding="utf-8")


def article(**overrides) -> dict:
    base = {
        "id": "conges-test",
        "topic": "leave",
        "title": "Congés de test",
        "body": "Vous avez droit à des congés.",
        "source": "Service-public.fr",
        "source_date": "2025",
        "keywords": ["vacances"],
    }
    return base | overrides


def test_load_is_idempotent_and_reports_changes(database, tmp_path):
    folder = tmp_path / "content"
    write(folder, [article(), article(id="autre", title="Autre")])
    first = load_content(database, folder)
    assert sorted(first.added) == ["autre", "conges-test"]
    second = load_content(database, folder)
    assert second.added == [] and second.updated == [] and sorted(second.unchanged) == ["autre", "conges-test"]

    write(folder, [article(body="Texte modifié.")])
    third = load_content(database, folder)
    assert third.updated == ["conges-test"] and third.removed == ["autre"]
    with database.session() as session:
        rows = session.scalars(select(Article)).all()
    assert [(a.id, a.body) for a in rows] == [("conges-test", "Texte modifié.")]


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"topic": "meteo"}, "thème"),
        ({"source": ""}, "source"),
        ({"source_date": "hier"}, "source_date"),
        ({"leave_type": "sabbatique"}, "leave_type"),
        ({"id": "Pas Bon"}, "identifiant"),
        ({"body": "Les salarié·es"}, "point médian"),
    ],
)
def test_invalid_content_is_refused_and_nothing_is_loaded(database, tmp_path, bad, message):
    folder = tmp_path / "content"
    write(folder, [article(id="valide"), article(id="invalide") | bad])
    with pytest.raises(ContentError, match=message):
        load_content(database, folder)
    with database.session() as session:
        assert session.scalars(select(Article)).all() == []


def test_duplicate_ids_and_tags_are_refused(tmp_path):
    folder = tmp_path / "content"
    write(folder, [article(leave_type="rtt")], "a.yml")
    write(folder, [article(leave_type="rtt")], "b.yml")
    with pytest.raises(ContentError, match="déjà utilisé"):
        read_articles(folder)
    write(folder, [article(id="autre-rtt", leave_type="rtt")], "b.yml")
    with pytest.raises(ContentError, match="plusieurs articles"):
        read_articles(folder)


def test_project_content_is_valid_and_covers_every_entity_value():
    articles = read_articles(CONTENT_DIR)
    assert {a["leave_type"] for a in articles if a.get("leave_type")} == set(LEAVE_TYPES)
    assert {a["aid_type"] for a in articles if a.get("aid_type")} == set(AID_TYPES)
    assert {"leave", "telework", "social_aid", "onboarding", "policy", "rps", "restaurant", "contacts"} <= {
        a["topic"] for a in articles
    }


def test_every_article_names_a_dated_source():
    for raw in read_articles(CONTENT_DIR):
        assert raw["source"].strip() and 2000 <= int(str(raw["source_date"])[:4]) <= 2026, raw["id"]


def test_content_follows_the_writing_rules():
    text = " ".join(p.read_text(encoding="utf-8") for p in CONTENT_DIR.glob("*.yml"))
    assert "·" not in text
    assert "(e)" not in text and "(es)" not in text
