"""Answering what people ask, with real rasa_sdk Trackers and a CollectingDispatcher.

The parse data is shaped as our NLU component sends it: the whole message's intent and
ranking, and `questions` for each question of a message that asks several.
"""
from __future__ import annotations

import asyncio
from typing import Any, Optional

import pytest
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.messages import WORDS
from bot.paths import REPO_ROOT
from actions.answers import ActionAnswerQuestion
from actions.menu import ActionGreet
from actions.not_understood import ActionNotUnderstood
from bot.trial import passages, replies
from bot.trial.loading import load_trial

DOMAIN: dict[str, Any] = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())


pytestmark = pytest.mark.usefixtures("screening_db")  # tests/unit/conftest.py


def question(text: str, intent: str, confidence: float = 0.9, asks: bool = True) -> dict:
    return {"text": text, "intent": intent, "confidence": confidence, "asks": asks}


def run(action: Action, text: str, intent: str, confidence: float = 0.9,
        questions: Optional[list[dict]] = None, ranking: Optional[list[tuple[str, float]]] = None,
        passages: Optional[list[dict]] = None,
        ) -> tuple[list[dict], list[dict]]:
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": n, "confidence": c} for n, c in (ranking or [])],
        "entities": [],
        "questions": questions or [],
        "passages": passages or [],
    }
    events = [{"event": "user", "text": text, "parse_data": parse, "input_channel": "rest"}]
    tracker = Tracker("someone", {"last_topic": None}, parse, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    returned = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, returned


def topics(messages: list[dict]) -> list[str]:
    return [m["custom"]["topic"] for m in messages if (m.get("custom") or {}).get("type") == "answer"]


def test_two_questions_in_one_message_get_both_answers_in_order() -> None:
    trial = load_trial()
    messages, events = run(
        ActionAnswerQuestion(), "Which hospital does it and how many times do I go?", "ask_locations", 0.6,
        [question("Which hospital does it", "ask_locations"),
         question("and how many times do I go?", "ask_dose_schedule")],
    )
    assert topics(messages) == ["locations", "dose_schedule"]
    assert "Rochester, Minnesota" in messages[0]["text"] and "every 3 months" in messages[1]["text"]
    # Each answer is headed by its topic, so the person sees which question it answers.
    assert messages[0]["text"].startswith(trial.topic("locations").title)
    assert {"event": "slot", "name": "last_topic", "value": "dose_schedule", "timestamp": None} in events


def test_the_recruiting_status_is_said_once_and_the_check_is_offered_once() -> None:
    messages, _ = run(
        ActionAnswerQuestion(), "who can join? where is it? how do I contact them?", "ask_eligibility", 0.7,
        [question("who can join?", "ask_eligibility"), question("where is it?", "ask_locations"),
         question("how do I contact them?", "ask_contact")],
    )
    text = " ".join(m["text"] for m in messages)
    assert text.count(load_trial().status_summary) == 1
    assert [m["buttons"] for m in messages if m["buttons"]] == [[replies.PRESCREEN_BUTTON]]


def test_context_around_one_question_does_not_get_an_answer_of_its_own() -> None:
    messages, _ = run(
        ActionAnswerQuestion(), "We are desperate. Does this actually help?", "care", 0.5,
        [question("We are desperate.", "care", 0.7, asks=False),
         question("Does this actually help?", "ask_efficacy")],
    )
    assert topics(messages) == ["efficacy"]
    assert "not proven" in messages[0]["text"]


def test_joining_gives_the_real_status_then_offers_the_prescreen() -> None:
    messages, _ = run(ActionAnswerQuestion(), "how do i sign up", "ask_join")
    assert "not recruiting" in messages[0]["text"]
    assert messages[0]["buttons"] == [replies.PRESCREEN_BUTTON]


def test_a_care_message_gets_kind_words_the_care_team_and_the_topics() -> None:
    messages, _ = run(ActionAnswerQuestion(), "he got the trach last week and i cant cope", "care")
    assert "neurologist or ALS care team" in messages[0]["text"]
    assert "medical advice" in messages[0]["text"]
    assert messages[0]["buttons"] == replies.menu_buttons(load_trial())


@pytest.mark.parametrize("topic, fact", [
    ("procedures", "fat biopsy"), ("after_study", "not available outside research"),
    ("other_trials", "ClinicalTrials.gov"), ("concurrent_trials", "within 30 days"),
])
def test_questions_the_listing_does_not_fully_answer_say_what_is_known(topic: str, fact: str) -> None:
    messages, _ = run(ActionAnswerQuestion(), "?", f"ask_{topic}")
    assert fact in messages[0]["text"]
    assert "study team" in messages[0]["text"] or "neurologist" in messages[0]["text"]


def test_unsure_nlu_offers_the_likeliest_topics_before_sorry() -> None:
    trial = load_trial()
    messages, _ = run(
        ActionNotUnderstood(), "how much would this run us", "nlu_fallback", 0.3,
        ranking=[("nlu_fallback", 0.3), ("ask_after_study", 0.21), ("ask_cost", 0.18),
                 ("out_of_scope", 0.14), ("ask_team", 0.02)],
    )
    assert messages[0]["text"] == f"{WORDS['did_you_mean']} {WORDS['sources_dont_say']}"
    assert messages[0]["buttons"] == [
        {"title": trial.topic("after_study").title, "payload": "/ask_after_study"},
        {"title": trial.topic("cost").title, "payload": "/ask_cost"},
        replies.SOMETHING_ELSE_BUTTON,
    ]


def test_gibberish_gets_a_bare_say_it_another_way() -> None:
    messages, _ = run(ActionNotUnderstood(), "sdkfj qpwo", "gibberish", 0.9,
                      ranking=[("gibberish", 0.9), ("ask_cost", 0.01)])
    assert messages[0]["response"] == "utter_please_rephrase"


def test_unsure_of_the_whole_but_sure_of_each_question_answers_them() -> None:
    messages, _ = run(
        ActionNotUnderstood(), "sign me up? and who do i call", "nlu_fallback", 0.3,
        [question("sign me up?", "ask_join"), question("and who do i call", "ask_contact")],
    )
    assert topics(messages) == ["join", "contact"]


def test_a_greeting_with_a_question_greets_and_answers() -> None:
    messages, _ = run(
        ActionGreet(), "hi! is it still recruiting?", "greet", 0.8,
        [question("hi!", "greet", asks=False), question("is it still recruiting?", "ask_status")],
    )
    assert "automated assistant" in messages[0]["text"]
    assert topics(messages) == ["status"]


CRAFTED_ENTITIES = [
    {"entity": "medication", "value": ["riluzole"]},
    {"entity": "medication", "value": {"name": "riluzole"}},
    {"entity": "medication", "value": 42},
    {"entity": "medication", "value": None},
    {"entity": "medication", "value": "not-a-medicine"},
    {"entity": "medication", "value": "r" * 100_000},
    {"entity": "medication"},
    "medication",
    {"entity": "medication", "value": "riluzole"},
]


@pytest.mark.parametrize("entities", [CRAFTED_ENTITIES, "riluzole", {"entity": "medication"}])
def test_crafted_entities_never_make_an_action_fail(entities: Any) -> None:
    """A person can type `/ask_medications{"medication": [...]}`: Rasa passes the entities on
    as they are. The action reads only lexicon names and still answers."""
    parse = {"text": "/ask_medications", "intent": {"name": "ask_medications", "confidence": 1.0},
             "intent_ranking": [], "entities": entities, "questions": []}
    events = [{"event": "user", "text": parse["text"], "parse_data": parse, "input_channel": "rest"}]
    tracker = Tracker("someone", {"last_topic": None}, parse, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker, DOMAIN))
    assert dispatcher.messages and all(m.get("text") or m.get("response") for m in dispatcher.messages)


def test_an_unsure_message_close_to_a_fact_gets_that_fact_quoted_with_its_source() -> None:
    trial = load_trial()
    passage = passages.passage_of(trial, "earlier_results.1")
    assert passage is not None
    messages, events = run(
        ActionNotUnderstood(), "any ppl treated b4 this one", "nlu_fallback", 0.3,
        ranking=[("nlu_fallback", 0.3), ("ask_safety", 0.2), ("ask_status", 0.1)],
        passages=[{"intent": "ask_earlier_results", "confidence": 1.2, "passage": passage.id},
                  {"intent": "ask_safety", "confidence": 0.9, "passage": "safety.0"}],
    )
    text = messages[0]["text"]
    # Quoted word for word, with the sentence before it ("...gave them to 27 people" says
    # what "them" is): nothing reworded or invented.
    assert f'"{passage.quote}"' in text
    assert passage.text in passage.quote and passage.quote in trial.topic("earlier_results").answer
    assert trial.sources["phase1_paper"].title in text
    assert messages[0]["custom"] == {
        "type": "answer", "topic": "earlier_results",
        "sources": [{"title": s.title, "url": s.url} for s in trial.cite(passage.sources)],
    }
    assert [b["payload"] for b in messages[0]["buttons"]][:2] == ["/ask_earlier_results", "/ask_safety"]
    assert events == [{"event": "slot", "timestamp": None, "name": "last_topic",
                       "value": "earlier_results"}]


def test_a_far_passage_is_not_said_and_the_reply_says_the_sources_may_not_say() -> None:
    messages, _ = run(
        ActionNotUnderstood(), "is there parking at the clinic", "nlu_fallback", 0.3,
        ranking=[("nlu_fallback", 0.3), ("ask_locations", 0.2)],
        passages=[{"intent": "ask_locations", "confidence": 0.6, "passage": "locations.0"}],
    )
    assert len(messages) == 1
    assert "study team" in messages[0]["text"] and "may not say" in messages[0]["text"]
    assert (messages[0].get("custom") or {}).get("type") != "answer"


@pytest.mark.parametrize("text", ["can my son join, he's only 16", "can a teenager join?"])
def test_an_age_question_about_someone_gets_the_rule_and_the_offer_of_the_pre_screen(text: str) -> None:
    messages, _ = run(ActionAnswerQuestion(), text, "ask_age_sex")
    assert "18 or older" in messages[0]["text"]
    assert messages[-1]["buttons"] == [replies.PRESCREEN_BUTTON]


@pytest.mark.parametrize("topic, says", [
    ("outcomes", ["adverse events", "ALSFRS-R", "0 to 48"]),
    ("earlier_results", ["27 people", "NCT01609283", "did not show that the treatment works"]),
    ("lumbar_puncture", ["lumbar puncture", "does not describe how the injection feels"]),
    ("placebo_why", ["This study has no placebo", "placebo effect"]),
    ("unproven_clinics", ["has not approved", "only in research", "sell unproven stem cell", "FDA has publicly warned"]),
    ("after_study", ["4-week follow-up", "about 2 years"]),
])
def test_the_new_topics_say_what_the_sources_say(topic: str, says: list[str]) -> None:
    messages, _ = run(ActionAnswerQuestion(), "?", f"ask_{topic}")
    for words in says:
        assert words in messages[0]["text"]
    assert messages[0]["custom"]["sources"]
