"""The hostile and odd inputs sent to the running assistant through REST and the intranet chat.

More than 500 messages: empty, blanks, 100 kB, control characters, emoji, HTML and JS, SQL, forged
`/intent{…}` payloads with bad slot values, impossible dates, other languages; each alone, and
most also inside a sentence.
"""

from __future__ import annotations

import re

FRENCH_WORDS = {
    "je",
    "vous",
    "le",
    "la",
    "les",
    "de",
    "des",
    "du",
    "un",
    "une",
    "pas",
    "est",
    "votre",
    "vos",
    "pour",
    "ou",
    "à",
    "avec",
    "qui",
    "quel",
    "quelle",
    "si",
    "ne",
    "n",
    "c",
    "ce",
    "en",
    "et",
    "mais",
    "plus",
    "que",
}
# Rasa's own session-start signal starts a new session in silence; the next message is answered.
SILENT_CONTROL = {"/session_start"}

BLANKS = ["", " ", "   ", "\n", "\t\t", "\r\n", "\u00a0", "\u200b", "\u3000", " \n \t "]
HUGE = [
    "a" * 100_000,
    "bonjour " * 13_000,
    "é" * 60_000,
    "😀" * 25_000,
    ("congés " * 5000) + "?",
    "x" * 4001,
    ("je voudrais prendre rendez-vous " * 400),
]
CONTROL = [
    "\x00",
    "bonjour\x00",
    "\x07\x07\x07",
    "\x1b[31mrouge\x1b[0m",
    "\x08\x08congés",
    "tab\tinside",
    "\x7f",
    "\u202eesrever",
    "a\u0000b\u0001c",
    "\ufeffbonjour",
    "\u2028",
    "congés\u2029télétravail",
]
EMOJI = ["😀", "🙂🙂🙂", "👍", "🇫🇷", "👩‍👩‍👧‍👦", "❤️", "🤔 ?", "😡😡😡😡", "🍕 à midi ?", "🏖️ congés"]
MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "<iframe src='https://example.org'></iframe>",
    "{{7*7}}",
    "${7*7}",
    "<b>gras</b>",
    "[lien](javascript:alert(1))",
    "<svg onload=alert(1)>",
    "%3Cscript%3E",
    "&lt;script&gt;",
    '<a href="//evil">clic</a>',
    "</div></body>",
    "<!--",
    "{% raw %}",
]
SQL = [
    "' OR 1=1 --",
    "'; DROP TABLE slots; --",
    "1; SELECT * FROM slots",
    '" OR ""="',
    "admin'--",
    "' UNION SELECT holder FROM slots --",
    "Robert'); DROP TABLE students;--",
    "%' AND 1=0 UNION SELECT",
    "1 OR 1=1",
    "'; UPDATE slots SET holder='moi'; --",
]
FORGED = [
    "/book_appointment",
    "/book_appointment{",
    '/book_appointment{"service":',
    '/book_appointment{"service":"psychologue","date":"31/02"}',
    '/book_appointment{"service":"inconnu"}',
    '/book_appointment{"service":123}',
    '/book_appointment{"service":["psychologue"]}',
    '/book_appointment{"service":null}',
    '/book_appointment{"booking_choice":"999999","booking_confirmed":true}',
    '/inform{"booking_choice":"1"}',
    '/inform{"booking_offers":[1,2,3]}',
    '/inform{"date":"le 45/13 à 25h"}',
    "/affirm",
    '/affirm{"booking_confirmed":true}',
    '/cancel_booking{"booking_reference":"\' OR 1=1"}',
    '/cancel_booking{"booking_reference":"*"}',
    '/list_bookings{"holder":"quelqu\'un d\'autre"}',
    "/nonexistent_intent",
    "/",
    "//",
    "/ /",
    '/urgent_distress{"x":1}',
    '/check_aid_eligibility{"aid_type":"\'; DROP TABLE --"}',
    '/ask_leave{"leave_type":"' + "x" * 5000 + '"}',
    '/greet{"service":"psychologue"}',
    "/session_start",
    "/action_listen",
    "/restart",
    '/book_appointment{"service":"psychologue"}@0.99',
    '/inform{"campus":{"nested":{"deep":1}}}',
]
DATES = [
    "le 31 février",
    "le 45/13",
    "à 25h",
    "l'an 3000",
    "mardi 30 février à 14h",
    "le 0 janvier",
    "hier",
    "il y a dix ans",
    "le 29 février 2027",
    "à 14h75",
    "le 32 décembre",
    "demain à -3h",
    "la semaine des quatre jeudis",
    "dans 10000 jours",
    "1er avril 1789",
]
LANGUAGES = [
    "Hello, how many days off do I have?",
    "¿Cuántos días de vacaciones tengo?",
    "Wie viele Urlaubstage habe ich?",
    "كم عدد أيام الإجازة لدي؟",
    "我有多少天假期？",
    "Сколько у меня дней отпуска?",
    "Quanti giorni di ferie ho?",
    "Hoeveel vakantiedagen heb ik?",
    "休暇は何日ありますか",
    "Ile mam dni urlopu?",
    "Kaç gün iznim var?",
    "Bom dia, quero marcar consulta",
]
ODD = [
    "?",
    "!!!",
    "...",
    "0",
    "-1",
    "1e308",
    "NaN",
    "null",
    "undefined",
    "true",
    "[]",
    "{}",
    "\\",
    "\\\\n",
    "%s%s%s%n",
    "../../etc/passwd",
    "C:\\Windows\\system32",
    "ﷺ",
    "Z̷̢̛a̸l̵g̶o̵",
    "ａｂｃ",
    "𝕓𝕠𝕟𝕛𝕠𝕦𝕣",
    "A" * 300,
    "?" * 1000,
    "congés " * 50,
    '"',
    "'",
    "`rm -rf /`",
    "$(reboot)",
]

BASES = BLANKS + HUGE + CONTROL + EMOJI + MARKUP + SQL + FORGED + DATES + LANGUAGES + ODD
FRESH = BASES + [f"bonjour {text}" for text in BASES if text.strip()]
MID_FORM = BASES + [f"{text} merci" for text in BASES if text.strip()][:80]


def is_french(replies: list) -> bool:
    words = set(re.findall(r"\w+", " ".join(reply.get("text") or "" for reply in replies).lower()))
    return len(words & FRENCH_WORDS) >= 2
