"""The preview of an article being edited: what the assistant would answer, with the same answering code.

The draft replaces the stored article in an index of the whole base (so that the other articles compete for
the questions as they do in the conversation); nothing is written, and the preview's questions are not
counted as unanswered ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.core.db import Database
from bot.core.models import Article
from bot.core.replies import Reply
from bot.knowledge.answering import Answerer
from bot.knowledge.content import article_fields
from bot.knowledge.engine import KnowledgeBase, KnowledgeIndex

MAX_QUESTIONS = 6


class DraftKnowledge(KnowledgeBase):
    """The database's articles with one of them replaced by a draft, indexed once."""

    def __init__(self, database: Database, draft: Article) -> None:
        super().__init__(database)
        with database.session() as session:
            articles = [a for a in session.scalars(select(Article).order_by(Article.id)) if a.id != draft.id]
        self._draft_index = KnowledgeIndex(sorted([*articles, draft], key=lambda article: article.id))

    def index(self) -> KnowledgeIndex:
        return self._draft_index


@dataclass(frozen=True)
class Preview:
    whole: Reply  # « Voir la fiche complète »
    answers: list[tuple[str, Reply]]  # each of the article's questions, as a member of staff would ask it


def preview(database: Database, raw: dict[str, Any]) -> Preview:
    """What the assistant would say with the draft `raw` (validated by the caller) published."""
    draft = Article(id=raw["id"], **article_fields(raw))
    answerer = Answerer(database, DraftKnowledge(database, draft), count_unanswered=False)
    questions = (raw.get("questions") or [])[:MAX_QUESTIONS] or [draft.title]
    return Preview(answerer.article(draft), [(question, answerer.ask(question)) for question in questions])
