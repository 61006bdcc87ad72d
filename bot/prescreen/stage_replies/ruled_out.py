"""After an answer rules the person out: finish the questions or stop here."""
from __future__ import annotations

from bot.prescreen.form_requests import Turn
from bot.prescreen.kinds import read_answer
from bot.prescreen.questions import next_question
from bot.prescreen.stage_replies.asking import on_answer
from bot.prescreen.stage_replies.consent import yes_no
from bot.prescreen.stage_replies.kept_answers import after_answer, correct
from bot.prescreen.state import ASKING, DONE, REVIEW, RULED_OUT, WORDS, Reply, State
from bot.prescreen.topic_answers import trial_answer
from bot.trial.model import Trial
from bot.understanding.phrase_rules import says
from bot.understanding.reading import Reading


def on_ruled_out(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    text = turn.text or ""
    # "I meant 61 not 16": the answer that ruled them out may have been a slip.
    corrected = correct(trial, state, reply, current=None)
    if corrected is not None:
        state.stage = ASKING
        replies = corrected + after_answer(trial, state)
        if state.stage == ASKING and state.announced:
            state.stage = RULED_OUT  # an earlier reason still holds, so the choice stands
        return replies
    if text.strip().lower() == WORDS["stop_here"].lower() or says("stop", text) or yes_no(turn, reply) == "no":
        state.stage = DONE  # stopping here still shows the result and its reason
        return []
    if text == WORDS["finish"] or says("continue", text) or yes_no(turn, reply) == "yes":
        state.stage = ASKING
        if next_question(trial, state.answers) is None:
            state.stage = REVIEW
        return []
    question = next_question(trial, state.answers)
    if question is not None and reply.yes_no is None and read_answer(question, reply) is not None:
        # "33" or "female": they went on answering, so they want to finish; a bare yes or
        # no stays the answer to "finish or stop?".
        state.stage = ASKING
        return on_answer(trial, state, turn, reply)
    answered = trial_answer(trial, turn, reply)
    return answered
