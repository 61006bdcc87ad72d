"""The intent classifier on a small training set, with the real pretrained word vectors."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.understanding.intent_model import IntentModel
from bot.understanding.word_vectors import load_word_vectors

EXAMPLES = {
    "ask_locations": ["where is the study", "which city is it in", "where do i have to go",
                      "is there a site near me", "what hospital runs it"],
    "ask_cost": ["how much does it cost", "who pays for this", "is it free",
                 "will insurance cover it", "do i have to pay"],
    "greet": ["hi", "hello", "good morning", "hey there", "hiya"],
}


@pytest.fixture(scope="module")
def model() -> IntentModel:
    texts = [t for examples in EXAMPLES.values() for t in examples]
    intents = [i for i, examples in EXAMPLES.items() for _ in examples]
    return IntentModel().fit(texts, intents)


def test_ranks_every_intent_with_confidences_that_add_up(model: IntentModel) -> None:
    ranking = model.rank(["where does it take place"])[0]
    assert ranking[0].intent == "ask_locations"
    assert sorted(r.intent for r in ranking) == sorted(EXAMPLES)
    assert sum(r.confidence for r in ranking) == pytest.approx(1.0)


def test_pretrained_vectors_carry_words_the_examples_never_used() -> None:
    vectors = load_word_vectors()
    clinic, hospital, weather = vectors.embed(["clinic", "hospital", "weather"])
    assert clinic @ hospital > clinic @ weather


def test_typos_still_land(model: IntentModel) -> None:
    assert model.rank(["hw much dose it cost"])[0][0].intent == "ask_cost"


def test_a_saved_model_answers_the_same(model: IntentModel, tmp_path: Path) -> None:
    path = tmp_path / "intent_model.pkl"
    model.save(path)
    again = IntentModel.load(path)
    assert again.rank(["who pays"])[0] == model.rank(["who pays"])[0]
    assert path.stat().st_size < 5_000_000  # the vectors are installed files, not pickled


def test_missing_word_vectors_say_how_to_install_them(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="fetch-word-vectors"):
        load_word_vectors(tmp_path)


def test_confidences_are_the_classifiers_own(model: IntentModel, tmp_path: Path) -> None:
    """The fast path (each view times its block of weights) gives scikit-learn's probabilities,
    before and after the model is saved and loaded."""
    texts = ["where does it take place", "hiya, who pays?", "", "rilutek and radicava", "x" * 600]
    expected = model._classifier.predict_proba(model._features(texts))
    path = tmp_path / "model.pkl"
    model.save(path)
    for answering in (model, IntentModel.load(path)):
        assert answering._probabilities(texts) == pytest.approx(expected, abs=1e-12)
