"""HR commands for schedules and bookings: `python -m bot schedules ...`, `bookings ...`, `slots ...`.

Bookings are shown with the person's name, the time and the place; there is no
reason to show, because none is ever asked or stored.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from bot.booking.bookings import (
    Booking,
    booking_retention_days,
    booking_row,
    cancellation_notice,
    schedule_rows,
    write_csv,
)
from bot.booking.ics import booking_ics
from bot.booking.schedules import ScheduleError, add_schedule, load_schedules
from bot.core.dates import PARIS
from bot.core.db import database_for
from bot.core.settings import PROJECT_ROOT, Settings

DEFAULT_SCHEDULES = PROJECT_ROOT / "data" / "booking" / "schedules.yml"


def _booking(settings: Settings) -> Booking:
    return Booking(database_for(settings.database_url))


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date attendue sous la forme AAAA-MM-JJ, pas « {text} »") from None


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def schedules_load(args: argparse.Namespace, settings: Settings) -> int:
    try:
        report = load_schedules(database_for(settings.database_url), Path(args.file), only_if_empty=args.if_empty)
    except ScheduleError as error:
        return _fail(f"Horaires refusés, rien n'a été changé :\n{error}")
    if args.json:
        print(json.dumps(report.__dict__ if report else None))
    elif report is None:
        print("Des horaires existent déjà : la base est la référence, rien n'a été chargé.")
    else:
        print(f"Horaires chargés : {report.services} service(s), {report.schedules} horaire(s).")
    return 0


def schedules_list(args: argparse.Namespace, settings: Settings) -> int:
    rows = schedule_rows(database_for(settings.database_url))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for row in rows:
        weeks = f" (semaines {row['weeks']})" if row["weeks"] else ""
        until = f", fermé après le {row['valid_until']}" if row["valid_until"] else ""
        print(
            f"{row['id']}: {row['service']}, {', '.join(row['days'])}{weeks} {row['from']}-{row['to']}, "
            f"{row['minutes']} min, {row['place']}{until}"
        )
    return 0


def schedules_add(args: argparse.Namespace, settings: Settings) -> int:
    raw = {
        "id": args.id,
        "service": args.service,
        "days": args.days.split(","),
        "weeks": [int(w) for w in args.weeks.split(",")] if args.weeks else None,
        "from": args.start,
        "to": args.end,
        "minutes": args.minutes,
        "campus": args.campus,
        "mode": args.mode,
        "room": args.room,
        "valid_from": args.from_day,
    }
    problems = add_schedule(database_for(settings.database_url), raw)
    if problems:
        return _fail("Horaire refusé :\n" + "\n".join(problems))
    print(json.dumps({"added": args.id}) if args.json else f"Horaire « {args.id} » ajouté.")
    return 0


def schedules_close(args: argparse.Namespace, settings: Settings) -> int:
    left = _booking(settings).close_schedule(args.id, args.from_day)
    if left is None:
        return _fail(f"Horaire « {args.id} » inconnu.")
    if args.json:
        print(
            json.dumps(
                {"closed": args.id, "from": args.from_day.isoformat(), "bookings_left": [booking_row(s) for s in left]},
                ensure_ascii=False,
            )
        )
        return 0
    print(f"Horaire « {args.id} » fermé à partir du {args.from_day.isoformat()} : plus aucun créneau proposé.")
    if left:
        print(f"{len(left)} rendez-vous déjà pris restent à traiter (python -m bot slots cancel NUMERO) :")
        for slot in left:
            print(f"  créneau {slot.id} : {slot.start:%Y-%m-%d %H:%M}, {booking_row(slot)['name']}")
    return 0


def bookings_list(args: argparse.Namespace, settings: Settings) -> int:
    first = datetime.combine(args.day, datetime.min.time(), PARIS)
    slots = _booking(settings).bookings_between(first, first + timedelta(days=1), args.service)
    if args.json:
        print(json.dumps([booking_row(slot) for slot in slots], ensure_ascii=False))
    elif not slots:
        print("Aucun rendez-vous ce jour-là.")
    else:
        for row in map(booking_row, slots):
            print(
                f"{row['start']}-{row['end']}  {row['service']:<20} {row['place']:<20} {row['name']}  "
                f"(créneau {row['slot']}, {row['reference']})"
            )
    return 0


def bookings_export(args: argparse.Namespace, settings: Settings) -> int:
    first = datetime.combine(args.start, datetime.min.time(), PARIS)
    last = datetime.combine(args.end + timedelta(days=1), datetime.min.time(), PARIS)
    slots = _booking(settings).bookings_between(first, last, args.service)
    output = open(args.output, "w", newline="", encoding="utf-8") if args.output else sys.stdout
    try:
        write_csv(output, slots)
    finally:
        if args.output:
            output.close()
    if args.output:
        print(f"{len(slots)} rendez-vous exportés dans {args.output}.", file=sys.stderr)
    return 0


def slots_cancel(args: argparse.Namespace, settings: Settings) -> int:
    booking = _booking(settings)
    slot = booking.close_slot(args.slot)
    if slot is None:
        return _fail(f"Créneau {args.slot} inconnu.")
    notice = cancellation_notice(slot, booking.service(slot.service).name) if slot.holder else None
    if args.json:
        print(
            json.dumps(
                {"slot": slot.id, "was_booked_by": slot.holder_name or slot.holder, "notice": notice},
                ensure_ascii=False,
            )
        )
    elif notice:
        print(
            f"Créneau {slot.id} fermé. Il était réservé par {slot.holder_name or slot.holder} ; texte à lui envoyer :\n"
        )
        print(notice)
    else:
        print(f"Créneau {slot.id} fermé ; il n'était pas réservé.")
    return 0


def bookings_forget(args: argparse.Namespace, settings: Settings) -> int:
    """Forget who held the appointments that ended more than --days ago (for cron; run at every start)."""
    days = args.days if args.days is not None else booking_retention_days()
    if days < 0:
        return _fail("--days : un nombre de jours positif ou nul est attendu.")
    forgotten = _booking(settings).forget_past(days)
    if args.json:
        print(json.dumps({"forgotten": forgotten, "days": days}))
    else:
        print(f"Rendez-vous oubliés : {forgotten} (nom et référence effacés, passés depuis plus de {days} jours).")
    return 0


def bookings_ics(args: argparse.Namespace, settings: Settings) -> int:
    booking = _booking(settings)
    slot = booking.by_reference(args.reference)
    if slot is None:
        return _fail(f"Aucun rendez-vous de référence {args.reference}.")
    service = booking.service(slot.service)
    path = Path(args.output or f"{args.reference}.ics")
    path.write_bytes(booking_ics(slot, service.name, service.confidential))
    print(f"Fichier agenda écrit : {path}")
    return 0


def add_parsers(commands: argparse._SubParsersAction) -> None:
    schedules = commands.add_parser("schedules", help="services' recurring schedules").add_subparsers(
        dest="command", required=True
    )
    load = schedules.add_parser("load", help="load services and schedules from YAML (upsert by id)")
    load.add_argument("file", nargs="?", default=str(DEFAULT_SCHEDULES))
    load.add_argument("--if-empty", action="store_true", help="only when the database has no schedule yet")
    load.add_argument("--json", action="store_true")
    load.set_defaults(handler=schedules_load)

    listing = schedules.add_parser("list", help="every schedule")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=schedules_list)

    add = schedules.add_parser("add", help="add a recurring schedule")
    add.add_argument("--id", required=True)
    add.add_argument("--service", required=True)
    add.add_argument("--days", required=True, help="e.g. mardi,jeudi")
    add.add_argument("--weeks", help="weeks of the month, e.g. 2,4 (-1 = last)")
    add.add_argument("--from", dest="start", required=True, help="HH:MM")
    add.add_argument("--to", dest="end", required=True, help="HH:MM")
    add.add_argument("--minutes", type=int, required=True)
    add.add_argument("--campus")
    add.add_argument("--mode", default="sur_place", help="sur_place, visio or telephone")
    add.add_argument("--room")
    add.add_argument("--from-day", type=_day, help="first day (YYYY-MM-DD)")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=schedules_add)

    close = schedules.add_parser("close", help="close a schedule from a day on")
    close.add_argument("id")
    close.add_argument("--from-day", type=_day, required=True, help="YYYY-MM-DD")
    close.add_argument("--json", action="store_true")
    close.set_defaults(handler=schedules_close)

    bookings = commands.add_parser("bookings", help="booked appointments").add_subparsers(dest="command", required=True)
    day = bookings.add_parser("list", help="a day's bookings (name, time, place)")
    day.add_argument("--day", type=_day, required=True, help="YYYY-MM-DD")
    day.add_argument("--service")
    day.add_argument("--json", action="store_true")
    day.set_defaults(handler=bookings_list)

    export = bookings.add_parser("export", help="bookings between two days, as CSV")
    export.add_argument("--from", dest="start", type=_day, required=True)
    export.add_argument("--to", dest="end", type=_day, required=True)
    export.add_argument("--service")
    export.add_argument("--output", "-o")
    export.set_defaults(handler=bookings_export)

    forget = bookings.add_parser("forget", help="forget who held appointments past the retention period (for cron)")
    forget.add_argument("--days", type=int, help="default $BOOKING_RETENTION_DAYS or 30")
    forget.add_argument("--json", action="store_true")
    forget.set_defaults(handler=bookings_forget)

    ics = bookings.add_parser("ics", help="write a booking's calendar file")
    ics.add_argument("reference")
    ics.add_argument("--output", "-o")
    ics.set_defaults(handler=bookings_ics)

    slots = commands.add_parser("slots", help="single slots").add_subparsers(dest="command", required=True)
    cancel = slots.add_parser("cancel", help="close a slot; prints the text to send if it was booked")
    cancel.add_argument("slot", type=int)
    cancel.add_argument("--json", action="store_true")
    cancel.set_defaults(handler=slots_cancel)
