"""Choosing the answer to a policy question: a tagged article, a search hit,
a question back with buttons, or a plain « je ne sais pas » that points to HR."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from bot.answers import HR_CONTACT, render
from bot.db import Database
from bot.models import Article
from bot.search import ContentSearch, Hit
from bot.unanswered import record_unanswered
from bot.vocabulary import AID_TYPES, LEAVE_TYPES

# A top hit this far ahead of the next one is specific enough to answer without asking.
CLEAR_MARGIN = 1.25


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
    article_id: str | None = None
    # The intent whose entity the reply asked for, so that a bare answer (« RTT ») is understood.
    asked: str | None = None

    @property
    def answered(self) -> bool:
        return self.article_id is not None


@dataclass(frozen=True)
class Choice:
    """A question the assistant asks when a topic's entity is missing."""

    entity: str
    intent: str
    question: str
    values: dict[str, str]

    def buttons(self) -> list[Button]:
        return [
            Button(label, f"/{self.intent}{json.dumps({self.entity: value})}") for value, label in self.values.items()
        ]


CHOICES = {
    "leave": Choice("leave_type", "ask_leave", "Quel type de congé vous intéresse ?", LEAVE_TYPES),
    "social_aid": Choice("aid_type", "ask_social_aid", "Quel dispositif d'action sociale vous intéresse ?", AID_TYPES),
    "eligibility": Choice(
        "aid_type", "check_aid_eligibility", "Pour quel dispositif souhaitez-vous vérifier vos droits ?", AID_TYPES
    ),
}

NOT_FOUND = (
    "Je n'ai pas trouvé de réponse fiable à cette question dans la base documentaire RH, "
    "et je préfère ne pas vous donner une information approximative. " + HR_CONTACT
)


class Answerer:
    def __init__(self, database: Database, search: ContentSearch | None = None) -> None:
        self.database = database
        self.search = search or ContentSearch(database)

    def article(self, article: Article) -> Reply:
        return Reply(render(article), article_id=article.id)

    def not_found(self, topic: str) -> Reply:
        record_unanswered(self.database, topic)
        return Reply(NOT_FOUND, buttons=[Button("Contacter les RH", "/human_handoff")])

    def ask(self, choice: Choice, preface: str | None = None) -> Reply:
        text = f"{preface}\n\n{choice.question}" if preface else choice.question
        return Reply(text, buttons=choice.buttons(), asked=choice.intent)

    def _specific(self, hits: list[Hit]) -> Hit | None:
        if not hits or not hits[0].confident:
            return None
        if len(hits) == 1 or hits[0].relevance >= CLEAR_MARGIN * hits[1].relevance:
            return hits[0]
        return None

    def topic(self, topic: str, intent: str, text: str, tag: str | None = None) -> Reply:
        """Answer a question of a topic (leave, telework, social_aid, onboarding, …)."""
        choice = CHOICES.get(topic)
        if tag and choice:
            article = self.search.by_tag(choice.entity, tag)
            if article:
                return self.article(article)
        hits = self.search.search(text, topic=topic)
        specific = self._specific(hits)
        if specific:
            return self.article(specific.article)
        if choice:
            return self.ask(choice)
        overview = self.search.default_for(intent)
        if overview:
            return self.article(overview)
        if hits and hits[0].confident:
            return self.article(hits[0].article)
        return self.anywhere(text, topic)

    def best(self, text: str) -> Reply | None:
        """The article of the whole base that clearly answers the text, if any."""
        hits = self.search.search(text)
        return self.article(hits[0].article) if hits and hits[0].confident else None

    def anywhere(self, text: str, topic: str = "policy") -> Reply:
        """Answer from the whole base, or say plainly that nothing matches."""
        return self.best(text) or self.not_found(topic)

    def default(self, intent: str, fallback_text: str) -> Reply:
        """The article designated for an intent (restaurant, contacts, …)."""
        article = self.search.default_for(intent)
        return self.article(article) if article else Reply(fallback_text)

    def answer_choice(self, intent: str, text: str, value: str | None) -> Reply:
        """Resume the question asked for `intent` with the person's answer."""
        if intent == "check_aid_eligibility":
            return self.eligibility(value)
        topic = next(topic for topic, choice in CHOICES.items() if choice.intent == intent)
        return self.topic(topic, intent, text, value)

    def eligibility(self, aid_type: str | None) -> Reply:
        """Until the rules engine exists: the scheme's conditions and the social worker."""
        choice = CHOICES["eligibility"]
        article = self.search.by_tag("aid_type", aid_type) if aid_type else None
        if not article:
            return self.ask(choice)
        text = (
            f"{render(article)}\n\nLes conditions ci-dessus sont indicatives : seul l'examen de votre dossier "
            "permet de savoir si vous y avez droit. L'assistant ou l'assistante de service social peut "
            "l'étudier avec vous, en toute confidentialité."
        )
        return Reply(text, article_id=article.id)
