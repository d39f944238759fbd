"""What the chat says about « Ask HR » (French, « vous »): the offer, what will be sent, the person's requests,
HR's answer. Free of Rasa: actions/cases.py reads the tracker and calls these."""

from __future__ import annotations

import json
from datetime import datetime

from bot.cases.store import CaseView
from bot.core.dates import PARIS, day_label
from bot.core.replies import Button, Reply

OFFER = Button("Transmettre ma question au service RH", "/send_to_hr")
SEND = Button("Envoyer", "/confirm_send_to_hr")
CANCEL = Button("Annuler", "/cancel_send_to_hr")
MY_REQUESTS = Button("Mes demandes", "/my_requests")

ASK_TEXT = (
    "Écrivez votre question en un seul message, avec les détails utiles mais sans information sur votre santé. "
    "Je vous montrerai exactement ce qui sera transmis au service RH avant tout envoi."
)
NOTHING_TO_SEND = (
    "Je n'ai pas de question à transmettre : rien n'a été envoyé. Écrivez votre question, puis choisissez "
    "« Transmettre ma question au service RH »."
)
CANCELLED = "C'est annulé : rien n'a été envoyé au service RH, et rien n'est conservé."
NO_REQUESTS = (
    "Vous n'avez envoyé aucune demande au service RH. Quand je ne sais pas répondre à une question, je vous "
    "propose de la lui transmettre."
)
NOT_WITHDRAWN = (
    "Je ne trouve pas de demande en cours à ce nom que vous puissiez retirer. Écrivez « mes demandes » pour voir "
    "les vôtres."
)
QUOTE_CHARS = 160


def _day(moment: datetime) -> str:
    return day_label(moment.astimezone(PARIS).date())


def _quote(text: str | None, limit: int = QUOTE_CHARS) -> str:
    if not text:
        return "(texte effacé)"
    return f"« {text if len(text) <= limit else text[:limit].rsplit(' ', 1)[0] + '…'} »"


def preview(text: str, name: str | None, retention_days: int) -> Reply:
    """Exactly what « Envoyer » will send, who reads it, how long it is kept, how to withdraw it."""
    sender = name or "votre identifiant de connexion à l'intranet (l'intranet ne m'a pas transmis votre nom)"
    return Reply(
        "Voici ce qui sera transmis au service RH, et rien d'autre :\n\n"
        f"{_quote(text, 1000)}\n"
        f"De la part de : {sender}\n\n"
        "Seules les personnes du service RH chargées de ces demandes la liront. Elle est conservée jusqu'à sa "
        f"réponse, puis {retention_days} jours ; vous pouvez la retirer à tout moment en écrivant « mes demandes ». "
        "Pour modifier le texte, écrivez simplement sa nouvelle version ici. Rien n'est envoyé tant que vous "
        "n'avez pas choisi « Envoyer ».",
        [SEND, CANCEL],
    )


def sent(case: CaseView) -> Reply:
    return Reply(
        f"C'est envoyé au service RH, sous la référence {case.reference}. Sa réponse s'affichera ici dès que vous "
        "ouvrirez la discussion, ou aussitôt si elle est ouverte ; « mes demandes » vous dit où elle en est.",
        [MY_REQUESTS],
    )


def withdraw_button(case: CaseView) -> Button:
    return Button(f"Retirer {case.reference}", f"/withdraw_request{json.dumps({'case_reference': case.reference})}")


def _line(case: CaseView) -> str:
    line = f"• {case.reference}, envoyée le {_day(case.created_at)} : {_quote(case.text)} — {case.status_label}"
    if case.answer:
        line += f".\n  Réponse du service RH ({_day(case.answered_at)}) : {case.answer}"
    elif case.answered_at:
        line += " (le service RH l'a traitée directement avec vous)"
    return line


def requests_reply(cases: list[CaseView]) -> Reply:
    """« Mes demandes »: each request with its status and answer; the open ones can be withdrawn."""
    if not cases:
        return Reply(NO_REQUESTS)
    lines = "\n".join(_line(case) for case in cases)
    buttons = [withdraw_button(case) for case in cases if case.is_open]
    note = "\n\nVous pouvez retirer une demande en cours : son texte est alors effacé." if buttons else ""
    return Reply(f"Vos demandes au service RH :\n\n{lines}{note}", buttons)


def withdrawn(case: CaseView) -> Reply:
    return Reply(
        f"Votre demande {case.reference} est retirée : son texte est effacé et le service RH ne la traitera pas.",
        [MY_REQUESTS],
    )


def answered(case: CaseView) -> str:
    """HR's answer, shown once: when the person's chat opens (or at once if it is open), or at their next message."""
    if not case.answer:
        return (
            f"Le service RH a traité votre demande {case.reference} ({_quote(case.text)}) et l'a close. "
            "Écrivez « mes demandes » pour la retrouver."
        )
    return (
        f"Le service RH a répondu à votre demande {case.reference} ({_quote(case.text)}) :\n\n{case.answer}\n\n"
        "Vous la retrouvez aussi dans « mes demandes »."
    )
