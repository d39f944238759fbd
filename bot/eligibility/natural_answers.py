"""Reading short French answers to the eligibility questions, and writing the values back.

Each question has a kind (data/eligibility/questions.yml); `parse(kind, text)`
turns the person's words into a value of that kind: « deux enfants de 3 et 7 ans »
→ [3, 7], « environ 28 000 € » or « 28k » → 28000, « 2,5 parts » → 2.5,
« contractuelle depuis 2 ans » → "contractuel" (and 24 months for the question
it also answers). Number words go through text2num (« vingt-huit mille » → 28000);
the rest are small rules. An answer no rule reads entirely is refused, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from text_to_num import alpha2digit

from bot.core.text import fold

KINDS = ("choice", "yes_no", "integer", "decimal", "money", "duration", "ages", "percent")

# Months standing for a contract « à durée indéterminée » (CDI).
OPEN_ENDED = 9999


@dataclass(frozen=True)
class Parsed:
    """A value, or `unknown` (« je ne sais pas »), or a problem (in French) when the answer cannot be used."""

    value: Any = None
    unknown: bool = False
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


# English answers as international staff write them (« two kids, 3 and 6 years old », « contract researcher, 2
# years »), read as the French the readers know; a scheme's age range (« CESU 0-6 ans ») is no child's age.
_ENGLISH = [
    (re.compile(r"\b(no kids|no children|none|nope)\b", re.I), "non"),
    (re.compile(r"\b(kids?|children|child|daughters?)\b", re.I), "enfants"),
    (re.compile(r"\b(years? old|years?|yrs?|y\.?o)\b", re.I), "ans"),
    (re.compile(r"\bmonths?\b", re.I), "mois"),
    (re.compile(r"\band\b", re.I), "et"),
    (re.compile(r"\b(i don'?t know|dunno|not sure|no idea)\b", re.I), "je ne sais pas"),
    (
        re.compile(
            r"\b(fixed[- ]term|permanent contract|on contract|contract(ual)?( researcher| staff| worker)?|"
            r"post-?doc|phd student)\b",
            re.I,
        ),
        "contractuel",
    ),
    (re.compile(r"\b(tenured|civil servant|permanent staff)\b", re.I), "titulaire"),
    (re.compile(r"\bretired\b", re.I), "retraite"),
    (re.compile(r"\b(since|for)\b", re.I), "depuis"),
    (re.compile(r"\b(single|alone|single parent)\b", re.I), "seul"),
    (re.compile(r"\b(married|couple|with my partner|with my wife|with my husband)\b", re.I), "couple"),
    (re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten)\b", re.I), None),
]
_EN_NUMBERS = dict(zip("one two three four five six seven eight nine ten".split(), range(1, 11)))
_SCHEME_AGES = re.compile(r"\b\d+\s*-\s*\d+\s*ans\b")


def _in_french(text: str) -> str:
    text = _SCHEME_AGES.sub(" ", text)
    for pattern, french in _ENGLISH:
        if french is None:
            text = pattern.sub(lambda m: str(_EN_NUMBERS[m.group(0).lower()]), text)
        else:
            text = pattern.sub(french, text)
    return text


def refused(problem: str) -> Parsed:
    return Parsed(problem=problem)


_DONT_KNOW = re.compile(
    r"\b(je ne sais pas|je sais pas|j sais pas|sais pas|ne sais plus|aucune idee|pas la moindre idee|"
    r"j en sais rien|je n en sais rien|sais rien|jsp|je ne connais pas|je connais pas|inconnu|je ne suis pas sur|"
    r"je ne suis pas sure|pas sur|pas sure|aucun idee|ne sait pas)\b"
)
_YES = re.compile(
    r"^(?:oui|ouais|ouai|yes|si$|bien sur|tout a fait|exact|exactement|absolument|affirmatif|"
    r"c est le cas|effectivement|en effet|oui oui|yep|d accord|c est ca|evidemment|bien entendu)\b"
)
_NO = re.compile(
    r"^(?:non|nan|no|pas du tout|aucun|aucune|jamais|ce n est pas le cas|pas vraiment|negatif|"
    r"absolument pas|pas encore|nope|non non)\b"
)
_NEGATION = re.compile(r"\b(?:pas|plus|non|ni)\s+(?:\w+\s+)?$")


def _digits(text: str) -> str:
    """Number words as digits (« deux enfants » → « 2 enfants »), French punctuation kept."""
    text = re.sub(r"(?<=\d)[\u00a0\u202f ](?=\d{3}\b)", "", text)  # 28 000 → 28000
    text = re.sub(r"(?<=\d)\.(?=\d{3}\b)", "", text)  # 28.000 → 28000
    text = re.sub(r"(?<=\d)\s*(?:mille|milles)\b", "k", text)  # « 28 mille »: a digit then a word
    try:
        return alpha2digit(text, "fr", threshold=0)
    except Exception:  # pragma: no cover - text2num refuses odd input; the rules below still apply
        return text


def _number(raw: str) -> float:
    return float(raw.replace(",", "."))


def parse(kind: str, text: str | None, spec: dict[str, Any] | None = None) -> Parsed:
    """Read `text` as an answer of `kind`; `spec` is the question (options, bounds) from the rule data."""
    spec = spec or {}
    text = (text or "").strip()
    if not text:
        return refused("Je n'ai pas reçu de réponse.")
    text = _in_french(text)
    folded = fold(text)
    if _DONT_KNOW.search(folded):
        # « je sais pas trop, je suis en CDI »: the answer given after the hedge counts.
        rest = _DONT_KNOW.sub(" ", folded).strip()
        hedged = _READERS[kind](rest, rest, spec) if re.search(r"\w", rest) else None
        if hedged is None or not hedged.ok or hedged.value in (None, []):
            return Parsed(unknown=True)
        return _bounded(hedged, spec, kind) if kind in _BOUNDED else hedged
    parsed = _READERS[kind](text, folded, spec)
    if not parsed.ok:
        return parsed
    return _bounded(parsed, spec, kind) if kind in _BOUNDED else parsed


# A value given before it is asked (« ai-je droit au CESU ? j'ai 2 enfants de 3 et 5 ans »): read only for these kinds,
# only from a clause that names what it is, and only when that clause reads entirely as an answer. A choice or a yes
# or no is never taken in passing: a wrong one would change the verdict.
_NAMED = {
    "ages": re.compile(r"\b(?:enfants?|fils|filles?|bebes?|jumeaux|jumelles|gamins?|gosses?|kids?|child|children)\b"),
    "money": re.compile(r"\b(?:revenus?|rfr|income)\b"),
    "decimal": re.compile(r"\bparts?\b"),
}
# Clauses: cut at sentence marks, and at a comma followed by a space (« 2,5 parts » stays whole).
_CLAUSE_END = re.compile(r"[;!?]+|[.,](?:\s|$)")


def mentioned(kind: str, text: str, spec: dict[str, Any] | None = None) -> Any:
    """A value of `kind` given in passing by one clause of `text` that names it (« j'ai 2 enfants de 3 et 5 ans »,
    « mon revenu fiscal est de 32 000 € », « 2 parts »), or None (nothing, several, or a clause not read entirely)."""
    named = _NAMED.get(kind)
    if named is None:
        return None
    found = []
    for clause in _CLAUSE_END.split(text):
        if named.search(fold(clause)):
            parsed = parse(kind, clause, spec)
            if parsed.ok and not parsed.unknown:
                found.append(parsed.value)
    return found[0] if len(found) == 1 else None


def only_names(text: str, kinds: set[str]) -> bool:
    """Whether every clause of `text` names one of these kinds (« mon revenu fiscal c'est 28 000, 2 parts »): nothing
    is left that could answer another question."""
    clauses = [clause for clause in _CLAUSE_END.split(text) if clause.strip()]
    patterns = [_NAMED[kind] for kind in kinds if kind in _NAMED]
    return bool(clauses) and all(any(p.search(fold(clause)) for p in patterns) for clause in clauses)


# What says a duration is time already spent (« depuis 2 ans », « ça fait 8 mois »), not a contract's length (« en CDD
# de 18 mois »).
_SINCE = re.compile(r"\b(?:depuis|ca fait|cela fait|il y a|voila)\s+(.*)$")


def extract(kind: str, text: str) -> Any:
    """A value of `kind` mentioned in passing (« contractuelle depuis 2 ans » → 24 months), or None."""
    if kind == "duration":
        since = _SINCE.search(fold(_digits(_in_french(text).lower())))
        return _extract_duration(since.group(1)) if since else None
    return None


def _bounded(parsed: Parsed, spec: dict[str, Any], kind: str) -> Parsed:
    low, high = spec.get("min"), spec.get("max")
    value = parsed.value
    if value == OPEN_ENDED:
        return parsed
    if (low is not None and value < low) or (high is not None and value > high):
        return refused(f"« {display(kind, value)} » me paraît hors des valeurs possibles.")
    return parsed


def _read_choice(text: str, folded: str, spec: dict[str, Any]) -> Parsed:
    """The option whose words appear in the answer; the longest wins (« fonctionnaire stagiaire »)."""
    best: tuple[int, str] | None = None
    ambiguous = False
    for value, option in (spec.get("options") or {}).items():
        for word in [value, option.get("label", ""), *option.get("words", [])]:
            word = fold(word)
            if not word:
                continue
            for match in re.finditer(rf"\b{re.escape(word)}\b", folded):
                if _NEGATION.search(folded[: match.start()]):
                    continue  # « je ne suis pas titulaire »
                if best is None or len(word) > best[0]:
                    best, ambiguous = (len(word), value), False
                elif len(word) == best[0] and value != best[1]:
                    ambiguous = True
    if best is None or ambiguous:
        return refused("Je n'ai pas reconnu votre réponse parmi les choix possibles.")
    return Parsed(best[1])


def _read_yes_no(text: str, folded: str, spec: dict[str, Any]) -> Parsed:
    yes = bool(_YES.search(folded) or re.search(r"\boui\b", folded))
    no = bool(_NO.search(folded) or re.search(r"\bnon\b", folded))
    if yes == no:
        return refused("Répondez simplement par « oui » ou par « non ».")
    return Parsed(yes)


def _read_integer(text: str, folded: str, spec: dict[str, Any]) -> Parsed:
    numbers = re.findall(r"\d+(?:[.,]\d+)?", _digits(text))
    if len(numbers) != 1:
        return refused("J'attends un seul nombre." if numbers else "Je n'ai pas trouvé de nombre dans votre réponse.")
    value = _number(numbers[0])
    if value != int(value):
        return refused("J'attends un nombre entier.")
    return Parsed(int(value))


_FRACTIONS = (
    (re.compile(r"\bet\s+(?:trois|3)\s+quarts?\b|\b3/4\b"), 0.75),
    (re.compile(r"\bet\s+(?:un\s+|1\s+)?quart\b|\b1/4\b"), 0.25),
    (re.compile(r"\bet\s+demie?\b|\b1/2\b"), 0.5),
)


def _read_decimal(text: str, folded: str, spec: dict[str, Any]) -> Parsed:
    """« 2,5 parts », « 2.5 », « deux parts et demie », « 2 parts 1/2 »."""
    digits = _digits(text.lower())
    fraction = 0.0
    for pattern, value in _FRACTIONS:
        if pattern.search(digits):
            fraction, digits = value, pattern.sub(" ", digits)
            break
    numbers = re.findall(r"\d+(?:[.,]\d+)?", digits)
    if len(numbers) != 1:
        return refused("J'attends un seul nombre." if numbers else "Je n'ai pas trouvé de nombre dans votre réponse.")
    value = _number(numbers[0]) + fraction
    step = spec.get("step")
    if step and abs(value / step - round(value / step)) > 1e-9:
        return refused(f"« {display('decimal', value)} » n'est pas un nombre possible ici.")
    return Parsed(value)


_THOUSANDS = re.compile(r"^(?:k|k€|keur|keuros|ke|mille|milles)$")
_MONTHLY = re.compile(r"\b(par mois|mensuel|mensuels|mensuelle|/mois|net par mois|brut par mois)\b")


def _read_money(text: str, folded: str, spec: dict[str, Any]) -> Parsed:
    """Euros: « environ 28 000 € », « 28k », « 28,5 k€ », « vingt-huit mille euros »."""
    if _MONTHLY.search(folded) or "/mois" in text:
        return refused("J'ai besoin du montant annuel qui figure sur votre avis d'imposition, pas d'un revenu mensuel.")
    digits = _digits(text.lower())
    amounts = []
    for match in re.finditer(r"(\d+(?:[.,]\d+)?)\s*([a-z€]+)?", digits):
        value, unit = _number(match.group(1)), (match.group(2) or "")
        if unit.startswith("part") or unit in ("ans", "an", "enfant", "enfants", "%"):
            continue
        amounts.append(value * 1000 if _THOUSANDS.match(unit) else value)
    if len(amounts) != 1:
        return refused("J'attends un seul montant." if amounts else "Je n'ai pas trouvé de montant dans votre réponse.")
    return Parsed(round(amounts[0]))


_UNITS = {"an": 12, "ans": 12, "annee": 12, "annees": 12, "mois": 1, "semaine": 0.25, "semaines": 0.25}


def _extract_duration(digits_folded: str) -> int | None:
    """Months in « 2 ans », « 18 mois », « 1 an et 3 mois », « 2 ans et demi »; None when there is none."""
    months = 0.0
    found = False
    for match in re.finditer(
        r"(\d+(?:[.,]\d+)?)\s*(ans|an|annees|annee|mois|semaines|semaine)\b(\s+et\s+demie?)?", digits_folded
    ):
        found = True
        unit = _UNITS[match.group(2)]
        months += _number(match.group(1)) * unit + (unit / 2 if match.group(3) else 0)
    if not found:
        alone = re.search(r"\b(?:un|1)\s+an\s+et\s+demi\b", digits_folded)
        return 18 if alone else None
    return round(months)


def _read_duration(text: str, folded: str, spec: dict[str, Any]) -> Parsed:
    for word in spec.get("open_ended") or []:
        if re.search(rf"\b{re.escape(fold(word))}\b", folded):
            return Parsed(OPEN_ENDED)
    months = _extract_duration(fold(_digits(text.lower())))
    if months is None:
        return refused("Indiquez une durée en mois ou en années.")
    return Parsed(months)


_NO_CHILD = re.compile(
    r"^(?:non|nan|aucun|aucune|pas d enfants?|0|zero|je n ai pas d enfants?|"
    r"je n en ai pas|pas encore|sans enfants?)\b"
)
_COUNT = re.compile(r"\b(\d+)\s+(?:enfants?|fils|filles?|garcons?|ados?|adolescents?|petits?|bebes?|gamins?|gosses?)\b")
_TWINS = re.compile(r"\b(?:jumeaux|jumelles)\b")
# « 3 et 7 ans », « 2 5 et 9 ans » (commas folded away), « 18 mois et 4 ans »: numbers up to a unit.
_AGE_LIST = re.compile(r"(?:\d+\s+(?:(?:ans?|mois)\s+)?(?:et\s+)?)*\d+\s+(?:ans?|mois)\b")
_AGE = re.compile(r"(\d+)(?:\s+(ans?|mois)\b)?")


def _read_ages(text: str, folded: str, spec: dict[str, Any]) -> Parsed:
    """Children's ages in years: « deux enfants de 3 et 7 ans » → [3, 7]; « non » → []; a baby → 0."""
    if _NO_CHILD.search(folded):
        return Parsed([])
    words = fold(_digits(text.lower()))
    ages: list[int] = []
    for span in _AGE_LIST.finditer(words):
        found = _AGE.findall(span.group(0))
        final_unit = found[-1][1]
        for number, unit in found:
            ages.append(int(number) // 12 if (unit or final_unit) == "mois" else int(number))
    twins = bool(_TWINS.search(words))
    if twins and len(ages) == 1:
        ages *= 2
    count = sum(int(n) for n in _COUNT.findall(words)) or (2 if twins else 0)
    if not ages and re.fullmatch(r"(?:\d{1,2}\s*(?:et\s+)?)+", words.strip()):
        ages = [int(n) for n in re.findall(r"\d+", words)]  # « 3 et 6 »: the ages asked, without « ans »
    if not ages:
        if count or _YES.search(folded):
            return refused("Indiquez aussi l'âge de chaque enfant.")
        return refused("Je n'ai pas trouvé l'âge de vos enfants dans votre réponse.")
    if count and count != len(ages):
        children = f"{count} enfant{'s' if count > 1 else ''}"
        read = f"{len(ages)} âge{'s' if len(ages) > 1 else ''}"
        return refused(f"Vous parlez de {children} mais je lis {read}.")
    return Parsed(sorted(ages))


_FULL_TIME = re.compile(r"\b(temps plein|plein temps|100 ?%|a 100|complet)\b")
_HALF_TIME = re.compile(r"\b(mi temps|mi-temps)\b")


def _read_percent(text: str, folded: str, spec: dict[str, Any]) -> Parsed:
    """Working time: « à temps partiel 80 % », « 80% », « temps plein », « mi-temps »."""
    digits = _digits(text.lower())
    match = re.findall(r"(\d+(?:[.,]\d+)?)\s*(?:%|pour\s*(?:cent|100)|pourcent)", digits)
    if len(match) == 1:
        return Parsed(_number(match[0]))
    if _HALF_TIME.search(folded):
        return Parsed(50.0)
    if _FULL_TIME.search(folded) and "partiel" not in folded:
        return Parsed(100.0)
    bare = re.findall(r"\d+(?:[.,]\d+)?", digits)
    if len(bare) == 1:
        return Parsed(_number(bare[0]))
    return refused("Indiquez votre quotité en pourcentage, par exemple « 80 % » ou « temps plein ».")


_READERS = {
    "choice": _read_choice,
    "yes_no": _read_yes_no,
    "integer": _read_integer,
    "decimal": _read_decimal,
    "money": _read_money,
    "duration": _read_duration,
    "ages": _read_ages,
    "percent": _read_percent,
}
_BOUNDED = ("integer", "decimal", "money", "duration", "percent")


def _thousands(value: float) -> str:
    whole = f"{round(value):,}".replace(",", " ")
    return whole


def display(kind: str, value: Any, spec: dict[str, Any] | None = None) -> str:
    """A value as a French sentence shows it: 28000 € → « 28 000 € », 2.5 → « 2,5 », [3, 7] → « 3 et 7 ans »."""
    if kind == "money":
        return f"{_thousands(value)} €"
    if kind == "decimal":
        unit = (spec or {}).get("unit")  # « 1 part », « 2,5 parts »
        number = f"{value:g}".replace(".", ",")
        return f"{number} {unit}{'s' if value >= 2 else ''}" if unit else number
    if kind == "percent":
        return f"{value:g} %".replace(".", ",")
    if kind == "yes_no":
        return "oui" if value else "non"
    if kind == "choice":
        option = ((spec or {}).get("options") or {}).get(value) or {}
        label = option.get("label", str(value))
        return label[:1].lower() + label[1:]
    if kind == "duration":
        return _months(value)
    if kind == "ages":
        if not value:
            return "aucun enfant"
        if value == [0]:
            return "moins d'un an"
        parts = [str(age) for age in value]
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]
        return f"{listed} an" if value == [1] or value == [0] else f"{listed} ans"
    return str(value)


def _months(months: int) -> str:
    if months == OPEN_ENDED:
        return "durée indéterminée"
    years, rest = divmod(int(months), 12)
    parts = []
    if years:
        parts.append(f"{years} an" + ("s" if years > 1 else ""))
    if rest or not years:
        parts.append(f"{rest} mois")
    return " et ".join(parts)
