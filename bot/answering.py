"""Choosing the answer to a policy question: a tagged article, a search hit,
a question back with buttons, or a plain « je ne sais pas » that points to HR."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.answers import HR_CONTACT, render
from bot.db import Database
from bot.eligibility_dialogue import rules_summary
from bot.eligibility_rules import rule_book
from bot.models import Article
from bot.replies import Button, Reply
from bot.search import ContentSearch, Hit
from bot.unanswered import record_unanswered
from bot.vocabulary import AID_TYPES, LEAVE_TYPES

# A top hit this far ahead of the next one is specific enough to answer without asking.
CLEAR_MARGIN = 1.25


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

SOCIAL_WORKER_OFFER = (
    "Seul l'examen de votre dossier dit si vous y avez droit ; l'assistant ou l'assistante de service social "
    "peut l'étudier avec vous, en toute confidentialité."
)
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
        """Outside the eligibility form (another form is running): what the scheme's check will ask, and its
        article; without a scheme, which one."""
        choice = CHOICES["eligibility"]
        article = self.search.by_tag("aid_type", aid_type) if aid_type else None
        if not article:
            return self.ask(choice)
        summary = rules_summary(rule_book(self.database), aid_type)
        text = f"{summary}\n\n{render(article)}" if summary else render(article)
        return Reply(f"{text}\n\n{SOCIAL_WORKER_OFFER}", article_id=article.id)
