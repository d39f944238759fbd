"""The booking conversation, free of Rasa: understanding each answer and wording each reply.

The Rasa form (actions/booking.py) only moves between steps; what a step
understands and says lives here, where it is tested without a model.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from bot.booking.bookings import (
    ANY_PLACE,
    REMOTE_LABELS,
    BookingResult,
    SlotView,
    booking_retention_days,
    place_label,
    short_place,
)
from bot.core.dates import When, understand
from bot.core.models import Service
from bot.core.replies import Button, Reply
from bot.core.text import ORDINAL_WORDS, capitalised, fold
from bot.core.vocabulary import canonical

DATE_EXAMPLES = "« mardi prochain », « le 3 décembre », « jeudi après-midi » ou « dès que possible »"
NOT_UNDERSTOOD_DATE = f"Je n'ai pas compris ce jour ou cette période. Écrivez par exemple {DATE_EXAMPLES}."
PAST_DATE = "Cette date est déjà passée. Quel autre jour vous conviendrait ?"
TAKEN = "Désolé, ce créneau vient d'être pris par quelqu'un d'autre."
STOPPED = (
    "D'accord, j'arrête là : aucun rendez-vous n'a été pris. Vous pourrez reprendre quand vous voulez "
    "en écrivant par exemple « rendez-vous avec la psychologue »."
)
NOT_BOOKED = (
    "D'accord, je n'ai rien réservé. Si vous voulez un autre créneau, dites-moi simplement « prendre rendez-vous »."
)
GAVE_UP = (
    "Je n'arrive pas à comprendre votre réponse, et je préfère ne pas deviner : j'arrête là, aucun rendez-vous "
    "n'a été pris. Vous pouvez recommencer quand vous voulez, ou vous adresser directement au service RH."
)
SERVICE_BUTTONS = {
    "psychologue": "Psychologue",
    "service_social": "Assistante sociale",
    "avocat": "Avocat ou avocate",
    "developpeur_talents": "Développeur de talents",
    "medecine_prevention": "Médecine de prévention",
    "permanence_rh": "Permanence RH",
}
_ANY_PLACE = re.compile(r"\b(peu importe|n importe|indifferent|egal|les deux|tous|partout|ca m est egal|au choix)\b")
_REMOTE = {
    "visio": re.compile(r"\b(visio\w*|teams|zoom|distance|en ligne|video)\b"),
    "telephone": re.compile(r"\b(telephone|tel|phone|appel)\b"),
}
_CHOICE_FILLER = re.compile(
    r"^\s*(?:(?:celui|celle|le cr[ée]neau|cr[ée]neau|le rdv|je prends|je choisis|je veux|ok pour|va pour|plut[ôo]t)"
    r"\s+)+(?:de |du |d'|à |a )?",
    re.IGNORECASE,
)
# The n-th slot offered: an ordinal word, or the digit or number word alone (« le 2 », « le deux »).
_CARDINALS = ("un", "deux", "trois", "quatre", "cinq")
_ORDINALS = {n: "|".join((str(n), _CARDINALS[n - 1], *ORDINAL_WORDS[n])) for n in range(1, 6)}
_ORDINAL = re.compile(
    r"^(?:(?:le|la|celui|celle|creneau|choix|option|numero|n|no|du|de|ci|the|one)\s+)*(?P<n>"
    + "|".join(f"(?:{pattern})" for pattern in _ORDINALS.values())
    + r"|dernier|derniere|last)(?:\s+(?:creneau|choix|option|one|slot|svp|merci|stp|s il vous plait|please))*$"
)
# On folded text: the words of a plain yes, shared by the readings below.
_YES = r"oui|ouais|ok|okay|yes|yep|d accord|dac|parfait"
# What surrounds a choice without naming one (« bon alors … », « … c'est bon », « …, je vous prie »).
_CHOICE_OPENING = re.compile(
    rf"^(?:(?:ok pour|va pour|je prends|je choisis|je veux|je reprends|je prendrai|i ll take|i take|i ll go with|"
    rf"let s do|disons|plutot|bon|ben|bah|alors|{_YES}|euh|hmm|super|well|so|then|tant pis|dans ce cas|the)\s+)+"
)
_CHOICE_CLOSING = re.compile(
    r"(?:\s+(?:c est bon|c bon|ca me va|ca m arrange|ca ira|parfait|super|merci|svp|stp|s il vous plait|"
    r"je vous prie|please|thanks|thank you|si possible|ok|me convient|me va|parfaitement|tres bien|bien|pareil|"
    r"works for me|is fine|is good|is perfect))+$"
)
# « oui », « ok », « celui-là » when a single slot was offered.
_THE_ONE = re.compile(rf"^(?:{_YES}|celui la|celle la|ca|ce creneau|that one|this one)$")


_PLAIN_YES = re.compile(
    rf"^(?:{_YES}|c est parfait|c est bon|c bon|ca marche|ca me va|je confirme|"
    r"confirme|go|vas y|allez)(?:\s+(?:oui|ok|merci|merci beaucoup|beaucoup|bien|parfait|c est bon|c bon|je confirme|"
    r"confirme|ca me va|super|top|thanks|thank you|please|svp|stp|s il vous plait|madame|monsieur))*$"
)


def plain_yes(text: str) -> bool:
    """« oui merci », « ok c'est bon », « oui je confirme » : a yes and nothing else (no « non », no other day)."""
    return bool(_PLAIN_YES.match(re.sub(r"\s+", " ", fold(text)).strip()))


def _choice_readings(text: str) -> list[str]:
    """The answer as written, without what surrounds the choice, and its first clause (« lundi 13h30 ça me va, je
    finis le service à 13h »)."""
    first = re.split(r"[,;.!?]", text, maxsplit=1)[0]
    readings = [text, _bare_choice(text), first, _bare_choice(first)]
    # « lundi 14h à Croupillac »: the slot's place said with it (each offer already has its place).
    readings += [" ".join(_PLACE_WORDS.sub(" ", fold(r)).split()) for r in readings[1::2]]
    return [r for r in dict.fromkeys(readings) if r]


def _bare_choice(text: str) -> str:
    """The folded answer without what surrounds the choice."""
    folded = re.sub(r"\s+", " ", fold(text)).strip()
    return _CHOICE_CLOSING.sub("", _CHOICE_OPENING.sub("", folded)).strip()


def answer_payload(entity: str, value: str) -> str:
    """A button that answers the form's question: always `inform`, whatever the NLU would make of its title."""
    return "/inform" + json.dumps({entity: value}, ensure_ascii=False)


def gave_up_reply(service: str | None) -> Reply:
    """After several answers the form could not use: it stops, offering to start again or a person of HR."""
    entities = json.dumps({"service": service}, ensure_ascii=False) if service in SERVICE_BUTTONS else ""
    return Reply(
        GAVE_UP,
        [
            Button("Recommencer la prise de rendez-vous", f"/book_appointment{entities}"),
            Button("Parler au service RH", "/human_handoff"),
        ],
    )


def service_question() -> Reply:
    buttons = [Button(title, answer_payload("service", code)) for code, title in SERVICE_BUTTONS.items()]
    return Reply("Avec qui souhaitez-vous prendre rendez-vous ?", buttons)


def understand_service(text: str | None) -> str | None:
    return canonical("service", text) if text else None


def place_question(service: Service, places: list[str]) -> Reply:
    buttons = [
        Button(capitalised(short_place(place)), answer_payload("campus", short_place(place))) for place in places
    ]
    buttons.append(Button("Peu importe", answer_payload("campus", "peu importe")))
    return Reply(f"Où préférez-vous ? {capitalised(service.name)} reçoit {_where_list(places)}.", buttons)


def _where_list(places: list[str]) -> str:
    parts = [f"à {place_label(p)}" if p not in REMOTE_LABELS else REMOTE_LABELS[p] for p in places]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " ou " + parts[-1]


def understand_place(text: str | None, places: list[str]) -> str | None:
    """A campus code, "visio", "telephone" or ANY_PLACE, among the service's places; None if unclear."""
    if not text:
        return None
    folded = fold(text)
    if _ANY_PLACE.search(folded):
        return ANY_PLACE
    for place, pattern in _REMOTE.items():
        if pattern.search(folded):
            return place
    campus = canonical("campus", text) or next(
        (code for code in places if code not in REMOTE_LABELS and fold(place_label(code)).split(" (")[0] in folded),
        None,
    )
    on_site = [p for p in places if p not in REMOTE_LABELS]
    if campus is None and re.search(r"\b(sur place|presentiel|en vrai)\b", folded):
        campus = on_site[0] if len(on_site) == 1 else None
    if campus is None and re.search(r"\bales\b", folded):  # the one campus of the service in Alès
        in_ales = [p for p in on_site if "(Alès)" in place_label(p)]
        campus = in_ales[0] if len(in_ales) == 1 else None
    return campus


# A question about a place rather than a choice of it (on folded text).
_ASKS_ABOUT_PLACE = re.compile(
    r"\b(c est ou|ou est|ou se trouve|ou ca se trouve|c est loin|c est quoi|comment (y )?aller|where is|where s|"
    r"how (do i|to) get|how far)\b"
)


def asks_about_place(text: str | None) -> bool:
    """« c'est où Croupillac ? », "where is Clavières?": a question about a place, not the choice of it."""
    return bool(text) and bool(_ASKS_ABOUT_PLACE.search(fold(text)))


# What names a place in an answer (« à Clavières », « en visio », « sur place »), removed to read the day said with it.
_PLACE_WORDS = re.compile(
    r"\b(?:(?:a|au|en|sur|par|le site de|le campus de|campus|site)\s+)?(?:clavieres|croupillac|nimes|ales|pau|"
    r"visio\w*|video|teams|zoom|telephone|tel|phone|sur place|presentiel|en vrai|peu importe|n importe ou)\b"
)


def period_besides_place(text: str | None, now: datetime) -> When | None:
    """The day or period said with the place in one answer (« Clavières, mardi 8 décembre », « en visio demain »)."""
    if not text or text.startswith("/"):
        return None
    rest = _PLACE_WORDS.sub(" ", fold(text))
    rest = re.sub(r"^\W*(?:et|,)?\W*", "", " ".join(rest.split()))
    if not rest:
        return None
    when, problem = understand_period(rest, now)
    return when if problem is None else None


def place_in_request(text: str | None, places: list[str]) -> str | None:
    """A specific place (a campus, visio, phone) said with the request itself (« l'avocat par téléphone »);
    « peu importe » is not read here, as it may be about the day."""
    place = understand_place(text, places)
    return place if place in places else None


def place_not_offered(service: Service, places: list[str], asked: str | None) -> str:
    """`asked`: the place the person named (a code), or None if their answer named no place."""
    if asked:
        return (
            f"{capitalised(service.name)} ne reçoit pas {_where_list([asked])}, mais {_where_list(places)}. "
            "Lequel préférez-vous ?"
        )
    return f"Je n'ai pas compris le lieu. {capitalised(service.name)} reçoit {_where_list(places)}."


def period_noted(service: Service, places: list[str], when: When, today) -> str:
    """A day given when the place was asked: noted, and the place asked again."""
    return (
        f"C'est noté : {when.describe(today)}. Il me faut encore le lieu : {service.name} reçoit {_where_list(places)}."
    )


UNCLEAR = "Je n'ai pas bien compris votre réponse."


def period_question() -> Reply:
    return Reply(
        f"Quel jour ou quelle période vous conviendrait ? Par exemple {DATE_EXAMPLES}.",
        [
            Button(title, answer_payload("date", title.lower()))
            for title in ("Dès que possible", "Cette semaine", "La semaine prochaine")
        ],
    )


def understand_period(text: str | None, now: datetime) -> tuple[When | None, str | None]:
    """(the period, None) or (None, the French message explaining why it cannot be used)."""
    when = understand(text or "", now)
    if when is None:
        return None, NOT_UNDERSTOOD_DATE
    if (when.last_day or when.first_day) < now.date():
        return None, PAST_DATE
    return when, None


def offers_reply(service: Service, when: When | None, offers: list[SlotView], in_period: bool, today=None) -> Reply:
    """Up to five slots as buttons; says so when none fit the period and these are the next ones."""
    buttons = [Button(slot.title, answer_payload("date", slot.title)) for slot in offers]
    if not offers:
        return Reply(
            f"Il n'y a plus de créneau libre avec {service.name} dans les semaines à venir. "
            "Le service RH peut vous proposer une autre solution : ses coordonnées sont dans l'annuaire de l'intranet.",
        )
    if in_period and (when is None or when == When(when.first_day, None)):
        return Reply(f"Voici les premiers créneaux libres avec {service.name}. Lequel vous convient ?", buttons)
    if in_period:
        return Reply(
            f"Voici les créneaux libres avec {service.name} ({when.describe(today)}). Lequel vous convient ?", buttons
        )
    closed = when.closed() if when else None
    why = (
        f"{capitalised(when.describe(today))} : l'école est fermée ({closed})."
        if closed
        else (f"Je n'ai pas de créneau libre avec {service.name} {when.describe(today)}." if when else "")
    )
    return Reply(f"{why} Voici les créneaux libres les plus proches. Lequel vous convient ?".strip(), buttons)


def understand_choice(text: str | None, offers: list[SlotView], now: datetime) -> SlotView | When | None:
    """The offered slot the person picked, or a new period if they named another day, or None."""
    if not text or not offers:
        return None
    other_day: When | None = None
    for reading in _choice_readings(text):
        picked = _read_choice(reading, offers, now)
        if isinstance(picked, SlotView):
            return picked
        other_day = other_day or picked
    return other_day


# A time of day in a slot choice (« 14h30 », "2:30pm", "10am"), not a day of the month.
_CLOCK = re.compile(r"\b\d{1,2}\s*(?:h|:)\s*\d{0,2}\s*(?:am|pm)?|\b\d{1,2}\s*(?:am|pm)\b", re.IGNORECASE)


def _read_choice(text: str, offers: list[SlotView], now: datetime) -> SlotView | When | None:
    folded = re.sub(r"\s+", " ", fold(text)).strip()
    for slot in offers:
        if fold(slot.title) == folded:
            return slot
    if len(offers) == 1 and _THE_ONE.match(folded):
        return offers[0]
    ordinal = _ORDINAL.match(folded)
    if ordinal:
        word = ordinal.group("n")
        if word.startswith(("dernier", "last")):
            return offers[-1]
        index = next(n for n, pattern in _ORDINALS.items() if re.fullmatch(pattern, word))
        return offers[index - 1] if index <= len(offers) else None
    named = _CHOICE_FILLER.sub("", text)
    # « celui du 16 à 14 h 30 »: the day's number read as a date, as « le 16 » is.
    when = understand(f"le {named}" if re.match(r"\d{1,2}\b(?!\s*h)", named) else named, now)
    if when is None:
        return None
    matching = [slot for slot in offers if when.contains(slot.start)]
    if (
        not matching
        and when.first_day == when.last_day
        and not re.search(r"\b\d{1,2}\b(?!\s*h)", _CLOCK.sub(" ", named))
    ):
        # « lundi 13h30 » for the offered Monday a week later: a weekday without a date names the offered one.
        matching = [
            slot
            for slot in offers
            if slot.start.weekday() == when.first_day.weekday() and (when.at is None or slot.start.time() == when.at)
        ]
        if len(matching) != 1:
            return None if matching else when
    if len(matching) == 1:
        return matching[0]
    return None if matching else when


_CORRECTION = re.compile(r"^\s*(?:en fait\s*,?\s*)?(?:non|nan|bof)\b[\s,.!]*(?:merci\b[\s,]*)?", re.IGNORECASE)


def understand_correction(text: str | None, now: datetime) -> When | None:
    """« non, plutôt vendredi » at the recap: the other day wanted, if the rest of the message names one."""
    if not text or not _CORRECTION.match(text):
        return None
    when, _ = understand_period(_CORRECTION.sub("", text), now)
    return when


def period_in_answer(text: str | None, now: datetime) -> When | None:
    """A day or a period given in answer to another question (« demain », « non, plutôt la semaine prochaine »)."""
    when, problem = understand_period(text, now)
    return when if problem is None else understand_correction(text, now)


CHOICE_NOT_UNDERSTOOD = (
    "Je n'ai pas compris quel créneau vous choisissez. Cliquez sur l'un d'eux, ou écrivez par exemple "
    "« le premier » ou « celui de 10 h 45 »."
)
CHOICE_AMBIGUOUS = "Plusieurs créneaux correspondent. Lequel choisissez-vous ? Cliquez sur l'un d'eux ou écrivez « le premier », « le deuxième »…"


def privacy_text(service: Service, retention_days: int | None = None) -> str:
    """What the booking really keeps: the person's identifier and name (from the intranet), the day,
    the time and the place; the identifier and the name are forgotten `retention_days` after it."""
    days = booking_retention_days() if retention_days is None else retention_days
    forgotten = f"votre identifiant et votre nom sont effacés {days} jours après le rendez-vous"
    if service.confidential:
        return (
            "Aucun motif ne vous est demandé et aucun n'est enregistré : seuls votre identifiant, votre nom, "
            f"le jour, l'heure et le lieu sont conservés, et ils ne sont visibles que par {service.who_sees} ; "
            f"{forgotten}."
        )
    return (
        f"Votre identifiant, votre nom, le jour, l'heure et le lieu sont conservés ; ils sont visibles par "
        f"{service.who_sees}, et {forgotten}."
    )


def recap_reply(service: Service, slot: SlotView) -> Reply:
    note = f"\n{service.note}" if service.note else ""
    return Reply(
        f"Je récapitule : rendez-vous avec {service.name} {slot.when}, {slot.where}.{note}\n"
        "Je confirme la réservation ?",
        [Button("Oui, je confirme", "/affirm"), Button("Non", "/deny")],
    )


def booked_reply(service: Service, slot: SlotView, calendar_link: str) -> Reply:
    note = f"\n{service.note}" if service.note else ""
    return Reply(
        f"C'est réservé : rendez-vous avec {service.name} {slot.when}, {slot.where}. "
        f"Votre référence : {slot.reference}.\n{privacy_text(service)}{note}\n"
        f"Ajouter à votre agenda (fichier .ics) : {calendar_link}\n"
        "Pour l'annuler, écrivez « annuler mon rendez-vous ».",
        [Button("Mes rendez-vous", "/list_bookings")],
    )


def already_booked_text(service: Service, slot: SlotView) -> str:
    return (
        f"Vous avez déjà un rendez-vous avec {service.name} {slot.when} (référence {slot.reference}). "
        "Pour en changer, annulez-le d'abord en écrivant « annuler mon rendez-vous »."
    )


def refusal_text(result: BookingResult, service: Service) -> str:
    if result.problem == "already_booked" and result.existing:
        return already_booked_text(service, result.existing)
    return TAKEN


def taken_reply(result: BookingResult, service: Service) -> Reply:
    """What everyone who lost the race for a slot reads: the slot is taken, and the next free ones."""
    offers = offers_reply(service, None, result.alternatives, in_period=False)
    return Reply(f"{TAKEN} {offers.text}", offers.buttons)


def bookings_reply(slots: list[SlotView], names: dict[str, str]) -> Reply:
    """The person's upcoming bookings; `names` maps service codes to « la psychologue du travail »..."""
    if not slots:
        return Reply(
            "Vous n'avez aucun rendez-vous à venir pris avec l'assistant. Pour en prendre un, écrivez « prendre rendez-vous ».",
            [Button("Prendre rendez-vous", "/book_appointment")],
        )
    lines = "\n".join(
        f"• avec {names[slot.service]} {slot.when}, {slot.where} (référence {slot.reference})" for slot in slots
    )
    heading = "Votre rendez-vous à venir :" if len(slots) == 1 else f"Vos {len(slots)} rendez-vous à venir :"
    buttons = [Button(f"Annuler : {slot.title}", cancel_payload(slot)) for slot in slots]
    return Reply(f"{heading}\n{lines}", buttons)


def cancel_payload(slot: SlotView) -> str:
    return "/cancel_booking" + json.dumps(
        {"service": slot.service, "date": slot.start.strftime("%Y-%m-%d %H:%M")}, ensure_ascii=False
    )


def matching_bookings(slots: list[SlotView], service: str | None, when: When | None) -> list[SlotView]:
    return [
        slot
        for slot in slots
        if (service is None or slot.service == service) and (when is None or when.contains(slot.start))
    ]


def cancel_question(slot: SlotView, service: Service) -> Reply:
    return Reply(
        f"Voulez-vous annuler votre rendez-vous avec {service.name} {slot.when}, {slot.where} ?",
        [Button("Oui, l'annuler", "/affirm"), Button("Non, le garder", "/deny")],
    )


def which_to_cancel(slots: list[SlotView]) -> Reply:
    buttons = [Button(slot.title, cancel_payload(slot)) for slot in slots]
    return Reply("Plusieurs rendez-vous correspondent. Lequel voulez-vous annuler ?", buttons)


def cancelled_reply(slot: SlotView, service: Service) -> Reply:
    return Reply(
        f"C'est annulé : votre rendez-vous avec {service.name} {slot.when} est supprimé et le créneau est libéré.",
        [Button("Prendre un autre rendez-vous", "/book_appointment")],
    )


# « déplacer mon rendez-vous », « le décaler à jeudi », "reschedule", "move it to Monday" (on folded text).
_MOVE = re.compile(
    r"\b(deplac\w*|decal\w*|report(er|e|ez)?|avanc(er|e|ez)|modifi\w*|changer? (la date|l heure|le jour|de jour|"
    r"de date|d heure|de creneau|le creneau|l horaire)|reschedul\w*|move|moving|postpone|bring forward|"
    r"change (the )?(date|time|day|slot))\b"
)


def wants_to_move(text: str) -> bool:
    """Whether a request about one's appointment asks to move it rather than only to cancel it."""
    return bool(_MOVE.search(fold(text)))


def move_question(slot: SlotView, service: Service) -> Reply:
    return Reply(
        f"Pour déplacer votre rendez-vous avec {service.name} {slot.when}, {slot.where}, je l'annule puis je vous "
        "propose d'autres créneaux. On fait comme ça ?",
        [Button("Oui, le déplacer", "/affirm"), Button("Non, le garder", "/deny")],
    )


def moved_reply(slot: SlotView, service: Service) -> Reply:
    return Reply(
        f"C'est annulé : votre rendez-vous avec {service.name} {slot.when} est libéré. Choisissons le nouveau créneau."
    )


KEPT = "D'accord, je garde votre rendez-vous."
GONE = "Ce rendez-vous n'existe plus ou n'est plus annulable : il est peut-être déjà passé."
NOTHING_TO_CANCEL = "Je ne trouve aucun rendez-vous à venir à votre nom qui corresponde. Voici ceux que vous avez :"
