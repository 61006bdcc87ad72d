""""Can we start over?": the answers are dropped and the questions begin again."""
from __future__ import annotations

from bot.prescreen.form_requests import Turn
from bot.prescreen.state import WORDS, Reply, State, begin_questions
from bot.trial.model import Trial
from bot.understanding.phrase_rules import says
from bot.understanding.reading import Reading


def said(trial: Trial, state: State, turn: Turn, reply: Reading) -> bool:
    return says("start_over", turn.text.strip())


def apply(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    state.answers, state.announced = {}, []
    begin_questions(trial, state)
    return [Reply(text=WORDS["start_over"])]
