"""months_since questions: how long ago, in months, as an interval."""
from __future__ import annotations

from typing import Optional

from bot.prescreen.kinds.medicine_use import use_words
from bot.trial.model import AnswerValue, Question
from bot.understanding.reading import Reading


def said_of_a_medicine(reply: Reading) -> bool:
    """A time said of a medicine the reply names, with nothing of the illness in it (no
    weakness, symptoms, legs...: medicine_use.other_subjects): not when the weakness began."""
    return bool(reply.medications) and not use_words().other_subjects.search(reply.joined)


def read(question: Question, reply: Reading) -> Optional[AnswerValue]:
    if said_of_a_medicine(reply):
        return None  # "he's been on Rilutek for about a year": that time is the medicine's
    months = reply.months_since
    if months is not None:
        return months.to_json()
    return "unsure" if reply.yes_no == "unsure" else None
