"""The schema of a policy article (data/content/*.yml), described for HR in data/content/README.md."""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, field_validator

from bot.core.schema import Schema, SourceDate, Text
from bot.core.vocabulary import AID_TYPES, LEAVE_TYPES

TOPICS = ("leave", "telework", "social_aid", "onboarding", "policy", "rps", "restaurant", "contacts", "privacy")
RELIABILITIES = ("high", "medium", "low")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class ContentFile(Schema):
    """A content file: its articles, each checked on its own."""

    articles: list[Any] | None = None


class ArticleSchema(Schema):
    id: Text
    topic: Text
    title: Text
    body: Text
    source: Text
    source_date: SourceDate
    source_url: str | None = None
    how_to: str | None = None
    reliability: str = "medium"
    keywords: list[str | int | float] = Field(default_factory=list)  # numbers are read as words
    questions: list[str] | None = None
    leave_type: str | None = None
    aid_type: str | None = None
    default_for: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"identifiant « {value} » invalide (minuscules, chiffres et tirets)")
        return value

    @field_validator("topic")
    @classmethod
    def _topic(cls, value: str) -> str:
        if value not in TOPICS:
            raise ValueError(f"thème « {value} » inconnu ({', '.join(TOPICS)})")
        return value

    @field_validator("leave_type")
    @classmethod
    def _leave_type(cls, value: str | None) -> str | None:
        if value and value not in LEAVE_TYPES:
            raise ValueError(f"leave_type « {value} » inconnu")
        return value

    @field_validator("aid_type")
    @classmethod
    def _aid_type(cls, value: str | None) -> str | None:
        if value and value not in AID_TYPES:
            raise ValueError(f"aid_type « {value} » inconnu")
        return value

    @field_validator("reliability")
    @classmethod
    def _reliability(cls, value: str) -> str:
        if value not in RELIABILITIES:
            raise ValueError(f"reliability « {value} » inconnue")
        return value

    @field_validator("questions", mode="before")
    @classmethod
    def _questions(cls, value: Any) -> Any:
        if value is not None and (not isinstance(value, list) or not all(isinstance(q, str) and q.strip() for q in value)):
            raise ValueError("« questions » doit être une liste de phrases")
        return value
