"""A reply that also answers the next question: read_follow_up, the answer it gives to a
question it was not asked, read only from what it says beyond a bare yes or no."""
from __future__ import annotations

from typing import Any

import pytest

from bot.prescreen.kinds import read_answer, read_follow_up
from bot.understanding.reading import read_reply
from bot.trial.model import Trial
from tests.prescreen_driver import READING_DAY, question_of as question


# Said to "Do you take riluzole now?"; what it tells "Has the dose stayed the same for 30 days?".
@pytest.mark.parametrize("text, expected", [
    ("he started it last week", "no"),  # on it 7 days: not a steady 30
    ("yes, same dose for 2 years", "yes"),
    ("yes, no change in the dose", "yes"),
    ("yes, they upped it 2 weeks ago", "no"),
    ("yes, they upped it 3 months ago", "yes"),
    ("yes, they changed it about a month ago", "unsure"),  # 15 to 46 days: either side of 30
    ("yes, Rilutek, started it 10 days ago", "no"),
    # Nothing about the dose: the question is asked.
    ("yes", None),
    ("no", None),
    ("not sure", None),
    ("yes he takes it", None),
    ("yes he takes it twice a day", None),  # how often is not how long
    ("been on it since 2023", None),  # on it for years says nothing about the dose
    ("yes he started it 3 months ago", None),  # a start long ago does not say the dose held
    ("yes, he's had ALS for 2 years", None),  # a time about something else
    ("yes, and he started baclofen last week", None),  # another medicine's time
    ("I think he started it last week", None),  # doubt is said to the question itself
    ("yes, they changed it I think", None),
])
def test_a_reply_about_taking_riluzole_answers_the_dose_question_only_when_it_says_so(
    trial: Trial, text: str, expected: Any
) -> None:
    assert read_follow_up(question(trial, "riluzole_stable"), read_reply(text, READING_DAY)) == expected


def test_the_reply_still_answers_the_question_it_was_asked(trial: Trial) -> None:
    """The same words: 'yes' to taking it, 'no' to a steady dose; the two readings agree."""
    text = "he started it last week"
    assert read_answer(question(trial, "riluzole_taking"), read_reply(text, READING_DAY)) == "yes"
    assert read_follow_up(question(trial, "riluzole_stable"), read_reply(text, READING_DAY)) == "no"


# Said to "Do you take riluzole now?"; what it tells "Any riluzole in the last 30 days?".
@pytest.mark.parametrize("text, expected", [
    ("no, he stopped Rilutek 2 months ago", "no"),
    ("no, he stopped riluzole 2 weeks ago", "yes"),
    ("no, never taken riluzole", "no"),
    ("no", None),
    ("no, he stopped riluzole", None),  # when matters: asked
    ("no, he stopped it 2 months ago", None),  # "it" is not named: asked
])
def test_a_reply_about_taking_riluzole_answers_when_it_was_last_taken_only_when_it_says_so(
    trial: Trial, text: str, expected: Any
) -> None:
    assert read_follow_up(question(trial, "riluzole_recent"), read_reply(text, READING_DAY)) == expected


@pytest.mark.parametrize("question_id, text, expected", [
    # Said to the edaravone question: "it" is edaravone, not an immunosuppressant.
    ("immunosuppressant_recent", "no, stopped it 2 months ago", None),
    ("immunosuppressant_recent", "no, but he was on prednisone until 2 weeks ago", "yes"),
    ("immunosuppressant_recent", "no, he came off prednisone 3 months ago", "no"),
    # Kinds a reply to another question never answers.
    ("autoimmune", "no, but she has lupus", None),
    ("age", "yes, he's 54", None),
])
def test_other_questions_are_read_only_from_their_own_medicine_with_a_time(
    trial: Trial, question_id: str, text: str, expected: Any
) -> None:
    assert read_follow_up(question(trial, question_id), read_reply(text, READING_DAY)) == expected
