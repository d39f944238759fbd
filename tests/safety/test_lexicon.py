"""The distress lexicon's schema: the shipped lexicon validates; a pattern that would fail in Rasa or never
match is refused in French, before Rasa starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.safety.lexicon import DEFAULT_LEXICON, LexiconError, check_lexicon


def test_the_shipped_lexicon_validates():
    lexicon = check_lexicon(DEFAULT_LEXICON)
    assert len(lexicon.patterns) > 100 and lexicon.glued and lexicon.shorthand["jveux"] == "je veux"


def test_a_bad_lexicon_is_refused_naming_each_problem(tmp_path: Path):
    path = tmp_path / "distress_lexicon.yml"
    path.write_text(
        "patterns: ['envie de (mourir', 'me suicider']\nglued: ['suicidé']\nshorthand: {Jveux: je veux}\nmotifs: []\n",
        encoding="utf-8",
    )
    with pytest.raises(LexiconError) as refused:
        check_lexicon(path)
    assert str(refused.value).splitlines() == [
        "distress_lexicon.yml : motif « envie de (mourir » : expression régulière invalide, position 9",
        "distress_lexicon.yml : motif « suicidé » : les accents ne sont jamais trouvés (le message est lu sans accents)",
        "distress_lexicon.yml : abréviation(s) ['Jveux'] jamais lue(s) : un seul mot en minuscules, sans accent",
        "distress_lexicon.yml : champ « motifs » inconnu",
    ]
    path.write_text("shorthand: {}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="champ « patterns » manquant"):
        check_lexicon(path)
