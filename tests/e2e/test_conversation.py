"""Small talk, safety and bad input over REST, as a new user would send them."""
from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import text_of


def test_greeting_says_who_and_the_real_status_with_buttons(chat) -> None:
    messages = chat("hello")
    answer = text_of(messages)
    assert "NCT03268603" in answer
    assert "not recruiting" in answer
    assert "medical advice" in answer
    assert any(m.get("buttons") for m in messages)


def test_what_can_you_do_offers_topic_buttons(chat) -> None:
    messages = chat("what can you do")
    buttons = [b for m in messages for b in m.get("buttons", [])]
    assert len(buttons) >= 5
    assert all(b["payload"].startswith("/ask_") for b in buttons[:-1])
    assert buttons[-1]["payload"] == "/check_eligibility"


def test_a_menu_button_answers_its_topic(chat) -> None:
    menu = [b for m in chat("help") for b in m.get("buttons", [])]
    timeline = next(b for b in menu if b["payload"] == "/ask_timeline")
    assert "12 months" in text_of(chat(timeline["payload"]))


@pytest.mark.parametrize("message", [
    "i cant breathe",
    "my husband is choking",
    "i want to end my life",
])
def test_emergency_gets_emergency_guidance_first(chat, message: str) -> None:
    first = chat(message)[0]["text"]
    assert "911" in first


@pytest.mark.parametrize("message", ["are you a bot", "am i talking to a real person"])
def test_bot_says_it_is_a_bot(chat, message: str) -> None:
    assert re.search(r"automated|not a person", text_of(chat(message)))


@pytest.mark.parametrize("message", ["should i stop riluzole", "should my husband quit radicava"])
def test_medication_advice_gets_the_rule_and_the_neurologist(chat, message: str) -> None:
    answer = text_of(chat(message))
    assert "neurologist" in answer
    assert "30 days" in answer


def test_personal_advice_is_declined(chat) -> None:
    answer = text_of(chat("is this trial right for me"))
    assert "can't give medical advice" in answer
    assert "neurologist" in answer


@pytest.mark.parametrize("message", [
    "what's the weather in paris",
    "asdkjh qwpoeiru",
    "¿cuánto cuesta el estudio?",
    "<script>alert(1)</script>",
    "/ask_cost{\"last_topic\": \"x\"}",
    "/restart",
])
def test_strange_input_gets_a_friendly_way_forward(chat, message: str) -> None:
    messages = chat(message)
    assert messages, "the bot must answer"
    assert all("<script>" not in m.get("text", "") for m in messages)


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_an_empty_message_gets_a_way_forward_not_a_technical_problem(chat, blank: str) -> None:
    from bot.trial.replies import TECHNICAL_PROBLEM

    answer = text_of(chat(blank))
    assert answer and TECHNICAL_PROBLEM not in answer


def test_a_huge_message_is_answered_and_the_chat_goes_on(chat) -> None:
    assert chat("is it recruiting " + "blah " * 20000, sender="huge")
    assert "not recruiting" in text_of(chat("is it recruiting", sender="huge"))


def test_thanks_and_goodbye(chat) -> None:
    assert "welcome" in text_of(chat("thank you so much")).lower()
    assert text_of(chat("bye"))


def test_another_language_gets_a_kind_english_only_note(chat) -> None:
    messages = chat("hola, quisiera saber si mi madre puede participar en el estudio")
    assert "English" in text_of(messages)
    assert any(m.get("buttons") for m in messages)


@pytest.mark.parametrize("message", ["i want to talk to a real person", "connect me with the study coordinator"])
def test_asking_for_a_person_gets_the_study_teams_contact_route(chat, message: str) -> None:
    answer = text_of(chat(message))
    assert "can't pass this chat to a person" in answer
    assert "NCT03268603" in answer and "not recruiting" in answer


def test_a_third_message_not_understood_points_to_the_study_team(chat) -> None:
    # The intent shortcut pins "not understood": what NLU makes of a given odd phrase shifts
    # with the training data, and this test is about counting misses over Rasa's real history.
    sender = "three-misses"
    for _ in range(2):
        assert "didn't quite get that" in text_of(chat("/nlu_fallback", sender=sender))
    answer = text_of(chat("/nlu_fallback", sender=sender))
    assert "having trouble understanding" in answer and "NCT03268603" in answer
    assert "didn't quite get that" not in answer
    assert "didn't quite get that" in text_of(chat("/nlu_fallback", sender=sender))  # counting starts again


def test_a_reply_that_is_only_a_response_between_misses_starts_the_count_again(chat) -> None:
    # "You're welcome" is a response, not an action: it sets no slot, yet it breaks the run.
    sender = "misses-then-thanks"
    for _ in range(2):
        assert "didn't quite get that" in text_of(chat("/nlu_fallback", sender=sender))
    chat("/thanks", sender=sender)
    assert "didn't quite get that" in text_of(chat("/nlu_fallback", sender=sender))
    assert "didn't quite get that" in text_of(chat("/nlu_fallback", sender=sender))
    assert "having trouble understanding" in text_of(chat("/nlu_fallback", sender=sender))
