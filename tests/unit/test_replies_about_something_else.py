"""A reply about another question's subject is not read as the answer to this one.

People answer ahead, answer the question before, or talk about the medicine they have on
their mind. "Never heard of Radicava" said to the citizenship question has a "no" in it, but
it is not "not a citizen": reading it so ruled a man out. A time said of a medicine ("he's
been on Rilutek for about a year") is not when the weakness began. Such a reply is asked
again; the question it does answer reads it when it comes. Both sides are pinned.
"""
from __future__ import annotations

from datetime import date
from typing import Optional

import pytest

from bot.trial.model import Trial
from tests.prescreen_driver import Chat, read_to

TODAY = date(2026, 12, 4)


def read(trial: Trial, question_id: str, text: str) -> Optional[object]:
    return read_to(trial, question_id, text, TODAY)


@pytest.mark.parametrize(("question_id", "text"), [
    ("us_resident", "never heard of radicava"),
    ("us_resident", "he has never been on rilutek"),
    ("can_travel", "never tried radicava"),
    ("riluzole_taking", "never took radicava"),
    ("other_drug_trial", "no methotrexate"),
    ("weakness_started", "hes been on rilutek for about a year"),
    ("weakness_started", "started riluzole 3 months ago"),
])
def test_a_reply_about_another_questions_subject_is_not_this_ones_answer(
    trial: Trial, question_id: str, text: str
) -> None:
    assert read(trial, question_id, text) is None


@pytest.mark.parametrize(("question_id", "text", "expected"), [
    ("us_resident", "no", "no"),
    ("us_resident", "no, only radicava", "no"),  # a no of its own, then something else
    ("riluzole_taking", "no never took riluzole", "no"),  # its own medicine
    ("edaravone_recent", "never heard of radicava", "no"),
    ("immunosuppressant_recent", "no steroids or anything like that", "no"),
    ("autoimmune", "no lupus or anything", "no"),
    ("diagnosed", "yes they started him on riluzole", "yes"),  # a yes, with news
    ("can_travel", "no, he doesnt take radicava and he cant travel", "no"),
    ("other_drug_trial", "nope not in any other study", "no"),
])
def test_an_answer_that_also_names_something_else_is_still_read(
    trial: Trial, question_id: str, text: str, expected: str
) -> None:
    assert read(trial, question_id, text) == expected


def test_times_of_the_weakness_are_read_even_beside_a_medicine(trial: Trial) -> None:
    months = read(trial, "weakness_started", "his legs got weak about a year ago, before rilutek")
    assert months == read(trial, "weakness_started", "about a year ago") != None  # noqa: E711


def test_a_man_answering_ahead_is_asked_again_and_not_ruled_out(trial: Trial) -> None:
    """Said to the citizenship question, "never heard of Radicava" was read as "not a citizen"
    and ruled him out; at the age question, "he's been on Rilutek for about a year, same dose"
    changed the weakness's start. Now each question is asked again, and both read rightly when
    their own question comes."""
    chat = Chat(trial, TODAY, opening="can my dad join").agree()
    chat.answer_until("age")
    before = dict(chat.answers)
    chat.say("hes been on rilutek for about a year same dose the whole time")
    assert chat.question == "age" and chat.answers == before  # no correction, asked again
    chat.say("seventy one")
    chat.answer_until("us_resident")
    chat.say("never heard of radicava")
    assert chat.question == "us_resident" and "us_resident" not in chat.answers
    chat.say("yes born in chicago")
    assert chat.answers["us_resident"] == "yes"
    chat.answer_all()
    assert chat.state.finished
