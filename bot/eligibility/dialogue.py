"""The eligibility conversation, free of Rasa: which question to ask, reading the answer, wording the verdict.

The Rasa form (actions/eligibility.py) keeps one state dict in a slot for the
length of the form and resets it when the form ends; nothing else is stored.

    {"aid_type": "cesu" | None,     # None: profile questions, then the schemes that may apply
     "facts": {"statut": "titulaire", "revenu": None, ...},   # None: « je ne sais pas »
     "asked": "revenu" | None,      # the question waiting for its answer
     "end": None | "stopped" | "handoff" | "no_rules"}

Answers that cannot be read are counted by the form (actions/base.py, one retry policy for
every form), which ends the check with `handoff()` after too many of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.core.replies import Button, Reply
from bot.core.text import capitalised, fold
from bot.core.vocabulary import AID_TYPES
from bot.eligibility.engine import CANNOT_TELL, ELIGIBLE, NOT_ELIGIBLE, Engine, RuleBook, facts_of
from bot.eligibility.natural_answers import display, extract, mentioned, only_names, parse

SOCIAL_WORKER = Button(
    "Prendre rendez-vous avec l'assistante sociale", '/book_appointment{"service": "service_social"}'
)
RESERVATION = "Ce résultat est indicatif, sous réserve de l'instruction de votre dossier."
NOT_KEPT = "Vos réponses ne servent qu'à cette vérification : elles ne sont pas conservées."
STOPPED = (
    "D'accord, j'arrête la vérification ; vos réponses ne sont pas conservées. Vous pourrez reprendre quand "
    "vous voulez, par exemple en écrivant « ai-je droit au CESU ? »."
)
HANDOFF = (
    "Je n'arrive pas à lire votre réponse, et je préfère ne pas deviner. L'assistant ou l'assistante de service "
    "social peut faire le point avec vous sur vos droits, en toute confidentialité."
)
NO_RULES = (
    "Je n'ai pas de règles pour vérifier ce dispositif. L'assistant ou l'assistante de service social, ou le "
    "service RH, pourra vous répondre."
)
_STOP_WORDS = re.compile(
    r"\b(annule|annuler|laisse tomber|laissez tomber|stop|arrete|arreter|on arrete|"
    r"abandonne|abandonner|tant pis|oublie|oubliez|ca suffit)\b"
)


def check_payload(aid_type: str | None = None) -> str:
    entities = json.dumps({"aid_type": aid_type}, ensure_ascii=False) if aid_type else ""
    return f"/check_aid_eligibility{entities}"


def answer_payload(value: str) -> str:
    """A button that answers the current question, whatever the NLU would make of its title."""
    return "/inform" + json.dumps({"answer": value}, ensure_ascii=False)


def start(aid_type: str | None) -> dict[str, Any]:
    return {"aid_type": aid_type, "facts": {}, "asked": None, "end": None}


def next_needed(book: RuleBook, state: dict[str, Any]) -> str | None:
    """The fact to ask next, or None when the answer can be given (or the form has ended)."""
    if state.get("end"):
        return None
    aid_type, facts = state.get("aid_type"), state["facts"]
    if aid_type is None:
        return next((fact for fact in book.profile if fact not in facts), None)
    scheme = book.schemes.get(aid_type)
    if scheme is None:
        return None
    return Engine(book).next_fact(scheme, facts)


def begin(book: RuleBook, aid_type: str | None) -> dict[str, Any]:
    """A fresh state; a scheme without rules ends at once (the verdict then says so)."""
    state = start(aid_type)
    if aid_type is not None and aid_type not in book.schemes:
        state["end"] = "no_rules"
    return state


def in_passing(book: RuleBook, state: dict[str, Any], text: str | None) -> tuple[dict[str, Any], list[str]]:
    """The state with the facts `text` gives before they are asked (bot/eligibility/natural_answers.py, `mentioned`),
    and each of them as « label : value », to tell the person what was understood."""
    facts, noted = dict(state["facts"]), []
    for fact, question in book.questions.items():
        if fact in facts or fact == state.get("asked"):
            continue
        value = mentioned(question["kind"], text or "", question)
        if value is not None:
            facts[fact] = value
            noted.append(f"{question['label']} : {display(question['kind'], value, question)}")
    return {**state, "facts": facts}, noted


def noted_text(noted: Sequence[str]) -> str:
    return f"D'après votre message, j'ai noté {' ; '.join(noted)}."


def question_reply(
    book: RuleBook, state: dict[str, Any], fact: str, *, noted: Sequence[str] = (), opening: bool = False
) -> Reply:
    """The question of `fact`, after what was just `noted` in passing; the `opening` one says what the check is."""
    question = book.questions[fact]
    text = f"{question['question']}\nPar exemple : {examples(question)}."
    if noted:
        text = f"{noted_text(noted)}\n\n{text}"
    if opening:
        scheme = book.schemes.get(state.get("aid_type") or "")
        topic = (
            f"vos droits pour le dispositif « {scheme['title']} »" if scheme else "les aides qui peuvent vous concerner"
        )
        text = (
            f"Je vais vous poser quelques questions pour vérifier {topic}. {NOT_KEPT} Vous pouvez répondre "
            f"« je ne sais pas », ou écrire « annuler » pour arrêter.\n\n{text}"
        )
    buttons: list[Button] = []
    if question["kind"] == "choice":
        buttons = [Button(option["label"], answer_payload(value)) for value, option in question["options"].items()]
    elif question["kind"] == "yes_no":
        buttons = [Button(title, answer_payload(title.lower())) for title in ("Oui", "Non", "Je ne sais pas")]
    return Reply(text, buttons)


@dataclass
class Step:
    """What one answer did: the new state and what to say (nothing when it is simply recorded)."""

    state: dict[str, Any]
    replies: list[Reply] = field(default_factory=list)
    invalid: bool = False  # an answer that cannot be read: the same question is asked again


def take_answer(book: RuleBook, state: dict[str, Any], text: str | None, intent: str | None) -> Step:
    """Record the answer to the question asked, re-ask with an example, or stop (« annuler », « non »)."""
    state = {**state, "facts": dict(state["facts"])}
    fact = state.get("asked") or next_needed(book, state)
    if fact is None:
        return Step(state)
    question = book.questions[fact]
    # Another fact given instead of this one (« mon revenu fiscal c'est 28 000 » to « quel âge avez-vous ? »): noted,
    # and this question asked again, without counting an unreadable answer.
    ahead, noted = in_passing(book, state, text)
    given = {book.questions[f]["kind"] for f in ahead["facts"].keys() - state["facts"].keys()}
    if noted and question["kind"] not in given and only_names(text or "", given):
        return Step(ahead, [Reply(noted_text(noted))])
    parsed = parse(question["kind"], text, question)
    if not parsed.ok:
        if intent == "deny" or _STOP_WORDS.search(fold(text or "")):
            state["end"] = "stopped"
            return Step(state, [Reply(STOPPED)])
        return Step(
            state, [Reply(f"{parsed.problem} Vous pouvez écrire par exemple {examples(question)}.")], invalid=True
        )
    state["facts"][fact] = None if parsed.unknown else parsed.value
    for other in question.get("also") or []:
        found = extract(book.questions[other]["kind"], text or "")
        if found is not None and other not in state["facts"]:
            state["facts"][other] = found
    state["asked"] = None
    state, noted = in_passing(book, state, text)
    return Step(state, [Reply(noted_text(noted))] if noted else [])


def handoff(state: dict[str, Any]) -> Step:
    """Too many answers that cannot be read: the check ends with the social worker's offer, or to start again."""
    state = {**state, "end": "handoff"}
    retry = Button("Recommencer la vérification", check_payload(state.get("aid_type")))
    return Step(state, [Reply(HANDOFF, [SOCIAL_WORKER, retry])])


# ---------------------------------------------------------------------- the answer

_HEADLINES = {
    ELIGIBLE: "D'après vos réponses, vous remplissez les conditions que je connais : vous pouvez a priori en bénéficier.",
    NOT_ELIGIBLE: "D'après vos réponses, une condition n'est pas remplie : a priori, ce dispositif ne s'applique pas à vous.",
    CANNOT_TELL: "Je ne peux pas vous répondre avec certitude : au moins un point reste à vérifier (marqué « ? »).",
}
CASE_BY_CASE = (
    "Ce dispositif est accordé au cas par cas : personne ne peut vous dire à l'avance si vous y avez droit. "
    "L'assistant ou l'assistante de service social peut étudier votre situation avec vous."
)


def amounts_heading(amounts: dict[str, Any], today: date) -> str:
    note = f" ({amounts['note']})" if amounts.get("note") else ""
    stale = ", qui ont pu changer depuis (vérifiez-les auprès du service RH)" if amounts["year"] < today.year else ""
    return f"Montants {amounts['year']}{note}{stale} :"


def examples(question: dict[str, Any]) -> str:
    quoted = [f"« {example} »" for example in question["examples"][:3]]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " ou " + quoted[-1]


def verdict_reply(book: RuleBook, aid_type: str, facts: dict[str, Any], today: date) -> Reply:
    scheme = book.schemes[aid_type]
    verdict = Engine(book).verdict(scheme, facts)
    headline = CASE_BY_CASE if verdict.case_by_case else _HEADLINES[verdict.outcome]
    parts = [f"{scheme['title']} — {headline}", "Ce que j'ai vérifié :\n" + "\n".join(c.line for c in verdict.checks)]
    if verdict.unchecked:
        parts[-1] += "\n(Je n'ai pas posé les autres questions : cette condition suffit à exclure le dispositif.)"
    if verdict.amounts:
        lines = "\n".join(f"• {capitalised(line)}" for line in verdict.amounts)
        parts.append(f"{amounts_heading(scheme['amounts'], today)}\n{lines}")
    parts += [f"À savoir : {note}" for note in scheme.get("notes") or []]
    parts.append(f"Comment faire : {' '.join(scheme['how_to_apply'].split())}")
    parts.append(f"Qui contacter : {scheme['contact']}.")
    url = f", {scheme['source_url']}" if scheme.get("source_url") else ""
    parts.append(f"Source : {scheme['source']} ({scheme['source_date']}){url}")
    parts.append(
        f"{RESERVATION} {NOT_KEPT} L'assistant ou l'assistante de service social peut faire le point "
        "avec vous, en toute confidentialité."
    )
    return Reply("\n\n".join(parts), [SOCIAL_WORKER])


def profile_reply(book: RuleBook, facts: dict[str, Any]) -> Reply:
    """After the profile questions: the schemes that may apply (buttons to check one) and those that do not."""
    engine = Engine(book)
    possible, excluded = [], []
    for aid_type in AID_TYPES:
        scheme = book.schemes.get(aid_type)
        if scheme is None:
            continue
        exclusion = engine.first_exclusion(scheme, facts)
        if exclusion is None:
            possible.append(scheme)
        else:
            excluded.append(f"• {scheme['title']} : {exclusion.line.removeprefix('✘ ')}")
    lines = "\n".join(f"• {scheme['title']}" for scheme in possible)
    text = f"D'après vos réponses, ces dispositifs peuvent vous concerner :\n{lines}"
    if excluded:
        text += "\n\nCeux-ci ne semblent pas vous concerner :\n" + "\n".join(excluded)
    text += (
        f"\n\nChoisissez un dispositif pour vérifier vos droits en détail. {RESERVATION} "
        "Vos réponses ne sont pas conservées."
    )
    buttons = [Button(scheme["title"], check_payload(scheme["aid_type"])) for scheme in possible]
    return Reply(text, [*buttons, SOCIAL_WORKER])


def final_reply(book: RuleBook, state: dict[str, Any], today: date) -> Reply | None:
    """What the form says when it ends: the verdict, the list of schemes, or nothing if it was stopped."""
    if state.get("end") == "no_rules":
        return Reply(NO_RULES, [SOCIAL_WORKER])
    if state.get("end"):
        return None
    if state.get("aid_type") is None:
        return profile_reply(book, state["facts"])
    return verdict_reply(book, state["aid_type"], state["facts"], today)


def rules_summary(book: RuleBook, aid_type: str) -> str | None:
    """What a scheme's check will ask, in one paragraph (an answer given while another form is running)."""
    scheme = book.schemes.get(aid_type)
    if scheme is None:
        return None
    labels = [book.questions[name]["label"] for name in facts_of(scheme)]
    asked = (
        f"je vous demanderai {labels[0] if len(labels) == 1 else ', '.join(labels[:-1]) + ' et ' + labels[-1]}"
        if labels
        else "je n'ai pas de question à vous poser : la décision se prend au cas par cas"
    )
    return (
        f"{scheme['title']} : {' '.join(scheme['summary'].split())} Pour vérifier vos droits, {asked}. "
        f"Quand vous le souhaitez, demandez-moi « ai-je droit au dispositif {scheme['title']} ? » et je ferai "
        "la vérification avec vous."
    )
