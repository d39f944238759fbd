import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from bot.core.text import fold
from bot.knowledge.char_ngrams import CharNgrams, normalize_rows, word_ngrams

TEXTS = [
    "Congés annuels : combien de jours ?",
    "teletravail trois jours par semaine au maximum",
    "cheque emploi service universel garde d enfant",
    "conges conges payes",
    "",
]


class ScikitCharNgrams:
    """The implementation that preceded, on scikit-learn's CountVectorizer and normalize: the reference."""

    def __init__(self) -> None:
        self._word_ngrams = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5), dtype=np.float32)

    def fit_transform(self, texts):
        words: dict[str, int] = {}
        folded: dict[str, list[int]] = {}
        rows, columns = [], []
        for row, text in enumerate(texts):
            for token in text.split():
                found = folded.get(token)
                if found is None:
                    found = folded[token] = [words.setdefault(w, len(words)) for w in fold(token).split()]
                rows.extend([row] * len(found))
                columns.extend(found)
        text_words = csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, columns)), shape=(len(texts), max(len(words), 1))
        )
        counts = (text_words @ self._word_ngrams.fit_transform(list(words) or [""])).tocsr()
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        self._idf = (np.log((1 + len(texts)) / (1 + document_frequency)) + 1).astype(np.float32)
        return self._weighted(counts)

    def transform(self, text):
        return self._weighted(self._word_ngrams.transform([fold(text)]).tocsr())

    def _weighted(self, counts):
        counts = counts.astype(np.float32)
        counts.data = 1 + np.log(counts.data)
        return normalize(counts.multiply(self._idf).tocsr(), copy=False)


def _same(a: csr_matrix, b: csr_matrix) -> bool:
    a, b = a.tocsr(), b.tocsr()
    return (
        a.shape == b.shape
        and a.dtype == b.dtype
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and np.array_equal(a.data, b.data)
    )


def test_built_word_by_word_it_equals_scikit_learns_char_wb_tfidf():
    ours = CharNgrams()
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32)
    folded = [fold(t) for t in TEXTS]
    assert np.allclose(ours.fit_transform(TEXTS).toarray(), reference.fit_transform(folded).toarray(), atol=1e-6)
    for query in ("teletravil combien de jours", "Congés", "l'école", "xyz inconnu"):
        assert np.allclose(ours.transform(query).toarray(), reference.transform([fold(query)]).toarray(), atol=1e-6), (
            query
        )


def test_word_ngrams_are_scikit_learns():
    analyse = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5)).build_analyzer()
    for word in ("a", "ab", "abc", "abcd", "télétravail", "cet", "x" * 12):
        assert word_ngrams(word) == analyse(word), word


def test_normalize_rows_is_scikit_learns_bit_for_bit():
    rng = np.random.default_rng(7)
    dense = rng.random((50, 300), dtype=np.float32) * (rng.random((50, 300)) < 0.3)
    dense[3] = 0  # an empty row stays empty
    matrix = csr_matrix(dense)
    assert _same(normalize_rows(matrix.copy()), normalize(matrix.copy(), copy=False))


def test_on_the_projects_base_and_gold_questions_it_is_the_same_matrix_bit_for_bit():
    """The index's matrix and every gold question's row, identical to the scikit-learn implementation's: the
    scores, and so the answers, do not change."""
    from bench import gold
    from bot.knowledge.engine import KnowledgeBase

    index = KnowledgeBase(gold.content_database()).index()
    reference = ScikitCharNgrams()
    assert _same(index.unit_chars, reference.fit_transform(index.unit_text))
    for question in [q.q for part in ("dev", "heldout") for q in gold.load(part)]:
        assert _same(index._chars.transform(question), reference.transform(question)), question


def test_words_already_cut_by_an_earlier_fit_give_the_same_matrix():
    earlier = CharNgrams()
    earlier.fit_transform(TEXTS)
    edited = [*TEXTS[1:], "Congés bonifiés outre-mer : combien de jours ?", "teletravail"]
    scratch, reused = CharNgrams(), CharNgrams()
    assert _same(reused.fit_transform(edited, earlier), scratch.fit_transform(edited))
    for query in ("teletravil combien de jours", "bonifiés", "Congés annuels", "xyz"):
        assert _same(reused.transform(query), scratch.transform(query)), query


def test_a_typo_still_finds_its_text():
    ngrams = CharNgrams()
    matrix = ngrams.fit_transform(TEXTS)
    scores = matrix @ ngrams.transform("teletravial").toarray().ravel()
    assert int(np.argmax(scores)) == 1
