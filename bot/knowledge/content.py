"""Loading the policy articles from YAML into the database (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, func, select

from bot.core.db import Database
from bot.core.models import Article
from bot.core.schema import validate
from bot.knowledge.schema import ArticleSchema, ContentFile


class ContentError(ValueError):
    """The content files are invalid; nothing was loaded."""


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def read_articles(content_dir: Path) -> list[dict[str, Any]]:
    """Every article of the YAML files, validated; raises ContentError listing all problems."""
    files = sorted(content_dir.glob("*.yml"))
    if not files:
        raise ContentError(f"aucun fichier .yml dans {content_dir}")
    return parse_articles([(path.name, path.read_text(encoding="utf-8")) for path in files])


def parse_articles(documents: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Every article of YAML documents given as (file name, text), validated as a whole (ids, tags and
    intents used once); raises ContentError listing all problems."""
    articles: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for name, text in documents:
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as error:
            problems.append(f"{name}: YAML invalide ({error})")
            continue
        refused = validate(ContentFile, data, name, colon=": ")[1]
        if refused:
            problems.extend(refused)
            continue
        for index, raw in enumerate(data.get("articles") or [], start=1):
            where = f"{name}, article {index}"
            if not isinstance(raw, dict):
                problems.append(f"{where}: un article doit être un dictionnaire")
                continue
            entry, found = validate(ArticleSchema, raw, where, colon=": ", median_dot=True)
            problems.extend(found)
            if entry is None:
                continue
            if raw["id"] in seen:
                problems.append(f"{where}: identifiant « {raw['id']} » déjà utilisé dans {seen[raw['id']]}")
                continue
            seen[raw["id"]] = name
            articles.append(raw)
    for kind in ("leave_type", "aid_type"):
        tagged = [a[kind] for a in articles if a.get(kind)]
        problems.extend(
            f"{kind} « {v} » porté par plusieurs articles" for v in sorted({t for t in tagged if tagged.count(t) > 1})
        )
    defaults = [intent for a in articles for intent in a.get("default_for") or []]
    problems.extend(
        f"default_for « {i} » porté par plusieurs articles"
        for i in sorted({i for i in defaults if defaults.count(i) > 1})
    )
    if problems:
        raise ContentError("\n".join(problems))
    return articles


def article_fields(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "topic": raw["topic"],
        "title": str(raw["title"]).strip(),
        "body": " ".join(str(raw["body"]).split()),
        "how_to": " ".join(str(raw["how_to"]).split()) if raw.get("how_to") else None,
        "source": str(raw["source"]).strip(),
        "source_url": raw.get("source_url"),
        "source_date": str(raw["source_date"]),
        "reliability": raw.get("reliability", "medium"),
        "keywords": [str(k) for k in raw.get("keywords") or []],
        "leave_type": raw.get("leave_type"),
        "aid_type": raw.get("aid_type"),
        "default_for": [str(i) for i in raw.get("default_for") or []],
        "questions": [" ".join(str(q).split()) for q in raw.get("questions") or []],
    }


EDITABLE = ("topic", "title", "body", "how_to", "source", "source_url", "source_date", "reliability", "keywords")
EDITABLE += ("leave_type", "aid_type", "default_for", "questions")


def article_raw(article: Article) -> dict[str, Any]:
    """An article as its YAML entry is written (the export, the back-office's form): empty fields left out."""
    raw: dict[str, Any] = {"id": article.id}
    for name in EDITABLE:
        value = getattr(article, name)
        if value not in (None, "", []):
            raw[name] = value
    return raw


def export_yaml(database: Database) -> str:
    """Every article of the database as one content file, which `parse_articles` reads back the same."""
    with database.session() as session:
        articles = [article_raw(article) for article in session.scalars(select(Article).order_by(Article.id))]
    return yaml.safe_dump({"articles": articles}, allow_unicode=True, sort_keys=False, width=110)


def load_content(database: Database, content_dir: Path) -> LoadReport:
    """Make the database's articles exactly those of the files; all or nothing."""
    return store_articles(database, read_articles(content_dir))


def store_articles(database: Database, articles: list[dict[str, Any]]) -> LoadReport:
    """Make the database's articles exactly `articles` (validated by `parse_articles`)."""
    report = LoadReport()
    with database.session() as session:
        existing = {a.id: a for a in session.scalars(select(Article))}
        for raw in articles:
            values = article_fields(raw)
            current = existing.pop(raw["id"], None)
            if current is None:
                session.add(Article(id=raw["id"], **values))
                report.added.append(raw["id"])
            elif any(getattr(current, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(current, name, value)
                report.updated.append(raw["id"])
            else:
                report.unchanged.append(raw["id"])
        if existing:
            session.execute(delete(Article).where(Article.id.in_(list(existing))))
            report.removed.extend(sorted(existing))
    return report


def content_revision(database: Database) -> tuple[int, str]:
    """A cheap fingerprint that changes whenever an article is added, edited or removed."""
    with database.session() as session:
        count, latest = session.execute(select(func.count(Article.id), func.max(Article.updated_at))).one()
    return count, str(latest)
