""""I'm tired, can we finish later": a break, kept as a stop is. "I need to stop riluzole"
and "BiPAP only when I'm tired" are answers, not pauses."""
from __future__ import annotations

from bot.prescreen.form_requests import Turn
from bot.prescreen.moves.stop import stop_here
from bot.prescreen.kinds import read_answer
from bot.prescreen.state import Reply, State, current_question
from bot.trial.model import Trial
from bot.understanding.dialogue_words import load_dialogue_words
from bot.understanding.reading import Reading


def said(trial: Trial, state: State, turn: Turn, reply: Reading) -> bool:
    return (
        load_dialogue_words().asks_to_pause(turn.text.strip())
        and not reply.medications
        and not _answers_the_question(trial, state, reply)
    )


def apply(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    return stop_here(state, "paused")


def _answers_the_question(trial: Trial, state: State, reply: Reading) -> bool:
    """The reply reads as a firm answer to the question asked (not a "not sure")."""
    question = current_question(trial, state)
    return question is not None and read_answer(question, reply) not in (None, "unsure")
