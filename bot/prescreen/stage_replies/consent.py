"""The consent stage: agree, decline, or a question about the trial first."""
from __future__ import annotations

from typing import Optional

from bot.prescreen.form_requests import QUESTION_CONFIDENCE, Turn
from bot.prescreen.stage_replies.kept_answers import missed
from bot.prescreen.state import DECLINED, FOR_WHOM, WORDS, Reply, State, begin_questions
from bot.prescreen.topic_answers import trial_answer
from bot.trial.model import Trial
from bot.understanding.phrase_rules import says
from bot.understanding.reading import Reading


def yes_no(turn: Turn, reply: Reading) -> Optional[str]:
    text = (turn.text or "").strip()
    if text == WORDS["agree"]:
        return "yes"
    if text == WORDS["decline"]:
        return "no"
    said = reply.of(text).yes_no
    if said is None and turn.confidence >= QUESTION_CONFIDENCE:
        said = {"affirm": "yes", "deny": "no"}.get(turn.intent)
    return said


def on_consent(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    said = yes_no(turn, reply)
    if said is None and says("consent", turn.text or ""):
        said = "yes"
    if said == "yes":
        if state.is_self is None:
            state.stage, state.misses = FOR_WHOM, 0
        else:
            begin_questions(trial, state)
        return []
    if said == "no" or says("stop", turn.text or ""):
        state.stage = DECLINED
        return [Reply(text=WORDS["declined"])]
    answered = trial_answer(trial, turn, reply)
    if answered:
        return answered
    return missed(trial, state) or [Reply(text=WORDS["consent_retry"])]
