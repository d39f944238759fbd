"""Canonical entity values of the NLU contract, their French labels and surface forms.

The NLU maps most surface forms to canonical values; `canonical()` catches
the rest (an unmapped extraction, a typo) so that actions always see a
canonical value or nothing.
"""

from __future__ import annotations

import difflib
import re

from bot.text import fold

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

# Extra surface forms, folded (lowercase, no accents), beyond the labels and the values.
_SURFACE_FORMS: dict[str, dict[str, list[str]]] = {
    "leave_type": {
        "conge_annuel": ["conges annuels", "conge annuel", "conges payes", "conge paye", "ca", "vacances", "conges"],
        "rtt": ["artt", "jours rtt", "reduction du temps de travail"],
        "maladie": ["arret maladie", "arret de travail", "maladie ordinaire", "cmo", "malade"],
        "maternite": ["conge maternite", "grossesse", "enceinte"],
        "paternite": ["conge paternite", "naissance", "conge de naissance", "accueil de l enfant"],
        "parental": ["conge parental"],
        "enfant_malade": ["garde d enfant malade", "enfant malade", "enfants malades"],
        "formation": ["conge formation", "formation professionnelle", "cfp"],
    },
    "aid_type": {
        "aide_financiere": ["secours", "aide exceptionnelle", "aide financiere exceptionnelle"],
        "pret_solidarite": ["pret", "pret social", "pret de solidarite"],
        "indemnite_etudes_superieures": ["etudes superieures", "rentree etudiante", "indemnite de rentree"],
        "logement": ["aip", "demenagement", "pret immobilier", "installation", "loyer"],
        "restauration": ["repas", "cantine", "subvention repas", "prestation repas"],
        "cesu": ["cesu garde d enfant", "cheque emploi service", "garde d enfant"],
        "cheques_vacances": ["cheque vacances", "cheques vacances", "ancv"],
        "sejours_enfants": ["colonie", "colonies", "colo", "epaf", "centre de loisirs", "vacances enfants"],
        "aeeh": ["enfant handicape", "allocation enfant handicape"],
        "arbre_noel": ["noel", "cheques noel", "cadeaux de noel", "arbre de noel"],
        "vaccination": ["vaccin", "grippe", "vaccin grippe"],
    },
    "service": {
        "psychologue": ["psy", "psychologue du travail"],
        "service_social": ["assistante sociale", "assistant social", "as", "service social"],
        "avocat": ["avocate", "juriste"],
        "developpeur_talents": ["dt", "coach", "developpeuse de talents", "coach interne"],
        "permanence_rh": ["permanence", "rh", "responsable rh"],
        "medecine_prevention": ["medecin du travail", "medecine du travail", "medecin", "visite medicale"],
    },
    "campus": {
        "clavieres": ["claviere", "ales"],
        "croupillac": [],
        "nimes": ["nime"],
    },
}

LABELS: dict[str, dict[str, str]] = {
    "leave_type": LEAVE_TYPES,
    "aid_type": AID_TYPES,
    "service": SERVICES,
    "campus": CAMPUSES,
}


def _forms(entity: str) -> dict[str, str]:
    forms: dict[str, str] = {}
    for value, label in LABELS[entity].items():
        forms[fold(value.replace("_", " "))] = value
        forms[fold(label)] = value
        for form in _SURFACE_FORMS[entity][value]:
            forms[form] = value
    return forms


_FORMS = {entity: _forms(entity) for entity in LABELS}


_DETERMINER = re.compile(r"^(?:(?:le|la|les|l|un|une|des|du|de|d|mon|ma|mes|au|aux|a|en)\s+)+")


def canonical(entity: str, text: str | None) -> str | None:
    """The canonical value for an entity's surface text, or None when unsure."""
    if not text or entity not in _FORMS:
        return None
    if text in LABELS[entity]:
        return text
    key = _DETERMINER.sub("", fold(text).strip())
    forms = _FORMS[entity]
    if key in forms:
        return forms[key]
    close = difflib.get_close_matches(key, list(forms), n=1, cutoff=0.85)
    return forms[close[0]] if close else None
