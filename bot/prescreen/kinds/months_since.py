"""months_since questions: how long ago, in months, as an interval."""
from __future__ import annotations

from typing import Optional

from bot.trial.model import AnswerValue, Question
from bot.understanding.reading import Reading


def read(question: Question, reply: Reading) -> Optional[AnswerValue]:
    months = reply.months_since
    if months is not None:
        return months.to_json()
    return "unsure" if reply.yes_no == "unsure" else None
