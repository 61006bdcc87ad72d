"""One route per reply: the moves a reply can make whatever question is asked.

A reply is read once (bot.understanding.reading). Each stage listens for some moves, tried in
the order below; the first one the reply makes is applied, and a reply that makes none is the
stage's own (bot.prescreen.stage_replies: an answer, a consent, whom it is about, the review's
choice). Each move is one module with two functions:

    said(trial, state, turn, reply) -> bool         does the reply make this move here?
    apply(trial, state, turn, reply) -> list[Reply] what it changes and what is said

- emergency: emergency guidance at once, whatever the stage;
- delete: the person's data is to be deleted (the adapter asks to confirm);
- person: they asked for a person; the study team's contact route, then the same question;
- stop and pause: the questions stop, the answers and the place are kept for "carry on";
- care: a feeling or a loss said mid-form gets the kind words first;
- start_over: the answers are dropped and the questions begin again;
- show_answers: the answers so far, then the same question.
"""
from __future__ import annotations

from typing import Mapping, Protocol

from bot.prescreen.form_requests import Turn
from bot.prescreen.moves import care, delete, emergency, pause, person, show_answers, start_over, stop
from bot.prescreen.state import CONSENT, FOR_WHOM, RULED_OUT, Reply, State
from bot.trial.model import Trial
from bot.understanding.reading import Reading


class Move(Protocol):
    def said(self, trial: Trial, state: State, turn: Turn, reply: Reading) -> bool: ...

    def apply(self, trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]: ...


# What every stage listens for. At consent nothing but these three: "stop" there is a "no".
# At "who are the questions about?" nothing is kept yet to start over or show. After a
# rule-out, "stop here" is one of the two choices the stage offers, not a move.
EVERY_STAGE: tuple[Move, ...] = (emergency, delete, person)
ROUTES: Mapping[str, tuple[Move, ...]] = {
    CONSENT: EVERY_STAGE,
    FOR_WHOM: (*EVERY_STAGE, stop, pause, care),
    RULED_OUT: (*EVERY_STAGE, pause, care, start_over, show_answers),
}
# Asking a question, and the review of the answers.
IN_THE_QUESTIONS: tuple[Move, ...] = (*EVERY_STAGE, stop, pause, care, start_over, show_answers)


def route(stage: str) -> tuple[Move, ...]:
    """The moves a reply can make at this stage, in the order they are tried."""
    return ROUTES.get(stage, IN_THE_QUESTIONS)
