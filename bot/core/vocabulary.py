"""Canonical entity values of the NLU contract, their French labels and surface forms.

The NLU maps most surface forms to canonical values; `canonical()` catches
the rest (an unmapped extraction, a typo) so that actions always see a
canonical value or nothing.
"""

from __future__ import annotations

LEAVE_TYPES: dict[str, str] = {
    "conge_annuel": "Congés annuels",
    "rtt": "RTT",
    "maladie": "Congé de maladie",
    "maternite": "Congé de maternité",
    "paternite": "Congé de paternité et de naissance",
    "parental": "Congé parental",
    "enfant_malade": "Enfant malade",
    "formation": "Congé de formation",
}

AID_TYPES: dict[str, str] = {
    "aide_financiere": "Aide financière exceptionnelle",
    "pret_solidarite": "Prêt de solidarité",
    "indemnite_etudes_superieures": "Rentrée en études supérieures",
    "logement": "Logement",
    "restauration": "Restauration",
    "cesu": "CESU",
    "cheques_vacances": "Chèques-vacances",
    "sejours_enfants": "Séjours et vacances",
    "aeeh": "Enfant handicapé (AEEH)",
    "arbre_noel": "Arbre de Noël",
    "vaccination": "Vaccination",
}

SERVICES: dict[str, str] = {
    "psychologue": "Psychologue",
    "service_social": "Assistant ou assistante de service social",
    "avocat": "Avocat ou avocate",
    "developpeur_talents": "Développeur de talents",
    "permanence_rh": "Permanence RH",
    "medecine_prevention": "Médecine de prévention",
}

CAMPUSES: dict[str, str] = {
    "clavieres": "Clavières (Alès)",
    "croupillac": "Croupillac (Alès)",
    "nimes": "Nîmes",
}

# Extra surface forms beyond the labels and the values: synonyms, inflections, abbreviations, English.
# Compared folded (no case, no accents), small words and plurals ignored, typos forgiven (bot/core/entity_finder.py).
# Only words that name one value: « congé », « aide » or « noël » alone name none.
SURFACE_FORMS: dict[str, dict[str, list[str]]] = {
    "leave_type": {
        "conge_annuel": [
            "conges annuels",
            "conges payes",
            "ca",
            "jours de conges annuels",
            "annual leave",
            "paid leave",
            "paid holidays",
            "conge annuel",
            "conges ordinaires",
        ],
        "rtt": ["artt", "jours rtt", "reduction du temps de travail", "rtt days"],
        "maladie": [
            "arret maladie",
            "arret de travail",
            "maladie ordinaire",
            "cmo",
            "conge maladie",
            "sick leave",
            "sick day",
            "arret",
            "malade",
            "maladie",
            "longue maladie",
        ],
        "maternite": [
            "conge maternite",
            "grossesse",
            "enceinte",
            "maternity leave",
            "maternity",
            "conge mat",
            "pregnant",
            "pregnancy",
            "maternite",
        ],
        "paternite": [
            "conge paternite",
            "conge de naissance",
            "accueil de l enfant",
            "paternity leave",
            "paternity",
            "conge pat",
            "conge naissance",
            "paternite",
            "birth leave",
        ],
        "parental": ["conge parental", "conge parental d education", "parental leave", "parental"],
        "enfant_malade": [
            "garde d enfant malade",
            "enfant malade",
            "autorisation d absence enfant malade",
            "sick child",
            "child is sick",
            "enfant hospitalise",
        ],
        "formation": ["conge formation", "formation professionnelle", "cfp", "conge de formation", "training leave"],
    },
    "aid_type": {
        "aide_financiere": [
            "secours",
            "aide exceptionnelle",
            "aide financiere exceptionnelle",
            "aide financiere",
            "financial aid",
            "financial help",
            "emergency aid",
            "secours exceptionnel",
        ],
        "pret_solidarite": ["pret social", "pret de solidarite", "solidarity loan", "pret solidarite"],
        "indemnite_etudes_superieures": [
            "etudes superieures",
            "rentree etudiante",
            "indemnite de rentree",
            "etudes sup",
            "higher education allowance",
            "indemnite etudes sup",
            "rentree universitaire",
            "indemnite etudes superieures",
        ],
        "logement": [
            "aip",
            "demenagement",
            "pret immobilier",
            "aide a l installation",
            "loyer",
            "housing",
            "moving costs",
            "aide au logement",
            "pret logement",
            "caution",
        ],
        "restauration": [
            "subvention repas",
            "prestation repas",
            "prestation interministerielle repas",
            "prestation repas interministerielle",
            "pim",
            "aide aux repas",
            "subvention restauration",
            "aide a la restauration",
            "meal subsidy",
            "ticket restaurant",
            "tickets restaurant",
        ],
        "cesu": ["cesu garde d enfant", "cheque emploi service", "cesu handicap", "cesu"],
        "cheques_vacances": ["cheque vacances", "ancv", "holiday vouchers", "cheques vacance"],
        "sejours_enfants": [
            "colonie",
            "colonie de vacances",
            "colo",
            "epaf",
            "centre de loisirs",
            "sejour enfant",
            "sejours enfants",
            "vacances enfants",
            "summer camp",
            "holiday camp",
            "vacances en famille",
            "centre aere",
        ],
        "aeeh": [
            "enfant handicape",
            "allocation enfant handicape",
            "aeeh",
            "allocation aux parents d enfant handicape",
            "disabled child",
        ],
        "arbre_noel": [
            "arbre de noel",
            "cheques noel",
            "cadeaux de noel",
            "cadeau de noel",
            "bons d achat noel",
            "fete de noel",
            "spectacle de noel",
            "noel des enfants",
            "christmas tree",
            "christmas party",
            "christmas gift",
        ],
        "vaccination": [
            "vaccin",
            "vaccination",
            "grippe",
            "vaccin grippe",
            "flu shot",
            "flu vaccine",
            "vaccination antigrippe",
        ],
    },
    "service": {
        "psychologue": ["psy", "psychologue du travail", "psychologist", "psychologue", "psychologie", "psychiatre"],
        "service_social": [
            "assistante sociale",
            "assistant social",
            "assistante de service social",
            "as",
            "service social",
            "social worker",
            "ass sociale",
            "assistant de service social",
            "travailleur social",
        ],
        "avocat": ["avocate", "juriste", "lawyer", "conseil juridique", "consultation juridique", "legal advice"],
        "developpeur_talents": [
            "dt",
            "coach",
            "developpeuse de talents",
            "coach interne",
            "talent developer",
            "developpeur de talent",
            "coaching",
        ],
        "permanence_rh": [
            "permanence",
            "rh",
            "responsable rh",
            "permanence rh",
            "hr",
            "ressources humaines",
            "gestionnaire rh",
            "hr officer",
        ],
        "medecine_prevention": [
            "medecin du travail",
            "medecine du travail",
            "medecin de prevention",
            "visite medicale",
            "occupational doctor",
            "occupational health",
            "company doctor",
            "medecin",
            "infirmiere",
        ],
    },
    "campus": {
        "clavieres": ["claviere", "site de clavieres"],
        "croupillac": ["site de croupillac"],
        "nimes": ["nime", "site de nimes", "nimes"],
    },
}

LABELS: dict[str, dict[str, str]] = {
    "leave_type": LEAVE_TYPES,
    "aid_type": AID_TYPES,
    "service": SERVICES,
    "campus": CAMPUSES,
}

# Labels that are too generic to name a value on their own.
_GENERIC_LABELS = {"Logement", "Restauration", "Séjours et vacances", "Congé de formation"}
_GENERIC_VALUES = {"formation", "logement", "restauration"}


def all_forms() -> dict[str, dict[str, list[str]]]:
    """Every phrase that names each value: the value itself, its label, its surface forms."""
    return {
        entity: {
            value: [
                *([value.replace("_", " ")] if value not in _GENERIC_VALUES else []),
                *([label] if label not in _GENERIC_LABELS else []),
                *SURFACE_FORMS[entity][value],
            ]
            for value, label in labels.items()
        }
        for entity, labels in LABELS.items()
    }


def canonical(entity: str, text: str | None) -> str | None:
    """The canonical value for an entity's surface text, or None when unsure."""
    if not text or entity not in LABELS:
        return None
    if text in LABELS[entity]:
        return text
    from bot.core.entity_finder import default_vocabulary, find_values

    return next((f.value for f in find_values(text, default_vocabulary()) if f.entity == entity), None)
