"""Free-text pre-screen answers, typed the way patients and caregivers type them."""
from __future__ import annotations

from datetime import date
from typing import Callable, Optional

import pytest

from bot.understanding.ages import parse_age
from bot.understanding.assertion import mentions_never, parse_yes_no
from bot.understanding.nlp import find_breathing_devices, find_conditions, find_medications
from bot.understanding.numbers import numbers_to_digits
from bot.understanding.times import parse_days_since, parse_months_since
from bot.understanding.interval import Interval
from tests.prescreen_driver import READING_DAY


def span(interval: Optional[Interval]) -> Optional[tuple]:
    """An interval as (low, high), rounded, with (low_open, high_open) only when an end is open."""
    if interval is None:
        return None
    ends = tuple(None if e is None else round(e, 2) for e in (interval.low, interval.high))
    return ends + ((interval.low_open, interval.high_open) if interval.low_open or interval.high_open else ())


def point(value: float) -> tuple:
    return (value, value)

# Answers no parser may read as anything.
JUNK = [
    "",
    "   ",
    "blue",
    "asdf",
    "<script>alert(1)</script>",
    "???",
    pytest.param("a" * 5000, id="5000 letters"),
]


# --- yes / no ----------------------------------------------------------------
YES_NO_CASES = [
    ("yes", "yes"),
    ("Yes!", "yes"),
    ("YES PLEASE", "yes"),
    ("yep", "yes"),
    ("yup", "yes"),
    ("yeah he uses it at night", "yes"),
    ("yea", "yes"),
    ("y", "yes"),
    ("Y", "yes"),
    ("yess", "yes"),
    ("sure", "yes"),
    ("correct", "yes"),
    ("yes she is", "yes"),
    ("he does", "yes"),
    ("i do", "yes"),
    ("of course", "yes"),
    ("no", "no"),
    ("no.", "no"),
    ("nope", "no"),
    ("nah", "no"),
    ("no problem", "yes"),
    ("they think so", "unsure"),
    ("suspected als", "unsure"),
    ("not officially", "unsure"),
    ("still waiting on the results", "unsure"),
    ("still doing tests", "unsure"),
    ("not a problem at all", "yes"),
    ("no probs", "yes"),
    ("no doubt", "yes"),
    ("why not", "yes"),
    ("not a problem but he cant travel", None),
    ("n", "no"),
    ("nooo", "no"),
    ("no he doesn't", "no"),
    ("no he doesn\u2019t", "no"),
    ("he doesn't", "no"),
    ("she is not", "no"),
    ("never", "no"),
    ("not anymore", "no"),
    ("of course not", "no"),
    ("none", "no"),
    ("not sure", "unsure"),
    ("idk", "unsure"),
    ("IDK", "unsure"),
    ("dont know", "unsure"),
    ("I don't know", "unsure"),
    ("dunno", "unsure"),
    ("no idea", "unsure"),
    ("maybe", "unsure"),
    ("i think so", "unsure"),
    ("probably not", "unsure"),
    ("not that i know of", "unsure"),
    ("can't remember", "unsure"),
    ("yes i think", "unsure"),
    # Says both: not readable.
    ("yes but not anymore", None),
    ("yes and no", None),
    ("n/a", None),
    ("he takes it in the morning", None),
    pytest.param("yes " * 30, None, id="30 yeses"),
]


@pytest.mark.parametrize(("text", "expected"), YES_NO_CASES)
def test_parse_yes_no(text: str, expected: Optional[str]) -> None:
    assert parse_yes_no(text) == expected


# --- age ------------------------------------------------------------------------
AGE_CASES = [
    ("I'm 54", 54),
    ("im 61", 61),
    ("fifty four", 54),
    ("Fifty-Four", 54),
    ("sixty-seven", 67),
    ("thirty nine", 39),
    ("54 years old", 54),
    ("54yo", 54),
    ("54 y/o male", 54),
    ("a 62-year-old man", 62),
    ("he is 67", 67),
    ("She's 48.", 48),
    ("my mom is seventy two years old", 72),
    ("age: 43", 43),
    ("Age 43", 43),
    ("18", 18),
    ("turning 70 next month", 69),
    ("he will be 70 in june", 69),
    ("almost 60", 59),
    ("Dad just turned 80", 80),
    ("I'm 54, diagnosed 2 years ago", 54),
    ("he is one hundred", 100),
    ("120", 120),
]


@pytest.mark.parametrize(("text", "expected"), AGE_CASES)
def test_parse_age(text: str, expected: int) -> None:
    assert span(parse_age(text)) == point(expected)


# An estimate is a range, not the number said: the study team sees "53 to 55", never a
# guessed 54. (These read as the bare number before answers were intervals.)
@pytest.mark.parametrize(("text", "expected"), [
    ("about 54", (53, 55)),
    ("maybe 60", (59, 61)),
    ("60 i think", (59, 61)),
    ("probably 72", (71, 73)),
    ("60ish", (59, 61)),
    ("she's like 70", (69, 71)),
    ("he is maybe 58", (57, 59)),
    ("60 or so", (59, 61)),
    ("about 18", (17, 19)),
    # Ranges and decades are read as what they say (they were asked again before).
    ("between 50 and 55", (50, 55)),
    ("50-55", (50, 55)),
    ("in his 60s", (60, 69)),
    ("maybe 60 or 65", (59, 66)),
    # Bounds.
    ("over 60", (60, None, True, False)),
    ("under 18", (0, 18, False, True)),
    ("18 or older", (18, None)),
    ("18+", (18, None)),
    ("at least 18", (18, None)),
])
def test_an_estimated_or_bounded_age_is_an_interval(text: str, expected: tuple) -> None:
    assert span(parse_age(text)) == expected


AGE_UNREADABLE = [
    "0",
    "130",
    "121",
    "he's 67, I'm 40",
    "fifties",
    "born in 1970",
    "he is 150 lbs",
    "diagnosed 2 years ago",
    "old",
    "not telling",
    "maybe 14 months back",
    "maybe",
]


# A birth year alone gives two ages: the birthday may be still to come this year. (It
# read as the older one before, a guess for someone whose 18th birthday is in December.)
@pytest.mark.parametrize(("text", "expected"), [
    ("born in 1960", (64, 65)),
    ("he was born 1958", (66, 67)),
    ("DOB 3/4/1965", point(60)),
    ("dob 12/31/1965", point(59)),  # the birthday is still to come this year
    ("born 2010", (14, 15)),
    ("born in march 2008", point(17)),  # March has passed by 15 June
    ("born in june 2008", (16, 17)),  # this month: before or after the 15th?
])
def test_an_age_from_a_birth_date_or_year(text: str, expected: tuple) -> None:
    assert span(parse_age(text, READING_DAY)) == expected


@pytest.mark.parametrize("text", ["born 2030", "born in 1960 or 1961", "dob 13/45/1965", "1960"])
def test_an_unreadable_or_future_birth_is_no_age(text: str) -> None:
    assert parse_age(text, READING_DAY) is None


@pytest.mark.parametrize("text", AGE_UNREADABLE + JUNK)
def test_parse_age_returns_none(text: str) -> None:
    assert parse_age(text) is None


# --- months since ---------------------------------------------------------------
# Every amount said plainly is to the nearest unit ("2 yrs": 1.5 to 2.5 years); a range is
# what it says; a date as precise as it was said. (Before intervals each read as one number:
# "2 yrs" as exactly 24 months, "a year or two" as 18, "a few" as 3, "in 2024" as its middle.)
MONTHS_CASES = [
    # A half is a part said in the next smaller unit, as "1 year and 6 months" is: to the month.
    ("about a year and a half ago", (17.5, 18.5)),
    ("a year and a half", (17.5, 18.5)),
    ("one and a half years", (17.5, 18.5)),
    ("1 1/2 years", (17.5, 18.5)),
    ("1\u00bd yrs", (17.5, 18.5)),
    ("1 year and 6 months", (17.5, 18.5)),
    ("since last March", (2.47, 15.47)),  # this March or last year's: both
    ("since last march", (2.47, 15.47)),
    ("march of last year", (14.47, 15.47)),
    ("18 mos", (17.5, 18.5)),
    ("2 yrs", (18.0, 30.0)),
    ("2yrs", (18.0, 30.0)),
    ("6 months", (5.5, 6.5)),
    ("for 9 months now", (8.5, 9.5)),
    ("his weakness started about eight months ago", (7.5, 8.5)),
    ("around 14 months", (13.5, 14.5)),
    ("six or seven months", (6.0, 7.0)),
    ("6-7 months ago", (6.0, 7.0)),
    ("a year or two ago", (12.0, 24.0)),
    ("18months", (17.5, 18.5)),
    ("6mo", (5.5, 6.5)),
    ("a few months ago", (2.0, 4.0)),
    ("a couple of years ago", (18.0, 30.0)),
    ("about two years", (18.0, 30.0)),
    ("half a year", (5.5, 6.5)),  # 6 months, to the month
    ("1 year and 3 months", (14.5, 15.5)),
    ("1 yr, 2 mos", (13.5, 14.5)),
    ("a year ago", (6.0, 18.0)),
    ("last year", (5.47, 17.47)),  # all of 2024
    ("last month", (0.47, 1.47)),  # all of May
    ("3 weeks ago", (0.57, 0.8)),
    ("like 3 wks ago", (0.57, 0.8)),
    ("since january", (4.47, 5.47)),
    ("since August", (9.47, 10.47)),
    ("in dec", (5.47, 6.47)),
    ("symptoms started in early march", (2.47, 3.47)),
    ("march 2025", (2.47, 3.47)),
    ("Since Feb. 2024", (15.53, 16.47)),
    ("may 2024", (12.47, 13.47)),
    ("03/2025", (2.47, 3.47)),
    ("2024-11", (6.5, 7.47)),
    ("in 2024", (5.47, 17.47)),
    ("jan 5th 2025", point(5.33)),
    ("12/25/2024", point(5.67)),
    ("march or april", (1.5, 3.47)),
    ("18 months to 2 years", (18.0, 24.0)),
    ("1 year to 18 months", (12.0, 18.0)),
    ("between 1 and 2 years ago", (12.0, 24.0)),
]


@pytest.mark.parametrize(("text", "expected"), MONTHS_CASES)
def test_parse_months_since(text: str, expected: tuple) -> None:
    assert span(parse_months_since(text, READING_DAY)) == expected


MONTHS_UNREADABLE = [
    "18",
    "never",
    "not sure",
    "idk",
    "it was a while ago",
    "I may have",
    "in 2 weeks",
    "in 2030",
    "since december 2025",
    "2 years ago, diagnosed 6 months ago",
    "1 year 1 year",
    "3/2 2024",
    "I may or may not",  # "may" the verb, not the month
]


@pytest.mark.parametrize("text", MONTHS_UNREADABLE + JUNK)
def test_parse_months_since_returns_none(text: str) -> None:
    assert parse_months_since(text, READING_DAY) is None


# Seasons, holidays and parts of a year, as people date a first symptom (READING_DAY is 15 June 2025):
# each is the months or days it covers.
SEASON_CASES = [
    ("last summer", (9.47, 12.47)),  # June-August 2024: this year's summer is not over
    ("this past fall", (6.5, 9.47)),
    ("in the fall of 2023", (18.5, 21.47)),
    ("summer 2024", (9.47, 12.47)),
    ("spring of last year", (12.47, 15.47)),
    ("this spring", (0.47, 3.47)),
    ("since spring", (0.47, 3.47)),
    ("winter", (3.57, 6.47)),  # December 2024 to February 2025
    ("christmas", point(5.67)),
    ("around christmas", (5.23, 6.13)),  # 11 December to 8 January: a day said loosely is 2 weeks either way
    ("xmas 2023", point(17.67)),
    ("thanksgiving last year", (6.57, 6.77)),  # 22-28 November: it moves
    ("end of 2023", (17.47, 20.47)),
    ("early 2024", (13.5, 17.47)),
    ("mid-2024", (9.47, 13.47)),
    ("last yr", (5.47, 17.47)),
    ("a yr ago", (6.0, 18.0)),
    ("a yeer ago", (6.0, 18.0)),
    ("the year before last", (17.47, 29.47)),
]


@pytest.mark.parametrize(("text", "expected"), SEASON_CASES)
def test_seasons_holidays_and_parts_of_a_year(text: str, expected: tuple) -> None:
    assert span(parse_months_since(text, READING_DAY)) == expected


@pytest.mark.parametrize("text", ["he had a fall", "after the fall", "this fall", "christmas 2030"])
def test_a_fall_that_is_no_season_or_a_future_one_is_not_a_date(text: str) -> None:
    assert parse_months_since(text, READING_DAY) is None


def test_month_without_year_is_the_most_recent_one() -> None:
    assert span(parse_months_since("since january", date(2025, 1, 20))) == (0.0, 0.63)  # 1-20 January
    assert span(parse_months_since("since january", date(2024, 12, 20))) == (10.63, 11.63)
    # "last March" said in April may mean this year's March or last year's: both.
    assert span(parse_months_since("since last march", date(2025, 4, 1))) == (0.0, 13.0)
    # Said in March, this March is not over: last year's.
    assert span(parse_months_since("since last march", date(2025, 3, 20))) == (11.63, 12.63)


# --- days since -----------------------------------------------------------------
DAYS_CASES = [
    ("stopped Radicava 2 weeks ago", (10.5, 17.5)),
    ("a month ago", (15.22, 45.66)),  # half a month either way: across a 30-day line
    ("two months ago", (45.66, 76.09)),
    ("3 days", (2.5, 3.5)),
    ("about 10 days ago", (9.5, 10.5)),
    ("5 wks", (31.5, 38.5)),
    ("a couple weeks ago", (10.5, 17.5)),
    ("last week", (3.5, 10.5)),
    ("yesterday", point(1.0)),
    ("the day before yesterday", point(2.0)),
    ("today", point(0.0)),
    ("stopped it a year ago", (182.62, 547.88)),
    ("since january 5", point(161.0)),
    ("last dose was june 1st", point(14.0)),
    ("6/1/2025", point(14.0)),
    ("quit it in april", (46.0, 75.0)),  # 30 April to 1 April
]


@pytest.mark.parametrize(("text", "expected"), DAYS_CASES)
def test_parse_days_since(text: str, expected: tuple) -> None:
    assert span(parse_days_since(text, READING_DAY)) == expected


@pytest.mark.parametrize("text", ["never", "never took it", "not sure", "in 2 weeks", "next week", *JUNK])
def test_parse_days_since_returns_none(text: str) -> None:
    assert parse_days_since(text, READING_DAY) is None


NEVER_CASES = [
    ("never", True),
    ("never took it", True),
    ("he has never been on Radicava", True),
    ("nope, never", True),
    ("I haven't ever", True),
    ("never stopped taking it", False),
    ("2 weeks ago", False),
    ("nevermind", False),
    ("", False),
]


@pytest.mark.parametrize(("text", "expected"), NEVER_CASES)
def test_mentions_never(text: str, expected: bool) -> None:
    assert mentions_never(text) is expected


# --- number words ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fifty four", "54"),
        ("one hundred and two", "102"),
        ("a hundred", "100"),
        ("two and a half years", "2.5 years"),
        ("a couple of months", "2 months"),
        ("five four", "5 4"),
    ],
)
def test_numbers_to_digits(text: str, expected: str) -> None:
    assert numbers_to_digits(text) == expected


# --- medicines, conditions, devices ------------------------------------------------
def values(mentions: list) -> list[tuple[str, str]]:
    return [(m.value, m.group) for m in mentions]


MEDICATION_CASES = [
    ("I take Rilutek twice a day", [("riluzole", "riluzole")]),
    ("on prednisone for my RA", [("prednisone", "immunosuppressant")]),
    ("stopped Radicava 2 weeks ago", [("edaravone", "edaravone")]),
    ("radicave and riluzol", [("edaravone", "edaravone"), ("riluzole", "riluzole")]),
    ("mom takes tiglutik, baclofen and vitamin d", [
        ("riluzole", "riluzole"), ("baclofen", "other"), ("vitamin d", "supplement")]),
    ("humira every 2 wks", [("adalimumab", "immunosuppressant")]),
    ("he has chrons", []),
    ("nothing", []),
]


@pytest.mark.parametrize(("text", "expected"), MEDICATION_CASES)
def test_find_medications(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(find_medications(text)) == expected


CONDITION_CASES = [
    ("he has chrons", [("crohn's disease", "autoimmune")]),
    ("on prednisone for my RA", [("rheumatoid arthritis", "autoimmune")]),
    ("ra", []),
    ("she has lupus and psoriasis", [("lupus", "autoimmune"), ("psoriasis", "autoimmune")]),
    ("no autoimmune problems", [("autoimmune disease", "autoimmune")]),
    ("just high blood pressure", [("high blood pressure", "other_condition")]),  # named: not autoimmune
]


@pytest.mark.parametrize(("text", "expected"), CONDITION_CASES)
def test_find_conditions(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(find_conditions(text)) == expected


DEVICE_CASES = [
    ("my dad uses bipap at night", [("bipap", "noninvasive")]),
    ("on a ventilator full time", [("ventilator", "ventilator")]),
    ("has a trach", [("ventilator", "ventilator")]),
    ("cpap for sleep apnea", [("cpap", "noninvasive")]),
    ("he got the diaphragm pacer in 2023", [("diaphragm pacer", "pacer")]),
    ("only a cough assist", []),
]


@pytest.mark.parametrize(("text", "expected"), DEVICE_CASES)
def test_find_breathing_devices(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(find_breathing_devices(text)) == expected


@pytest.mark.parametrize("finder", [find_medications, find_conditions, find_breathing_devices])
@pytest.mark.parametrize("text", JUNK)
def test_finders_return_empty_for_junk(finder: Callable[[str], list], text: str) -> None:
    assert finder(text) == []


# --- robustness -----------------------------------------------------------------
LONG_INPUTS = ["x" * 5000, "no " * 1666, "1 year " * 714, "fifty " * 833, "since march " * 416]


@pytest.mark.parametrize("text", LONG_INPUTS, ids=lambda text: f"{text[:12]!r}x{len(text)}")
def test_long_answers_are_read_without_error(text: str) -> None:
    """Timing is measured by scripts/benchmark.py, not asserted here."""
    find_medications("warm up")
    parsers: list[Callable[[str], object]] = [
        parse_yes_no,
        parse_age,
        lambda t: parse_months_since(t, READING_DAY),
        lambda t: parse_days_since(t, READING_DAY),
        mentions_never,
        find_medications,
    ]
    for parse in parsers:
        parse(text)
    assert parse_age(text) is None


@pytest.mark.parametrize("text", JUNK)
def test_yes_no_returns_none_for_junk(text: str) -> None:
    assert parse_yes_no(text) is None


def test_none_input_is_unreadable_not_an_error() -> None:
    assert parse_yes_no(None) is None
    assert parse_age(None) is None
    assert parse_months_since(None, READING_DAY) is None
    assert parse_days_since(None, READING_DAY) is None
    assert mentions_never(None) is False
    assert find_medications(None) == []
