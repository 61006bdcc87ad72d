""""Delete my data": the pre-screen ends there; the adapter asks to confirm, then deletes."""
from __future__ import annotations

from bot.prescreen.form_requests import Turn, is_intent
from bot.prescreen.state import DELETE_REQUESTED, Reply, State
from bot.trial.model import Trial
from bot.understanding.phrase_rules import says
from bot.understanding.reading import Reading


def said(trial: Trial, state: State, turn: Turn, reply: Reading) -> bool:
    return says("delete", turn.text.strip()) or is_intent(turn, "delete_my_data")


def apply(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    state.stage = DELETE_REQUESTED
    return []
