"""The replies outside the pre-screen (bot.answering), chosen from one reading of a message,
tested without Rasa: what a person gets for each kind of message nobody could place, and for
questions about the trial, from whichever trial file is loaded."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import pytest

from bot.answering.message import Message
from bot.answering.missed import missed_reply
from bot.answering.trial_questions import named_medicines_answer, topic_answers
from bot.messages import WORDS
from bot.prescreen.state import Reply
from bot.trial import passages
from bot.trial.loading import load_trial_file
from bot.trial.model import Trial

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "trials" / "TEST-FIXTURE-0001.yml"


def message(text: str, intent: str, confidence: float = 0.9, **parse: Any) -> Message:
    return Message.from_parse({"text": text, "intent": {"name": intent, "confidence": confidence}, **parse})


def answered_topics(replies: list[Reply]) -> list[str]:
    return [r.custom["topic"] for r in replies if (r.custom or {}).get("type") == "answer"]


def handoffs(replies: list[Reply]) -> list[Optional[str]]:
    return [r.handoff for r in replies if r.handoff]


def test_a_request_for_a_person_nlu_missed_gets_the_contact_route_noted_for_staff(trial: Trial) -> None:
    said = missed_reply(trial, message("can I talk to somebody about this study", "nlu_fallback", 0.3), False)
    assert handoffs(said.replies) == ["asked"]
    assert trial.handoff.asked in said.replies[0].text
    assert said.last_topic == "contact"


def test_an_unsure_message_with_clear_questions_gets_each_answered_in_order(trial: Trial) -> None:
    said = missed_reply(trial, message(
        "ok so. where is it done and is there a placebo", "nlu_fallback", 0.4,
        questions=[{"text": "where is it done", "intent": "ask_locations", "confidence": 0.9},
                   {"text": "is there a placebo", "intent": "ask_placebo", "confidence": 0.8}],
    ), False)
    assert answered_topics(said.replies) == ["locations", "placebo"]
    assert said.replies[0].text.startswith(trial.topic("locations").title + ": ")
    assert said.last_topic == "placebo" and not handoffs(said.replies)


def test_an_unsure_message_close_to_a_fact_gets_it_quoted_with_its_source(trial: Trial) -> None:
    passage = passages.trial_passages(trial)[0]
    said = missed_reply(trial, message(
        "what r u even testing", "nlu_fallback", 0.3,
        passages=[{"intent": f"ask_{passage.topic}", "confidence": 1.2, "passage": passage.id}],
    ), False)
    assert f'"{passage.quote}"' in said.replies[0].text
    assert said.replies[0].buttons[0]["payload"] == f"/ask_{passage.topic}"
    assert said.last_topic == passage.topic


def test_a_passage_not_close_enough_is_not_quoted_and_the_likely_topics_are_offered(trial: Trial) -> None:
    passage = passages.trial_passages(trial)[0]
    said = missed_reply(trial, message(
        "hmm the thing with the", "nlu_fallback", 0.3,
        intent_ranking=[{"name": "nlu_fallback", "confidence": 0.3}, {"name": "ask_safety", "confidence": 0.2}],
        passages=[{"intent": f"ask_{passage.topic}", "confidence": 0.6, "passage": passage.id}],
    ), False)
    assert len(said.replies) == 1 and passage.quote not in (said.replies[0].text or "")
    assert said.replies[0].text.startswith(WORDS["did_you_mean"])
    assert [b["payload"] for b in said.replies[0].buttons][:1] == ["/ask_safety"]
    assert said.last_topic is None


def test_a_medicine_named_alone_gets_its_rule_and_the_neurologist(trial: Trial) -> None:
    said = missed_reply(trial, message(
        "he stopped edaravone a while back", "out_of_scope", 0.7,
        entities=[{"entity": "medication", "value": "edaravone"}],
    ), False)
    assert answered_topics(said.replies) == ["medications"]
    assert said.replies[-1].response == "utter_talk_to_your_neurologist"
    assert said.last_topic == "medications"


@pytest.mark.parametrize("intent, intro", [
    ("other_language", "utter_other_language"),
    ("out_of_scope", "utter_out_of_scope"),
    ("gibberish", "utter_please_rephrase"),
    ("nlu_fallback", "utter_please_rephrase"),
])
def test_a_miss_is_asked_again_with_the_menu(trial: Trial, intent: str, intro: str) -> None:
    said = missed_reply(trial, message("qwpoeiru zzz", intent, 0.6), False)
    assert [r.response for r in said.replies] == [intro]
    assert said.replies[0].buttons and not handoffs(said.replies)


def test_the_third_miss_in_a_row_gets_the_contact_route_and_the_menu(trial: Trial) -> None:
    said = missed_reply(trial, message("asdf", "gibberish", 0.6), True)
    assert handoffs(said.replies) == ["repeated_failure"]
    assert trial.handoff.repeated_failure in said.replies[0].text
    assert said.replies[-1].text == WORDS["menu_prompt"] and said.replies[-1].buttons


def test_crafted_entities_name_no_medicine() -> None:
    crafted = message("/ask_medications", "ask_medications", 1.0, entities=[
        {"entity": "medication", "value": "x" * 10_000}, {"entity": "medication", "value": 7},
        "riluzole", {"entity": "medication"}, {"entity": "medication", "value": "not a medicine"},
    ])
    # Only a string short enough to be a lexicon name is kept, and only a lexicon name counts.
    assert crafted.medications == ("not a medicine",)
    assert crafted.medication_groups() == []
    assert message("x", "ask_medications", 1.0, entities="riluzole").medications == ()


def test_medical_advice_is_declined_before_any_answer(trial: Trial) -> None:
    said = topic_answers(trial, message("should I stop riluzole", "ask_medical_advice",
                                        entities=[{"entity": "medication", "value": "riluzole"}]),
                         ["ask_medical_advice"])
    assert said is not None
    assert said.replies[0].response == "utter_no_medical_advice"
    assert answered_topics(said.replies) == ["medications"]


def test_another_trial_file_gives_its_own_contact_route_and_answers() -> None:
    """No fact of the shipped trial is in the code: another file's words come out."""
    other = load_trial_file(FIXTURE)
    said = missed_reply(other, message("i want to talk to a human", "nlu_fallback", 0.2), False)
    assert other.handoff.asked in said.replies[0].text
    assert named_medicines_answer(other, message("no meds", "deny")) is None
