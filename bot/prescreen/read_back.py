"""Saying back how a typed answer was read, so a misreading is fixed at once."""
from __future__ import annotations

from datetime import date
from typing import Any, Optional

from bot.prescreen.answer_display import display_value
from bot.prescreen.state import WORDS, Reply, State
from bot.trial.model import Question, Trial
from bot.understanding.interval import Interval


def is_button_answer(question: Question, text: str) -> bool:
    """A click (or the same words typed): the person chose what they see, nothing to read back."""
    said = " ".join(text.lower().split())
    return any(said in (b.title.lower(), str(b.value).lower()) for b in question.buttons) or said == WORDS[
        "not_sure"
    ].lower()


def read_back(trial: Trial, state: State, stored: list[tuple[Question, Any]], today: date) -> Reply:
    """One short line saying how a typed answer was read, so a misreading is fixed at once
    ("Got it: When the weakness started: about 14 months ago (around October 2025).").
    Answers the same words gave to the next questions are said in the same line."""
    parts = []
    for question, value in stored:
        if value == "unsure":
            parts.append(WORDS["read_back_unsure"].format(label=question.label))
            continue
        shown = display_value(question, value)
        when = _around(question, value, today)
        if when:
            shown = f"{shown} ({WORDS['around'].format(when=when)})"
        parts.append(WORDS["read_back"].format(label=question.label, value=shown))
    text = WORDS["got_it"] + " " + " ".join(parts)
    if state.read_backs == 0:
        text = f"{text} {WORDS['read_back_hint']}"
    state.read_backs += 1
    return Reply(text=text)


# How precise a time must be for its month to be said back ("around October 2025").
MAX_MONTHS_FOR_A_MONTH = 3.0


def _around(question: Question, value: Any, today: date) -> Optional[str]:
    """The month a "months ago" answer points to, when it points to about one month."""
    if question.kind != "months_since":
        return None
    interval = Interval.from_json(value)
    if interval is None or interval.low is None or interval.high is None:
        return None
    if interval.high - interval.low > MAX_MONTHS_FOR_A_MONTH:
        return None
    months = round((interval.low + interval.high) / 2)
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, 1).strftime("%B %Y")
