"""Runs in the Rasa environment (make test): the crisis model's parts, without a trained model."""

import numpy as np
import pytest
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from rasa_components.crisis_model import CrisisModel, log_count_ratios
from rasa_components.text_features import TextView, side_by_side, vectorized

TEXTS = [
    "je veux mourir ce soir",
    "ce dossier va me tuer lol",
    "je me suis coupé au cutter, je déclare ça ?",
    "I want to end it all tonight",
    "combien de jours de congé pour un mariage",
    "jvais me pendre si jentends encore la sonnerie",
    "mourir mourir mourir",
]


@pytest.mark.parametrize(
    "vectorizer",
    [
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        CountVectorizer(ngram_range=(1, 3), binary=True),
        CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), binary=True),
    ],
)
def test_rows_computed_directly_are_scikit_learns(vectorizer):
    vectorizer.fit(TEXTS[:5])
    unseen = [*TEXTS, "", "zzz"]
    assert np.abs(vectorized(vectorizer, unseen) - vectorizer.transform(unseen)).max() < 1e-12


def test_blocks_side_by_side_are_scipys_hstack():
    words = CountVectorizer(ngram_range=(1, 2)).fit(TEXTS)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit(TEXTS)
    dense = csr_matrix(np.random.default_rng(0).normal(size=(len(TEXTS) + 1, 3)))
    unseen = [*TEXTS, ""]
    blocks = [words.transform(unseen).tocsr(), chars.transform(unseen).tocsr(), dense]
    assert np.abs(side_by_side(blocks) - hstack(blocks, format="csr")).max() < 1e-12
    assert side_by_side(blocks[:1]).shape == blocks[0].shape


def test_log_count_ratios_favour_the_words_of_crisis_messages():
    indicators = CountVectorizer(binary=True).fit_transform(["mourir ce soir", "mourir de rire", "ce soir cinema"])
    ratios = log_count_ratios(indicators.tocsr(), np.array([1, 0, 0]))
    vocabulary = sorted(["mourir", "ce", "soir", "de", "rire", "cinema"])
    weight = dict(zip(vocabulary, ratios))
    assert weight["mourir"] > 0 > weight["rire"]


def test_the_model_reads_its_parts_back_and_ranks_a_crisis_above_an_idiom():
    rng = np.random.default_rng(0)
    crisis = ["je veux mourir ce soir", "j'ai les cachets je vais en finir", "I want to die tonight"] * 4
    safe = ["ce dossier va me tuer lol", "mort de rire", "combien de congés pour un mariage"] * 4
    views = [TextView(t, t, rng.normal(size=8).astype(np.float32)) for t in crisis + safe]
    labels = np.array([1] * len(crisis) + [0] * len(safe))
    model = CrisisModel.fit(views, labels, 1.0, 2, 2026)
    again = CrisisModel.from_parts(model.parts())
    probabilities = again.probabilities(views)
    assert np.allclose(probabilities, model.probabilities(views))
    assert probabilities[: len(crisis)].min() > probabilities[len(crisis) :].max()
