""""Show my answers": the answers so far in plain words, then the same question again."""
from __future__ import annotations

from bot.prescreen.form_requests import Turn, is_intent
from bot.prescreen.state import Reply, State, answers_summary
from bot.trial.model import Trial
from bot.understanding.phrase_rules import says
from bot.understanding.reading import Reading


def said(trial: Trial, state: State, turn: Turn, reply: Reading) -> bool:
    return says("show_answers", turn.text.strip()) or is_intent(turn, "show_my_answers")


def apply(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    return [Reply(text=answers_summary(trial, state.answers))]
