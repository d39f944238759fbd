"""The schema of a policy article (data/content/*.yml), described for HR in data/content/README.md."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field

from bot.core.schema import Schema, SourceDate, Text, among, rule
from bot.core.vocabulary import AID_TYPES, LEAVE_TYPES

TOPICS = ("leave", "telework", "social_aid", "onboarding", "policy", "rps", "restaurant", "contacts", "privacy")
RELIABILITIES = ("high", "medium", "low")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _sentences(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(q, str) and q.strip() for q in value))


class ContentFile(Schema):
    """A content file: its articles, each checked on its own."""

    articles: list[Any] | None = None


class ArticleSchema(Schema):
    id: Annotated[Text, rule(_ID.match, "identifiant « {value} » invalide (minuscules, chiffres et tirets)")]
    topic: Annotated[Text, among(TOPICS, "thème « {value} » inconnu ({allowed})")]
    title: Text
    body: Text
    source: Text
    source_date: SourceDate
    source_url: str | None = None
    how_to: str | None = None
    reliability: Annotated[str, among(RELIABILITIES, "reliability « {value} » inconnue")] = "medium"
    keywords: list[str | int | float] = Field(default_factory=list)  # numbers are read as words
    questions: Annotated[
        list[str] | None, rule(_sentences, "« questions » doit être une liste de phrases", before=True)
    ] = None
    leave_type: Annotated[str | None, rule(lambda v: not v or v in LEAVE_TYPES, "leave_type « {value} » inconnu")] = (
        None
    )
    aid_type: Annotated[str | None, rule(lambda v: not v or v in AID_TYPES, "aid_type « {value} » inconnu")] = None
    default_for: list[str] = Field(default_factory=list)
