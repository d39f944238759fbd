"""Finding free slots, booking them atomically, listing and cancelling one's own bookings."""

from __future__ import annotations

import csv
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TextIO

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.booking.schedules import HORIZON_DAYS, WEEKDAYS, generate_slots
from bot.core.dates import PARIS, When, long_label, short_label
from bot.core.db import Database
from bot.core.models import Schedule, Service, Slot
from bot.core.settings import settings
from bot.core.vocabulary import CAMPUSES

ANY_PLACE = "any"
REMOTE_LABELS = {"visio": "en visio", "telephone": "par téléphone"}
REMOTE_DETAILS = {
    "visio": " (le lien de connexion vous sera envoyé avant le rendez-vous)",
    "telephone": " (les modalités de l'appel vous seront précisées avant le rendez-vous)",
}
MAX_OFFERS = 5
_NOBODY = {"holder": None, "holder_name": None, "reference": None}  # who held a slot, forgotten
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def booking_retention_days() -> int:
    """$BOOKING_RETENTION_DAYS (default 30): how long after an appointment its holder is remembered."""
    return settings().booking_retention_days


def place_label(place: str) -> str:
    """« Clavières (Alès) », « en visio »..."""
    return CAMPUSES.get(place) or REMOTE_LABELS.get(place) or place


def short_place(place: str) -> str:
    return place_label(place).split(" (")[0]


@dataclass(frozen=True)
class SlotView:
    """A slot as the conversation and HR see it (times in Europe/Paris)."""

    id: int
    service: str
    start: datetime
    end: datetime
    place: str  # a campus code, "visio" or "telephone"
    room: str | None
    reference: str | None = None
    holder: str | None = None
    holder_name: str | None = None

    @property
    def title(self) -> str:
        """Button title: « mar. 9 déc. 10 h 45 – Clavières »."""
        return f"{short_label(self.start)} – {short_place(self.place)}"

    @property
    def where(self) -> str:
        if self.place in REMOTE_LABELS:
            return REMOTE_LABELS[self.place] + REMOTE_DETAILS[self.place]
        return f"à {place_label(self.place)}" + (f", {self.room}" if self.room else "")

    @property
    def when(self) -> str:
        minutes = int((self.end - self.start).total_seconds() // 60)
        return f"le {long_label(self.start)} ({minutes} min)"


def _view(slot: Slot, schedule: Schedule) -> SlotView:
    return SlotView(
        id=slot.id,
        service=slot.service,
        start=slot.start.astimezone(PARIS),
        end=slot.end.astimezone(PARIS),
        place=schedule.campus or schedule.mode,
        room=schedule.room,
        reference=slot.reference,
        holder=slot.holder,
        holder_name=slot.holder_name,
    )


def spread(slots: list[SlotView], limit: int, per_day: int = 2) -> list[SlotView]:
    """The earliest `limit` slots, at most `per_day` a day while other days have some: a choice of days."""
    chosen: list[SlotView] = []
    count: dict = {}
    for slot in slots:
        if len(chosen) < limit and count.get(slot.start.date(), 0) < per_day:
            chosen.append(slot)
            count[slot.start.date()] = count.get(slot.start.date(), 0) + 1
    chosen += [slot for slot in slots if slot not in chosen][: limit - len(chosen)]
    return sorted(chosen, key=lambda slot: (slot.start, slot.id))


@dataclass(frozen=True)
class BookingResult:
    """`booked` on success; otherwise why not and the next free slots to offer instead."""

    booked: SlotView | None
    problem: str | None = None  # "taken", "already_booked"
    existing: SlotView | None = None
    alternatives: list[SlotView] = field(default_factory=list)


class Booking:
    """Every booking operation, for one database; `now` is injectable for tests."""

    def __init__(self, database: Database, now: Callable[[], datetime] | None = None) -> None:
        self.database = database
        self.now = now or (lambda: datetime.now(PARIS))
        self._generated_until = None

    # -- services and places -------------------------------------------------------------
    def service(self, code: str | None) -> Service | None:
        if not code:
            return None
        with self.database.session() as session:
            return session.get(Service, code)

    def service_names(self) -> dict[str, str]:
        with self.database.session() as session:
            return {service.code: service.name for service in session.scalars(select(Service))}

    def places(self, service: str) -> list[str]:
        """Where a service has free slots to come: campus codes first, then remote modes."""
        self.ensure_slots()
        with self.database.session() as session:
            rows = session.execute(
                select(Schedule.campus, Schedule.mode)
                .distinct()
                .join(Slot, Slot.schedule_id == Schedule.id)
                .where(*self._free(service))
            ).all()
        places = {campus or mode for campus, mode in rows}
        return [p for p in CAMPUSES if p in places] + [p for p in REMOTE_LABELS if p in places]

    # -- slots ---------------------------------------------------------------------------
    def ensure_slots(self) -> None:
        """Once a day per process: generate the coming weeks' slots and forget old bookings' holders."""
        today = self.now().date()
        if self._generated_until != today:
            generate_slots(self.database, today, today + timedelta(days=HORIZON_DAYS))
            self.forget_past()
            self._generated_until = today

    def forget_past(self, days: int | None = None) -> int:
        """Remove who held slots that ended more than `days` ago (default $BOOKING_RETENTION_DAYS, 30).

        The slot stays (with `booked_at`) so that HR can still count consultations, not name them.
        """
        days = booking_retention_days() if days is None else days
        with self.database.session() as session:
            forgotten = session.execute(
                update(Slot)
                .where(Slot.holder.is_not(None), Slot.end < self.now() - timedelta(days=days))
                .values(**_NOBODY)
            ).rowcount
        if forgotten:
            self.database.checkpoint()  # no copy of the names left in SQLite's write-ahead log
        return forgotten

    def _bookable(self) -> list:
        return [Slot.holder.is_(None), Slot.closed.is_(False), Slot.start > self.now()]

    def _free(self, service: str) -> list:
        return [Slot.service == service, *self._bookable()]

    def _views(self, *conditions, order=(Slot.start, Slot.id)) -> list[SlotView]:
        query = select(Slot, Schedule).join(Schedule, Slot.schedule_id == Schedule.id).where(*conditions)
        with self.database.session() as session:
            return [_view(slot, schedule) for slot, schedule in session.execute(query.order_by(*order))]

    def _one(self, *conditions) -> SlotView | None:
        views = self._views(*conditions)
        return views[0] if views else None

    def free_slots(
        self, service: str, when: When | None = None, place: str | None = None, limit: int = MAX_OFFERS
    ) -> list[SlotView]:
        """The earliest free slots of a service that fit `when` (a day, a period, a time) and `place`."""
        self.ensure_slots()
        conditions = self._free(service)
        if place and place != ANY_PLACE:
            conditions.append(Schedule.campus == place if place in CAMPUSES else Schedule.mode == place)
        if when is not None:
            conditions.append(Slot.start >= datetime.combine(when.first_day, datetime.min.time(), PARIS))
            if when.last_day is not None:
                conditions.append(
                    Slot.start < datetime.combine(when.last_day + timedelta(days=1), datetime.min.time(), PARIS)
                )
        views = self._views(*conditions)
        if when is not None:
            views = [view for view in views if when.contains(view.start)]
        return spread(views, limit)

    def slot(self, slot_id: int) -> SlotView | None:
        return self._one(Slot.id == slot_id)

    def slots(self, slot_ids: list[int]) -> list[SlotView]:
        """Several slots in one query, in the order given (unknown ids left out)."""
        found = {view.id: view for view in self._views(Slot.id.in_(slot_ids))}
        return [found[slot_id] for slot_id in slot_ids if slot_id in found]

    # -- booking ---------------------------------------------------------------------------
    def book(self, slot_id: int, holder: str, holder_name: str | None = None) -> BookingResult:
        """Book a slot for `holder`, atomically: of concurrent attempts on one slot exactly one wins."""
        wanted = self.slot(slot_id)
        if wanted is None:
            return BookingResult(None, "taken")
        existing = self.upcoming(holder, service=wanted.service)
        if existing:
            return BookingResult(None, "already_booked", existing=existing[0])
        won = 0
        for _ in range(3):  # a reference collision is astronomically rare; retry rather than fail
            reference = "RDV-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
            try:
                with self.database.session() as session:
                    won = session.execute(
                        update(Slot)
                        .where(Slot.id == slot_id, *self._bookable())
                        .values(holder=holder, holder_name=holder_name, reference=reference, booked_at=self.now())
                    ).rowcount
                break
            except IntegrityError:
                continue
        if won == 1:
            return BookingResult(self.slot(slot_id))
        return BookingResult(None, "taken", alternatives=self.free_slots(wanted.service, place=wanted.place))

    def by_reference(self, reference: str) -> SlotView | None:
        return self._one(Slot.reference == reference)

    def upcoming(self, holder: str, service: str | None = None) -> list[SlotView]:
        """The holder's own bookings still to come, earliest first."""
        conditions = [Slot.holder == holder, Slot.start > self.now()]
        if service:
            conditions.append(Slot.service == service)
        return self._views(*conditions)

    def cancel(self, slot_id: int, holder: str) -> SlotView | None:
        """Cancel one of the holder's own bookings and free the slot; None if it is not theirs."""
        before = self.slot(slot_id)
        with self.database.session() as session:
            done = session.execute(
                update(Slot)
                .where(Slot.id == slot_id, Slot.holder == holder, Slot.start > self.now())
                .values(**_NOBODY, booked_at=None)
            ).rowcount
        return before if done == 1 else None

    # -- for HR ----------------------------------------------------------------------------
    def bookings_between(self, first: datetime, last: datetime, service: str | None = None) -> list[SlotView]:
        return self.slots_between(first, last, service, booked_only=True)

    def slots_between(
        self, first: datetime, last: datetime, service: str | None = None, booked_only: bool = False
    ) -> list[SlotView]:
        """Slots starting in [first, last), free, booked and closed ones (only booked ones with `booked_only`)."""
        conditions = [Slot.start >= first, Slot.start < last]
        if booked_only:
            conditions.append(Slot.holder.is_not(None))
        if service:
            conditions.append(Slot.service == service)
        return self._views(*conditions, order=(Slot.start, Slot.service))

    def is_closed(self, slot_id: int) -> bool:
        with self.database.session() as session:
            return bool(session.scalar(select(Slot.closed).where(Slot.id == slot_id)))

    def close_slot(self, slot_id: int) -> SlotView | None:
        """HR closes a slot; returns it as it was (with its holder, if it was booked) or None if unknown."""
        before = self.slot(slot_id)
        if before is None:
            return None
        with self.database.session() as session:
            session.execute(update(Slot).where(Slot.id == slot_id).values(**_NOBODY, closed=True, booked_at=None))
        return before

    def close_schedule(self, schedule_id: str, from_day) -> list[SlotView] | None:
        """Close a schedule from a day on: no new slots, free ones removed. Returns the bookings left to handle."""
        start = datetime.combine(from_day, datetime.min.time(), PARIS)
        with self.database.session() as session:
            schedule = session.get(Schedule, schedule_id)
            if schedule is None:
                return None
            schedule.valid_until = from_day - timedelta(days=1)
            session.execute(
                update(Slot)
                .where(Slot.schedule_id == schedule_id, Slot.start >= start, Slot.holder.is_(None))
                .values(closed=True)
            )
        return self._views(Slot.schedule_id == schedule_id, Slot.start >= start, Slot.holder.is_not(None))


# -- what HR hands on: CSV rows and the text to send when a booking is cancelled ---------------------------

CSV_FIELDS = ("reference", "service", "date", "start", "end", "place", "room", "name")


def booking_row(slot: SlotView) -> dict[str, Any]:
    """A booking as HR lists and exports it: no reason, none is stored."""
    return {
        "slot": slot.id,
        "reference": slot.reference,
        "service": slot.service,
        "date": slot.start.date().isoformat(),
        "start": slot.start.strftime("%H:%M"),
        "end": slot.end.strftime("%H:%M"),
        "place": place_label(slot.place),
        "room": slot.room or "",
        "name": slot.holder_name or slot.holder or "",
    }


def write_csv(output: TextIO, slots: list[SlotView]) -> None:
    writer = csv.DictWriter(output, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(booking_row(slot) for slot in slots)


def cancellation_notice(slot: SlotView, service_name: str) -> str:
    """The text HR sends to the person whose booking it cancels."""
    return (
        f"Bonjour,\n\nVotre rendez-vous avec {service_name} du {long_label(slot.start)} "
        f"({place_label(slot.place)}) ne pourra malheureusement pas avoir lieu : il est annulé. "
        "Nous vous prions de nous en excuser. Vous pouvez reprendre rendez-vous à tout moment "
        "auprès de l'Assistant RH de l'intranet.\n\nLe service des ressources humaines"
    )


def schedule_rows(database: Database) -> list[dict[str, Any]]:
    """Every schedule as HR reads it (French days, the place's name), by service."""
    with database.session() as session:
        schedules = session.scalars(select(Schedule).order_by(Schedule.service, Schedule.id)).all()
    return [
        {
            "id": s.id,
            "service": s.service,
            "days": [WEEKDAYS[d] for d in s.weekdays],
            "weeks": s.weeks,
            "from": s.start_time,
            "to": s.end_time,
            "minutes": s.minutes,
            "place": place_label(s.campus or s.mode),
            "room": s.room,
            "valid_until": s.valid_until.isoformat() if s.valid_until else None,
        }
        for s in schedules
    ]
