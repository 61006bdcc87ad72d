"""Numbers as intervals through the eligibility engine: certain on one side, else unknown."""
from __future__ import annotations

import json
from typing import Any

import pytest

from bot.prescreen.eligibility import evaluate
from bot.understanding.interval import Interval
from bot.trial.model import Trial


def status(trial: Trial, criterion_id: str, **answers: Any) -> str:
    return next(r for r in evaluate(trial, answers) if r.id == criterion_id).status


def months(low: Any, high: Any, low_open: bool = False, high_open: bool = False) -> dict[str, Any]:
    return Interval(low, high, low_open, high_open).to_json()  # type: ignore[return-value]


# weakness: pass under 24 months, fail from 24 on; a range across 24 is the study team's call.
@pytest.mark.parametrize(("value", "expected"), [
    (months(0, 24, high_open=True), "pass"),  # "less than 2 years ago"
    (months(17.5, 23.99), "pass"),
    (months(18, 24), "unknown"),  # "almost 2 years": 24 itself is in it
    (months(18, 30), "unknown"),  # "about 2 years"
    (months(24, 30), "fail"),
    (months(24, None, low_open=True), "fail"),  # "more than 2 years"
    (months(12, None, low_open=True), "unknown"),  # "over a year ago"
    (23.9, "pass"),  # a plain number, as stored before intervals: a point
    (24, "fail"),
])
def test_weakness_interval_against_24_months(trial: Trial, value: Any, expected: str) -> None:
    assert status(trial, "weakness_under_2_years", weakness_started=value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (months(17, 18), "unknown"),  # "born in 2008", read in 2026
    (months(18, 19), "pass"),
    (months(16, 17), "fail"),
    (months(0, 18, high_open=True), "fail"),  # "under 18"
    (months(18, None), "pass"),  # "18 or older"
    (18, "pass"),
    (17, "fail"),
])
def test_age_interval_against_18(trial: Trial, value: Any, expected: str) -> None:
    assert status(trial, "age_18_plus", age=value) == expected


def test_a_range_across_the_line_says_why_the_team_checks(trial: Trial) -> None:
    result = next(r for r in evaluate(trial, {"weakness_started": months(18, 30)}) if r.id == "weakness_under_2_years")
    assert "either side" in result.reason
    missing = next(r for r in evaluate(trial, {}) if r.id == "weakness_under_2_years")
    assert "either side" not in missing.reason


@pytest.mark.parametrize("interval", [
    Interval.point(54), Interval(17, 18), Interval(0, 24, high_open=True), Interval(30.44, None, low_open=True),
])
def test_stored_intervals_are_json_and_load_back(interval: Interval) -> None:
    stored = json.loads(json.dumps(interval.to_json()))
    assert Interval.from_json(stored) == interval


def test_a_point_is_stored_as_a_plain_number_and_words_are_not_numbers() -> None:
    assert Interval.point(54).to_json() == 54
    assert Interval.from_json(12.5) == Interval(12.5, 12.5)
    for not_a_number in ("unsure", "yes", True, None, {"low": "a", "high": 2}, {"low": 3, "high": 2}):
        assert Interval.from_json(not_a_number) is None


def test_an_empty_interval_cannot_be_made() -> None:
    with pytest.raises(ValueError):
        Interval(3, 2)
    with pytest.raises(ValueError):
        Interval(2, 2, high_open=True)
