"""Runs in the Rasa environment (make test): the crisis model's parts, without a trained model."""

import numpy as np
import pytest
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from rasa_components.crisis_model import CrisisModel, Neighbours, _indicators, log_count_ratios
from rasa_components.text_features import TextFeatures, TextView, side_by_side, unit_vectors, vectorized

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


def test_features_fitted_on_texts_are_those_computed_afterwards_and_char_indicators_are_char_counts():
    rng = np.random.default_rng(3)
    views = [TextView(t.lower(), t, rng.normal(size=8).astype(np.float32)) for t in TEXTS]
    features = TextFeatures()
    fitted = features.fit_blocks(views)
    again = features.blocks(views)
    assert list(fitted) == list(again) == ["words", "chars", "lemmas", "vector"]
    for name in fitted:
        assert np.abs(fitted[name] - again[name]).max() < 1e-12, name
    assert np.abs(features.fit_transform(views) - features.transform(views)).max() < 1e-12
    # The crisis model's character indicators: a binary count of the same n-grams, the SVM's vocabulary.
    model = CrisisModel.fit(views, np.array([1, 0, 0, 1, 0, 1, 1]), 1.0, 2, 2026)
    counts = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), binary=True, min_df=2).fit(
        [v.folded for v in views]
    )
    words_and_lemmas = sum(len(v.vocabulary_) for v in model.indicator_vectorizers.values())
    chars = _indicators(model.indicator_vectorizers, views, model.features.blocks(views)["chars"])[:, words_and_lemmas:]
    assert counts.vocabulary_ == model.features.chars.vocabulary_
    assert np.abs(chars - counts.transform([v.folded for v in views])).max() == 0


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
    assert np.allclose(again.scores(views), model.scores(views))
    assert probabilities[: len(crisis)].min() > probabilities[len(crisis) :].max()
    # The indicators the regression reads: words, lemmas, then the SVM's character n-grams.
    indicators = _indicators(model.indicator_vectorizers, views, model.features.blocks(views)["chars"])
    assert indicators.shape[1] == len(model.weighted_indicators.weights)


def test_the_neighbours_share_is_the_crisis_share_of_the_nearest_training_messages():
    rng = np.random.default_rng(2)
    crisis = ["je vais avaler toutes mes pilules ce soir", "I will jump off the bridge tonight"]
    safe = ["combien de jours de congé pour un mariage", "ce dossier va me tuer lol", "mort de rire au pot"]
    vectors = {t: rng.normal(size=16).astype(np.float32) for t in crisis + safe}
    views = [TextView(t, t, vectors[t]) for t in crisis + safe]
    features = TextFeatures().fit(views)
    neighbours = Neighbours.fit(features.transform(views), unit_vectors(views), np.array([1, 1, 0, 0, 0]))
    probes = [
        views[0],
        views[1],
        views[2],
        views[4],
        TextView("ce dossier va me tuer", "ce dossier va me tuer", vectors[safe[1]]),
    ]
    shares = neighbours.share(features.transform(probes), unit_vectors(probes))
    # An exact duplicate is its own nearest neighbour (similarity 1, weight 1); the others weigh similarity ** 10.
    assert shares[:2] == pytest.approx([1.0, 1.0], abs=0.01)
    assert shares[2:4] == pytest.approx([0.0, 0.0], abs=0.01)
    assert shares[4] < 0.05
    similarities = neighbours.similarities(features.transform(probes), unit_vectors(probes))
    assert similarities[np.arange(4), [0, 1, 2, 4]] == pytest.approx([1.0] * 4, abs=1e-4)
    assert similarities.max() <= 1 + 1e-4
