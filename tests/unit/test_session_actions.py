"""Coming back after a break: the new session offers the unfinished pre-screen back.

Rasa starts a new session after an idle hour and resets the form; `Person` (the same
stand-in for Rasa as in test_prescreen_actions) plays that: the session start action runs
with the old session's slots, then Rasa forgets every slot and the active form.
"""
from __future__ import annotations

from typing import Any

import pytest

from actions.prescreen import ActionAskPrescreenReply
from actions.session import ActionResumePrescreen, ActionSessionStart
from bot.prescreen.state import CONSENT, State
from tests.unit.test_prescreen_actions import Person, saved


def new_session_after_a_break(person: Person) -> list[dict[str, Any]]:
    """The session start action sees the old slots; then Rasa resets them and the form."""
    person._message("hi again", "greet", 0.95)
    old_slots = dict(person.slots)
    person.slots = {name: None for name in person.slots} | {"delete_requested": False, "forget_conversation": False}
    person.slots.update({k: v for k, v in old_slots.items() if k in ("prescreen",)})  # what the tracker still holds
    events = person.run(ActionSessionStart())
    person.slots["prescreen"] = None  # SessionStarted: every slot back to its initial value ...
    person.active_loop, person.slots["requested_slot"] = {}, None
    for event in events:  # ... then the ones the action carried over
        if event["event"] == "slot":
            person.slots[event["name"]] = event["value"]
    return events


def carry_on(person: Person) -> Person:
    person._message("/resume_prescreen", "resume_prescreen", 1.0)
    person.run(ActionResumePrescreen())
    person.active_loop = {"name": "prescreen_form"}
    person.slots["requested_slot"] = "prescreen_reply"
    person.run(ActionAskPrescreenReply(), "action_resume_prescreen")
    return person


@pytest.fixture()
def halfway() -> Person:
    person = Person().start("can my husband join?").say("Yes, I agree")
    for typed in ("yes", "yes, an EMG", "about a year ago", "he is 58"):
        person.say(typed)
    return person


def test_after_a_break_the_unfinished_pre_screen_is_offered_back(halfway: Person) -> None:
    new_session_after_a_break(halfway)
    offer = halfway.messages[0]
    assert offer["text"] == (
        "Welcome back. You stopped part-way through the pre-screen about your husband, with 4 answers "
        "so far. Would you like to carry on where you stopped?"
    )
    assert [b["title"] for b in offer["buttons"]] == ["Carry on", "Start again"]
    assert halfway.slots["prescreen"] is None and halfway.slots["prescreen_paused"] is not None


def test_carrying_on_shows_the_answers_and_asks_the_question_where_they_stopped(halfway: Person) -> None:
    new_session_after_a_break(halfway)
    carry_on(halfway)
    texts = halfway.texts()
    assert texts[0].startswith("Let's carry on. Your answers so far:")
    assert "- Age: 58" in texts[0] and "- ALS diagnosis: Yes" in texts[0]
    assert texts[1].startswith("Is your husband a US citizen")  # the question after his age (sex is known)
    halfway.say("yes")
    halfway.say("yes")
    state = State.from_dict(halfway.slots["prescreen"])
    assert state.answers["age"] == 58 and state.answers["can_travel"] == "yes"
    assert saved(halfway).answers["age"] == 58  # the same stored record goes on
    assert halfway.slots["prescreen_paused"] is None


def test_a_finished_or_declined_pre_screen_is_not_offered_back() -> None:
    person = Person().start().say("No thanks")
    new_session_after_a_break(person)
    assert person.messages == [] and person.slots.get("prescreen_paused") is None


def test_carry_on_with_nothing_to_carry_on_starts_from_consent() -> None:
    person = Person()
    carry_on(person)
    texts = person.texts()
    assert texts[0] == "There's no unfinished pre-screen to carry on, so let's start from the beginning."
    assert "Do you agree to answer these questions?" in texts[1]


def test_start_again_after_a_break_begins_a_new_pre_screen(halfway: Person) -> None:
    new_session_after_a_break(halfway)
    halfway.start("/check_eligibility")
    assert State.from_dict(halfway.slots["prescreen"]).answers == {}
    assert "Do you agree to answer these questions?" in halfway.texts()[-1]


def test_delete_my_data_after_a_break_forgets_the_paused_pre_screen_too(halfway: Person) -> None:
    from actions.deletion import ActionDeleteMyData

    new_session_after_a_break(halfway)
    halfway._message("/affirm", "affirm", 1.0)
    halfway.run(ActionDeleteMyData())
    assert halfway.slots["prescreen_paused"] is None and halfway.slots["prescreen"] is None
    assert saved(halfway) is None


def test_a_correction_after_the_result_reopens_the_form_at_the_review() -> None:
    from actions.menu import ActionShowMenu

    person = Person().start().say("Yes, I agree").answer_all()
    assert person.slots["prescreen"]["stage"] == "done"
    person._message("oops, I'm actually 45", "inform", 0.9)
    events = person.run(ActionShowMenu())
    assert person.texts()[0] == "Thanks, I've changed that answer. Age: 45."
    assert {"event": "followup", "name": "prescreen_form"} in [
        {k: e.get(k) for k in ("event", "name")} for e in events
    ]
    assert person.slots["prescreen"]["stage"] == "review" and person.slots["prescreen"]["answers"]["age"] == 45
    assert saved(person).answers["age"] == 45


def test_a_question_after_the_result_is_answered_not_taken_for_a_correction() -> None:
    from actions.answers import ActionAnswerQuestion

    person = Person().start().say("Yes, I agree").answer_all()
    person._message("is 45 too old for the study?", "ask_age_sex", 0.95)
    events = person.run(ActionAnswerQuestion())
    assert not any(e["event"] == "followup" for e in events)
    assert person.slots["prescreen"]["stage"] == "done"


def test_yes_to_an_answer_offering_the_pre_screen_starts_it_for_whom_the_question_named() -> None:
    from actions.menu import ActionShowMenu

    person = Person()
    person._message("yes please", "affirm", 0.97)
    offer = [{"title": "Check if I may qualify", "payload": "/check_eligibility"}]
    events = person.run(ActionShowMenu(), extra=(
        {"event": "user", "text": "can my wife join the study?"},
        {"event": "bot", "text": "...a short pre-screen.", "data": {"buttons": offer}},
        {"event": "user", "text": "yes please"},
    ))
    assert {"event": "followup", "name": "prescreen_form"} in [{k: e.get(k) for k in ("event", "name")} for e in events]
    state = State.from_dict(person.slots["prescreen"])
    assert state.stage == CONSENT and state.subject().name == "your wife"


def test_yes_after_the_topic_menu_shows_the_menu_not_the_pre_screen() -> None:
    from actions.menu import ActionShowMenu

    person = Person()
    person._message("yes", "affirm", 0.97)
    menu = [{"title": "Safety so far", "payload": "/ask_safety"},
            {"title": "Check if I may qualify", "payload": "/check_eligibility"}]
    events = person.run(ActionShowMenu(), extra=(
        {"event": "user", "text": "what can you do"},
        {"event": "bot", "text": "pick a topic", "data": {"buttons": menu}},
        {"event": "user", "text": "yes"},
    ))
    assert not any(e["event"] == "followup" for e in events) and person.slots["prescreen"] is None


def test_stop_then_carry_on_goes_on_where_they_stopped() -> None:
    person = Person().start("can my husband join?").say("Yes, I agree")
    for typed in ("yes", "yes, an EMG", "about a year ago"):
        person.say(typed)
    person.say("stop")
    assert person.stage == "stopped" and person.active_loop == {}
    assert person.messages[0]["buttons"] == [{"title": "Carry on", "payload": "/resume_prescreen"}]
    carry_on(person)  # "ok I'm ready, carry on where we left off": NLU's resume_prescreen
    texts = person.texts()
    assert texts[0].startswith("Let's carry on. Your answers so far:") and "- ALS diagnosis: Yes" in texts[0]
    assert texts[1] == "How old is your husband?"  # not consent again, not the first question
    person.say("58")
    state = State.from_dict(person.slots["prescreen"])
    assert state.answers["age"] == 58 and state.answers["diagnosed"] == "yes"
    assert saved(person).answers["age"] == 58


def test_a_stopped_pre_screen_is_offered_back_in_a_new_session() -> None:
    person = Person().start().say("Yes, I agree").say("Me").say("yes")
    person.say("I need to stop for now, I'm tired")
    new_session_after_a_break(person)
    assert person.messages[0]["text"].startswith("Welcome back. You stopped part-way")
    carry_on(person)
    assert person.texts()[1].startswith("Have your doctors done tests")


def test_ok_im_ready_after_a_pause_carries_on() -> None:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.menu import ActionShowMenu
    from actions.session import offered_carry_on

    person = Person().start().say("Yes, I agree").say("Me").say("yes")
    person.say("I'm tired, later")
    pause = person.messages[0]
    latest = {"text": "ok I'm ready", "intent": {"name": "affirm", "confidence": 0.97}, "entities": []}
    events = [{"event": "bot", "text": pause["text"], "data": {"buttons": pause["buttons"]}},
              {"event": "user", "text": "ok I'm ready", "parse_data": latest}]
    tracker = Tracker(person.sender, dict(person.slots), latest, events, False, None, {}, "action_listen")
    assert offered_carry_on(tracker)
    dispatcher = CollectingDispatcher()
    import asyncio
    result = asyncio.run(ActionShowMenu().run(dispatcher, tracker, {}))
    assert dispatcher.messages[0]["text"].startswith("Let's carry on.")
    state = next(e["value"] for e in result if e.get("name") == "prescreen")
    assert state["stage"] == "asking" and state["answers"]["diagnosed"] == "yes"
    assert result[-1] == {"event": "followup", "name": "prescreen_form", "timestamp": None}
