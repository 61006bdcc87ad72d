"""age questions: whole years, as an interval."""
from __future__ import annotations

from typing import Optional

from bot.trial.model import AnswerValue, Question
from bot.understanding.reading import Reading


def read(question: Question, reply: Reading) -> Optional[AnswerValue]:
    return None if reply.age is None else reply.age.to_json()
