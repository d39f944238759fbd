"""The shared base of the HR files' schemas: unknown keys refused, texts stripped, errors in French."""

from __future__ import annotations

from pydantic import Field, field_validator

from bot.core.schema import (
    MEDIAN_DOT_PROBLEM,
    Boolean,
    Integer,
    Number,
    Schema,
    SourceDate,
    Text,
    has_median_dot,
    validate,
)


class Entry(Schema):
    name: Text
    count: Integer = 1
    share: Number | None = None
    open: Boolean = True
    tags: list[str] = Field(default_factory=list)
    source_date: SourceDate = "2025"

    @field_validator("tags")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = [tag for tag in value if tag != "ok"]
        if unknown:
            raise ValueError("\n".join(f"étiquette « {tag} » inconnue" for tag in unknown))
        return value


def test_a_valid_entry_is_stripped():
    entry, problems = validate(Entry, {"name": "  Congés  ", "source_date": 2024}, "f.yml, n° 1")
    assert problems == [] and entry.name == "Congés" and entry.source_date == "2024"


def test_every_problem_names_its_place_and_field_in_french():
    raw = {
        "name": " ",
        "count": "3",
        "share": "un quart",
        "open": "oui",
        "colour": "bleu",
        "tags": ["ok", "a", "b"],
        "source_date": "hier",
    }
    entry, problems = validate(Entry, raw, "f.yml, n° 1")
    assert entry is None
    assert problems == [
        "f.yml, n° 1 : champ « name » manquant",
        "f.yml, n° 1 : « count » doit être un nombre entier",
        "f.yml, n° 1 : « share » doit être un nombre",
        "f.yml, n° 1 : « open » doit valoir true ou false",
        "f.yml, n° 1 : étiquette « a » inconnue",
        "f.yml, n° 1 : étiquette « b » inconnue",
        "f.yml, n° 1 : source_date « hier » attendue sous la forme AAAA ou AAAA-MM-JJ",
        "f.yml, n° 1 : champ « colour » inconnu",
    ]


def test_a_missing_field_and_the_separator():
    assert validate(Entry, {}, "article 2", colon=": ")[1] == ["article 2: champ « name » manquant"]
    assert validate(Entry, "texte", "article 2")[1] == ["article 2 : doit être un dictionnaire"]


def test_the_point_median_is_refused_anywhere_when_asked():
    raw = {"name": "Congés", "tags": ["ok"], "note·s": None}
    assert has_median_dot(raw) and not has_median_dot({"name": "agents et agentes", "n": 3})
    entry, problems = validate(Entry, {"name": "les agent·es"}, "n° 1", median_dot=True)
    assert entry is None and problems == [f"n° 1 : {MEDIAN_DOT_PROBLEM}"]
    assert validate(Entry, {"name": "les agent·es"}, "n° 1")[1] == []
