"""How answers are composed from the trial data."""
from __future__ import annotations

import pytest

from bot.trial import replies
from bot.trial.loading import load_trial


def test_topic_of_intent() -> None:
    assert replies.topic_for_intent("ask_placebo") == "placebo"
    assert replies.topic_for_intent("check_eligibility") == "eligibility"
    assert replies.topic_for_intent("greet") is None


def test_status_is_added_where_joining_is_implied() -> None:
    trial = load_trial()
    contact = replies.answer_question(trial, "contact")
    assert trial.status_summary in contact.text
    placebo = replies.answer_question(trial, "placebo")
    assert trial.status_summary not in placebo.text


def test_naming_a_medicine_gets_its_rule_instead_of_the_list() -> None:
    trial = load_trial()
    answer = replies.answer_question(trial, "medications", ["edaravone"])
    assert "Radicava" in answer.text
    assert "supplement" not in answer.text.lower()


def test_any_question_naming_a_medicine_adds_its_rule_once() -> None:
    trial = load_trial()
    answer = replies.answer_question(trial, "eligibility", ["riluzole", "riluzole"])
    assert answer.text.count(trial.medications["riluzole"].answer) == 1
    assert trial.status_summary in answer.text


def test_an_unnamed_medicine_gets_the_team_will_review_rule() -> None:
    trial = load_trial()
    answer = replies.answer_question(trial, "medications", ["other"])
    assert answer.text.startswith(trial.medications["other"].answer)
    assert "supplement" not in answer.text.lower()


def test_medicine_answers_state_the_real_status() -> None:
    """People ask about their medicines when they think of joining."""
    trial = load_trial()
    answer = replies.answer_question(trial, "medications", ["edaravone"])
    assert answer.text.endswith(trial.status_summary)
    assert replies.offer_buttons(trial, "medications") == [replies.PRESCREEN_BUTTON]


def test_unknown_topic_has_no_answer() -> None:
    assert replies.answer_question(load_trial(), "weather") is None


def test_sources_of_the_previous_answer() -> None:
    trial = load_trial()
    answer = replies.sources_answer(trial, "safety")
    assert "27784774" in answer.text
    assert "placebo" not in answer.text
    assert replies.sources_answer(trial, None).topic == "sources"


def test_menu_buttons_are_menu_topics_then_the_pre_screen() -> None:
    buttons = replies.menu_buttons(load_trial())
    assert {"title": "Is there a placebo?", "payload": "/ask_placebo"} not in buttons
    assert all(b["payload"].startswith("/ask_") for b in buttons[:-1])
    assert buttons[-1]["payload"] == "/check_eligibility"
    assert len(buttons) == len(load_trial().menu_topics()) + 1


def test_who_qualifies_offers_the_check() -> None:
    assert replies.offer_buttons(load_trial(), "eligibility") == [replies.PRESCREEN_BUTTON]
    assert replies.offer_buttons(load_trial(), "placebo") == []


def test_a_handoff_says_why_then_the_contact_route_and_the_real_status() -> None:
    trial = load_trial()
    contact = replies.answer_question(trial, "contact")
    asked = replies.handoff_answer(trial, "asked")
    assert asked.text.startswith(trial.handoff.asked)
    assert contact.text in asked.text and trial.status_summary in asked.text
    assert asked.text.endswith(trial.handoff.closing)
    assert "no one will contact you" in asked.text  # nobody calls back: nothing to call back on
    assert asked.sources == contact.sources and asked.payload()["sources"]
    missed = replies.handoff_answer(trial, "repeated_failure")
    assert missed.text.startswith(trial.handoff.repeated_failure) and contact.text in missed.text
    assert missed.text != asked.text


def test_a_handoff_needs_a_known_reason() -> None:
    with pytest.raises(ValueError):
        replies.handoff_answer(load_trial(), "bored")
