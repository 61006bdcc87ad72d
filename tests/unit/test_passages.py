"""Answers from the sources: the trial file's passages ranked against a question, and when
such a passage answers instead of a topic (bot.trial.passages, bot.understanding.topics.from_sources)."""
from __future__ import annotations

import pytest

from bot.understanding import topics
from bot.trial.passages import PassageIndex, passage_of, terms, trial_passages
from bot.trial.loading import load_trial
from bot.understanding.topics import FALLBACK, Guess


@pytest.fixture(scope="module")
def index() -> PassageIndex:
    from bot.understanding.word_vectors import load_word_vectors

    return PassageIndex.of_trial(load_trial(), load_word_vectors())


def test_every_passage_is_a_sentence_of_the_trial_file_with_its_sources() -> None:
    trial = load_trial()
    found = trial_passages(trial)
    assert found
    for passage in found:
        topic = trial.topic(passage.topic)
        assert topic is not None and topic.id not in {"care", "sources"}
        said = [topic.answer] + [m.answer for m in trial.medications.values()]
        assert any(passage.text in answer for answer in said)
        assert passage.text in passage.quote and any(passage.quote in answer for answer in said)
        assert passage.sources and all(k in trial.sources for k in passage.sources)
    assert passage_of(trial, found[0].id) == found[0]
    assert passage_of(trial, "no.such.passage") is None


def test_words_meet_their_other_forms() -> None:
    assert terms("What are they measuring?") == terms("what is measured") == ["measur"]
    assert terms("the injections") == terms("injection")


@pytest.mark.parametrize("text, topic", [
    ("ALSFRS-R 48 questions score", "outcomes"),
    ("was it published in the journal Neurology", "earlier_results"),
    ("FDA warning clinics selling unproven stem cell treatments", "unproven_clinics"),
    ("fat biopsy grown in a lab", "treatment"),
])
def test_a_question_with_a_facts_words_ranks_that_facts_topic_first(
    index: PassageIndex, text: str, topic: str
) -> None:
    ranked = index.rank(text)
    assert ranked[0].topic == topic
    assert len({m.topic for m in ranked}) == len(ranked)  # one match per topic
    assert ranked == sorted(ranked, key=lambda m: -m.score)


def test_an_empty_text_ranks_nothing(index: PassageIndex) -> None:
    assert index.rank("   ") == []


def _passages(*pairs: tuple[str, float]) -> list[Guess]:
    return [Guess(intent, score) for intent, score in pairs]


def test_a_close_passage_answers_only_when_the_classifier_is_unsure() -> None:
    close = _passages(("ask_earlier_results", topics.SOURCE_ANSWER + 0.1))
    unsure = Guess(FALLBACK, 0.3)
    assert topics.planned_reply(unsure, [], close) == ["ask_earlier_results"]
    # A topic the classifier is sure of keeps its own answer.
    assert topics.planned_reply(Guess("ask_status", 0.9), [], close) == ["ask_status"]
    # Questions the classifier is sure of are answered, not the passage.
    parts = [Guess("ask_cost", 0.9), Guess("ask_status", 0.9)]
    assert topics.planned_reply(unsure, parts, close) == ["ask_cost", "ask_status"]


def test_a_far_passage_or_none_leaves_the_unsure_message_unanswered() -> None:
    unsure = Guess(FALLBACK, 0.3)
    far = _passages(("ask_locations", topics.SOURCE_ANSWER - 0.1))
    assert topics.planned_reply(unsure, [], far) == [FALLBACK]
    assert topics.planned_reply(unsure, []) == [FALLBACK]
    assert topics.from_sources(unsure, [], far) is None
