"""Who is at risk in a crisis message, and how soon: plain patterns on folded text, read by the crisis net inside
Rasa (a worry for someone else is answered as a crisis, not asked « do you think of ending your life? ») and by the
follow-up of the crisis answer (what the entourage can do; the 15 first when the danger is happening now)."""

from __future__ import annotations

import re

from bot.core.text import fold

# Someone else than the writer (« mon collègue », « une étudiante », "my friend") …
_SOMEONE_ELSE = re.compile(
    r"\b(mon|ma|mes|notre|nos|un|une|cette|ce|cet|my|a|our|this)\s+(\w+\s+)?(collegues?|collaborat\w+|amie?s?|pote|copine?|"
    r"fils|fille|enfants?|mari|femme|epouse|epoux|conjointe?|compagnon|compagne|frere|soeur|pere|mere|parents?|"
    r"etudiante?s?|doctorante?s?|stagiaires?|agente?s?|voisine?|chef|cheffe|responsable|n 1|equipe|"
    r"colleagues?|friends?|coworkers?|co workers?|son|daughter|husband|wife|partner|brother|sister|father|mother|"
    r"students?|phd student|intern|team ?mate|office ?mate|neighbou?r|boss|manager)\b|\bquelqu un\b|\bsomeone\b|"
    r"\bsomebody\b"
)
# … who is the one at risk (« il parle de se suicider », "she wants to kill herself", « elle s'est scarifiée », "my
# wife texted me goodbye") …
_RISK = r"(suicid\w*|mourir|en finir|se tuer|kill (himself|herself|themselves)|ending (his|her|their) life|die|dying)"
_THEY_ARE_AT_RISK = re.compile(
    rf"\b(il|elle|ils|elles|he|she|they)\b.{{0,40}}\b{_RISK}|"
    rf"\b(parle|parlait|parler|a parle|evoque|evoquait|a evoque|menace|menacait|veut|voulait|pense|pensait|talks?|"
    rf"talked|talking|wants?|wanted|threatens?|threatened|mentioned|said|says)\s+(\w+\s+){{0,2}}{_RISK}|"
    r"\b(se suicider|se tuer|se foutre en l air|mettre fin a ses jours|kill (himself|herself|themselves)|"
    r"end (his|her|their) (own )?life|suicidal)\b|"
    r"\b(s est|se|s etait) (scarifie\w*|fait du mal|coupee?s?|mutile\w*|taillade\w*)\b|\bscarifi\w*|"
    r"\b(self ?harm\w*|cuts? (herself|himself|themselves)|hurts? (herself|himself|themselves)|cuts on (her|his|their))\b|"
    r"\b(tentative de suicide|suicide attempt|attempted suicide|tried to kill|tente de se)\b|"
    r"\b(message|lettre|mail|sms|texto) d adieu\b|\b(texted|sent|wrote) (me )?(a )?goodbye\b|\bgoodbye (text|message|note)\b"
)
# … and not the writer (« je veux mourir », "I want to die"; « qu'elle … » starts someone else's words).
_I_AM_AT_RISK = re.compile(
    r"\b(je|j|i)\s+((?!qu|que|that)\w+\s+){0,4}(suicid\w*|mourir|en finir|die)\b|"
    r"\b(me suicider|me tuer|mettre fin a mes jours|kill myself|end my life|ending my life|me scarifie\w*|"
    r"me fais du mal|hurt myself|cut myself)\b"
)

# A danger happening now or within hours (on folded text): something already taken, a place to jump from, a weapon,
# a wound, « ce soir », "right now".
_HAPPENING_NOW = re.compile(
    r"\b(j ai|je viens d|i|i ve|just)\s+(\w+\s+){0,2}(pris|avale|avaler|ingere|took|taken|swallowed)\s+(\w+\s+){0,3}"
    r"(cachets?|medicaments?|medocs?|comprimes?|pilules?|boite|pills?|tablets?|meds|overdose|paracetamol\w*|"
    r"doliprane|somniferes?|sleeping pills)\b|"
    r"\b(je suis|chui|jsuis|i m|i am|im)\s+(\w+\s+){0,2}(sur le toit|sur le pont|au bord|sur la voie|sur les rails|"
    r"a la fenetre|on the roof|on the bridge|on the ledge|at the edge|on the tracks|on the rails)\b|"
    r"\b(je saigne|ca saigne|i m bleeding|bleeding a lot|je me suis ouvert|ouvert les veines|slit my|cut my wrists?)\b|"
    r"\b(fusil|pistolet|arme|gun|rifle|pistol)\b.{0,40}\b(charge|chargee|loaded|devant moi|in front of me|in my hand)\b|"
    r"\b(pot d echappement|moteur tourne|exhaust|engine running)\b|"
    r"\b(maintenant|right now|tout de suite|en ce moment|as we speak|ce soir|cette nuit|tonight)\b.{0,60}"
    r"\b(sauter|jump|finir|end it|mourir|die|me tuer|kill myself|passer a l acte|do it)\b|"
    r"\b(sauter|jump|en finir|end it|me tuer|kill myself|passer a l acte|do it)\b.{0,40}"
    r"\b(maintenant|right now|tout de suite|now|ce soir|cette nuit|tonight)\b"
)


def about_someone_else(message: str) -> bool:
    """Whether a crisis message speaks of someone else at risk (« mon collègue parle de se suicider », « ma fille
    s'est scarifiée »), not of the writer."""
    folded = fold(message)
    return bool(_SOMEONE_ELSE.search(folded) and _THEY_ARE_AT_RISK.search(folded) and not _I_AM_AT_RISK.search(folded))


def happening_now(message: str) -> bool:
    """Whether a crisis message says the danger is happening now or tonight (« j'ai pris tous mes cachets », "I'm on
    the roof", « ce soir je passe à l'acte »)."""
    return bool(_HAPPENING_NOW.search(fold(message)))


# A message that is only « je ne sais pas » (an answer the eligibility check invites), nothing else.
_ONLY_UNSURE = re.compile(
    r"^(?:(?:euh|hmm|bah|ben|well|sorry|desole|desolee|alors)\s+)*(?:i don t know|i dont know|dunno|idk|no idea|"
    r"not sure|je ne sais pas|je sais pas|jsais pas|j sais pas|jsp|sais pas|aucune idee|pas sur|pas sure)"
    r"(?:\s+(?:exactly|exactement|trop|vraiment|sorry|desole|desolee|du tout|at all|encore|yet))*$"
)


def only_unsure(message: str) -> bool:
    """« je ne sais pas », "I don't know", « aucune idée », alone: an answer, never a sign of crisis by itself (after
    the crisis question, the reply is read by the assistant as unsure, not by the crisis net)."""
    return bool(_ONLY_UNSURE.match(fold(message)))
