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
