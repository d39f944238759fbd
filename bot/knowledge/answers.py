"""How an article is told to a member of staff: text, source, date and caveats."""

from __future__ import annotations

import re
from datetime import date

from bot.core.models import Article
from bot.knowledge.engine import sentences

STALE_AFTER_YEARS = 3

HR_CONTACT = (
    "Le service de gestion des ressources humaines peut vous répondre : ses coordonnées "
    "figurent dans l'annuaire de l'intranet et dans le document « Qui fait quoi ? »."
)


def dated_source(article: Article) -> str:
    """« IMT Mines Alès, page … (2020) »; a source that already names its date keeps it once (« JORF, 2010 »)."""
    if article.source_date in article.source:
        return article.source
    return f"{article.source} ({article.source_date})"


def source_line(article: Article) -> str:
    line = f"Source : {dated_source(article)}"
    return f"{line}, {article.source_url}" if article.source_url else line


def caveat(article: Article, today: date | None = None) -> str | None:
    """A warning when the article may be out of date or is uncertain."""
    year = int(article.source_date[:4])
    today = today or date.today()
    if article.reliability == "low":
        return (
            f"Attention : cette information (source de {year}) n'a pas pu être confirmée pour "
            "le personnel de l'école. Vérifiez-la auprès du service RH avant toute démarche."
        )
    if today.year - year >= STALE_AFTER_YEARS:
        return (
            f"Ces éléments datent de {year} et ont pu changer depuis : "
            "le service RH vous confirmera ce qui s'applique aujourd'hui."
        )
    return None


# The article's own « l'assistant ne le connaît pas » sentences (what it leaves to HR).
_LEFT_TO_HR = re.compile(r"l'assistant ne (les |le |la |l'|en )?(connaît|sait)", re.IGNORECASE)


def render(article: Article, today: date | None = None) -> str:
    """The whole article: its text, then how to do it, then in one paragraph what the assistant leaves to HR (which
    would otherwise bury the steps), the caveat and the source."""
    left: list[str] = []

    def stated(text: str) -> str:
        kept = []
        for sentence in sentences(text):
            (left if _LEFT_TO_HR.search(sentence) else kept).append(sentence)
        return " ".join(kept)

    body = stated(article.body)
    parts = [article.title, body] if body else [article.title]
    how_to = stated(article.how_to or "")
    if how_to:
        parts.append(f"Comment faire : {how_to}")
    if left:
        parts.append("À savoir : " + " ".join(left))
    warning = caveat(article, today)
    if warning:
        parts.append(warning)
    parts.append(source_line(article))
    return "\n\n".join(parts)
