"""A crisis message about someone else at risk (the follow-up then speaks to the entourage), told apart from one
about the writer, whatever else the message mentions."""

from __future__ import annotations

import pytest

from bot.core.risk import about_someone_else, happening_now


@pytest.mark.parametrize(
    "message",
    [
        "mon collègue a parlé de se suicider, que dois-je faire ?",
        "Ma fille dit qu'elle veut mourir",
        "une étudiante m'a dit qu'elle pensait au suicide",
        "mon ami veut en finir, je fais quoi",
        "Mon fils de 16 ans parle de mourir",
        "my friend said she wants to kill herself",
        "I'm worried about a colleague, he talks about ending his life",
        "a student told me she is suicidal",
    ],
)
def test_someone_else_at_risk(message):
    assert about_someone_else(message)


@pytest.mark.parametrize(
    "message",
    [
        "je veux mourir",
        "mon chef me harcèle, j'ai envie de me suicider",
        "je pense au suicide depuis que mon mari est parti",
        "ma femme m'a quitté et je veux en finir",
        "depuis que ma mère est morte je pense à me tuer",
        "I want to die, my boss is horrible",
        "my wife left and I want to end my life",
        "mon collègue est mort, je veux en finir",
    ],
)
def test_the_writer_at_risk(message):
    assert not about_someone_else(message)


@pytest.mark.parametrize(
    "message",
    [
        "mon fils s'est scarifié les bras, je ne sais pas comment réagir",
        "ma sœur a fait une tentative de suicide la semaine dernière",
        "un ami m'a envoyé une lettre d'adieu et ne répond plus",
        "my flatmate's boyfriend... no, my friend texted me goodbye and won't answer",
        "I think a colleague is self-harming, I saw cuts on her wrists",
    ],
)
def test_someone_else_self_harming_or_saying_goodbye(message):
    assert about_someone_else(message)


@pytest.mark.parametrize(
    "message, now",
    [
        ("j'ai avalé tous mes somnifères", True),
        ("I've got the rifle loaded in front of me", True),
        ("ce soir je vais passer à l'acte", True),
        ("tonight I'm going to kill myself", True),
        ("je suis sur les rails", True),
        ("je pense parfois à mourir", False),
        ("I sometimes wish I could disappear", False),
    ],
)
def test_a_danger_happening_now_or_tonight(message, now):
    assert happening_now(message) is now


@pytest.mark.parametrize(
    "message, unsure",
    [
        ("I don't know", True),
        ("je sais pas trop", True),
        ("aucune idée", True),
        ("je ne sais pas quoi faire de ma vie", False),
        ("I don't know why I live", False),
    ],
)
def test_a_bare_i_do_not_know(message, unsure):
    from bot.core.risk import only_unsure

    assert only_unsure(message) is unsure
