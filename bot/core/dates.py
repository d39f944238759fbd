"""French dates and times of day, for booking appointments: « jeudi après-midi » -> When.

dateparser reads absolute dates well (« le 3 décembre », « 3/12 », « mar. 9 déc. »,
ISO) and works out their year, but it is not enough on its own: it returns None
for « mardi prochain », « ce jeudi », « début janvier », « fin du mois »,
« vendredi matin » or « mar. 9 déc. 10 h 45 »; it reads « le 3 » as a past date,
« lundi 14h » as the 14th, « 10 h 45 » as 20:00, « le 32 décembre » as
25 December 2032, « décembre » as a single day and « apres demain » as tomorrow;
and it has no notion of a period of the day (« le matin », « avant 10h »). So the
text is split into a time-of-day part, read by our regexes, and a day part, read
by our rules first and by dateparser only when it has the shape of an absolute
date. Nothing is guessed: a word that no rule explains makes understand() return None.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import dateparser
import holidays

from bot.core.text import fold

PARIS = ZoneInfo("Europe/Paris")
MORNING_END = time(12)  # « le matin » is before, « l'après-midi » from then on
EVENING_START = time(17)  # « le soir »

WEEKDAYS = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()
MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
SHORT_WEEKDAYS = "lun. mar. mer. jeu. ven. sam. dim.".split()
SHORT_MONTHS = "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.".split()
_NUMBERS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "dix": 10,
    "quinze": 15,
}
_RELATIVE_DAYS = {
    "aujourd hui": 0,
    "aujourdhui": 0,
    "ce jour": 0,
    "demain": 1,
    "apres demain": 2,
    "hier": -1,
    "avant hier": -2,
}

_WD = "|".join(WEEKDAYS)
_MONTH = "|".join(fold(m) for m in MONTHS)
_CLOCK = r"\d{1,2} ?(?:h|heures?)(?: ?\d{2})?|\d{1,2}:\d{2}(?::00)?|midi"
_T = rf"(?<![\w:/-])({_CLOCK})(?![\w:/-])"

# Periods of the day; « ce matin », « cet après-midi », « ce soir » also mean today.
_PERIOD = re.compile(
    r"\b(?:(ce|cet|le|la|l|en|dans la|dans l|du|de la|de l|d|au) )?"
    r"(matin(?:ee)?|apres midi|aprem|soir(?:ee)?)\b"
)
_PERIODS = {"mati": [("before", MORNING_END)], "apre": [("after", MORNING_END)], "soir": [("after", EVENING_START)]}
# How describe() names them, after a single day and after anything else.
_WINDOWS = {
    (None, MORNING_END): ("au matin", "le matin"),
    (MORNING_END, None): ("après-midi", "l'après-midi"),
    (EVENING_START, None): ("au soir", "le soir"),
}
# (pattern, what each of its clock groups sets), tried in this order.
_TIME_RULES = [
    (re.compile(rf"\b(?:entre|de) {_T} (?:et|a) {_T}"), ("after", "before")),
    (re.compile(rf"\b(?:avant|au plus tard a) {_T}"), ("before",)),
    (re.compile(rf"\b(?:apres|a partir de|des) {_T}"), ("after",)),
    (re.compile(rf"(?:\b(?:a|vers|pour|le) )?{_T}"), ("at",)),
]
_ANYTIME = re.compile(
    r"\b(?:le plus tot possible|des que possible|au plus vite|au plus tot|"
    r"n importe quand|n importe quel jour|"
    r"peu importe(?: le jour| la date| le moment| quand| le creneau)?|"
    r"quand vous voulez|quand vous pouvez|pas de preference|le premier disponible|asap)\b"
)
_FILLERS = re.compile(
    r"\b(?:plutot|si possible|svp|stp|s il vous plait|de preference|"
    r"idealement|disons|merci)\b"
)

# « la semaine pro », « mardi proch », « le mois prochaine »: written as staff type
_NEXT = re.compile(r"\b(\w+) (?:pro|proch|prochain|prochaine)\b")
_WEEKDAY = re.compile(rf"(ce )?({_WD})( prochain)?")
_DAY_OF_MONTH = re.compile(rf"(?:le )?(?:({_WD}) |le )(1er|\d{{1,2}})")
_WEEK = re.compile(
    r"(cette semaine)|(?:la )?(semaine prochaine)|dans (\w+) (semaines?|jours?)"
    r"|(?:la )?semaine du (?:le )?(.+)"
)
_WEEK_PART = re.compile(r"(?:en |au )?(debut|milieu|fin) (?:de |d )?(?:la |cette )?semaine( prochaine)?")
_EITHER = re.compile(r"(.+?) (?:ou|et|ou bien) (?:le )?(.+)")
_MONTH_PART = re.compile(
    rf"(?:(?:en |a la )?(debut|mi|fin|courant) (?:de |d |du )?|en |au mois de |au mois d )?"
    rf"(?:({_MONTH})(?: (\d{{4}}))?|(?:le |du |ce )?mois( prochain| ci)?)"
)
_ABSOLUTE = re.compile(
    rf"(?:le )?(?:({_WD}|lun|mar|mer|jeu|ven|sam|dim) )?(?:le )?"
    rf"((?:1er|\d{{1,2}}) (?:{_MONTH}|janv|fevr?|avr|juil|sept|oct|nov|dec)"
    rf"(?: \d{{4}})?|\d{{1,2}}/\d{{1,2}}(?:/\d{{2}}|/\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})"
)
_KEEP = re.compile(r"(\d+(?:[/:-]\d+)+)")  # "3/12", "14:30", "2026-12-09": not to be folded

# English as international staff write it (« next tuesday », "monday at 2pm", "December 14th", "asap"), read as the
# French the rules know, on folded text; its fillers (on, at, please) are dropped.
_EN_WEEKDAYS = dict(zip("monday tuesday wednesday thursday friday saturday sunday".split(), WEEKDAYS))
_EN_MONTHS = dict(
    zip(
        "january february march april may june july august september october november december".split(),
        (fold(m) for m in MONTHS),
    )
)
_EN_CLOCK = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))? ?(am|pm)\b")
_EN_MONTH_DAY = re.compile(rf"\b({'|'.join(_EN_MONTHS)}) (\d{{1,2}})(?:st|nd|rd|th)?\b")
_EN_ORDINAL = re.compile(r"\b(?:the )?(\d{1,2})(?:st|nd|rd|th)\b(?: of)?")
_EN_WORDS = [
    (
        re.compile(r"\b(?:as soon as possible|whenever|any ?time|no preference|the earliest|earliest possible)\b"),
        "des que possible",
    ),
    (re.compile(r"\bday after tomorrow\b"), "apres demain"),
    (re.compile(r"\btomorrow\b"), "demain"),
    (re.compile(r"\btoday\b"), "aujourd hui"),
    (re.compile(r"\bthis week\b"), "cette semaine"),
    (re.compile(r"\bnext week\b"), "semaine prochaine"),
    (re.compile(rf"\bnext ({'|'.join(_EN_WEEKDAYS)})\b"), lambda m: f"{_EN_WEEKDAYS[m[1]]} prochain"),
    (re.compile(rf"\bthis ({'|'.join(_EN_WEEKDAYS)})\b"), lambda m: f"ce {_EN_WEEKDAYS[m[1]]}"),
    (re.compile(rf"\b({'|'.join(_EN_WEEKDAYS)})\b"), lambda m: _EN_WEEKDAYS[m[1]]),
    (re.compile(r"\b(?:in the )?morning\b"), "matin"),
    (re.compile(r"\b(?:in the )?afternoon\b"), "apres midi"),
    (re.compile(r"\b(?:in the )?evening\b"), "soir"),
    (re.compile(r"\bnoon\b"), "midi"),
    (re.compile(r"\bbetween\b"), "entre"),
    (re.compile(r"\band\b"), "et"),
    (re.compile(r"\bbefore\b"), "avant"),
    (re.compile(r"\b(?:after|from)\b"), "apres"),
    (re.compile(r"\b(?:works|is fine|is ok|is good|suits|sounds good)(?: for)? me\b"), " "),
    (re.compile(r"\b(?:on|at|for|please|pls|plz|preferably|ideally|maybe|would be|works|is fine|if possible)\b"), " "),
]


def _english(text: str) -> str:
    """Folded English date words as their French (« next tuesday 2pm » -> « mardi prochain 14h »)."""
    text = _EN_CLOCK.sub(lambda m: f"{int(m[1]) % 12 + (12 if m[3] == 'pm' else 0)}h{m[2] or ''}", text)
    text = _EN_MONTH_DAY.sub(lambda m: f"{m[2]} {_EN_MONTHS[m[1]]}", text)
    text = re.sub(rf"\b({'|'.join(_EN_MONTHS)})\b", lambda m: _EN_MONTHS[m[1]], text)
    text = _EN_ORDINAL.sub(r"le \1", text)
    for pattern, french in _EN_WORDS:
        text = pattern.sub(french, text)
    return " ".join(text.split())


@dataclass(frozen=True)
class When:
    """Days (first_day..last_day inclusive, last_day None = open-ended) and a time of day."""

    first_day: date
    last_day: date | None
    at: time | None = None  # a precise time: the slot must start then
    after: time | None = None  # earliest start, inclusive
    before: time | None = None  # latest start, exclusive

    def closed(self) -> str | None:
        """Why a single day is closed: a public holiday's name or « week-end »; else None."""
        if self.first_day != self.last_day:
            return None
        return holiday(self.first_day) or ("week-end" if self.first_day.weekday() >= 5 else None)

    def describe(self, today: date | None = None) -> str:
        """A French label: « demain, jeudi 26 novembre après-midi », « dès que possible »."""
        today = today or datetime.now(PARIS).date()
        single = self.first_day == self.last_day
        if self.last_day is None:
            days = "dès que possible" if self.first_day <= today else f"à partir du {day_label(self.first_day, today)}"
        elif single:
            days = day_label(self.first_day, today, relative=True)
        else:
            days = _range_label(self.first_day, self.last_day)
        window = _WINDOWS.get((self.after, self.before))
        if self.at:
            hours = f"à {_clock_label(self.at)}"
        elif window:
            hours = window[0] if single else window[1]
        elif self.after and self.before:
            hours = f"entre {_clock_label(self.after)} et {_clock_label(self.before)}"
        elif self.before or self.after:
            hours = f"avant {_clock_label(self.before)}" if self.before else f"après {_clock_label(self.after)}"
        else:
            return days
        return f"{days} {hours}" if single else f"{days}, {hours}"

    def encode(self) -> str:
        """« 2026-12-01|2026-12-01|14:30|| »: first, last, at, after, before."""
        fields = [self.first_day, self.last_day, self.at, self.after, self.before]
        return "|".join(
            "" if f is None else f.isoformat() if isinstance(f, date) else f.strftime("%H:%M") for f in fields
        )

    @classmethod
    def decode(cls, text: str) -> When:
        first, last, *clocks = text.split("|")
        if len(clocks) != 3:
            raise ValueError(f"not an encoded When: {text!r}")
        return cls(
            date.fromisoformat(first),
            date.fromisoformat(last) if last else None,
            *(time.fromisoformat(c) if c else None for c in clocks),
        )

    def contains(self, start: datetime) -> bool:
        """Whether a slot starting at this aware datetime fits these days and time of day."""
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        local = start.astimezone(PARIS)
        day, clock = local.date(), local.time().replace(tzinfo=None)
        if day < self.first_day or (self.last_day is not None and day > self.last_day):
            return False
        if self.at is not None:
            return clock == self.at
        return (self.after is None or clock >= self.after) and (self.before is None or clock < self.before)


def understand(text: str, now: datetime) -> When | None:
    """What day(s) and time of day a French message asks for, seen from now; None if unclear."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    today = now.astimezone(PARIS).date()
    parts = _KEEP.split(text)
    rest = " ".join(part if i % 2 else fold(part) for i, part in enumerate(parts))
    rest, found = _split_time(_english(" ".join(rest.split())))
    rest, anytime = _ANYTIME.subn(" ", rest)
    rest = " ".join(_FILLERS.sub(" ", rest).split())
    rest = _NEXT.sub(lambda m: f"{m[1]} prochaine" if m[1] == "semaine" else f"{m[1]} prochain", rest)
    hours = _hours(found)
    if hours is None:
        return None
    if not rest:
        return When(today, None, *hours) if found or anytime else None
    days = _days(rest, today)
    return When(*days, *hours) if days else None


def holiday(day: date) -> str | None:
    """The French name of the public holiday (metropolitan France) on that day, or None."""
    return _holidays(day.year).get(day)


def short_label(start: datetime) -> str:
    """« mar. 9 déc. 10 h 45 »."""
    local = start.astimezone(PARIS)
    return (
        f"{SHORT_WEEKDAYS[local.weekday()]} {_nth(local.day)} "
        f"{SHORT_MONTHS[local.month - 1]} {_clock_label(local.time())}"
    )


def long_label(start: datetime) -> str:
    """« mardi 9 décembre 2026 à 10 h 45 »."""
    local = start.astimezone(PARIS)
    return f"{day_label(local.date())} {local.year} à {_clock_label(local.time())}"


@lru_cache(maxsize=16)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.France(years=year, language="fr")


def _split_time(text: str) -> tuple[str, list[tuple[str, time | None]]]:
    """The text without its time-of-day phrases, and what they set (time None: invalid)."""
    found: list[tuple[str, time | None]] = []

    def period(match: re.Match) -> str:
        found.extend(_PERIODS[match[2][:4]])
        return " aujourd hui " if match[1] in ("ce", "cet") else " "

    text = _PERIOD.sub(period, text)
    for pattern, kinds in _TIME_RULES:
        for match in pattern.finditer(text):
            found.extend(zip(kinds, map(_clock, match.groups())))
        text = pattern.sub(" ", text)
    return " ".join(text.split()), found


def _clock(text: str) -> time | None:
    if text == "midi":
        return MORNING_END
    hour, minute = (list(map(int, re.findall(r"\d+", text))) + [0])[:2]
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _hours(found: list[tuple[str, time | None]]) -> tuple[time | None, time | None, time | None] | None:
    """(at, after, before) from the phrases found, or None if invalid or contradictory."""
    if any(t is None for _, t in found):
        return None
    ats = {t for kind, t in found if kind == "at"}
    after = max((t for kind, t in found if kind == "after"), default=None)
    before = min((t for kind, t in found if kind == "before"), default=None)
    if len(ats) > 1 or (after and before and after >= before):
        return None
    if not ats:
        return None, after, before
    at = ats.pop()
    if after and after >= MORNING_END and at < MORNING_END:  # « 3h de l'après-midi »
        at = at.replace(hour=at.hour + 12)
    if (after and at < after) or (before and at >= before):
        return None
    return at, None, None


def _days(text: str, today: date) -> tuple[date, date | None] | None:
    """The first and last day a day phrase means, or None if no rule reads all of it."""
    if text in _RELATIVE_DAYS:
        day = today + timedelta(_RELATIVE_DAYS[text])
        return day, day
    monday = today - timedelta(today.weekday())
    if (m := _WEEKDAY.fullmatch(text)) and not (m[1] and m[3]):
        weekday = WEEKDAYS.index(m[2])
        if m[3]:  # « mardi prochain »: in next calendar week
            day = monday + timedelta(7 + weekday)
        elif m[1]:  # « ce mardi »: this week's, unless past
            day = monday + timedelta(weekday + (7 if weekday < today.weekday() else 0))
        else:  # « mardi »: the next one, strictly after today
            day = today + timedelta((weekday - today.weekday() - 1) % 7 + 1)
        return day, day
    if (m := _DAY_OF_MONTH.fullmatch(text)) and m[2] not in ("0", "00"):
        return _day_of_month(1 if m[2] == "1er" else int(m[2]), m[1], today)
    if m := _WEEK.fullmatch(text):
        return _week(m, today, monday)
    if m := _WEEK_PART.fullmatch(text):  # « en début de semaine prochaine »: Mon-Wed, Tue-Thu or Thu-Fri
        start = monday + timedelta(7 if m[2] else 0)
        first, last = {"debut": (0, 2), "milieu": (1, 3), "fin": (3, 4)}[m[1]]
        return _clip(start + timedelta(first), start + timedelta(last), today)
    if m := _EITHER.fullmatch(text):  # « mardi ou mercredi »: from the first to the last
        first, second = _days(m[1], today), _days(m[2], today)
        if first and second and first[1] is not None and second[1] is not None:
            return min(first[0], second[0]), max(first[1], second[1])
        return None
    if m := _MONTH_PART.fullmatch(text):
        return _month_part(m, today)
    if m := _ABSOLUTE.fullmatch(text):
        # Yesterday as the base: dateparser counts the base day itself as past.
        settings = {
            "RELATIVE_BASE": datetime.combine(today - timedelta(1), time()),
            "PREFER_DATES_FROM": "future",
            "REQUIRE_PARTS": ["day", "month"],
        }
        parsed = dateparser.parse(m[2], languages=["fr"], settings=settings)
        if parsed and (not m[1] or [w[:3] for w in WEEKDAYS].index(m[1][:3]) == parsed.weekday()):
            return parsed.date(), parsed.date()
    return None


def _day_of_month(number: int, weekday: str | None, today: date) -> tuple[date, date] | None:
    """« le 3 », « jeudi 3 »: the next such day of a month, today included."""
    year, month = today.year, today.month
    for _ in range(13):
        if number <= calendar.monthrange(year, month)[1] and date(year, month, number) >= today:
            day = date(year, month, number)
            return (day, day) if not weekday or WEEKDAYS.index(weekday) == day.weekday() else None
        year, month = _next_month(year, month)
    return None


def _week(m: re.Match, today: date, monday: date) -> tuple[date, date] | None:
    if m[1]:  # « cette semaine »
        return today, monday + timedelta(6)
    if m[2]:  # « la semaine prochaine »
        return monday + timedelta(7), monday + timedelta(13)
    if m[5]:  # « la semaine du 30 novembre »
        first, last = _days("le " + m[5], today) or (None, None)
        day = first if first == last else None
    else:  # « dans 3 jours », « dans deux semaines »; « dans 8/15 jours » means in one/two weeks
        count = int(m[3]) if m[3].isdigit() else _NUMBERS.get(m[3])
        if count is None or count > 400:
            return None
        if m[4].startswith("jour") and count not in (8, 15):
            return today + timedelta(count), today + timedelta(count)
        day = today + timedelta(count * 7 if m[4].startswith("semaine") else count - 1)
    if day is None:
        return None
    start = day - timedelta(day.weekday())
    return _clip(start, start + timedelta(6), today)


def _month_part(m: re.Match, today: date) -> tuple[date, date]:
    """« début janvier », « fin du mois », « le mois prochain », « en mars 2027 »."""
    part, name, year, which = m.groups()
    year = int(year) if year else today.year
    month = _MONTH.split("|").index(name) + 1 if name else today.month
    if which == " prochain":
        year, month = _next_month(year, month)
    first, last = {"debut": (1, 10), "mi": (11, 20), "fin": (21, 31)}.get(part, (1, 31))
    end = date(year, month, min(last, calendar.monthrange(year, month)[1]))
    if end < today and not (m[3] or which):  # a past period means the next one (unless explicit)
        year, month = (year + 1, month) if name else _next_month(year, month)
        end = date(year, month, min(last, calendar.monthrange(year, month)[1]))
    return _clip(date(year, month, first), end, today)


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year, month + 1) if month < 12 else (year + 1, 1)


def _clip(first: date, last: date, today: date) -> tuple[date, date]:
    """A range that has begun starts today."""
    return (today if first < today <= last else first), last


def _nth(day: int) -> str:
    return "1er" if day == 1 else str(day)


def _clock_label(clock: time) -> str:
    return f"{clock.hour} h {clock.minute:02d}" if clock.minute else f"{clock.hour} h"


def day_label(day: date, today: date | None = None, relative: bool = False) -> str:
    """« mardi 1er décembre »; with today, its year when far away and, if relative, « demain, ... »."""
    label = f"{WEEKDAYS[day.weekday()]} {_nth(day.day)} {MONTHS[day.month - 1]}"
    if today is None:
        return label
    label += f" {day.year}" if abs((day - today).days) > 300 else ""
    word = {-1: "hier", 0: "aujourd'hui", 1: "demain", 2: "après-demain"}.get((day - today).days)
    return f"{word}, {label}" if relative and word else label


def _range_label(first: date, last: date) -> str:
    if first.weekday() == 0 and last - first == timedelta(6):
        return f"la semaine du {_nth(first.day)} {MONTHS[first.month - 1]}"
    month = MONTHS[last.month - 1]
    if (first.year, first.month) != (last.year, last.month):
        return f"du {_nth(first.day)} {MONTHS[first.month - 1]} au {_nth(last.day)} {month}"
    span = f"du {_nth(first.day)} au {_nth(last.day)} {month}"
    month_end = calendar.monthrange(last.year, last.month)[1]
    named = {
        (1, month_end): f"en {month}",
        (1, 10): f"début {month} ({span})",
        (11, 20): f"mi-{month} ({span})",
        (21, month_end): f"fin {month} ({span})",
    }
    return named.get((first.day, last.day), span)
