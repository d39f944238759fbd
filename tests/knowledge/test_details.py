"""A question asking a detail the article does not state gets « je ne sais pas » naming it (bot/knowledge/details.py)."""

from __future__ import annotations

import pytest

from bot.knowledge.details import missing_details

CHRISTMAS = "L'école organise l'arbre de Noël des enfants du personnel : cadeaux, spectacle et goûter."
BEREAVEMENT = "Au décès de votre conjoint, de votre père, de votre mère ou d'un enfant, vous avez droit à 3 jours."


@pytest.mark.parametrize(
    "question, body, missing",
    [
        ("l'arbre de noel c quand cette annee ?", CHRISTMAS, ["la date"]),
        ("When is the Christmas party this year?", CHRISTMAS, ["la date"]),
        ("l'arbre de noel c quand cette annee ?", CHRISTMAS + " Il a lieu en décembre.", []),
        ("la fête c'est quel jour ?", "La fête a lieu le vendredi après les cours.", []),
        (
            "la référente égalité, elle s'appelle comment ? c koi son tel",
            "Une personne référente a été nommée.",
            ["le nom", "les coordonnées"],
        ),
        ("what's the name of the student group?", "Le groupe « Elles bougent » agit dans les écoles.", []),
        ("l'amicale, la cotisation c combien ?", "L'amicale propose du sport et des sorties.", ["le montant"]),
        ("l'amicale, la cotisation c combien ?", "L'adhésion à l'amicale coûte 10 € par an.", []),
        ("depuis quand l'école mesure l'égalité salariale ?", "L'école s'y engage depuis 2009.", []),
        ("depuis quand l'école mesure l'égalité salariale ?", "L'école s'y engage.", ["l'année"]),
        # Asking where to find a number is not asking the number: the article may say where.
        ("où trouver le numéro de téléphone des RH ?", "Consultez l'annuaire de l'intranet.", []),
        # « obtenir » asks for the thing itself, not where to look.
        (
            "ma grand-mère est décédée, combien de jours d'absence puis-je obtenir ?",
            BEREAVEMENT,
            ["le cas d'un grand-parent"],
        ),
        # Whether a payment is taxed, which articles rarely say.
        ("le forfait télétravail est-il imposable ?", "Le forfait vaut 2,88 € par jour.", ["son traitement fiscal"]),
        ("is the telework allowance taxed?", "Le forfait vaut 2,88 € par jour.", ["son traitement fiscal"]),
        ("le forfait télétravail est-il imposable ?", "Le forfait est exonéré d'impôt sur le revenu.", []),
        # A figure asked for a year the article's figures are not of.
        ("le salaire moyen en 2024 c'est combien ?", "Il était de 2 900 € bruts en 2018.", ["les chiffres de 2024"]),
        ("le salaire moyen en 2018 c'est combien ?", "Il était de 2 900 € bruts en 2018.", []),
        ("j'étais malade en 2025, je peux reporter mes congés ?", "Vous avez 15 mois pour les prendre.", []),
        # How long someone has to answer.
        (
            "la protection fonctionnelle, l'administration a combien de temps pour répondre ?",
            "L'administration doit vous protéger.",
            ["le délai"],
        ),
        (
            "la protection fonctionnelle, l'administration a combien de temps pour répondre ?",
            "Sans réponse dans les 2 mois, la demande est refusée.",
            [],
        ),
        # Questions that ask no such detail.
        ("combien de jours pour un pacs ?", "Vous avez droit à 5 jours.", []),
        ("quand je suis malade je suis payé combien ?", "Vous gardez 90 % de votre traitement.", []),
        ("un tel congé est-il possible à temps partiel ?", "Oui, à temps partiel aussi.", []),
        # « c'est combien » asks an amount; « c'est combien de jours » a count.
        ("les chèques Noël c'est combien par enfant ?", CHRISTMAS, ["le montant"]),
        ("How much are the Christmas vouchers?", CHRISTMAS, ["le montant"]),
        ("le congé c'est combien de jours ?", "Vous avez droit à 5 jours.", []),
        # A relative the article does not name, where it lists whose events count.
        ("ma grand-mère est décédée, j'ai droit à combien de jours ?", BEREAVEMENT, ["le cas d'un grand-parent"]),
        ("My brother passed away, how many days off?", BEREAVEMENT, ["le cas d'un frère ou d'une sœur"]),
        ("mon beau-père est décédé, combien de jours ?", BEREAVEMENT, ["le cas d'un beau-parent"]),
        ("mon père est décédé, combien de jours ?", BEREAVEMENT, []),
        ("ma grand-mère est décédée, combien de jours ?", BEREAVEMENT + " Pour un grand-parent, 1 jour.", []),
        # « ma petite fille » is also « my little girl »; a relative incidental to an article that lists none.
        (
            "ma petite fille a 8 mois, le congé parental c'est jusqu'à quand ?",
            "Le congé va jusqu'aux 3 ans de l'enfant.",
            [],
        ),
        ("ma grand-mère vient visiter le labo, faut-il l'accompagner ?", "Tout visiteur est accompagné.", []),
    ],
)
def test_missing_details(question, body, missing):
    assert missing_details(question, body) == missing


def test_the_how_to_counts_except_for_names():
    assert missing_details("c quand la session ?", "Une session est prévue.", "Inscrivez-vous avant mars.") == []
    assert missing_details("son nom ?", "Une personne a été nommée.", "Cherchez « référente » dans l'annuaire.") == [
        "le nom"
    ]
