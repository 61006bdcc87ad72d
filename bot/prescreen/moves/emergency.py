"""An emergency (cannot breathe, choking, thoughts of self-harm): the domain's emergency
guidance at once, whatever the stage; the pre-screen is left as it was."""
from __future__ import annotations

from bot.prescreen.form_requests import Turn, is_emergency
from bot.prescreen.state import Reply, State
from bot.trial.model import Trial
from bot.understanding.reading import Reading


def said(trial: Trial, state: State, turn: Turn, reply: Reading) -> bool:
    return is_emergency(turn)


def apply(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    return [Reply(response="utter_emergency")]
