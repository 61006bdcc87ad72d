"""A reply is read once (bot/understanding/reading.py), and every question interprets that one reading."""
from __future__ import annotations

import pytest

from bot.understanding.ages import parse_age
from bot.understanding.assertion import parse_yes_no
from bot.understanding.nlp import find_medications
from bot.understanding.numbers import numbers_to_digits
from bot.understanding.times import parse_months_since, window_days
from bot.understanding.reading import read_reply
from bot.trial.model import Trial
from tests.parse_spy import ANSWERS, MESSAGES, SPACY, count_one_message, counting_parses
from tests.prescreen_driver import READING_DAY


@pytest.mark.parametrize("text", MESSAGES)
def test_one_message_runs_each_parser_at_most_once_per_text(trial: Trial, text: str) -> None:
    """The reply is tried against the question asked, earlier answers and the next questions;
    no parser (spaCy included) reads the same text twice."""
    count, _ = count_one_message(trial, text, READING_DAY)
    assert count.repeated == {}
    assert count.calls[(SPACY, text)] <= 1


@pytest.mark.parametrize("text, changed", [
    # The question asked and the one after it, from one reading.
    ("he started it last week", {"riluzole_taking": "yes", "riluzole_stable": "no"}),
    ("no, he stopped Rilutek about two months ago", {"riluzole_taking": "no", "riluzole_recent": "no"}),
    # An earlier answer, from the reading of the reply without its correction words.
    ("oh wait, I meant he is fifty eight not 54", {"age": 58}),
    ("I think so, he takes it twice a day", {"riluzole_taking": "unsure"}),
])
def test_the_counted_messages_are_read_as_before(trial: Trial, text: str, changed: dict) -> None:
    _, state = count_one_message(trial, text, READING_DAY)
    assert {k: v for k, v in state.answers.items() if ANSWERS.get(k) != v} == changed


def test_a_reading_parses_nothing_until_asked_and_then_only_once() -> None:
    with counting_parses() as count:
        reply = read_reply("no ventilator, just bipap for 2 months", READING_DAY)
        assert count.total == 0
        for _ in range(3):
            reply.yes_no, reply.medications, reply.days_since, reply.window
    assert count.repeated == {}


def test_names_are_spans_marked_with_their_group_and_negation() -> None:
    reply = read_reply("no ventilator, just bipap. Not on Rilutek", READING_DAY)
    marks = [(span.text, span._.group, span._.negated) for span in reply.doc.ents]
    assert marks == [("ventilator", "ventilator", True), ("bipap", "noninvasive", False), ("Rilutek", "riluzole", True)]
    assert [m.group for m in reply.medications] == ["riluzole"]
    assert reply.negated(reply.medications[0])


def test_another_text_of_the_message_is_read_once_too() -> None:
    reply = read_reply("yes, he takes it twice a day since March", READING_DAY)
    assert reply.of(reply.text) is reply
    assert reply.of("since March") is reply.of("since March")
    assert reply.beyond_yes_no.text == "he takes it twice a day since March"
    assert reply.without_frequency.text == "yes he takes it   since march"  # the words only: as before
    assert [c.text for c in reply.clauses] == ["yes", " he takes it twice a day since March"]


@pytest.mark.parametrize("text", [
    "about fifty four",
    "born in 1961",
    "a year and a half ago",
    "I think maybe 2 years ago",
    "not in the last 2 months",
    "since last March",
    "he stopped riluzole 2 weeks ago",
    "no",
    "",
])
def test_a_reading_says_what_each_parser_says_of_the_text(text: str) -> None:
    reply = read_reply(text, READING_DAY)
    assert reply.yes_no == parse_yes_no(text)
    assert reply.age == parse_age(text, READING_DAY)
    assert reply.months_since == parse_months_since(text, READING_DAY)
    assert reply.window == window_days(text, READING_DAY)
    assert reply.medications == find_medications(text)
    assert reply.digits == numbers_to_digits(text)
