"""A question that asks for a precise detail (a date, a person's name, a phone number or an e-mail address, an
amount of money, the tax treatment of a payment, a figure of a given year, a frequency, a delay to answer, or the case
of a relative the article does not name) which the chosen article does not state at all.

The article is then about the right thing but cannot answer: « l'arbre de Noël, c'est quand cette année ? »
finds the Christmas-party article, which gives no date. Showing its passage as if it answered would mislead;
the engine says plainly which detail the base lacks, shows what the article does say and points to HR
(bot/knowledge/engine.py, decision « unknown »). Questions and articles are read accent-free and lower-cased
(bot/core/text.fold), except where capitals carry the signal (names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.text import fold

_MONTHS = (
    "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|"
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
_DAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday"
_SEASONS = "printemps|ete|automne|hiver|rentree|spring|summer|autumn|fall|winter"


@dataclass(frozen=True)
class Detail:
    """A kind of detail: how a question asks for it, how an article states it, and how the reply names it."""

    name: str  # how the reply names it: « la date »
    asked: re.Pattern[str]  # on the folded question
    stated: re.Pattern[str]  # on the article's text (folded unless `raw`)
    raw: bool = False
    body_only: bool = False  # not the « how to » part, whose quotes are search hints (« Cherchez « référente »… »)
    # Asked only about an article that matches this (folded): a relative's case matters where the article lists
    # whose events count (« votre père, votre mère ou votre enfant »), not where a grandmother is incidental.
    only_where: re.Pattern[str] | None = None


DETAILS = (
    Detail(
        "la date",
        re.compile(
            r"(?<!since )(?<!depuis )\b(c( est)? quand|quand (est ce|a lieu|aura|se (deroule|tient|passe|fait)|commence|ouvre|sont|est|"
            r"c est|ont lieu|auront|ca)|(a )?quelle date|quel(le)?s? jours?\b(?! (de |d |du |des |pour |par |ouvres|ouvrables|calendaires|sur|en |je |j |on |puis|peu))|"
            r"when (is|does|do|are|will|s)|whens|what date|which days?|what days?)\b"
        ),
        re.compile(rf"\b({_MONTHS}|{_DAYS}|{_SEASONS})\b|\b\d{{1,2}}/\d{{1,2}}\b|\b1er\b"),
    ),
    Detail(
        "l'année",
        re.compile(
            r"\b(date de quand|datent? de quand|depuis quand|(en )?quelle annee|what year|which year|since when)\b"
        ),
        re.compile(r"\b(19|20)\d\d\b"),
    ),
    Detail(
        "le nom",
        re.compile(
            r"\b(s appelle|son nom|leur nom|le nom (de|du|des)|nom de (la|le|l)|what s (his|her|its|the) name|"
            r"whats (his|her|its|the) name|name of|her name|his name|its name)\b"
        ),
        # A name in quotes, or an acronym of four capitals or more (« ATHEMA »).
        re.compile(r"«[^»]+»|\b[A-Z]{4,}\b"),
        raw=True,
        body_only=True,
    ),
    Detail(
        "les coordonnées",
        re.compile(
            r"\b((son|sa|leur|le|votre|ton|ses|leurs) (tel|telephone|numero|portable|mail|e mail|email|adresse mail)|"
            r"numero de (tel|telephone|portable)|phone number|(his|her|their) (phone|email|e mail)|"
            r"email (her|him|them)|email address|e mail address|contact details|coordonnees|courriel|adresse (mail|e mail|electronique))\b"
        ),
        re.compile(r"@|\b0\d([ .]?\d\d){4}\b|\b(3114|3919|3977)\b"),
        raw=True,
    ),
    Detail(
        "le montant",
        re.compile(
            r"\b(combien (ca |cela )?coute|cotisation|tarif|prix|how much (is|does|money|do i pay|will)|costs?|"
            r"montant|quel taux|le taux|combien d euros|en euros|how much (are|per)|"
            r"c est combien(?! de| d )|combien (par|pour) (enfant|mois|an|annee|jour|repas|personne|part|agent)|"
            r"(revien\w*|coute\w*|couter\w*) a combien|combien (je|on|j) (vais |va )?(paye\w*|paie\w*|debourse\w*))\b"
        ),
        re.compile(r"€|\beuros?\b|%|\bgratuit|\bfree\b|pris en charge|rembours", re.IGNORECASE),
        raw=True,
    ),
    # How long someone has to answer or to appeal, which an article may not state at all.
    Detail(
        "la fréquence",
        re.compile(
            r"\b(tous les combien|a quelle (frequence|periodicite)|quelle (frequence|periodicite)|how often|"
            r"combien de fois par (an|mois|semaine)|how many times (a|per) (year|month|week))\b"
        ),
        re.compile(
            r"\b(tous les (\d+|deux|trois|quatre|cinq|six) (ans|mois|semaines|jours)|chaque (annee|mois|semaine|jour)|"
            r"une fois par|(\d+|une|deux|trois) fois par|annuel\w*|periodique\w*|periodicite|frequence)\b"
        ),
    ),
    Detail(
        "le délai",
        re.compile(
            r"\b(combien de temps|quel delai|dans quel delai|how long|how much time)\b.{0,40}"
            r"\b(repondre|reponse|respond|reply|answer|statuer|decider|traiter|contester|recours|appeal|revision)"
        ),
        re.compile(r"\bdelais?\b|\b(\d+|un|une|deux|trois|quatre|six|quinze|trente) (jours?|semaines?|mois)\b"),
    ),
    # Whether an allowance or a payment is taxed, which an article rarely says.
    Detail(
        "son traitement fiscal",
        re.compile(
            r"\b(imposables?|impots?|imposition|fiscal\w*|taxable|taxed|taxes?|income tax|csg|crds|"
            r"cotisations? sociales?|soumise?s? (a l impot|aux cotisations))\b"
        ),
        re.compile(r"\b(imposable|impot|imposition|fiscal\w*|exonere\w*|csg|crds|cotisations? sociales?|net de)\b"),
    ),
)

# The relatives an article may list when a right depends on whose event it is (a death, a wedding, an illness).
_RELATIVES_LISTED = re.compile(
    r"\b(pere|mere|conjoint|conjointe|epoux|epouse|enfants?|fils|fille|frere|soeur|grands? (parents?|mere|pere))\b"
)


def _relative(name: str, asked: str, stated: str) -> Detail:
    return Detail(name, re.compile(rf"\b({asked})\b"), re.compile(rf"\b({stated})\b"), only_where=_RELATIVES_LISTED)


# A relative the article does not name, where it lists whose events count: « ma grand-mère est décédée »
# against an article that covers a partner, a parent and a child.
RELATIVES = (
    _relative(
        "le cas d'un grand-parent",
        r"grands? (meres?|peres?|parents?)|mamie|mamy|papi|papy|grandm\w*|grandf\w*|grandpa\w*|granny|grandparents?",
        r"grands? (meres?|peres?|parents?)|ascendants?",
    ),
    _relative(
        "le cas d'un frère ou d'une sœur",
        r"(demi )?freres?|(demi )?soeurs?|frangin\w*|siblings?|brothers?|sisters?",
        r"freres?|soeurs?|collateraux",
    ),
    _relative(
        "le cas d'un oncle, d'une tante ou d'un cousin",
        r"oncles?|tantes?|cousins?|cousines?|uncles?|aunts?|auntie",
        r"oncles?|tantes?|cousins?|cousines?",
    ),
    _relative("le cas d'un neveu ou d'une nièce", r"neveux?|nieces?|nephews?", r"neveux?|nieces?"),
    _relative(
        "le cas d'un beau-parent",
        r"beaux? (peres?|parents?|freres?)|belles? (meres?|soeurs?)|in laws?|(father|mother|brother|sister) in law",
        r"beaux? (peres?|parents?|freres?)|belles? (meres?|soeurs?)|alliance",
    ),
    _relative(
        "le cas d'un petit-enfant",
        # Not « petite fille », « petits enfants »: also « little girl », « small children ».
        r"petits? fils|grand ?(child|children|son|daughter)s?",
        r"petits? (fils|enfants?)|petites? (filles?|enfants?)|descendants?",
    ),
)

# « Où trouver les coordonnées des RH ? » asks where to look, which the article may well say. Not « obtenir » or
# « get »: « combien de jours puis-je obtenir pour les obsèques ? » asks for the detail itself.
_WHERE_TO_FIND = re.compile(r"\b(trouver?|find|chercher|look (up|for))\b")


# A figure asked for a given year (« le salaire moyen en 2024 ») of an article whose figures are of another year.
_ASKS_FIGURE = re.compile(
    r"\b(combien|cb|montant|taux|salaire|how much|how many|what is the|quel est le|quelle est la)\b"
)
_YEAR = re.compile(r"\b(20[12]\d)\b")


def _year_asked(folded_question: str, text: str) -> str | None:
    years = sorted(set(_YEAR.findall(folded_question)))
    if not years or not _ASKS_FIGURE.search(folded_question) or any(year in text for year in years):
        return None
    return f"les chiffres de {' ou de '.join(years)}"


def missing_details(question: str, body: str, how_to: str = "") -> list[str]:
    """The details the question asks for that the article (its body and « how to ») does not state (their
    names, in order)."""
    folded_question = fold(question)
    if _WHERE_TO_FIND.search(folded_question):
        return []
    missing = []
    year = _year_asked(folded_question, f"{body} {how_to}")
    if year:
        missing.append(year)
    folded: dict[bool, str] = {}  # the article's text folded once, with or without its « how to »
    for detail in (*DETAILS, *RELATIVES):
        if not detail.asked.search(folded_question):
            continue
        text = body if detail.body_only else f"{body} {how_to}"
        if detail.body_only not in folded:
            folded[detail.body_only] = fold(text)
        if detail.only_where is not None and not detail.only_where.search(folded[detail.body_only]):
            continue
        if not detail.stated.search(text if detail.raw else folded[detail.body_only]):
            missing.append(detail.name)
    return missing


def listed(names: list[str]) -> str:
    """« la date », « le nom et les coordonnées »."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} et {names[-1]}"
