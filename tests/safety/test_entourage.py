"""A crisis message about someone else at risk (the follow-up then speaks to the entourage), told apart from one
about the writer, whatever else the message mentions."""

from __future__ import annotations

import pytest

from bot.safety.support import about_someone_else


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
