"""People who answer the pre-screen in their own way, over REST, as a new user would.

They dictate ("sixty two period"), describe facts instead of saying yes or no ("born and
raised in Ohio", "stable dose for months"), say how they feel, pause and come back. Each
reaches the right verdict, and no one is handed off because an answer was hard to read.
"""
from __future__ import annotations

from bot.prescreen.subject import Subject
from tests.e2e.conftest import text_of
from tests.e2e.test_prescreen import REVIEW_CONFIRM, Person, asked_question, button_titles, result_of

DICTATED_AND_DESCRIBED = {
    "diagnosed": "my neurologist put me in the possible category comma not probable yet",
    "other_causes_ruled_out": "yes comma they did an EMG period",
    "weakness_started": "fourteen months ago period",
    "age": "sixty two period",
    "sex": "male period",
    "us_resident": "born and raised in Ohio",
    "can_travel": "yes we can drive there period",
    "riluzole_taking": "stable dose for months",  # answers the steady-dose question too
    "autoimmune": "no period",
    "other_drug_trial": "no comma never",
    "breathing_support": "no comma nothing",
    "edaravone_recent": "my last Radicava infusion was four and a half weeks ago period",
    "immunosuppressant_recent": "no",
}


def no_handoff(messages: list[dict]) -> bool:
    return not any((m.get("custom") or {}).get("topic") == "contact" for m in messages)


def test_a_dictated_and_described_pre_screen_is_read_and_likely_eligible(chat) -> None:
    person = Person(chat, Subject.self())
    person.say("am I eligible")
    person.say("yes period")
    result = person.answer_all(DICTATED_AND_DESCRIBED)
    assert result["verdict"] == "likely_eligible", result
    assert "riluzole_stable" not in person.asked  # "stable dose for months" said it
    assert "Not sure" not in (person.reviewed or "")


def test_feelings_a_pause_and_carrying_on_later(chat) -> None:
    person = Person(chat, Subject.self())
    person.say("check if I qualify")
    person.say("Yes, I agree")
    for _ in range(3):
        person.say(DICTATED_AND_DESCRIBED[asked_question(person.last, person.subject)])  # type: ignore[index]
    question = asked_question(person.last, person.subject)
    assert question == "age"

    kind = person.say("this is all so overwhelming")
    assert "I'm sorry you're going through this" in text_of(kind) and no_handoff(kind)
    assert asked_question(kind, person.subject) == "age"  # the same question again

    paused = person.say("I need to stop for now, I'm tired")
    assert "take a break" in text_of(paused) and "Carry on" in button_titles(paused)
    assert asked_question(paused, person.subject) is None  # nothing more is asked

    between = person.say("who is running the study?")  # a question while stopped is answered
    assert "Mayo Clinic" in text_of(between)

    back = person.say("ok I'm ready, carry on where we left off")
    assert "Let's carry on" in text_of(back)
    assert asked_question(back, person.subject) == "age"  # where they stopped, not consent again
    result = person.answer_all(DICTATED_AND_DESCRIBED)
    assert result["verdict"] == "likely_eligible", result


def test_answers_that_cannot_be_read_are_left_for_the_team_without_a_hand_off(chat) -> None:
    person = Person(chat, Subject.self())
    person.say("am I eligible")
    person.say("yes")
    said: list[dict] = []
    answers = dict(DICTATED_AND_DESCRIBED)
    for _ in range(30):
        if result_of(person.last):
            break
        if REVIEW_CONFIRM in button_titles(person.last):
            person.say(REVIEW_CONFIRM)
            continue
        question = asked_question(person.last, person.subject)
        assert question is not None, text_of(person.last)
        person.asked.append(question)
        if question == "us_resident":
            said += person.say("well it's complicated")
            assert "for example: yes, no, or not sure" in text_of(person.last)
            said += person.say("hard to explain really")
            assert "marked" in text_of(person.last) and "not sure" in text_of(person.last)
            continue
        said += person.say(answers[question])
    result = result_of(person.last)
    assert result is not None and result["verdict"] == "needs_review"
    assert [c["id"] for c in result["criteria"] if c["status"] == "unknown"] == ["us_resident"]
    assert no_handoff(said)
