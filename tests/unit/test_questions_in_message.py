"""Cutting a message into its questions: each question a person asks gets its own answer."""
from __future__ import annotations

import pytest

from bot.understanding.questions_in_message import questions_in_message


def texts(message: str) -> list[str]:
    return [p.text for p in questions_in_message(message)]


@pytest.mark.parametrize("message, expected", [
    ("Is it still open? And who pays for it?", ["Is it still open?", "And who pays for it?"]),
    ("which hospital does the injections and how many times do I need to go?",
     ["which hospital does the injections", "and how many times do I need to go?"]),
    ("how long does it take and is it safe and where is it",
     ["how long does it take", "and is it safe", "and where is it"]),
    ("what is the dose\nwho pays", ["what is the dose", "who pays"]),
    ("My dad was diagnosed in March. Does this actually help?",
     ["My dad was diagnosed in March.", "Does this actually help?"]),
])
def test_each_question_is_its_own_part(message: str, expected: list[str]) -> None:
    assert texts(message) == expected


@pytest.mark.parametrize("message", [
    "what is this study about",
    "is it safe and effective",  # "and" without a new question opener
    "can my husband and I both come to the visits",
    "",
])
def test_one_question_stays_whole(message: str) -> None:
    assert texts(message) == ([message] if message else [])


def test_a_joiner_near_the_start_leaves_no_fragment() -> None:
    # "and how?" alone would be no question: it stays with its neighbour.
    assert texts("so and how is it given") == ["so and how is it given"]


def test_parts_point_back_into_the_message() -> None:
    message = "  Is it open?   Who runs it? "
    for part in questions_in_message(message):
        assert message[part.start:part.end] == part.text
