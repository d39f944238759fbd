"""Golden table of French date expressions understood by bot.core.dates."""

from datetime import date, datetime, time, timedelta, timezone

import pytest

from bot.core.dates import PARIS, When, holiday, long_label, short_label, understand

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)  # a Wednesday
SUNDAY = datetime(2026, 11, 29, 10, 0, tzinfo=PARIS)
YEAR_END = datetime(2026, 12, 28, 10, 0, tzinfo=PARIS)  # a Monday
T = time


def D(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


NOON, EVENING = T(12), T(17)

# (expression, first_day, last_day, at, after, before), seen from NOW.
GOLDEN = [
    # Days relative to today
    ("aujourd'hui", D(11, 25), D(11, 25), None, None, None),
    ("Aujourd’hui", D(11, 25), D(11, 25), None, None, None),
    ("demain", D(11, 26), D(11, 26), None, None, None),
    ("DEMAIN", D(11, 26), D(11, 26), None, None, None),
    ("après-demain", D(11, 27), D(11, 27), None, None, None),
    ("apres demain", D(11, 27), D(11, 27), None, None, None),
    ("hier", D(11, 24), D(11, 24), None, None, None),
    # Weekdays
    ("mardi", D(12, 1), D(12, 1), None, None, None),
    ("jeudi", D(11, 26), D(11, 26), None, None, None),
    ("mercredi", D(12, 2), D(12, 2), None, None, None),
    ("samedi", D(11, 28), D(11, 28), None, None, None),
    ("ce jeudi", D(11, 26), D(11, 26), None, None, None),
    ("ce mercredi", D(11, 25), D(11, 25), None, None, None),
    ("ce lundi", D(11, 30), D(11, 30), None, None, None),  # this week's is past: the coming one
    ("mardi prochain", D(12, 1), D(12, 1), None, None, None),
    # Two days or part of a week: the span from the first to the last
    ("mardi ou mercredi", D(12, 1), D(12, 2), None, None, None),
    ("lundi ou mardi prochain", D(11, 30), D(12, 1), None, None, None),
    ("le 3 ou le 4 décembre", D(12, 3), D(12, 4), None, None, None),
    ("en début de semaine prochaine", D(11, 30), D(12, 2), None, None, None),
    ("fin de semaine", D(11, 26), D(11, 27), None, None, None),
    ("peu importe le jour", D(11, 25), None, None, None, None),
    # « pro » / « proch » as staff type them
    ("la semaine pro", D(11, 30), D(12, 6), None, None, None),
    ("jeudi proch", D(12, 3), D(12, 3), None, None, None),
    ("le mois pro", D(12, 1), D(12, 31), None, None, None),
    ("jeudi prochain", D(12, 3), D(12, 3), None, None, None),
    ("vendredi prochain", D(12, 4), D(12, 4), None, None, None),
    # Weeks and days from now
    ("la semaine prochaine", D(11, 30), D(12, 6), None, None, None),
    ("semaine prochaine", D(11, 30), D(12, 6), None, None, None),
    ("cette semaine", D(11, 25), D(11, 29), None, None, None),
    ("dans deux semaines", D(12, 7), D(12, 13), None, None, None),
    ("dans 15 jours", D(12, 7), D(12, 13), None, None, None),
    ("dans quinze jours", D(12, 7), D(12, 13), None, None, None),
    ("dans une semaine", D(11, 30), D(12, 6), None, None, None),
    ("dans 3 jours", D(11, 28), D(11, 28), None, None, None),
    ("la semaine du 7 décembre", D(12, 7), D(12, 13), None, None, None),
    ("la semaine du 3", D(11, 30), D(12, 6), None, None, None),
    # Absolute dates: the next occurrence, never in the past
    ("le 3 décembre", D(12, 3), D(12, 3), None, None, None),
    ("3 décembre", D(12, 3), D(12, 3), None, None, None),
    ("le 3 decembre", D(12, 3), D(12, 3), None, None, None),
    ("3/12", D(12, 3), D(12, 3), None, None, None),
    ("03/12", D(12, 3), D(12, 3), None, None, None),
    ("03/12/2026", D(12, 3), D(12, 3), None, None, None),
    ("le 3", D(12, 3), D(12, 3), None, None, None),
    ("le 20", D(12, 20), D(12, 20), None, None, None),
    ("le 25", D(11, 25), D(11, 25), None, None, None),
    ("le 25 novembre", D(11, 25), D(11, 25), None, None, None),
    ("le 3 novembre", D(11, 3, 2027), D(11, 3, 2027), None, None, None),
    ("le 1er décembre", D(12, 1), D(12, 1), None, None, None),
    ("9 déc.", D(12, 9), D(12, 9), None, None, None),
    ("lundi 7 décembre 2026", D(12, 7), D(12, 7), None, None, None),
    ("jeudi 3", D(12, 3), D(12, 3), None, None, None),
    ("le jeudi 3 décembre", D(12, 3), D(12, 3), None, None, None),
    ("le 25 décembre", D(12, 25), D(12, 25), None, None, None),
    ("le 1er janvier", D(1, 1, 2027), D(1, 1, 2027), None, None, None),
    # Dates with a time, and button payloads
    ("le 3 à 14h", D(12, 3), D(12, 3), T(14), None, None),
    ("le 3 décembre à 14h30", D(12, 3), D(12, 3), T(14, 30), None, None),
    ("2026-12-09 10:45", D(12, 9), D(12, 9), T(10, 45), None, None),
    ("2026-12-09 10:45:00", D(12, 9), D(12, 9), T(10, 45), None, None),
    ("mer. 9 déc. 10 h 45", D(12, 9), D(12, 9), T(10, 45), None, None),
    ("mercredi 9 décembre 2026 à 10 h 45", D(12, 9), D(12, 9), T(10, 45), None, None),
    # A time of day alone: any day from today
    ("14h30", D(11, 25), None, T(14, 30), None, None),
    ("14 h 30", D(11, 25), None, T(14, 30), None, None),
    ("14:30", D(11, 25), None, T(14, 30), None, None),
    ("à 10h", D(11, 25), None, T(10), None, None),
    ("midi", D(11, 25), None, T(12), None, None),
    ("vers 14h", D(11, 25), None, T(14), None, None),
    ("le matin", D(11, 25), None, None, None, NOON),
    ("plutôt le matin", D(11, 25), None, None, None, NOON),
    ("dans la matinée", D(11, 25), None, None, None, NOON),
    ("l'après-midi", D(11, 25), None, None, NOON, None),
    ("apres-midi", D(11, 25), None, None, NOON, None),
    ("aprem", D(11, 25), None, None, NOON, None),
    ("le soir", D(11, 25), None, None, EVENING, None),
    ("avant 10h", D(11, 25), None, None, None, T(10)),
    ("après 15h", D(11, 25), None, None, T(15), None),
    ("entre 10h et 12h", D(11, 25), None, None, T(10), T(12)),
    ("de 14h à 16h30", D(11, 25), None, None, T(14), T(16, 30)),
    ("3h de l'après-midi", D(11, 25), None, T(15), None, None),
    ("9h du matin", D(11, 25), None, T(9), None, None),
    # A day and a time of day
    ("demain matin", D(11, 26), D(11, 26), None, None, NOON),
    ("jeudi après-midi", D(11, 26), D(11, 26), None, NOON, None),
    ("vendredi matin", D(11, 27), D(11, 27), None, None, NOON),
    ("vendredi 14h", D(11, 27), D(11, 27), T(14), None, None),
    ("lundi à 9 h 15", D(11, 30), D(11, 30), T(9, 15), None, None),
    ("lundi 14h", D(11, 30), D(11, 30), T(14), None, None),
    ("ce soir", D(11, 25), D(11, 25), None, EVENING, None),
    ("demain après 15h", D(11, 26), D(11, 26), None, T(15), None),
    ("mardi prochain entre 10h et 12h", D(12, 1), D(12, 1), None, T(10), T(12)),
    ("la semaine prochaine le matin", D(11, 30), D(12, 6), None, None, NOON),
    # Parts of months
    ("début janvier", D(1, 1, 2027), D(1, 10, 2027), None, None, None),
    ("mi-janvier", D(1, 11, 2027), D(1, 20, 2027), None, None, None),
    ("mi janvier", D(1, 11, 2027), D(1, 20, 2027), None, None, None),
    ("fin janvier", D(1, 21, 2027), D(1, 31, 2027), None, None, None),
    ("en janvier", D(1, 1, 2027), D(1, 31, 2027), None, None, None),
    ("en février 2027", D(2, 1, 2027), D(2, 28, 2027), None, None, None),
    ("decembre", D(12, 1), D(12, 31), None, None, None),
    ("en novembre", D(11, 25), D(11, 30), None, None, None),
    ("début novembre", D(11, 1, 2027), D(11, 10, 2027), None, None, None),
    ("fin du mois", D(11, 25), D(11, 30), None, None, None),
    ("en fin de mois", D(11, 25), D(11, 30), None, None, None),
    ("à la mi-janvier", D(1, 11, 2027), D(1, 20, 2027), None, None, None),
    ("début du mois prochain", D(12, 1), D(12, 10), None, None, None),
    ("le mois prochain", D(12, 1), D(12, 31), None, None, None),
    # Whenever
    ("le plus tôt possible", D(11, 25), None, None, None, None),
    ("dès que possible", D(11, 25), None, None, None, None),
    ("au plus vite", D(11, 25), None, None, None, None),
    ("n'importe quand", D(11, 25), None, None, None, None),
    ("peu importe", D(11, 25), None, None, None, None),
    ("quand vous voulez", D(11, 25), None, None, None, None),
    # Fillers
    ("jeudi vers 14h si possible svp", D(11, 26), D(11, 26), T(14), None, None),
    ("de préférence le matin", D(11, 25), None, None, None, NOON),
    ("Demain, si possible l'après-midi", D(11, 26), D(11, 26), None, NOON, None),
]


@pytest.mark.parametrize("text, first, last, at, after, before", GOLDEN, ids=[row[0] for row in GOLDEN])
def test_golden(text, first, last, at, after, before):
    assert understand(text, NOW) == When(first, last, at, after, before)


def test_golden_table_is_large_and_unique():
    assert len(GOLDEN) >= 70
    assert len({row[0] for row in GOLDEN}) == len(GOLDEN)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "bof",
        "blablabla",
        "la saint-glinglin",
        "quand les poules auront des dents",
        "le 32 décembre",
        "31/02",
        "25h",
        "14h70",
        "14h ou 15h",
        "à 14h à 15h",
        "entre 12h et 10h",
        "le matin à 15h",
        "lundi 3",  # 3 December 2026 is a Thursday
        "mar. 9 déc.",  # 9 December 2026 is a Wednesday
        "ce mardi prochain",
        "avant le 10 décembre",
        "la semaine du mois prochain",
        "le 0",
        "svp",
        "dans 99999 jours",
        "9.12",
        "lundi ou la lune",
        "lundi dernier",
        "demain, jeudi 26 novembre",
    ],
)
def test_not_understood(text):
    assert understand(text, NOW) is None


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("demain", D(11, 30), D(11, 30)),
        ("lundi", D(11, 30), D(11, 30)),
        ("lundi prochain", D(11, 30), D(11, 30)),
        ("dimanche", D(12, 6), D(12, 6)),
        ("ce dimanche", D(11, 29), D(11, 29)),
        ("cette semaine", D(11, 29), D(11, 29)),
        ("la semaine prochaine", D(11, 30), D(12, 6)),
    ],
)
def test_seen_from_a_sunday(text, first, last):
    assert understand(text, SUNDAY) == When(first, last)


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("le 3 janvier", D(1, 3, 2027), D(1, 3, 2027)),
        ("lundi", D(1, 4, 2027), D(1, 4, 2027)),
        ("le 3", D(1, 3, 2027), D(1, 3, 2027)),
        ("3/1", D(1, 3, 2027), D(1, 3, 2027)),
        ("le 3 décembre", D(12, 3, 2027), D(12, 3, 2027)),
        ("la semaine prochaine", D(1, 4, 2027), D(1, 10, 2027)),
        ("dans deux semaines", D(1, 11, 2027), D(1, 17, 2027)),
        ("fin du mois", D(12, 28), D(12, 31)),
        ("le mois prochain", D(1, 1, 2027), D(1, 31, 2027)),
        ("début janvier", D(1, 1, 2027), D(1, 10, 2027)),
        ("demain", D(12, 29), D(12, 29)),
    ],
)
def test_year_rollover(text, first, last):
    assert understand(text, YEAR_END) == When(first, last)


def test_now_is_read_in_paris_time():
    # 23:30 UTC on 25 November is already 00:30 on the 26th in Paris.
    late = datetime(2026, 11, 25, 23, 30, tzinfo=timezone.utc)
    assert understand("demain", late) == When(D(11, 27), D(11, 27))
    with pytest.raises(ValueError):
        understand("demain", datetime(2026, 11, 25, 10, 0))


def test_closed():
    assert understand("le 25 décembre", NOW).closed() == "Noël"
    new_year = understand("le 1er janvier", NOW)
    assert new_year.closed() == holiday(date(2027, 1, 1)) == "Jour de l'an"
    assert understand("samedi", NOW).closed() == "week-end"
    assert understand("dimanche", NOW).closed() == "week-end"
    assert understand("jeudi", NOW).closed() is None
    assert understand("la semaine prochaine", NOW).closed() is None
    assert understand("dès que possible", NOW).closed() is None
    # Only a single day is closed, even when a range or an open end starts on a closed day.
    assert When(D(12, 25), D(12, 31)).closed() is None
    assert When(D(11, 28), None).closed() is None


def test_holiday():
    assert holiday(date(2026, 7, 14)) == "Fête nationale"
    assert holiday(date(2026, 11, 11)) == "Armistice"
    assert holiday(date(2027, 3, 29)) == "Lundi de Pâques"
    assert holiday(date(2026, 11, 26)) is None
    assert holiday(date(2026, 12, 26)) is None  # Saint-Étienne is only in Alsace-Moselle


@pytest.mark.parametrize(
    "start, short, long",
    [
        (datetime(2026, 12, 9, 10, 45, tzinfo=PARIS), "mer. 9 déc. 10 h 45", "mercredi 9 décembre 2026 à 10 h 45"),
        (datetime(2026, 12, 1, 10, 0, tzinfo=PARIS), "mar. 1er déc. 10 h", "mardi 1er décembre 2026 à 10 h"),
        (datetime(2027, 2, 8, 9, 5, tzinfo=PARIS), "lun. 8 févr. 9 h 05", "lundi 8 février 2027 à 9 h 05"),
        (datetime(2027, 8, 1, 14, 0, tzinfo=PARIS), "dim. 1er août 14 h", "dimanche 1er août 2027 à 14 h"),
        (datetime(2027, 7, 16, 16, 30, tzinfo=PARIS), "ven. 16 juil. 16 h 30", "vendredi 16 juillet 2027 à 16 h 30"),
        (datetime(2027, 9, 4, 11, 0, tzinfo=PARIS), "sam. 4 sept. 11 h", "samedi 4 septembre 2027 à 11 h"),
        (datetime(2027, 1, 14, 8, 15, tzinfo=PARIS), "jeu. 14 janv. 8 h 15", "jeudi 14 janvier 2027 à 8 h 15"),
        # Shown in Paris time, whatever the datetime's own zone.
        (
            datetime(2026, 12, 9, 9, 45, tzinfo=timezone.utc),
            "mer. 9 déc. 10 h 45",
            "mercredi 9 décembre 2026 à 10 h 45",
        ),
    ],
)
def test_labels(start, short, long):
    assert short_label(start) == short
    assert long_label(start) == long


def test_labels_parse_back():
    start = datetime(2026, 11, 26, 8, 0, tzinfo=PARIS)
    for k in range(0, 360 * 24, 37):  # every 37 hours for almost a year
        slot = start + timedelta(hours=k)
        expected = When(slot.date(), slot.date(), slot.time())
        assert understand(short_label(slot), NOW) == expected, short_label(slot)
        assert understand(long_label(slot), NOW) == expected, long_label(slot)
        assert understand(slot.strftime("%Y-%m-%d %H:%M"), NOW) == expected


@pytest.mark.parametrize(
    "text, label",
    [
        ("demain", "demain, jeudi 26 novembre"),
        ("aujourd'hui", "aujourd'hui, mercredi 25 novembre"),
        ("mardi prochain à 14h30", "mardi 1er décembre à 14 h 30"),
        ("jeudi prochain après-midi", "jeudi 3 décembre après-midi"),
        ("vendredi prochain matin", "vendredi 4 décembre au matin"),
        ("la semaine prochaine", "la semaine du 30 novembre"),
        ("la semaine prochaine l'après-midi", "la semaine du 30 novembre, l'après-midi"),
        ("début janvier", "début janvier (du 1er au 10 janvier)"),
        ("fin janvier", "fin janvier (du 21 au 31 janvier)"),
        ("en janvier", "en janvier"),
        ("cette semaine", "du 25 au 29 novembre"),
        ("dès que possible", "dès que possible"),
        ("le matin", "dès que possible, le matin"),
        ("entre 10h et 12h", "dès que possible, entre 10 h et 12 h"),
        ("avant 10h", "dès que possible, avant 10 h"),
        ("le 3 novembre", "mercredi 3 novembre 2027"),
    ],
)
def test_describe(text, label):
    assert understand(text, NOW).describe(NOW.date()) == label


def test_describe_open_ended_from_a_later_day():
    assert When(D(11, 26), None, after=NOON).describe(NOW.date()) == "à partir du jeudi 26 novembre, l'après-midi"


def test_encode():
    assert When(D(12, 1), D(12, 1), T(14, 30)).encode() == "2026-12-01|2026-12-01|14:30||"
    assert When(D(11, 25), None, None, T(10), T(12)).encode() == "2026-11-25|||10:00|12:00"


@pytest.mark.parametrize("row", GOLDEN, ids=[row[0] for row in GOLDEN])
def test_encode_decode_round_trip(row):
    when = understand(row[0], NOW)
    assert When.decode(when.encode()) == when


def test_decode_rejects_garbage():
    for text in ["", "demain", "2026-12-01|x|||", "2026-12-01|||25:00|", "2026-12-01"]:
        with pytest.raises(ValueError):
            When.decode(text)


def at(month, day, hour, minute=0, tz=PARIS):
    return datetime(2026, month, day, hour, minute, tzinfo=tz)


def test_contains_precise_time():
    when = When(D(12, 1), D(12, 1), T(14, 30))
    assert when.contains(at(12, 1, 14, 30))
    assert when.contains(at(12, 1, 13, 30, timezone.utc))  # 14:30 in Paris
    assert not when.contains(at(12, 1, 14, 0))
    assert not when.contains(at(12, 1, 15, 0))
    assert not when.contains(at(12, 2, 14, 30))


def test_contains_time_window():
    morning = understand("le matin", NOW)
    assert morning.contains(at(11, 25, 11, 59))
    assert morning.contains(at(12, 20, 9, 0))  # open-ended
    assert not morning.contains(at(11, 25, 12, 0))  # before is exclusive
    assert not morning.contains(at(11, 24, 9, 0))  # before first_day
    afternoon = understand("jeudi après-midi", NOW)
    assert afternoon.contains(at(11, 26, 12, 0))  # after is inclusive
    assert afternoon.contains(at(11, 26, 16, 30))
    assert not afternoon.contains(at(11, 26, 11, 30))
    assert not afternoon.contains(at(11, 27, 14, 0))
    between = understand("entre 10h et 12h", NOW)
    assert between.contains(at(11, 30, 10, 0)) and between.contains(at(11, 30, 11, 30))
    assert not between.contains(at(11, 30, 9, 45)) and not between.contains(at(11, 30, 12, 0))


def test_contains_days():
    week = understand("la semaine prochaine", NOW)
    assert week.contains(at(11, 30, 9)) and week.contains(at(12, 6, 18))
    assert not week.contains(at(11, 29, 23, 59)) and not week.contains(at(12, 7, 0, 0))
    # 6 December 23:30 UTC is already the 7th in Paris.
    assert not week.contains(at(12, 6, 23, 30, timezone.utc))
    with pytest.raises(ValueError):
        week.contains(datetime(2026, 12, 1, 10, 0))


@pytest.mark.parametrize(
    "english, french",
    [
        ("next tuesday", "mardi prochain"),
        ("on monday at 2pm", "lundi à 14h"),
        ("wednesday morning please", "mercredi matin"),
        ("December 14th at 10:30am", "le 14 décembre à 10h30"),
        ("the 14th", "le 14"),
        ("between 2pm and 4pm on thursday", "jeudi entre 14h et 16h"),
        ("tomorrow afternoon", "demain après-midi"),
        ("next week", "la semaine prochaine"),
        ("as soon as possible", "dès que possible"),
    ],
)
def test_english_dates_are_read_as_their_french(english, french):
    now = datetime(2026, 12, 5, 10, 0, tzinfo=PARIS)
    assert understand(english, now) == understand(french, now) is not None, english
