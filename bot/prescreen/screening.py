"""The pre-screen conversation: consent, for whom, one question at a time.

A pure state machine over a JSON-able state, so every turn (corrections, "stop",
a trial question asked mid-form, two misses in a row) is tested without Rasa.
The Rasa form is only its adapter: it keeps the state in a slot and shows
`prompt()` whenever the form asks. After the result, a correction may reopen it
(bot.prescreen.stage_replies.review.reopen_for_correction).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Callable, Mapping

from bot.prescreen import moves
from bot.prescreen.form_requests import Turn
from bot.prescreen.questions import wording
from bot.prescreen.stage_replies.asking import on_answer
from bot.prescreen.stage_replies.consent import on_consent
from bot.prescreen.stage_replies.for_whom import on_for_whom, take_whom
from bot.prescreen.stage_replies.review import on_review
from bot.prescreen.stage_replies.ruled_out import on_ruled_out
from bot.prescreen.state import (
    CONSENT,
    FOR_WHOM,
    REVIEW,
    RULED_OUT,
    WORDS,
    Reply,
    State,
    answers_list,
    button,
    current_question,
)
from bot.prescreen.whom import whom_said
from bot.trial.model import Trial
from bot.understanding.message_text import bounded
from bot.understanding.reading import Reading, read_reply


def start(trial: Trial, first_message: str) -> State:
    """A new pre-screen; "check if my dad qualifies" already says for whom."""
    state = State()
    take_whom(state, whom_said(bounded(first_message), from_opening=True))
    return state


def prompt(trial: Trial, state: State) -> Reply:
    """What the form asks now, given the stage and how many answers were missed."""
    if state.stage == CONSENT:
        assert trial.screening is not None
        return Reply(
            text=f"{trial.screening.consent}\n\n{WORDS['consent_prompt']}",
            buttons=[button(WORDS["agree"]), button(WORDS["decline"])],
        )
    if state.stage == FOR_WHOM:
        text = WORDS["for_whom"] if state.misses == 0 else WORDS["for_whom_retry"]
        return Reply(text=text, buttons=[button(WORDS["me"]), button(WORDS["someone_else"])])
    if state.stage == REVIEW:
        text = "\n".join([WORDS["review"], answers_list(trial, state.answers), "", WORDS["review_prompt"]])
        return Reply(
            text=WORDS["review_again"] if state.misses else text,
            buttons=[button(WORDS["review_confirm"]), button(WORDS["review_change"])],
        )
    if state.stage == RULED_OUT:
        return Reply(
            text=WORDS["ruled_out_choice"],
            buttons=[button(WORDS["finish"]), button(WORDS["stop_here"])],
        )
    question = current_question(trial, state)
    if question is None:
        return Reply()
    text = wording(question, state.subject())
    buttons = [button(b.title) for b in question.buttons]
    if state.misses:
        # Asked again once, with what would help; "Not sure" is one press away.
        text = f"{WORDS['not_read']} {text} ({question.example})"
        if WORDS["not_sure"] not in {b["title"] for b in buttons}:
            buttons.append(button(WORDS["not_sure"]))
    return Reply(text=text, buttons=buttons)


def step(trial: Trial, state: State, turn: Turn, today: date) -> list[Reply]:
    """Advances the pre-screen by one message; returns what to say before the next prompt.

    One route: the message is read once (bot.understanding.reading); the first move it makes
    that the stage listens for (bot.prescreen.moves: an emergency, a stop, a pause...) is
    applied; else it is the stage's own reply (an answer, a consent, whom it is about...).
    Every question it is tried against interprets that one reading.
    """
    reply = read_reply(turn.text, today)
    # Dictated punctuation ("what does that mean question mark") counts for every move.
    turn = replace(turn, text=reply.text)
    for move in moves.route(state.stage):
        if move.said(trial, state, turn, reply):
            return move.apply(trial, state, turn, reply)
    return STAGE_REPLIES.get(state.stage, on_answer)(trial, state, turn, reply)


# A reply that makes no move is the stage's own; in the questions (and after a break), an answer.
STAGE_REPLIES: Mapping[str, Callable[[Trial, State, Turn, Reading], list[Reply]]] = {
    CONSENT: on_consent,
    FOR_WHOM: on_for_whom,
    RULED_OUT: on_ruled_out,
    REVIEW: on_review,
}
