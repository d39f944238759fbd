"""Pointing a person in difficulty to someone of the school: the offers that follow the crisis
answer, the psychosocial-risk answer and the harassment answer."""

from __future__ import annotations

import json
import re

from bot.booking.bookings import Booking
from bot.booking.dialogue import SERVICE_BUTTONS
from bot.core.text import capitalised, fold
from bot.knowledge.answering import Button, Reply

HANDOFF = Button("Parler au service RH", "/human_handoff")


def book_button(service: str, title: str | None = None) -> Button:
    """Starts the booking form for a service, offering its earliest slots."""
    entities = {"service": service, "date": "dès que possible"}
    return Button(
        title or f"Rendez-vous : {SERVICE_BUTTONS[service].lower()}",
        "/book_appointment" + json.dumps(entities, ensure_ascii=False),
    )


RPS_BUTTONS = [
    book_button("psychologue", "Rendez-vous avec la psychologue"),
    book_button("permanence_rh", "Permanence RH"),
    book_button("medecine_prevention", "Médecine de prévention"),
    Button("Signaler une situation", "/report_harassment"),
]
HARASSMENT_BUTTONS = [
    book_button("service_social", "Rendez-vous avec l'assistante sociale"),
    book_button("psychologue", "Rendez-vous avec la psychologue"),
    Button("Protection fonctionnelle", "protection fonctionnelle de l'agent victime"),
]


# On folded text: someone else than the writer (« mon collègue », « une étudiante », "my friend") …
_SOMEONE_ELSE = re.compile(
    r"\b(mon|ma|mes|notre|nos|un|une|cette|ce|cet|my|a|our|this)\s+(\w+\s+)?(collegues?|collaborat\w+|amie?s?|pote|copine?|"
    r"fils|fille|enfants?|mari|femme|epouse|epoux|conjointe?|compagnon|compagne|frere|soeur|pere|mere|parents?|"
    r"etudiante?s?|doctorante?s?|stagiaires?|agente?s?|voisine?|chef|cheffe|responsable|n 1|equipe|"
    r"colleagues?|friends?|coworkers?|co workers?|son|daughter|husband|wife|partner|brother|sister|father|mother|"
    r"students?|phd student|intern|team ?mate|neighbou?r|boss|manager)\b|\bquelqu un\b|\bsomeone\b|\bsomebody\b"
)
# … who is the one at risk (« il parle de se suicider », "she wants to kill herself") …
_RISK = r"(suicid\w*|mourir|en finir|se tuer|kill (himself|herself|themselves)|ending (his|her|their) life|die|dying)"
_THEY_ARE_AT_RISK = re.compile(
    rf"\b(il|elle|ils|elles|he|she|they)\b.{{0,40}}\b{_RISK}|"
    rf"\b(parle|parlait|parler|a parle|evoque|evoquait|a evoque|menace|menacait|veut|voulait|pense|pensait|talks?|"
    rf"talked|talking|wants?|wanted|threatens?|threatened|mentioned|said|says)\s+(\w+\s+){{0,2}}{_RISK}|"
    r"\b(se suicider|se tuer|se foutre en l air|mettre fin a ses jours|kill (himself|herself|themselves)|"
    r"end (his|her|their) (own )?life|suicidal)\b"
)
# … and not the writer (« je veux mourir », "I want to die"; « qu'elle … » starts someone else's words).
_I_AM_AT_RISK = re.compile(
    r"\b(je|j|i)\s+((?!qu|que|that)\w+\s+){0,4}(suicid\w*|mourir|en finir|die)\b|"
    r"\b(me suicider|me tuer|mettre fin a mes jours|kill myself|end my life|ending my life)\b"
)
ENTOURAGE = (
    "Vous vous inquiétez pour quelqu'un : le 3114 répond aussi à l'entourage, pour vous aider à savoir quoi dire et "
    "quoi faire (3114.fr). Si le danger est immédiat, ne laissez pas la personne seule et appelez le 15 ou le 112. "
    "Vous pouvez aussi en parler à la psychologue du travail ou au médecin du travail : ils peuvent vous recevoir, "
    "vous aussi."
)


# A danger happening now (on folded text): something already taken, a place to jump from, a wound, "right now".
_HAPPENING_NOW = re.compile(
    r"\b(j ai|je viens d|i|i ve|just)\s+(\w+\s+){0,2}(pris|avale|avaler|ingere|took|taken|swallowed)\s+(\w+\s+){0,3}"
    r"(cachets?|medicaments?|medocs?|comprimes?|pilules?|boite|pills?|tablets?|meds|overdose)\b|"
    r"\b(je suis|chui|jsuis|i m|i am|im)\s+(\w+\s+){0,2}(sur le toit|sur le pont|au bord|sur la voie|a la fenetre|"
    r"on the roof|on the bridge|on the ledge|at the edge|on the tracks)\b|"
    r"\b(je saigne|ca saigne|i m bleeding|bleeding a lot|je me suis ouvert|ouvert les veines|slit my|cut my wrists?)\b|"
    r"\b(maintenant|right now|tout de suite|en ce moment|as we speak)\b.{0,40}\b(sauter|jump|finir|end it|mourir|die)\b|"
    r"\b(sauter|jump|en finir|end it)\b.{0,30}\b(maintenant|right now|tout de suite|now)\b"
)
NOW = (
    "Si vous êtes en danger maintenant, ou si vous avez déjà pris quelque chose : appelez le 15 (ou le 112) tout de "
    "suite, ou demandez à quelqu'un près de vous de le faire. Ne restez pas seul ou seule."
)
# Said again when the person asks for someone after the crisis answer (HR answers in office hours only).
STILL_THERE = (
    "Si vous avez besoin de parler à quelqu'un tout de suite : le 3114 répond à toute heure, gratuitement ; en cas de "
    "danger immédiat, appelez le 15 ou le 112."
)


def happening_now(message: str) -> bool:
    """Whether a crisis message says the danger is happening now (« j'ai pris tous mes cachets », "I'm on the
    roof"): the follow-up then says first to call the 15, before any appointment."""
    return bool(_HAPPENING_NOW.search(fold(message)))


def about_someone_else(message: str) -> bool:
    """Whether a crisis message speaks of someone else at risk (« mon collègue parle de se suicider »), not of
    the writer: the follow-up then says what the entourage can do. The crisis numbers go out either way."""
    folded = fold(message)
    return bool(_SOMEONE_ELSE.search(folded) and _THEY_ARE_AT_RISK.search(folded) and not _I_AM_AT_RISK.search(folded))


def crisis_follow_up(booking: Booking | None, sender: str, message: str = "") -> Reply:
    """After the crisis numbers: someone of the school, with the psychologist's next free slot when
    the database answers (`booking` None: it does not, and the offer goes without the date). When the message
    speaks of someone else at risk, what the entourage can do comes first; when the danger may be happening now,
    the 15."""
    text = "Si vous le souhaitez, une personne de l'école peut aussi vous recevoir, en toute confidentialité."
    if about_someone_else(message):
        text = f"{ENTOURAGE}\n\n{text}"
    elif happening_now(message):
        text = f"{NOW}\n\n{text}"
    if booking is not None:
        service = booking.service("psychologue")
        booked = booking.upcoming(sender, service="psychologue")
        free = [] if booked else booking.free_slots("psychologue", limit=1)
        if service and booked:
            text += f" Vous avez déjà rendez-vous avec {service.name} {booked[0].when}, {booked[0].where}."
        elif service and free:
            text += f" {capitalised(service.name)} a un créneau libre {free[0].when}, {free[0].where}."
    buttons = [
        book_button("psychologue", "Rendez-vous avec la psychologue"),
        book_button("medecine_prevention", "Médecine de prévention"),
        HANDOFF,
    ]
    return Reply(text, buttons)


# The answer to « est-ce que vous pensez à mettre fin à vos jours ? » that is a plain no (on folded text): a no-word
# first, and nothing after it that doubts or says yes (« non… enfin parfois », "no but I think about it"). Anything
# else, an unsure answer (« je sais pas », « un peu », "maybe") included, gets the crisis answer.
_PLAIN_NO = re.compile(
    r"^\W*(non+|nan|nn|no+|nope|nah|pas du tout|absolument pas|jamais|never|not at all|of course not|"
    r"bien sur que non|surement pas|certainement pas|pas vraiment non)\b"
)
_DOUBT = re.compile(
    r"\b(oui|ouais|si|yes|yeah|parfois|souvent|des fois|sometimes|often|peut[ -]?etre|maybe|perhaps|envie|"
    r"pens\w*|think\w*|thought|sais|know|sure|sur|mour\w*|die|dying|suicid\w*|fini\w*|end\w*|plus|enfin|"
    r"quand meme|un peu|bit|kind of|sort of|not sure|idk|jsp)\b"
)
# Short, plain reassurances after the no (« non, ça va », « non merci, tout va bien », "no, I'm fine").
_FINE = re.compile(r"\b(ca va|tout va bien|je vais bien|i m fine|i am fine|i m ok|all good|merci|thanks?)\b")


def plain_no(text: str) -> bool:
    """« non », « nan », « pas du tout », "no lol", « non merci, ça va »: the person says plainly that they do not
    think of ending their life."""
    folded = fold(text).strip()
    match = _PLAIN_NO.match(folded)
    if not match:
        return False
    rest = folded[match.end() :]
    return not _DOUBT.search(_FINE.sub(" ", rest))
