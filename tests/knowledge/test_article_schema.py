"""The articles' schema: each shipped article validates; a bad one is refused in French, naming the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.core.schema import validate
from bot.knowledge.schema import ArticleSchema

CONTENT_DIR = Path(__file__).resolve().parents[2] / "data" / "content"

GOOD = {
    "id": "conges-test",
    "topic": "leave",
    "title": "Congés",
    "body": "Texte.",
    "source": "Service-public.fr",
    "source_date": "2025",
}


def test_every_shipped_article_validates():
    articles = [
        raw
        for path in sorted(CONTENT_DIR.glob("*.yml"))
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["articles"]
    ]
    assert len(articles) > 50
    assert [
        problem for raw in articles for problem in validate(ArticleSchema, raw, raw["id"], median_dot=True)[1]
    ] == []


def test_a_bad_article_is_refused_naming_each_field():
    raw = GOOD | {"topic": "meteo", "reliability": "top", "title": "", "couleur": "bleu"}
    entry, problems = validate(ArticleSchema, raw, "a.yml, article 1", colon=": ")
    assert entry is None
    assert problems == [
        (
            "a.yml, article 1: thème « meteo » inconnu (leave, telework, social_aid, onboarding, policy, rps, restaurant, "
            "contacts, privacy)"
        ),
        "a.yml, article 1: champ « title » manquant",
        "a.yml, article 1: reliability « top » inconnue",
        "a.yml, article 1: champ « couleur » inconnu",
    ]


def test_a_misspelt_key_of_a_content_file_is_refused(tmp_path: Path):
    from bot.knowledge.content import ContentError, read_articles

    (tmp_path / "conges.yml").write_text(yaml.safe_dump({"article": [GOOD]}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="conges.yml: champ « article » inconnu"):
        read_articles(tmp_path)
