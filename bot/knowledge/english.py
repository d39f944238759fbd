"""English words of a question read in French too, so that an English or half-English question (international
staff) can match the French sentences of the base: « how much is the meal subsidy? » also reads « montant repas
subvention ». The vocabulary is data (data/language/english_french.yml), editable without retraining; an English
key is matched on whole words of the accent-free, lower-cased question, longest keys first."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from bot.core.text import fold

VOCABULARY = Path(__file__).resolve().parents[2] / "data" / "language" / "english_french.yml"


@lru_cache(maxsize=1)
def _vocabulary(path: Path = VOCABULARY) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    french = {fold(str(key)): " ".join(str(v) for v in values) for key, values in (entries or {}).items() if values}
    french = {key: value for key, value in french.items() if key}
    if not french:
        return None, {}
    keys = sorted(french, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(k) for k in keys) + r")\b"), french


def in_french(text: str) -> str:
    """The French words of the English words and phrases found in `text` ("" when none)."""
    pattern, french = _vocabulary()
    if pattern is None:
        return ""
    return " ".join(french[match] for match in pattern.findall(fold(text)))
