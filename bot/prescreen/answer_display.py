"""A stored answer in the words a person reads: the read-back, "show my answers", the review
and the staff's CSV all say it the same way ("about 14 months ago", "No machine", "18 to 30
months ago")."""
from __future__ import annotations

from typing import Any, Optional

from bot.messages import WORDS
from bot.trial.model import Question
from bot.understanding.interval import Interval


# A word answer no button of its question names (a question the trial file no longer asks).
_VALUE_WORDS = {"yes": "value_yes", "no": "value_no", "unsure": "value_unsure"}


def _said_back(question: Optional[Question], value: str) -> str:
    """A word answer in the words of the button that gives it, so what was tapped is what is read
    back; the trial file says how (its buttons' `title` or `read_back`)."""
    buttons = question.buttons if question is not None else ()
    button = next((b for b in buttons if b.value == value), None)
    if button is not None:
        return button.said_back
    return WORDS[_VALUE_WORDS[value]] if value in _VALUE_WORDS else value


def _months_ago(months: float) -> str:
    if months < 1:
        return WORDS["ago_under_a_month"]
    return WORDS["ago_about"].format(amount=_months_amount(months))


def _months_amount(months: float) -> str:
    """"18 months", "4 years": months under 3 years as months, then years to the half."""
    if months < 36:
        whole = max(1, round(months))
        return WORDS["amount_months" if whole != 1 else "amount_month"].format(count=whole)
    years = round(months / 12 * 2) / 2
    return WORDS["amount_years"].format(count=f"{years:g}")


def _number(value: float) -> str:
    return f"{round(value, 1):g}"


def _months_range(interval: Interval) -> str:
    """An interval of months as said back: "18 to 30 months ago", "more than 12 months ago"."""
    low, high = interval.low or 0.0, interval.high
    if high is None:
        return WORDS["ago_more_than"].format(amount=_months_amount(low)) if low >= 1 else WORDS["ago_some_time"]
    if low <= 0:
        return WORDS["ago_less_than"].format(amount=_months_amount(high)) if high >= 1 else WORDS["ago_under_a_month"]
    if high < 1:
        return WORDS["ago_under_a_month"]
    if _months_amount(low) == _months_amount(high):
        return _months_ago((low + high) / 2)
    if low < 36 <= high:
        return WORDS["ago_between"].format(low=WORDS["amount_months"].format(count=round(low)), high=_months_amount(high))
    return WORDS["ago_between"].format(low=_months_amount(low).split()[0], high=_months_amount(high))


def _days(value: float) -> str:
    whole = round(value)
    return WORDS["amount_days" if whole != 1 else "amount_day"].format(count=whole)


def _days_range(interval: Interval) -> str:
    """Days since a last dose as said back: "15 to 46 days ago", "more than 28 days ago"."""
    low, high = interval.low or 0.0, interval.high
    if high is None:
        return WORDS["ago_more_than"].format(amount=_days(low))
    if low <= 0:
        said = WORDS["ago_less_than"] if interval.high_open else WORDS["ago_up_to"]
        return said.format(amount=_days(high))
    if round(low) == round(high):
        return WORDS["ago_about"].format(amount=_days(low))
    return WORDS["ago_between"].format(low=round(low), high=_days(high))


def _age_range(interval: Interval) -> str:
    low, high = interval.low, interval.high
    if high is None:
        return WORDS["age_over" if interval.low_open else "age_or_older"].format(age=_number(low or 0))
    if not low:
        return WORDS["age_under" if interval.high_open else "age_or_younger"].format(age=_number(high))
    return WORDS["age_between"].format(low=_number(low), high=_number(high))


def display_value(question: Optional[Question], value: Any) -> str:
    """An answer as a person reads it back: "Yes", "54", "about 18 months ago", "Not sure".

    `question` None (an answer kept for a question the trial file no longer asks) shows a
    number plainly ("17 to 19", "over 60"), since its unit is no longer known.
    """
    kind = question.kind if question is not None else None
    if value is None:
        return WORDS["not_answered_yet"]
    if isinstance(value, str):
        return _said_back(question, value)
    interval = Interval.from_json(value)
    if interval is None:
        return str(value)
    if kind == "months_since":
        return _months_ago(interval.low) if interval.is_point else _months_range(interval)  # type: ignore[arg-type]
    if kind == "recent_use":
        return _days_range(interval)
    if interval.is_point:
        return _number(interval.low)  # type: ignore[arg-type]
    return _age_range(interval)
