"""Thin Rasa custom actions: read the tracker, ask bot/, send the reply."""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from typing import ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import cases
from actions.base import PENDING, BaseAction, entity, intent_of, or_fallback, send
from bot.core.dates import PARIS
from bot.core.db import default_database
from bot.core.settings import settings
from bot.core.text import bound_text, fold
from bot.core.vocabulary import canonical
from bot.knowledge.answering import CLARIFY, ENTITY_OF, NOT_FOUND, Answerer, Button, Reply
from bot.knowledge.engine import KnowledgeIndex
from bot.knowledge.unanswered import record_unanswered
from bot.restaurant.menus import Restaurant, asks_food, find_when, menu_answer, wants_prices
from bot.safety.support import STILL_THERE

FALLBACK = (
    "Je n'ai pas bien compris votre message. Je peux vous renseigner sur les congés, le télétravail, "
    "l'action sociale, l'accueil des nouveaux arrivants et la politique RH de l'école, ou vous "
    "indiquer qui contacter au service RH. Pouvez-vous reformuler ?"
)


def now() -> datetime:
    """The time in Paris (the restaurant's days; replaced in the tests)."""
    return datetime.now(PARIS)


@lru_cache(maxsize=1)
def answerer() -> Answerer:
    return Answerer(default_database())


class ContentAction(BaseAction, ABC):
    """Base of the answers: sends `reply()`; a database failure gets a clear French answer. An honest « je ne sais
    pas » offers to send the question to HR; a message written right after that offer is the new text to send
    (`rewrites`); HR's answers not yet seen follow a knowledge answer (actions/cases.py)."""

    topic: str = "policy"  # the topic of a question sent to HR from this action
    # A message right after the offer is the text to send, and HR's answers follow the reply (not for support).
    rewrites: ClassVar[bool] = True
    offers_always: ClassVar[bool] = False  # the offer's button on every reply (human_handoff)
    # A short question going on from the article just shown is answered from it (knowledge answers only).
    follows_up: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if cls.rewrites and isinstance(cls.__dict__.get("action_name"), str):
            cases.PREVIEWERS.add(cls.__dict__["action_name"])

    @abstractmethod
    def reply(self, tracker: Tracker) -> Reply:
        """The reply to the latest message."""

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if self.rewrites and cases.rewriting(tracker):
            return cases.rewritten(dispatcher, tracker, self.topic)
        # Another day asked right after the menu (« et mardi ? »), whatever topic the intent model guessed for it.
        followed = menu_follow_up(tracker)
        if followed:
            return [*send(dispatcher, followed), SlotSet(PENDING, MENU_SHOWN)]
        # A short question going on from the article just shown (« c'est payé ? »).
        if self.follows_up:
            followed = or_fallback("follow_up", lambda: knowledge_follow_up(tracker, self.topic), lambda: None)
            if followed:
                return self.respond(dispatcher, tracker, followed)
        return self.respond(dispatcher, tracker, self.reply(tracker))

    def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, reply: Reply) -> list[EventType]:
        """Sends `reply` with the offer to send the question to HR when it applies, a second question's answer and
        HR's answers not yet seen."""
        reply, kept = cases.with_offer(reply, tracker, self.topic, always=self.offers_always)
        events = [*send(dispatcher, reply), *kept]
        other = or_fallback("second_question", lambda: second_question(tracker, reply), lambda: None)
        if other:
            send(dispatcher, other)
        offer = booking_offer(tracker)
        if offer:
            send(dispatcher, offer)
        if self.rewrites:  # after a knowledge answer; never after support, privacy or handoff answers
            cases.deliver_answers(dispatcher, tracker)
        return events

    def abandon(self) -> list[EventType]:
        return [SlotSet(PENDING, None)]


# Two questions in one message (« je suis épuisé… je peux poser une semaine de congés ? »): the intent model's
# runner-up, when it is a knowledge topic at least this probable, gets its own answer after the first reply.
SECOND_QUESTION_MIN = 0.25
SECOND_QUESTION = "Pour votre autre question :"


def second_question(tracker: Tracker, first: Reply) -> Reply | None:
    """The answer to a second question of the same message: a confident answer in the topic of another knowledge
    intent of the ranking's top three than the one the first reply answered from; never after a crisis message, a
    question back, or a « je ne sais pas » to the top intent."""
    if first.asked:
        return None
    fell_back = intent_of(tracker) == "nlu_fallback"
    answered = answerer().search.get(first.article_id) if first.article_id else None
    # The top intent's topic too when the first reply came from another topic (the engine chose) or fell back.
    return answer_in_other_topics(tracker, every=bool(fell_back or answered), skip=answered.topic if answered else None)


BOOKING_OFFER = "Vous souhaitez aussi prendre rendez-vous : ce bouton lance la réservation."


def booking_offer(tracker: Tracker) -> Reply | None:
    """A request to book an appointment made in the same message as a question (« combien de jours de congés j'ai,
    et je voudrais un rendez-vous avec l'assistante sociale »): the button that starts the booking, for the service
    named if one is. Never after a crisis message."""
    asked = any(
        r.get("name") == "book_appointment" and (r.get("confidence") or 0) >= SECOND_QUESTION_MIN
        for r in other_requests(tracker)[1:3]
    )
    if not asked or intent_of(tracker) == "book_appointment":
        return None
    services = entities(tracker, "service")
    named = json.dumps({"service": services[0]}) if len(services) == 1 else ""
    return Reply(BOOKING_OFFER, [Button("Prendre rendez-vous", f"/book_appointment{named}")])


def other_question(tracker: Tracker) -> Reply | None:
    """The answer to a knowledge question asked in the same message as a request that starts a form (« je voudrais
    savoir si je peux télétravailler, et aussi réserver avec la psychologue »), sent before the form's first
    question; the same rules as second_question()."""
    return answer_in_other_topics(tracker, every=False, skip=None)


def answer_in_other_topics(tracker: Tracker, *, every: bool, skip: str | None) -> Reply | None:
    """A confident answer in the topic of a knowledge intent of the ranking's second or third (`every`: first too)
    place other than `skip`, introduced as the other question; never after a crisis message."""
    ranking = other_requests(tracker)
    text = text_of(tracker)
    # A message of one clause asks one thing: no « autre question » is read into it.
    if not ranking or not clauses(text):
        return None
    index = answerer().search.index()
    for ranked in ranking[:3] if every else ranking[1:3]:
        if skip and TOPIC_OF.get(str(ranked.get("name"))) == skip:
            continue
        reply = topic_answer(index, text, ranked)
        if reply:
            return replace(reply, text=f"{SECOND_QUESTION}\n\n{reply.text}")
    return None


def intent_ranking(tracker: Tracker) -> list[dict]:
    """The NLU's ranking of the latest message's intents, without the fallback."""
    return [r for r in tracker.latest_message.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]


def other_requests(tracker: Tracker) -> list[dict]:
    """The ranking in which a second request of the same message is looked for: none after a crisis message or a
    button (whose payload asks one thing)."""
    if cases.flagged_crisis(tracker) or not cases.written_text(tracker):
        return []
    return intent_ranking(tracker)


def topic_answer(index: KnowledgeIndex, text: str, ranked: dict) -> Reply | None:
    """The answer in the topic of one intent of the ranking, at least SECOND_QUESTION_MIN probable, to the whole
    message or one of its clauses (the words of another question dilute this one's); None when none answers."""
    topic = TOPIC_OF.get(str(ranked.get("name")))
    if not topic or (ranked.get("confidence") or 0) < SECOND_QUESTION_MIN:
        return None
    parts = [text, *clauses(text)]
    results = [index.ask(part, topic=topic) for part in parts]
    found = [r for r in results if r.decision == "answer" and r.best.article.topic == topic]
    if found:
        return answerer().reply(max(found, key=lambda r: r.best.probability), topic)
    # A clause that only names the topic (« je voudrais savoir si je peux télétravailler ») gets HR's overview of it,
    # as the same question alone would (Answerer.topic).
    overview = answerer().search.default_for(str(ranked.get("name")))
    named = any(
        r.best and r.best.article.topic == topic and index.is_generic(part) for part, r in zip(parts[1:], results[1:])
    )
    return answerer().article(overview) if overview and named else None


def clauses(text: str) -> list[str]:
    """The parts of a message between punctuation marks or « et / and », three words or more each (when there are
    several)."""
    parts = [part.strip() for part in re.split(r"[.?!;,:]+|\s(?:et|and|also|aussi)\s", text, flags=re.IGNORECASE)]
    parts = [part for part in parts if len(part.split()) >= 3]
    return parts if len(parts) >= 2 else []


def text_of(tracker: Tracker) -> str:
    return bound_text(tracker.latest_message.get("text") or "")


def entities(tracker: Tracker, name: str) -> tuple[str, ...]:
    """Every specific canonical value of an entity in the latest message (generic words have none)."""
    values = []
    for found in tracker.latest_message.get("entities") or []:
        if found.get("entity") == name:
            value = canonical(name, str(found.get("value") or found.get("text") or ""))
            if value and value not in values:
                values.append(value)
    return tuple(values)


class TopicAction(ContentAction, ABC):
    """A question the NLU put in a topic, answered by the answering engine; the topic and the entities are
    signals that favour an article, never a hard route."""

    topic: str
    intent: str
    entity_name: str | None = None
    follows_up = True

    def reply(self, tracker: Tracker) -> Reply:
        tags = entities(tracker, self.entity_name) if self.entity_name else ()
        return answerer().topic(self.topic, self.intent, text_of(tracker), tags=tags)


class ActionAnswerLeave(TopicAction):
    action_name, topic, intent, entity_name = "action_answer_leave", "leave", "ask_leave", "leave_type"


class ActionAnswerSocialAid(TopicAction):
    action_name, topic, intent, entity_name = "action_answer_social_aid", "social_aid", "ask_social_aid", "aid_type"


class ActionAnswerTelework(TopicAction):
    action_name, topic, intent = "action_answer_telework", "telework", "ask_telework"


class ActionAnswerOnboarding(TopicAction):
    action_name, topic, intent = "action_answer_onboarding", "onboarding", "ask_onboarding"


# The knowledge topics an intent names (the runner-up of a message with two questions).
TOPIC_OF = {
    action.intent: action.topic
    for action in (ActionAnswerLeave, ActionAnswerSocialAid, ActionAnswerTelework, ActionAnswerOnboarding)
}


class ActionAnswerPolicy(ContentAction):
    action_name = "action_answer_policy"
    follows_up = True

    def reply(self, tracker: Tracker) -> Reply:
        return answerer().anywhere(text_of(tracker), "policy")


class ActionCheckAidEligibility(ContentAction):
    action_name = "action_check_aid_eligibility"

    def reply(self, tracker: Tracker) -> Reply:
        return answerer().eligibility(entity(tracker, "aid_type"))


class DefaultArticleAction(ContentAction, ABC):
    """The article HR designated for an intent, or a built-in text if there is none or the database is
    down (these answers matter most when something goes wrong), followed by the action's buttons."""

    intent: str
    fallback: str
    buttons: tuple[Button, ...] = ()
    rewrites = False  # support, privacy, handoff: always answered

    def reply(self, tracker: Tracker) -> Reply:
        reply = or_fallback(
            self.name(), lambda: answerer().default(self.intent, self.fallback), lambda: Reply(self.fallback)
        )
        return replace(reply, buttons=[*reply.buttons, *self.buttons])


def previous_question(tracker: Tracker) -> str | None:
    """The person's message before the latest one (the question a choice of article answers)."""
    texts = [e.get("text") for e in tracker.events if e.get("event") == "user"]
    return bound_text(texts[-2]) if len(texts) >= 2 and texts[-2] and not texts[-2].startswith("/") else None


# A follow-up is a short message; a longer one asks its own question.
FOLLOW_UP_MAX_WORDS = 10
_ARTICLE_PAYLOAD = re.compile(r'"article_id":\s*"([^"]+)"')


def previous_turn(tracker: Tracker) -> list[dict]:
    """The events between the message before the latest one and the latest one (what the assistant did), latest
    first."""
    users = [i for i, event in enumerate(tracker.events) if event.get("event") == "user"]
    if len(users) < 2:
        return []
    return list(reversed(tracker.events[users[-2] + 1 : users[-1]]))


def previous_article(tracker: Tracker) -> str | None:
    """The one article the assistant's previous reply answered from (its « Voir la fiche complète » button), if that
    reply came right before the latest message; None after a question back offering several."""
    for event in previous_turn(tracker):
        if event.get("event") == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            found = {m.group(1) for b in buttons for m in [_ARTICLE_PAYLOAD.search(str(b.get("payload") or ""))] if m}
            if found:
                return found.pop() if len(found) == 1 else None
    return None


def knowledge_follow_up(tracker: Tracker, topic: str) -> Reply | None:
    """A short question that goes on from the article just shown (« c'est payé ? », « il a 17 ans, ça marche
    encore ? »): answered from that article when the two questions together point to it."""
    text = text_of(tracker)
    if text.startswith("/") or len(text.split()) > FOLLOW_UP_MAX_WORDS:
        return None
    article_id, question = previous_article(tracker), previous_question(tracker)
    if not article_id or not question:
        return None
    return answerer().follow_up(question, article_id, text, topic)


# What may surround a day asked again after the menu (« et vendredi ? », "and tomorrow?", « et pour lundi alors »).
_FOLLOW_UP_WORDS = frozenset(
    "et and pour le la les du de d on ce cette for what about alors sinon puis ensuite".split()
)


def previous_action(tracker: Tracker) -> str | None:
    """The last action the assistant ran before the latest message (action_listen aside)."""
    return next(
        (
            event.get("name")
            for event in previous_turn(tracker)
            if event.get("event") == "action" and event.get("name") != "action_listen"
        ),
        None,
    )


# Marks a menu given as a follow-up by another action (« et vendredi ? » read as telework): « et jeudi ? » goes on.
MENU_SHOWN = "menu_shown"


def menu_follow_up(tracker: Tracker) -> Reply | None:
    """Another day asked right after a menu (« et vendredi ? », then « et jeudi ? »): that day's menu."""
    if previous_action(tracker) != "action_answer_menu" and tracker.get_slot(PENDING) != MENU_SHOWN:
        return None
    text = text_of(tracker)
    spans = [
        (e["start"], e["end"])
        for e in tracker.latest_message.get("entities") or []
        if e.get("entity") == "date" and isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
    ]
    rest = text
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    if not spans or set(fold(rest).split()) - _FOLLOW_UP_WORDS:
        return None
    return menu_reply(text)


def menu_reply(text: str) -> Reply:
    """The menu of the day `text` names (today by default); the content base when it asks the prices, or something
    else than the food with no day named (« le resto est ouvert le soir ? », « on peut venir avec un invité ? »)."""
    if wants_prices(text) or not (asks_food(text) or find_when(text, now())):
        return answerer().topic("restaurant", "ask_menu", text, None)
    answer = menu_answer(Restaurant(answerer().database), text, now())
    return Reply(answer, [Button("Prix et subvention", "prix des repas au restaurant")])


class ActionHandleInform(ContentAction):
    """A bare answer (« RTT », « les chèques-vacances ») to the question the assistant asked; an article chosen
    among those offered, or « Voir la fiche complète » (`/inform{"article_id": ...}`)."""

    action_name, follows_up = "action_handle_inform", True

    def reply(self, tracker: Tracker) -> Reply:
        asked = tracker.get_slot(PENDING)
        article_id = next(
            (
                str(e.get("value"))
                for e in tracker.latest_message.get("entities") or []
                if e.get("entity") == "article_id" and e.get("value")
            ),
            None,
        )
        if article_id:
            if asked == CLARIFY:
                return answerer().chosen(article_id, previous_question(tracker))
            return answerer().show(article_id)
        if asked in ENTITY_OF:
            return answerer().answer_choice(asked, text_of(tracker), entity(tracker, ENTITY_OF[asked]))
        for intent, name in ENTITY_OF.items():
            value = entity(tracker, name)
            if value:
                return answerer().answer_choice(intent, text_of(tracker), value)
        return fallback_reply(text_of(tracker))


class ActionFallback(ContentAction):
    """Low NLU confidence: answer from the base if it clearly matches, else say what we can do."""

    action_name, topic, follows_up = "action_fallback", "unknown", True

    def reply(self, tracker: Tracker) -> Reply:
        text = text_of(tracker)
        # Two questions in one (« how many days of holidays do I get and can I work from home? ») dilute each other:
        # when the whole message gets no answer, the intent model's best knowledge topic, asked of the message or of
        # one of its clauses, answers first.
        ranking = intent_ranking(tracker)
        return fallback_reply(text, lambda index: topic_answer(index, text, ranking[0]) if ranking else None)


class ActionOutOfScope(ContentAction):
    """A message the intent model reads as out of scope: the base's answer when an article clearly answers it (life
    in Alès, its weather), else the out-of-scope answer (domain: utter_out_of_scope)."""

    action_name, topic = "action_out_of_scope", "unknown"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if cases.rewriting(tracker):
            return super().act(dispatcher, tracker)
        answer = self.reply(tracker)
        if answer is None:
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        return self.respond(dispatcher, tracker, answer)

    def reply(self, tracker: Tracker) -> Reply | None:
        return answerer().confident(text_of(tracker))


def fallback_reply(text: str, topical: Callable[[KnowledgeIndex], Reply | None] = lambda index: None) -> Reply:
    """A message no intent fits (or a bare answer to nothing): the base's answer, question back or « je ne sais
    pas » when an article says it does not know; when the base abstains, `topical`'s answer if it gives one, else
    « je ne sais pas » with the articles that come near, else what the assistant can do. The offer to send the
    question to HR follows (actions/cases.py); a question nobody answered is counted for HR's statistics."""
    index = answerer().search.index()  # once: each call checks the content's revision in the database
    result = index.ask(text)
    if result.decision == "abstain":
        other = topical(index)
        if other:
            return other
    answer = answerer().best(text, result)
    if answer:
        return answer
    record_unanswered(answerer().database, "unknown")
    # « à quel âge je peux partir à la retraite ? »: a clear question the base does not cover is told so, not
    # asked to be reworded.
    return Reply(NOT_FOUND if asks_a_question(text) else FALLBACK, unknown=True)


# A message that asks something (on folded text): a question mark, or a question word first.
_ASKS = re.compile(
    r"^(combien|cb|quand|comment|cmt|pourquoi|pq|est ce|qui|quel|quelle|quels|quelles|ou|peut on|puis je|ai je|"
    r"y a t il|y a|ya|a quel|a qui|can|could|how|what|when|where|who|which|why|is there|are there|do i|does|am i)\b"
)


def asks_a_question(text: str) -> bool:
    """Whether a message is a question of three words or more (« y a un parking pour le personnel ? »)."""
    folded = fold(text)
    return len(folded.split()) >= 3 and (text.rstrip().endswith("?") or bool(_ASKS.match(folded)))


HANDOFF_FALLBACK = (
    "Pour parler à une personne, contactez le service de gestion des ressources humaines : ses "
    "coordonnées figurent dans l'annuaire de l'intranet et dans le document « Qui fait quoi ? »."
)


class ActionAnswerMenu(ContentAction):
    """The day's menu (today by default), a named day or a week, closed days; prices from the content base."""

    action_name = "action_answer_menu"

    def reply(self, tracker: Tracker) -> Reply:
        return menu_reply(text_of(tracker))


class ActionHumanHandoff(DefaultArticleAction):
    """Who to contact at HR, and the offer to send them the question (the one kept, or one to write)."""

    action_name, intent, fallback = "action_human_handoff", "human_handoff", HANDOFF_FALLBACK
    offers_always = True

    def reply(self, tracker: Tracker) -> Reply:
        """After the crisis answer (« je veux parler à quelqu'un maintenant »), the numbers that answer at any hour
        come first: HR answers in office hours."""
        reply = super().reply(tracker)
        if any(e.get("event") == "action" and e.get("name") == "action_offer_support" for e in tracker.events):
            return replace(reply, text=f"{STILL_THERE}\n\n{reply.text}")
        return reply


PRIVACY_FALLBACK = (
    "Vos échanges avec l'assistant servent seulement à vous répondre et sont effacés au bout de 30 jours "
    "au plus ; personne ne lit vos messages. N'écrivez pas ici de détails sur votre santé. "
    "Le service RH peut vous en dire plus."
)


class ActionAnswerPrivacy(DefaultArticleAction):
    action_name, intent, fallback = "action_answer_privacy", "ask_privacy", PRIVACY_FALLBACK


if settings().actions_warm_up:
    # Read the lemma table, build the search index and load the vocabularies (one question asked, with a word the
    # base does not hold, so that the table of known words is built too) before the first person's question.
    or_fallback("start-up", lambda: answerer().search.index().ask("congés pendant un congrès"), lambda: None)
