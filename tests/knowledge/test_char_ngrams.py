import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.core.text import fold
from bot.knowledge.char_ngrams import CharNgrams

TEXTS = [
    "Congés annuels : combien de jours ?",
    "teletravail trois jours par semaine au maximum",
    "cheque emploi service universel garde d enfant",
    "conges conges payes",
    "",
]


def test_built_word_by_word_it_equals_scikit_learns_char_wb_tfidf():
    ours = CharNgrams()
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32)
    folded = [fold(t) for t in TEXTS]
    assert np.allclose(ours.fit_transform(TEXTS).toarray(), reference.fit_transform(folded).toarray(), atol=1e-6)
    for query in ("teletravil combien de jours", "Congés", "l'école", "xyz inconnu"):
        assert np.allclose(ours.transform(query).toarray(), reference.transform([fold(query)]).toarray(), atol=1e-6), (
            query
        )


def test_a_typo_still_finds_its_text():
    ngrams = CharNgrams()
    matrix = ngrams.fit_transform(TEXTS)
    scores = matrix @ ngrams.transform("teletravial").toarray().ravel()
    assert int(np.argmax(scores)) == 1
