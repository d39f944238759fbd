"""Pointing a person in difficulty to someone of the school: the offers that follow the crisis
answer, the psychosocial-risk answer and the harassment answer."""

from __future__ import annotations

import json
import re

from bot.booking.bookings import Booking
from bot.booking.dialogue import SERVICE_BUTTONS
from bot.core.risk import about_someone_else, happening_now
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


ENTOURAGE = (
    "Vous vous inquiétez pour quelqu'un : le 3114 répond aussi à l'entourage, pour vous aider à savoir quoi dire et "
    "quoi faire (3114.fr). Si le danger est immédiat, ne laissez pas la personne seule et appelez le 15 ou le 112. "
    "Vous pouvez aussi en parler à la psychologue du travail ou au médecin du travail : ils peuvent vous recevoir, "
    "vous aussi."
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


def asks_after_no(text: str) -> bool:
    """« no, just stressed. can I take a day off tomorrow? »: a plain no followed by a question of its own."""
    folded = fold(text).strip()
    match = _PLAIN_NO.match(folded)
    return bool(match) and len(folded[match.end() :].split()) >= 4 and text.rstrip().endswith("?")


# Words that answer the crisis question itself, yes or unsure (on folded text): a reply holding one is never read as a
# change of subject.
_ANSWERS_IT = re.compile(
    r"\b(oui|ouais|ouai|wesh|we|wai|si|yes|yeah|yep|ya|yup|parfois|souvent|tout le temps|toujours|des fois|de temps en "
    r"temps|sometimes|often|always|all the time|peut[ -]?etre|maybe|perhaps|probably|sais pas|sais plus|jsp|idk|know|"
    r"not sure|pas sure?|un peu|a bit|a little|kind of|sort of|grave|pas vraiment|not really|envie|pens\w*|think\w*|"
    r"mour\w*|die|dying|suicid\w*|fini\w*|end\w*|vivre|live|plus la force|can t|cannot|no more)\b"
)


def changes_subject(text: str) -> bool:
    """A reply to the crisis question that asks something else (« c'est combien le ticket de cantine ? », "she is 5"):
    three words at least, none that answers the question (yes, unsure, death). It is taken as a no, with the 3114
    said again, and answered."""
    folded = fold(text)
    return len(folded.split()) >= 3 and not _ANSWERS_IT.search(folded)
