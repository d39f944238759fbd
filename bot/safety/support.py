"""Pointing a person in difficulty to someone of the school: the offers that follow the crisis
answer, the psychosocial-risk answer and the harassment answer."""

from __future__ import annotations

import json

from bot.booking.bookings import Booking
from bot.booking.dialogue import SERVICE_BUTTONS
from bot.core.text import capitalised
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


def crisis_follow_up(booking: Booking | None, sender: str) -> Reply:
    """After the crisis numbers: someone of the school, with the psychologist's next free slot when
    the database answers (`booking` None: it does not, and the offer goes without the date)."""
    text = "Si vous le souhaitez, une personne de l'école peut aussi vous recevoir, en toute confidentialité."
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
