"""French search over the policy articles: BM25 (bm25s) over spaCy lemmas.

The ranking is BM25; the decision to answer uses coverage: the share of the
query's information (IDF-weighted terms) that the best article contains. A
question whose important words appear in no article is not answered with a
guess.
"""

from __future__ import annotations

import difflib
import math
import threading
from dataclasses import dataclass

import bm25s
from sqlalchemy import select

from bot.content import content_revision
from bot.db import Database
from bot.models import Article
from bot.text import analyse_many, analyse_weighted, fold

# Words that carry no topic in a question to an assistant.
_FILLER = {
    fold(w)
    for w in "savoir vouloir pouvoir question demander demande aimer bonjour merci svp stp plaît "
    "info information renseignement renseigner dire expliquer connaitre connaître besoin "
    "ce cela ça quoi koi quel quelle truc chose exister existe être avoir faire slt bjr".split()
}
MIN_COVERAGE = 0.6


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float
    coverage: float

    @property
    def relevance(self) -> float:
        """BM25 weighted by coverage: an article that answers all of the question comes first."""
        return self.score * self.coverage

    @property
    def confident(self) -> bool:
        return self.coverage >= MIN_COVERAGE


class ContentIndex:
    """An immutable BM25 index of a set of articles."""

    def __init__(self, articles: list[Article]) -> None:
        self.articles = articles
        documents = [
            " ".join([a.title, a.title, " ".join(a.keywords), " ".join(a.keywords), a.body, a.how_to or ""])
            for a in articles
        ]
        self._terms = [set(terms) for terms in analyse_many(documents)] if documents else []
        self._bm25 = bm25s.BM25()
        if documents:
            self._bm25.index([sorted(t) or [""] for t in self._terms], show_progress=False)
        self._vocabulary = sorted(set().union(*self._terms)) if self._terms else []
        n = len(articles)
        self._idf = {
            term: math.log(1 + (n - df + 0.5) / (df + 0.5))
            for term, df in self._document_frequencies().items()
        }
        self._unknown_idf = math.log(1 + (n + 0.5) / 0.5)

    def _document_frequencies(self) -> dict[str, int]:
        df: dict[str, int] = {}
        for terms in self._terms:
            for term in terms:
                df[term] = df.get(term, 0) + 1
        return df

    def _query_terms(self, text: str) -> dict[str, float]:
        """Query terms (typos mapped to known terms) with their topic weight."""
        terms: dict[str, float] = {}
        for term, weight in analyse_weighted(text):
            if term in _FILLER:
                continue
            if term not in self._idf and len(term) >= 5:
                # A typo keeps its first letter: « teletravil » -> « teletravail », not « existent » -> « sexiste ».
                same_start = [v for v in self._vocabulary if v[0] == term[0]]
                close = difflib.get_close_matches(term, same_start, n=1, cutoff=0.84)
                term = close[0] if close else term
            terms[term] = max(weight, terms.get(term, 0.0))
        return terms

    def search(self, text: str, *, topic: str | None = None, limit: int = 3) -> list[Hit]:
        terms = self._query_terms(text)
        if not terms or not self.articles:
            return []
        scores = self._bm25.get_scores(list(terms))
        weight = {t: w * self._idf.get(t, self._unknown_idf) for t, w in terms.items()}
        total = sum(weight.values())
        hits = []
        for index, article in enumerate(self.articles):
            if topic and article.topic != topic or scores[index] <= 0:
                continue
            covered = sum(w for t, w in weight.items() if t in self._terms[index])
            hits.append(Hit(article, float(scores[index]), covered / total))
        hits.sort(key=lambda h: h.relevance, reverse=True)
        return hits[:limit]


class ContentSearch:
    """Keeps an index in step with the database, rebuilt only when the content changes."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._lock = threading.Lock()
        self._revision: tuple[int, str] | None = None
        self._index: ContentIndex | None = None

    def index(self) -> ContentIndex:
        revision = content_revision(self.database)
        with self._lock:
            if self._index is None or revision != self._revision:
                with self.database.session() as session:
                    articles = list(session.scalars(select(Article).order_by(Article.id)))
                self._index, self._revision = ContentIndex(articles), revision
            return self._index

    def search(self, text: str, *, topic: str | None = None, limit: int = 3) -> list[Hit]:
        return self.index().search(text, topic=topic, limit=limit)

    def by_tag(self, kind: str, value: str) -> Article | None:
        return next((a for a in self.index().articles if getattr(a, kind) == value), None)

    def default_for(self, intent: str) -> Article | None:
        return next((a for a in self.index().articles if intent in (a.default_for or [])), None)

    def get(self, article_id: str) -> Article | None:
        return next((a for a in self.index().articles if a.id == article_id), None)
