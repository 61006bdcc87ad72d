"""Answers said aloud: dictation types punctuation as words and numbers as words.

People with ALS who tire of typing, or whose hands are weak, dictate. Their answers come
without punctuation, with "period" or "comma" said as words, and with numbers and years
as words ("sixty two", "twenty twenty three"). Each case is a whole reply, read by the
question it answers, as the pre-screen reads it; numeric rules are pinned on both sides.
"""
from __future__ import annotations

from typing import Any

import pytest

from bot.understanding.dictation import from_dictation
from bot.understanding.numbers import numbers_to_digits
from tests.prescreen_driver import read_to as read, status_after
from bot.trial.model import Trial


@pytest.mark.parametrize(("said", "typed"), [
    ("sixty two period", "sixty two."),
    ("no comma I don't think so period", "no, I don't think so."),
    ("what does that mean question mark", "what does that mean?"),
    ("yes exclamation point", "yes!"),
    ("oh wait comma I meant sixty one period", "oh wait, I meant sixty one."),  # a number, then the mark
    ("I stopped it comma about five weeks ago full stop", "I stopped it, about five weeks ago."),
    # The same words as nouns stay words.
    ("her last period was two years ago", "her last period was two years ago"),
    ("no period for a year", "no period for a year"),
    ("for a period of six months", "for a period of six months"),
])
def test_spoken_punctuation_becomes_marks(said: str, typed: str) -> None:
    assert from_dictation(said) == typed


@pytest.mark.parametrize(("said", "digits"), [
    ("twenty twenty three", "2023"),
    ("in twenty twenty", "in 2020"),
    ("nineteen sixty two", "1962"),
    ("nineteen oh five", "1905"),
    ("twenty ten", "2010"),
    ("two thousand and ten", "2010"),
    ("two thousand twenty three", "2023"),
    ("twenty one months", "21 months"),  # a tens word and a unit is one number, not a year
    ("between twenty and thirty", "between 20 and 30"),
    ("sixty-two", "62"),
])
def test_numbers_and_years_said_as_words(said: str, digits: str) -> None:
    assert numbers_to_digits(said) == digits


@pytest.mark.parametrize(("question_id", "said", "value"), [
    ("age", "sixty two period", 62),
    ("age", "I'm sixty two years old period", 62),
    ("age", "seventeen", 17),
    ("age", "born in nineteen fifty eight period", {"low": 66, "high": 67, "low_open": False, "high_open": False}),
    ("weakness_started", "fourteen months ago period", {"low": 13.5, "high": 14.5, "low_open": False, "high_open": False}),
    ("weakness_started", "it started in march twenty twenty four period",
     {"low": 14.47, "high": 15.47, "low_open": False, "high_open": False}),
    ("weakness_started", "eighteen months ago full stop", {"low": 17.5, "high": 18.5, "low_open": False, "high_open": False}),
    ("diagnosed", "yes period", "yes"),
    ("diagnosed", "no comma not yet", "no"),
    ("us_resident", "yes comma I'm a citizen period", "yes"),
    ("riluzole_taking", "yes comma fifty milligrams twice a day period", "yes"),
    ("riluzole_stable", "yes comma same dose for eight months", "yes"),
    ("riluzole_recent", "no comma she stopped it two months ago", "no"),
    ("edaravone_recent", "no comma never", "no"),
    ("breathing_support", "bipap at night period", "noninvasive"),
    ("breathing_support", "no comma nothing", "none"),
    ("sex", "female period", "female"),
    ("other_drug_trial", "no period", "no"),
])
def test_dictated_answers_are_read(trial: Trial, question_id: str, said: str, value: Any) -> None:
    assert read(trial, question_id, said) == value


@pytest.mark.parametrize(("question_id", "said", "criterion", "status"), [
    ("age", "seventeen period", "age_18_plus", "fail"),
    ("age", "eighteen period", "age_18_plus", "pass"),
    ("weakness_started", "twenty three months ago period", "weakness_under_2_years", "pass"),
    ("weakness_started", "twenty five months ago period", "weakness_under_2_years", "fail"),
    ("weakness_started", "about two years ago", "weakness_under_2_years", "unknown"),
    ("weakness_started", "it started years ago", "weakness_under_2_years", "fail"),  # 2 years or more
    ("edaravone_recent", "his last infusion was four and a half weeks ago period", "edaravone_30_days", "pass"),
    ("edaravone_recent", "three and a half weeks ago", "edaravone_30_days", "fail"),
    ("immunosuppressant_recent", "stopped prednisone six weeks ago period", "immunosuppressant_4_weeks", "pass"),
    ("immunosuppressant_recent", "stopped prednisone two weeks ago", "immunosuppressant_4_weeks", "fail"),
])
def test_dictated_answers_on_both_sides_of_a_line(
    trial: Trial, question_id: str, said: str, criterion: str, status: str
) -> None:
    assert status_after(trial, question_id, said, criterion) == status


def test_a_dictated_correction_changes_the_earlier_answer(trial: Trial) -> None:
    from tests.unit.test_screening import Chat

    chat = Chat(trial).agree().answer_until("age")
    chat.say("sixty two period")
    said = chat.say("oh wait comma I meant sixty one period")
    assert chat.answers["age"] == 61 and said[0].text == "Thanks, I've changed that answer. Age: 61."
