"""The audit log of the back-office: who did what, when, on which object (identifiers only, never a text)."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.db import Database
from bot.core.models import AuditEntry

# What HR reads in the journal, by action.
ACTIONS = {
    "sign_in": "Connexion",
    "article.publish": "Fiche publiée",
    "article.revert": "Fiche restaurée",
    "content.import": "Fiches importées",
    "content.export": "Fiches exportées",
    "slot.cancel": "Créneau annulé",
    "bookings.export": "Rendez-vous exportés (CSV)",
    "schedule.add": "Horaire ajouté",
    "schedule.close": "Horaire fermé",
    "menus.import": "Menus importés",
    "case.read": "Demande consultée",
    "case.take": "Demande prise en charge",
    "case.answer": "Demande répondue",
    "case.done": "Demande marquée comme traitée",
    "case.article": "Fiche préparée à partir d'une demande",
}


def record(database: Database, actor: str, action: str, object_id: str | int | None = None) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action: {action}")
    with database.session() as session:
        session.add(AuditEntry(actor=actor, action=action, object_id=None if object_id is None else str(object_id)))


def recent(database: Database, limit: int = 200) -> list[AuditEntry]:
    with database.session() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
