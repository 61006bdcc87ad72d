"""Each move of a reply, alone: whether a reply makes it, and what it changes and says
(bot/prescreen/moves/); and which moves each stage listens for."""
from __future__ import annotations

from bot.prescreen import moves
from bot.prescreen.form_requests import Turn
from bot.prescreen.moves import care, delete, emergency, pause, person, show_answers, start_over, stop
from bot.prescreen.state import ASKING, CONSENT, DELETE_REQUESTED, FOR_WHOM, REVIEW, RULED_OUT, STOPPED, WORDS, State
from bot.trial.model import Trial
from bot.understanding.reading import read_reply
from tests.prescreen_driver import READING_DAY


def asking(**answers) -> State:
    return State(stage=ASKING, is_self=True, answers=dict(answers))


def made(move, trial: Trial, state: State, text: str, intent: str = "", confidence: float = 0.0) -> bool:
    reply = read_reply(text, READING_DAY)
    return move.said(trial, state, Turn(reply.text, intent, confidence), reply)


def applied(move, trial: Trial, state: State, text: str):
    reply = read_reply(text, READING_DAY)
    return move.apply(trial, state, Turn(reply.text), reply)


def test_at_consent_only_an_emergency_a_deletion_or_a_person_is_a_move() -> None:
    assert moves.route(CONSENT) == (emergency, delete, person)
    assert stop not in moves.route(CONSENT)  # "stop" at consent is a "no" to the questions


def test_after_a_rule_out_stop_here_is_the_stages_choice_not_a_move() -> None:
    assert stop not in moves.route(RULED_OUT) and pause in moves.route(RULED_OUT)
    assert start_over not in moves.route(FOR_WHOM) and show_answers not in moves.route(FOR_WHOM)
    assert moves.route(ASKING) == moves.route(REVIEW)
    assert moves.route(ASKING)[:3] == (emergency, delete, person)  # tried first, whatever the stage


def test_an_emergency_gets_the_guidance_and_leaves_the_form_as_it_was(trial: Trial) -> None:
    state = asking(diagnosed="yes")
    assert made(emergency, trial, state, "he is choking", "emergency", 0.95)
    assert not made(emergency, trial, state, "yes")
    assert [r.response for r in applied(emergency, trial, state, "he is choking")] == ["utter_emergency"]
    assert state == asking(diagnosed="yes")


def test_delete_my_data_ends_the_form_for_the_adapter_to_confirm(trial: Trial) -> None:
    state = asking()
    assert made(delete, trial, state, "please delete my answers")
    assert not made(delete, trial, state, "I forget, ask me later")
    assert applied(delete, trial, state, "delete my data") == [] and state.stage == DELETE_REQUESTED


def test_asking_for_a_person_gives_the_contact_route_then_the_question(trial: Trial) -> None:
    state = asking()
    assert made(person, trial, state, "can I talk to a real person?")
    said = applied(person, trial, state, "can I talk to a real person?")
    assert said[0].handoff == "asked" and said[-1].text == WORDS["back_to_question"]
    assert state.stage == ASKING


def test_stop_keeps_the_place_and_offers_to_carry_on(trial: Trial) -> None:
    state = asking(diagnosed="yes")
    assert made(stop, trial, state, "stop") and not made(stop, trial, state, "he stopped riluzole")
    said = applied(stop, trial, state, "stop")
    assert state.stage == STOPPED and state.stopped_at == ASKING and state.answers == {"diagnosed": "yes"}
    assert said[0].text == WORDS["stopped"] and said[0].buttons[0]["title"] == WORDS["carry_on"]


def test_a_pause_is_a_break_but_an_answer_about_stopping_a_medicine_is_not(trial: Trial) -> None:
    state = asking()
    assert made(pause, trial, state, "I'm tired, can we finish this later")
    assert not made(pause, trial, state, "I need to stop riluzole")
    said = applied(pause, trial, state, "I'm tired, can we finish this later")
    assert state.stage == STOPPED and said[0].text == WORDS["paused"]


def test_a_feeling_gets_kind_words_then_the_same_question(trial: Trial) -> None:
    state = asking()
    assert made(care, trial, state, "this is all so overwhelming")
    assert not made(care, trial, state, "about a year ago")
    said = applied(care, trial, state, "this is all so overwhelming")
    assert len(said) == 2 and said[-1].text == WORDS["back_to_question"] and state.stage == ASKING


def test_start_over_drops_the_answers_and_begins_again(trial: Trial) -> None:
    state = asking(diagnosed="yes", age=54)
    assert made(start_over, trial, state, "can we start over")
    assert [r.text for r in applied(start_over, trial, state, "start over")] == [WORDS["start_over"]]
    assert state.answers == {} and state.stage == ASKING


def test_show_my_answers_lists_them_and_changes_nothing(trial: Trial) -> None:
    state = asking(diagnosed="yes")
    assert made(show_answers, trial, state, "can I see my answers?")
    assert made(show_answers, trial, state, "list", "show_my_answers", 0.9)
    (said,) = applied(show_answers, trial, state, "show my answers")
    assert "ALS diagnosis: Yes" in (said.text or "") and state == asking(diagnosed="yes")
