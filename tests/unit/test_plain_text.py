"""One normaliser, one quote table, one unit table: a reply reads the same whichever
reader meets it, however its apostrophes were typed and however its units are spelled."""
from __future__ import annotations

import pytest

from bot.understanding.ages import parse_age
from bot.understanding.times import parse_days_since, parse_months_since, window_days
from bot.understanding.lexicon import TIME_UNITS, load_lexicon
from bot.understanding.plain_text import QUOTES, light, plain, plain_words
from tests.prescreen_driver import READING_DAY
from tests.unit.test_screening import Chat

APOSTROPHES = ["'", *(chr(c) for c in QUOTES)]


def test_every_apostrophe_is_dropped_the_same_way() -> None:
    assert {plain(f"He doesn{a}t") for a in APOSTROPHES} == {"he doesnt"}
    assert light("It\u00b4s  1.5 YEARS, not 16") == "its 1.5 years, not 16"
    assert plain_words("nooo, h1b") == ["no", "h", "1", "b"]


@pytest.mark.parametrize("apostrophe", APOSTROPHES)
def test_a_no_reads_as_no_whatever_apostrophe_was_typed(trial, apostrophe: str) -> None:
    chat = Chat(trial).agree().answer_until("riluzole_taking")
    chat.say(f"he doesn{apostrophe}t take riluzole")
    assert chat.answers["riluzole_taking"] == "no"


def _spellings() -> list[tuple[str, str]]:
    units = load_lexicon().units
    return [(unit, s) for unit in TIME_UNITS for s in units[unit].spelled]


@pytest.mark.parametrize(("unit", "spelling"), _spellings())
def test_every_spelling_of_a_unit_reads_with_a_count_an_article_and_in_a_window(unit: str, spelling: str) -> None:
    days = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}[unit]
    counted = parse_days_since(f"2 {spelling} ago", READING_DAY)
    assert counted is not None and counted.low < 2 * days < counted.high
    if spelling != f"{unit}s":  # "a months ago"? a plural with no count is read apart ("years ago")
        assert parse_days_since(f"a {spelling} ago", READING_DAY) == parse_days_since(f"1 {spelling} ago", READING_DAY)
    assert window_days(f"in the last 2 {spelling}", READING_DAY) == window_days(f"in the last 2 {unit}s", READING_DAY)


def test_a_month_spelled_short_reads_with_an_article_as_with_a_count() -> None:
    assert parse_months_since("a mnth ago", READING_DAY) == parse_months_since("1 mnth ago", READING_DAY) == \
        parse_months_since("a month ago", READING_DAY)


@pytest.mark.parametrize("text", ["54 yrs old", "54 yeers old", "54 y/o"])
def test_a_year_spelled_any_way_after_an_age_is_an_age(text: str) -> None:
    assert parse_age(text) is not None and parse_age(text).low == 54


@pytest.mark.parametrize("text", ["54 days", "54 mnths", "3 yrs ago"])
def test_a_number_before_another_unit_is_not_an_age(text: str) -> None:
    assert parse_age(text) is None


@pytest.fixture(scope="module")
def trial():
    from bot.trial.loading import load_trial

    return load_trial()
