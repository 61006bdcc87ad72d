"""Inside the form, a person is still a person.

A feeling or a loss, a pause, a question with several parts: each gets the same kind,
complete answer as outside the form, then the same question again, and nothing said in
it is taken as an answer ("my dad died two months ago" is no time since a last dose).
"Stop" or "I'm tired, later", then "ok I'm ready, carry on", goes on where they stopped.
"""
from __future__ import annotations

import pytest

from bot.trial import replies
from bot.messages import WORDS
from bot.prescreen.state import ASKING, DECLINED, FOR_WHOM, STOPPED, current_question
from bot.prescreen.resume import can_resume, resume_state
from bot.trial.model import Trial
from tests.unit.test_screening import Chat

CARE = "I'm sorry you're going through this."


@pytest.mark.parametrize("feeling", [
    "this is all so overwhelming",
    "sorry, my dad passed away last month and I can't think straight",
    "honestly I'm terrified",
    "we lost my brother to this in 2019",
    "i cant cope anymore",
])
def test_a_feeling_gets_kind_words_then_the_same_question(trial: Trial, feeling: str) -> None:
    chat = Chat(trial).agree().answer_until("riluzole_recent", {"riluzole_taking": "no"})
    before = dict(chat.answers)
    said = chat.say(feeling)
    assert said[0].text is not None and said[0].text.startswith(CARE)
    assert said[-1].text == "Now, back to the questions."
    assert chat.answers == before and chat.question == "riluzole_recent"  # "last month" was not an answer
    assert not any(r.handoff for r in said)


def test_a_feeling_with_a_question_gets_both_answers(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("age")
    said = chat.say("this is so overwhelming, is there a placebo?", "care", 0.6, topics=("care", "ask_placebo"))
    texts = [r.text or "" for r in said]
    assert texts[0].startswith(CARE)
    placebo = replies.answer_question(trial, "placebo")
    assert placebo is not None and placebo.text.split("\n")[0] in texts[1]
    assert texts[-1] == "Now, back to the questions."
    assert chat.question == "age" and "age" not in chat.answers


@pytest.mark.parametrize("pause", [
    "I need to stop for now, I'm tired",
    "I'm tired, later",
    "can we finish the rest later",
    "need a break",
    "im exhausted. tomorrow?",  # a question mark, and still a pause
])
def test_a_pause_stops_and_carry_on_goes_on_from_the_same_question(trial: Trial, pause: str) -> None:
    chat = Chat(trial).agree().answer_until("can_travel")
    said = chat.say(pause)
    assert chat.state.stage == STOPPED
    assert said[0].text == WORDS["paused"]
    assert said[0].buttons == [{"title": "Carry on", "payload": "/resume_prescreen"}]
    state = chat.state
    assert can_resume(state)
    resume_state(state)
    assert current_question(trial, state).id == "can_travel"  # type: ignore[union-attr]
    assert state.answers["us_resident"] == "yes"


def test_a_medicine_to_stop_is_an_answer_not_a_pause(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("riluzole_taking")
    chat.say("no, the doctor said I need to stop riluzole for now")
    assert chat.state.stage == ASKING and chat.answers["riluzole_taking"] == "no"


def test_an_answer_that_mentions_being_tired_is_an_answer(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("breathing_support")
    chat.say("only bipap at night when I'm tired")
    assert chat.state.stage == ASKING and chat.answers["breathing_support"] == "noninvasive"


@pytest.mark.parametrize("going_on", ["ok I'm ready, carry on where we left off", "ok let's continue", "yes continue",
                                      "im back"])
def test_carrying_on_inside_the_form_asks_the_question_again_and_answers_nothing(trial: Trial, going_on: str) -> None:
    chat = Chat(trial).agree().answer_until("can_travel")
    said = chat.say(going_on)
    assert [r.text for r in said] == ["OK, let's go on."]
    assert "can_travel" not in chat.answers and chat.question == "can_travel"  # "ok" / "yes" were not a yes


def test_a_question_with_several_parts_mid_form_gets_every_part_answered(trial: Trial) -> None:
    chat = Chat(trial).agree().answer_until("age")
    said = chat.say("is it still recruiting and who pays for it?", "ask_status", 0.55, topics=("ask_status", "ask_cost"))
    texts = [r.text or "" for r in said]
    status, cost = trial.topic("status"), trial.topic("cost")
    assert status is not None and cost is not None
    assert texts[0].startswith(f"{status.title}: ") and texts[1].startswith(f"{cost.title}: ")
    assert texts[0].count(trial.status_summary) + texts[1].count(trial.status_summary) <= 1
    assert texts[-1] == "Now, back to the questions."
    assert chat.question == "age" and "age" not in chat.answers


def test_a_stop_at_who_the_questions_are_about_carries_on_there(trial: Trial) -> None:
    chat = Chat(trial, opening="check eligibility").agree()
    assert chat.state.stage == FOR_WHOM
    chat.say("stop")
    state = resume_state(chat.state)
    assert state.stage == FOR_WHOM


def test_a_declined_pre_screen_is_not_carried_on(trial: Trial) -> None:
    chat = Chat(trial)
    chat.say("stop")  # before consent: declined, nothing kept
    assert chat.state.stage == DECLINED and not can_resume(chat.state)
