"""Schedules, slots and bookings on a real database, with a fixed « now »."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

import pytest

from bot.booking import dialogue as talk
from bot.booking.bookings import Booking
from bot.booking.cli import DEFAULT_SCHEDULES
from bot.booking.schedules import ScheduleError, generate_slots, load_schedules, occurs_on, read_schedules
from bot.core.dates import PARIS, When, holiday
from bot.core.db import Database
from bot.core.models import Schedule
from bot.core.vocabulary import SERVICES

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)  # a Wednesday


def fixed_now() -> datetime:
    return NOW


@pytest.fixture
def booking(database: Database) -> Booking:
    load_schedules(database, DEFAULT_SCHEDULES)
    return Booking(database, now=fixed_now)


def test_every_service_of_the_contract_has_a_schedule_and_a_privacy_statement():
    services, schedules = read_schedules(DEFAULT_SCHEDULES)
    assert {s["code"] for s in services} == set(SERVICES)
    assert {s["service"] for s in schedules} == set(SERVICES)
    confidential = {s["code"] for s in services if s.get("confidential")}
    assert confidential == {"psychologue", "service_social", "avocat", "medecine_prevention"}


def test_loading_is_idempotent_and_a_bad_file_changes_nothing(database, tmp_path):
    first = load_schedules(database, DEFAULT_SCHEDULES)
    again = load_schedules(database, DEFAULT_SCHEDULES)
    assert first == again and first.schedules >= 6
    assert load_schedules(database, DEFAULT_SCHEDULES, only_if_empty=True) is None
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "services:\n  psychologue: {name: x, who_sees: y}\nschedules:\n"
        "  - {id: p, service: psychologue, days: [mardo], from: '12:00', to: '09:00', minutes: 45, campus: lune}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScheduleError) as error:
        load_schedules(database, bad)
    message = str(error.value)
    assert "mardo" in message and "l'heure de fin" in message and "lune" in message
    with database.session() as session:
        assert session.get(Schedule, "p") is None


def test_second_and_fourth_tuesdays_and_no_slot_on_public_holidays(booking, database):
    with database.session() as session:
        psy = session.get(Schedule, "psychologue-clavieres")
        friday = session.get(Schedule, "permanence-rh-nimes")
    tuesdays = [date(2026, 12, 1) + timedelta(weeks=n) for n in range(5)]
    assert [occurs_on(psy, day) for day in tuesdays] == [False, True, False, True, False]
    assert holiday(date(2026, 12, 25)) and not occurs_on(friday, date(2026, 12, 25))
    assert occurs_on(friday, date(2026, 12, 18))


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_demo_schedules_always_leave_slots_in_the_next_two_weeks(service):
    """Whatever the day `make run` starts, over a whole year, each service has a slot within 14 days."""
    _, raw = read_schedules(DEFAULT_SCHEDULES)
    from bot.booking.schedules import schedule_fields

    schedules = [Schedule(**schedule_fields(s)) for s in raw if s["service"] == service]
    start = date(2026, 11, 25)
    for offset in range(366):
        today = start + timedelta(days=offset)
        window = [today + timedelta(days=n) for n in range(1, 15)]
        assert any(occurs_on(s, day) for s in schedules for day in window), f"{service} has no slot after {today}"


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_place_of_the_demo_schedules_has_slots_within_six_weeks(service):
    """Whatever the day, each place a service offers has a slot within the slots generated (HORIZON_DAYS),
    so the assistant offers the choice of place it announces (a monthly Friday falling on 1 January left
    one place without any slot for eight weeks)."""
    _, raw = read_schedules(DEFAULT_SCHEDULES)
    from bot.booking.schedules import HORIZON_DAYS, schedule_fields

    schedules = [Schedule(**schedule_fields(s)) for s in raw if s["service"] == service]
    window_days = 42
    assert window_days < HORIZON_DAYS
    for place in {s.campus or s.mode for s in schedules}:
        at_place = [s for s in schedules if (s.campus or s.mode) == place]
        for offset in range(366 * 2):
            today = date(2026, 11, 25) + timedelta(days=offset)
            window = [today + timedelta(days=n) for n in range(1, window_days + 1)]
            assert any(occurs_on(s, day) for s in at_place for day in window), f"{service} at {place}, {today}"


def test_free_slots_follow_the_period_the_place_and_the_time(booking):
    tuesday = When(date(2026, 12, 8), date(2026, 12, 8))
    slots = booking.free_slots("psychologue", tuesday)
    assert [s.start.strftime("%H:%M") for s in slots] == ["09:00", "09:45", "10:30", "11:15"]
    assert {s.place for s in slots} == {"clavieres"}
    assert slots[1].title == "mar. 8 déc. 9 h 45 – Clavières"

    afternoon = When(date(2026, 12, 1), None, after=datetime.strptime("12:00", "%H:%M").time())
    assert all(s.start.hour >= 12 for s in booking.free_slots("permanence_rh", afternoon, limit=20))
    nimes = booking.free_slots("permanence_rh", place="nimes", limit=20)
    assert nimes and {s.place for s in nimes} == {"nimes"} and all(s.start.weekday() == 4 for s in nimes)
    assert booking.places("psychologue") == ["clavieres", "visio"]
    assert len(booking.free_slots("medecine_prevention")) == 5
    assert all(s.start > NOW for s in booking.free_slots("medecine_prevention"))


def test_a_booking_is_the_holders_only(booking):
    slot = booking.free_slots("psychologue")[0]
    result = booking.book(slot.id, "agent-a")
    assert result.booked and result.booked.reference.startswith("RDV-") and len(result.booked.reference) == 10
    assert slot.id not in {s.id for s in booking.free_slots("psychologue", limit=50)}
    assert [s.id for s in booking.upcoming("agent-a")] == [slot.id]
    assert booking.upcoming("agent-b") == []
    assert booking.cancel(slot.id, "agent-b") is None  # someone else cannot cancel it
    assert booking.slot(slot.id).holder == "agent-a"
    second = booking.book(booking.free_slots("psychologue")[0].id, "agent-a")
    assert second.booked is None and second.problem == "already_booked" and second.existing.id == slot.id
    assert booking.cancel(slot.id, "agent-a").id == slot.id
    assert booking.slot(slot.id).holder is None and booking.slot(slot.id).reference is None
    assert slot.id in {s.id for s in booking.free_slots("psychologue", limit=50)}


def test_a_past_or_closed_slot_cannot_be_booked(booking, database):
    slot = booking.free_slots("avocat")[0]
    later = Booking(database, now=lambda: slot.start + timedelta(minutes=1))
    assert later.book(slot.id, "agent-a").problem == "taken"
    booking.close_slot(slot.id)
    assert booking.book(slot.id, "agent-a").problem == "taken"
    assert slot.id not in {s.id for s in booking.free_slots("avocat", limit=50)}


def test_closing_a_schedule_removes_its_free_slots_and_reports_bookings_left(booking):
    first, second = booking.free_slots("permanence_rh", place="nimes", limit=2)
    booking.book(second.id, "agent-a")
    left = booking.close_schedule("permanence-rh-nimes", first.start.date())
    assert [s.id for s in left] == [second.id]
    assert booking.free_slots("permanence_rh", place="nimes") == []
    assert "nimes" not in booking.places("permanence_rh")


def _attempt_in_process(url: str, slot_id: int, holder: str, results) -> None:
    result = Booking(Database(url), now=fixed_now).book(slot_id, holder)
    results.put((holder, result.booked is not None, result.problem, [s.id for s in result.alternatives]))


def _race(database: Database, booking: Booking) -> tuple[int, list]:
    """50 concurrent attempts on one slot: 25 threads and 25 processes, released together."""
    slot = booking.free_slots("psychologue")[0]
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(50), context.Queue()

    def in_thread(n: int):
        barrier.wait()
        result = Booking(database, now=fixed_now).book(slot.id, f"thread-{n}")
        return (f"thread-{n}", result.booked is not None, result.problem, [s.id for s in result.alternatives])

    def in_process(n: int) -> None:
        barrier.wait()
        _attempt_in_process(database.url, slot.id, f"process-{n}", results)

    database.engine.dispose()  # forked children must not share the parent's connections
    processes = [context.Process(target=in_process, args=(n,)) for n in range(25)]
    for process in processes:
        process.start()
    with ThreadPoolExecutor(max_workers=25) as pool:
        outcomes = list(pool.map(in_thread, range(25)))
    outcomes += [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    return slot.id, outcomes


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database(request) -> Database:
    return request.getfixturevalue("database" if request.param == "sqlite" else "postgres_database")


def test_fifty_concurrent_attempts_book_a_slot_exactly_once(any_database):
    load_schedules(any_database, DEFAULT_SCHEDULES)
    booking = Booking(any_database, now=fixed_now)
    slot_id, outcomes = _race(any_database, booking)
    assert len(outcomes) == 50
    winners = [holder for holder, won, _, _ in outcomes if won]
    assert len(winners) == 1
    assert booking.slot(slot_id).holder == winners[0]
    losers = [outcome for outcome in outcomes if not outcome[1]]
    assert all(
        problem == "taken" and alternatives and slot_id not in alternatives for _, _, problem, alternatives in losers
    )
    lost = booking.book(slot_id, "late-comer")
    reply = talk.taken_reply(lost, booking.service("psychologue"))
    assert "ce créneau vient d'être pris" in reply.text and reply.buttons


def test_slots_are_generated_once_even_when_asked_twice(booking, database):
    booking.free_slots("avocat")  # the first query generates the coming weeks
    assert generate_slots(database, date(2026, 12, 1), date(2026, 12, 31)) == 0
    later = generate_slots(database, date(2027, 3, 1), date(2027, 3, 31))
    assert later > 0 and generate_slots(database, date(2027, 3, 1), date(2027, 3, 31)) == 0


def test_offers_spread_over_several_days_unless_one_day_was_asked(booking):
    offers = booking.free_slots("avocat", place="telephone")
    days = [slot.start.date() for slot in offers]
    assert len(offers) == 5 and max(days.count(day) for day in days) <= 2 and days == sorted(days)
    one_day = booking.free_slots("avocat", When(date(2026, 12, 2), date(2026, 12, 2)), "telephone")
    assert len(one_day) == 5 and {slot.start.date() for slot in one_day} == {date(2026, 12, 2)}


def test_holders_of_past_bookings_are_forgotten_after_the_retention_period(booking, database):
    slot = booking.free_slots("psychologue")[0]
    booking.book(slot.id, "agent-a")
    assert booking.forget_past(30) == 0  # not yet past
    later = Booking(database, now=lambda: slot.end + timedelta(days=31))
    assert later.forget_past(30) == 1
    kept = later.slot(slot.id)
    assert kept.holder is None and kept.reference is None
    assert later.bookings_between(slot.start, slot.end) == []  # HR no longer sees a name
