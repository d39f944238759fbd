"""The articles HR edits in the back-office: publishing a new state, its history (who, when) and reverting.

Each publication writes the article and keeps its fields in `article_versions`; the first edit of an article
loaded from the YAML files first keeps that loaded state, so that HR can always come back to it. The running
assistant sees a publication at its next question: the article's `updated_at` changes the content revision
its KnowledgeBase checks (bot/knowledge/engine.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.core.db import Database
from bot.core.models import Article, ArticleVersion
from bot.knowledge.content import EDITABLE, LoadReport, article_fields, article_raw, store_articles

SEED_AUTHOR = "fichiers YAML"


def _current_fields(article: Article) -> dict[str, Any]:
    return {name: getattr(article, name) for name in EDITABLE}


def publish(database: Database, raw: dict[str, Any], author: str, action: str = "publish") -> int:
    """Write the article of `raw` (validated by the caller with ArticleSchema) and keep it as a new version;
    returns the version's id."""
    fields = article_fields(raw)
    with database.session() as session:
        article = session.get(Article, raw["id"])
        if article is None:
            article = Article(id=raw["id"], **fields)
            session.add(article)
        else:
            has_history = session.scalar(select(ArticleVersion.id).where(ArticleVersion.article_id == article.id))
            if has_history is None:
                session.add(
                    ArticleVersion(
                        article_id=article.id, fields=_current_fields(article), author=SEED_AUTHOR, action="seed"
                    )
                )
            for name, value in fields.items():
                setattr(article, name, value)
        version = ArticleVersion(article_id=raw["id"], fields=fields, author=author, action=action)
        session.add(version)
        session.flush()
        return version.id


def history(database: Database, article_id: str) -> list[ArticleVersion]:
    """The article's versions, newest first."""
    with database.session() as session:
        query = select(ArticleVersion).where(ArticleVersion.article_id == article_id)
        return list(session.scalars(query.order_by(ArticleVersion.id.desc())))


def revert(database: Database, article_id: str, version_id: int, author: str) -> int | None:
    """Publish again the fields of an earlier version (a new version, action « revert »); None if unknown."""
    with database.session() as session:
        version = session.get(ArticleVersion, version_id)
        if version is None or version.article_id != article_id:
            return None
        raw = {"id": article_id, **version.fields}
    return publish(database, raw, author, action="revert")


def stored_raw(database: Database, article_id: str) -> dict[str, Any] | None:
    """The article as its YAML entry (the form's starting values), or None."""
    with database.session() as session:
        article = session.get(Article, article_id)
        return article_raw(article) if article else None


def import_articles(database: Database, articles: list[dict[str, Any]], author: str) -> LoadReport:
    """Make the base's articles exactly `articles` (validated by `parse_articles`), each added or changed one
    published as a version (action « import »), so that the history can undo an import too."""
    report = LoadReport()
    with database.session() as session:
        current = {article.id: _current_fields(article) for article in session.scalars(select(Article))}
    for raw in articles:
        fields = article_fields(raw)
        if raw["id"] not in current:
            report.added.append(raw["id"])
        elif any(current[raw["id"]][name] != value for name, value in fields.items()):
            report.updated.append(raw["id"])
        else:
            report.unchanged.append(raw["id"])
            continue
        publish(database, raw, author, action="import")
    report.removed = store_articles(database, articles).removed
    return report
