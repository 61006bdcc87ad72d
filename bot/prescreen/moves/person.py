""""Can I talk to a real person?": the study team's contact route from the trial file (the
adapter records the hand-off request), then the same question again."""
from __future__ import annotations

from bot.prescreen.form_requests import Turn, wants_a_person
from bot.prescreen.state import WORDS, Reply, State
from bot.trial import replies
from bot.trial.model import Trial
from bot.understanding.reading import Reading


def said(trial: Trial, state: State, turn: Turn, reply: Reading) -> bool:
    return wants_a_person(turn)


def apply(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    answer = replies.handoff_answer(trial, "asked")
    return [
        Reply(text=answer.text, custom=answer.payload(), handoff="asked"),
        Reply(text=WORDS["back_to_question"]),
    ]
