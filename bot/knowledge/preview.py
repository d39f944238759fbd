"""The preview of an article being edited: what the assistant would answer, with the same answering code.

The draft replaces the stored article in an index of the whole base (so that the other articles compete for
the questions as they do in the conversation). That index is derived from the back-office's running
KnowledgeBase (kept in step with the content revision, as the action server's is): only the draft's texts are
analysed, and the running index is not changed. Nothing is written, and the preview's questions are not counted
as unanswered ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.core.db import Database
from bot.core.models import Article
from bot.core.replies import Reply
from bot.knowledge.answering import Answerer
from bot.knowledge.content import article_fields
from bot.knowledge.engine import KnowledgeBase, KnowledgeIndex

MAX_QUESTIONS = 6


class DraftKnowledge(KnowledgeBase):
    """The running base's articles with one of them replaced by a draft."""

    def __init__(self, live: KnowledgeBase, draft: Article) -> None:
        super().__init__(live.database, live.ranker)
        self._draft_index = live.index().replacing(draft)

    def index(self) -> KnowledgeIndex:
        return self._draft_index


@dataclass(frozen=True)
class Preview:
    whole: Reply  # « Voir la fiche complète »
    answers: list[tuple[str, Reply]]  # each of the article's questions, as a member of staff would ask it


def preview(database: Database, raw: dict[str, Any], live: KnowledgeBase | None = None) -> Preview:
    """What the assistant would say with the draft `raw` (validated by the caller) published; `live` is the
    running KnowledgeBase of `database` (one is built when none is given)."""
    draft = Article(id=raw["id"], **article_fields(raw))
    answerer = Answerer(database, DraftKnowledge(live or KnowledgeBase(database), draft), count_unanswered=False)
    questions = (raw.get("questions") or [])[:MAX_QUESTIONS] or [draft.title]
    return Preview(answerer.article(draft), [(question, answerer.ask(question)) for question in questions])
