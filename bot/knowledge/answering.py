"""Choosing the answer to a knowledge question with the answering engine (bot/knowledge/engine.py): the passage that
answers, with its article's title, source and date; a question back between two or three close articles;
or a plain « je ne sais pas » that points to HR."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import date

from bot.core.db import Database
from bot.core.models import Article
from bot.core.replies import Button, Reply
from bot.core.text import fold
from bot.core.vocabulary import AID_TYPES
from bot.eligibility.dialogue import rules_summary
from bot.eligibility.rules import rule_book
from bot.knowledge.answers import HR_CONTACT, caveat, dated_source, render
from bot.knowledge.details import listed
from bot.knowledge.engine import KnowledgeBase, KnowledgeIndex, Result, question_focus
from bot.knowledge.unanswered import record_unanswered

FULL_ARTICLE = "Voir la fiche complète"
CLARIFY = "clarify"  # the pending question when the assistant asked which article the person meant


@dataclass(frozen=True)
class Choice:
    """A question the assistant asks when a scheme is missing (eligibility check outside its form)."""

    entity: str
    intent: str
    question: str
    values: dict[str, str]

    def buttons(self) -> list[Button]:
        return [
            Button(label, f"/{self.intent}{json.dumps({self.entity: value})}") for value, label in self.values.items()
        ]


CHOICES = {
    "eligibility": Choice(
        "aid_type", "check_aid_eligibility", "Pour quel dispositif souhaitez-vous vérifier vos droits ?", AID_TYPES
    ),
}
# The entity a bare answer (« RTT », « les chèques-vacances ») may carry, by the intent it answers.
ENTITY_OF = {"ask_leave": "leave_type", "ask_social_aid": "aid_type", "check_aid_eligibility": "aid_type"}

SOCIAL_WORKER_OFFER = (
    "Seul l'examen de votre dossier dit si vous y avez droit ; l'assistant ou l'assistante de service social "
    "peut l'étudier avec vous, en toute confidentialité."
)
NOT_FOUND = (
    "Je ne sais pas : je n'ai pas trouvé de réponse fiable à cette question dans la base documentaire RH, "
    "et je préfère ne pas vous donner une information approximative. " + HR_CONTACT
)
MISSING_DETAIL = (
    "Je ne sais pas : la base documentaire RH ne précise pas {detail}. Voici ce que dit la fiche « {title} » :"
)
# After « je ne sais pas », the articles closest to the question (at most RELATED, each at least this probable) are
# offered as buttons that open them: the answer may be there in other words, and nothing is asserted. The floor is
# chosen on the development gold questions (`python -m bench.answers` prints how often the right article is offered).
RELATED, RELATED_FLOOR = 2, 0.15
RELATED_TEXT = "Ces fiches parlent peut-être de votre question : vous pouvez les ouvrir avec les boutons ci-dessous."


def article_button(article: Article, label: str = FULL_ARTICLE) -> Button:
    """A button that shows the whole article."""
    return Button(label, f"/inform{json.dumps({'article_id': article.id})}")


def related_articles(result: Result) -> tuple[Article, ...]:
    """The articles worth opening after an abstention: the best few, each probable enough."""
    return tuple(c.article for c in result.candidates[:RELATED] if c.probability >= RELATED_FLOOR)


def _lower_first(title: str) -> str:
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


CLARIFY_OPENING = "Je veux être sûr de bien vous répondre"


def clarifying_question(articles: list[Article]) -> str:
    names = [f"« {a.title} »" for a in articles]
    listed = " ou ".join(names) if len(names) == 2 else f"{', '.join(names[:-1])} ou {names[-1]}"
    return f"{CLARIFY_OPENING} : vous parlez de {listed} ?"


def passage_answer(article: Article, passage: str, today: date | None = None) -> str:
    """The fact first, then where it comes from; a figure keeps its date."""
    year = article.source_date[:4]
    if _DIGIT.search(passage) and not _YEAR.search(passage):
        passage = f"{passage} (chiffres de {year})"
    parts = [passage, f"D'après la fiche « {article.title} ». Source : {dated_source(article)}"]
    warning = caveat(article, today)
    if warning:
        parts.append(warning)
    return "\n\n".join(parts)


_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


# A short message that says it goes on from the previous answer (on folded text): « et… », « pour un CDD ? »,
# « c'est payé ? », « il a 17 ans… », "and for…", "is it paid?".
_GOES_ON = re.compile(
    r"^(et|and|ou|or|what about|how about|also|aussi|meme|pareil|idem|same|pour|for|si|if|sinon|otherwise|mais|but|"
    r"c|c est|ca|cela|il|elle|ils|elles|is it|does it|do they|it|they|dans ce cas|in that case|du coup|alors|so)\b"
)
# A question that stands alone goes on from the previous article only if it points elsewhere less than this (or no
# more than twice as surely as to that article); one that says it goes on, unless it names another subject this
# surely (ten times as surely as the previous article).
STANDALONE_FLOOR, ELSEWHERE_FLOOR = 0.05, 0.3


# A question about the person's own record (on folded text): what is left on their leave counter, their own pay.
_OWN_RECORD = re.compile(
    r"\b(combien|cb|quel|quelle|how many|how much|what s|what is)\b.{0,40}\b(reste|restant|restants|solde|compteur|"
    r"left|balance|remaining)\b|\b(il me reste|me reste t il|m en reste t il)\s+(combien|cb)\b"
)
OWN_RECORD = (
    "Je n'ai pas accès à votre dossier personnel (votre compteur de congés, de RTT ou de CET, votre paie) : l'outil "
    "de gestion des temps de l'école ou le service RH vous le donneront."
)


def own_record(text: str, reply: Reply) -> Reply:
    """« combien il me reste de jours ? »: said plainly that the assistant cannot see the person's counter, before the
    general rule it answers with (which then is no answer to the question: counted as not answered)."""
    if not _OWN_RECORD.search(fold(text)):
        return reply
    return replace(reply, text=f"{OWN_RECORD}\n\n{reply.text}", unknown=True, article_id=None)


class Answerer:
    def __init__(self, database: Database, search: KnowledgeBase | None = None, count_unanswered: bool = True) -> None:
        self.database = database
        self.search = search or KnowledgeBase(database)
        self.count_unanswered = count_unanswered  # False for HR's previews: not staff's questions

    def _unanswered(self, topic: str) -> None:
        if self.count_unanswered:
            record_unanswered(self.database, topic)

    # ------------------------------------------------------------------ replies

    def article(self, article: Article) -> Reply:
        """The whole article (« Voir la fiche complète », designated articles)."""
        return Reply(render(article), article_id=article.id)

    def not_found(self, topic: str, related: tuple[Article, ...] = ()) -> Reply:
        """« Je ne sais pas », with the nearest articles to open when there are some."""
        self._unanswered(topic)
        text, buttons = NOT_FOUND, [Button("Contacter les RH", "/human_handoff")]
        if related:
            text += "\n\n" + RELATED_TEXT
            buttons = [*(article_button(a, a.title) for a in related), *buttons]
        return Reply(text, buttons=buttons, unknown=True)

    def reply(self, result: Result, topic: str = "policy") -> Reply:
        if result.decision == "answer":
            article = result.best.article
            return Reply(passage_answer(article, result.passage), [article_button(article)], article_id=article.id)
        if result.decision == "unknown":
            self._unanswered(topic)
            article = result.best.article
            text = f"{passage_answer(article, result.passage)}\n\n{HR_CONTACT}"
            if result.missing:
                text = f"{MISSING_DETAIL.format(detail=listed(list(result.missing)), title=article.title)}\n\n{text}"
            return Reply(text, [article_button(article), Button("Contacter les RH", "/human_handoff")], unknown=True)
        if result.decision == "clarify":
            articles = [c.article for c in result.choices]
            buttons = [article_button(a, a.title) for a in articles]
            return Reply(clarifying_question(articles), buttons, asked=CLARIFY)
        return self.not_found(topic, related_articles(result))

    # ------------------------------------------------------------------ questions

    def ask(self, text: str, *, topic: str | None = None, tags: tuple[str, ...] = ()) -> Reply:
        """Any knowledge question: the engine decides to answer, ask back or abstain."""
        index = self.search.index()
        result = index.ask(text, topic=topic, tags=tuple(t for t in tags if t))
        return own_record(text, self.reply(result, topic or "policy"))

    def follow_up(self, previous_question: str, article_id: str, text: str, topic: str = "policy") -> Reply | None:
        """A short question that goes on from the previous one (« c'est payé ? » after the paternity leave): the
        answer of the article just shown, when that article is the one the two questions together point to and the
        new question alone does not clearly point elsewhere; None otherwise."""
        index = self.search.index()
        position = index.by_id.get(article_id)
        if position is None:
            return None
        # The article's title keeps the topic when the previous question was itself a follow-up (« combien de jours
        # par an ? », then « il a 17 ans, ça marche encore ? »).
        together = index.leading(f"{index.articles[position].title} {previous_question} {text}")
        if together is None or together.article.id != article_id:
            return None
        # « et le télétravail ? » after annual leave: the new question alone points elsewhere at least as surely.
        alone, _ = index.probabilities(text)
        top = int(alone.argmax())
        if top != position and alone[top] >= max(index.ranker.threshold, together.probability):
            return None
        if not self._goes_on(index, alone, position, text):
            return None
        passage, known, missing = index.verdict_for(position, text)
        return self.reply(Result([together], "answer" if known else "unknown", passage=passage, missing=missing), topic)

    @staticmethod
    def _goes_on(index: KnowledgeIndex, probabilities, position: int, text: str) -> bool:
        """Whether a short question may go on from the article at `position`. A question that stands alone (« ya un
        jour de carence ? », "How do I apply for telework?") and points elsewhere rather than to it does not; one
        that says it goes on (« et pour un CDD ? », « c'est payé ? », « il a 17 ans… ») does, unless it names
        another subject clearly (« et le télétravail c'est possible pour un technicien ? »). `probabilities`: every
        article's for `text` alone."""
        top = int(probabilities.argmax())
        if top == position:
            return True
        here, there = float(probabilities[position]), float(probabilities[top])
        if not _GOES_ON.match(fold(text)):
            return not (there >= STANDALONE_FLOOR and here < 0.5 * there)
        return not (there >= ELSEWHERE_FLOOR and here < 0.1 * there and not index.is_generic(text))

    def topic(self, topic: str, intent: str, text: str, tag: str | None = None, tags: tuple[str, ...] = ()) -> Reply:
        """A question the NLU put in a topic (leave, telework, …): the topic and the entities are signals only.
        A bare topic gets the article HR designated for the intent (an overview), if any."""
        index = self.search.index()
        overview = self.search.default_for(intent)
        if overview and text.startswith("/"):  # a menu button (« Congés »: /ask_leave), no words to search
            return self.article(overview)
        result = index.ask(text, topic=topic, tags=tuple(t for t in (tag, *tags) if t))
        # A bare topic (« télétravail ? ») gets HR's overview of it; a precise question the base cannot answer
        # gets the honest reply, never the overview of its topic.
        focus = question_focus(text)
        generic = index.is_generic(text) or bool(focus and index.is_generic(focus))
        if overview and result.decision in ("abstain", "clarify") and generic:
            # Between the overview and a close article (« combien de jours de congés par an ? »: annual or
            # paternity leave), the overview HR designated answers, with its passage for the question.
            chosen = any(c.article.id == overview.id for c in result.choices)
            reply = self.chosen(overview.id, text) if chosen else self.article(overview)
        else:
            reply = self.reply(result, topic)
        return own_record(text, reply)

    def best(self, text: str, result: Result | None = None) -> Reply | None:
        """The reply of the whole base when it answers, asks back, or has articles near enough to offer after
        « je ne sais pas »; None when nothing comes near (the caller says what the assistant can do). `result`: the
        engine's, when the caller already asked it."""
        if result is None:
            result = self.search.index().ask(text)
        if result.decision == "abstain" and not related_articles(result):
            return None
        return self.reply(result, "unknown")

    def confident(self, text: str) -> Reply | None:
        """The base's answer when an article clearly answers `text`, or clearly is about it but lacks the detail
        asked (« et pour le mariage de ma sœur ? »: the article names no sister); None otherwise (no articles offered):
        for a message the intent model reads as out of scope (« is the weather nice in Alès? »)."""
        result = self.search.index().ask(text)
        return self.reply(result, "unknown") if result.decision in ("answer", "unknown") else None

    def anywhere(self, text: str, topic: str = "policy") -> Reply:
        """Answer from the whole base, or say plainly that nothing matches."""
        return self.ask(text, topic=None) if topic == "policy" else self.reply(self.search.index().ask(text), topic)

    def chosen(self, article_id: str, question: str | None) -> Reply:
        """The person chose an article among those offered: its passage for their question, or the whole
        article when there is no question to answer."""
        index = self.search.index()
        position = index.by_id.get(article_id)
        if position is None:
            return self.not_found("policy")
        article = index.articles[position]
        if not question:
            return self.article(article)
        passage = index.passage_for(position, question)
        return Reply(passage_answer(article, passage), [article_button(article)], article_id=article.id)

    def show(self, article_id: str) -> Reply:
        """« Voir la fiche complète »."""
        article = self.search.get(article_id)
        return self.article(article) if article else self.not_found("policy")

    def default(self, intent: str, fallback_text: str) -> Reply:
        """The article designated for an intent (restaurant, contacts, …)."""
        article = self.search.default_for(intent)
        return self.article(article) if article else Reply(fallback_text)

    def answer_choice(self, intent: str, text: str, value: str | None) -> Reply:
        """A bare answer (« RTT », « les chèques-vacances ») to what the assistant asked for `intent`."""
        if intent == "check_aid_eligibility":
            return self.eligibility(value)
        return self.ask(text, tags=(value,) if value else ())

    def eligibility(self, aid_type: str | None) -> Reply:
        """Outside the eligibility form (another form is running): what the scheme's check will ask, and its
        article; without a scheme, which one."""
        choice = CHOICES["eligibility"]
        article = self.search.by_tag("aid_type", aid_type) if aid_type else None
        if not article:
            text = choice.question
            return Reply(text, buttons=choice.buttons(), asked=choice.intent)
        summary = rules_summary(rule_book(self.database), aid_type)
        text = f"{summary}\n\n{render(article)}" if summary else render(article)
        return Reply(f"{text}\n\n{SOCIAL_WORKER_OFFER}", article_id=article.id)


__all__ = ["Answerer", "Button", "Reply", "CHOICES", "ENTITY_OF", "CLARIFY", "KnowledgeIndex"]
