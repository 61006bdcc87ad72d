""""Stop": the questions stop; the answers so far and the place are kept, so "carry on" goes
on from the same question, now or later."""
from __future__ import annotations

from bot.prescreen.form_requests import Turn
from bot.prescreen.state import CARRY_ON_PAYLOAD, STOPPED, WORDS, Reply, State
from bot.trial.model import Trial
from bot.understanding.phrase_rules import says
from bot.understanding.reading import Reading


def said(trial: Trial, state: State, turn: Turn, reply: Reading) -> bool:
    return says("stop", turn.text.strip())


def apply(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    return stop_here(state, "stopped")


def stop_here(state: State, said: str) -> list[Reply]:
    """The place is kept, and "Carry on" is offered; `said` names the words (stopped, paused)."""
    state.stopped_at, state.stage = state.stage, STOPPED
    return [Reply(text=WORDS[said], buttons=[{"title": WORDS["carry_on"], "payload": CARRY_ON_PAYLOAD}])]
