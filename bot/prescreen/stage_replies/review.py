"""Every question answered: confirm the answers or change one, and after the result, a
correction that reopens the pre-screen."""
from __future__ import annotations

from datetime import date

from bot.prescreen.form_requests import QUESTION_MIN_WORDS, Turn, is_intent
from bot.prescreen.named_question import find_question_named
from bot.prescreen.stage_replies.kept_answers import after_answer, correct
from bot.prescreen.state import DONE, REVIEW, WORDS, Reply, State
from bot.prescreen.topic_answers import trial_answer
from bot.trial.model import Trial
from bot.understanding.dialogue_words import load_dialogue_words
from bot.understanding.message_text import bounded
from bot.understanding.reading import Reading, read_reply


def on_review(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    """Every question is answered: the person confirms the answers, or changes one first."""
    text = turn.text or ""
    words = load_dialogue_words()
    if text.strip() == WORDS["review_confirm"] or words.confirms_review(text) or is_intent(turn, "affirm"):
        state.stage = DONE
        return []
    corrected = correct(trial, state, reply, current=None, at_review=True)
    if corrected is not None:
        return corrected + after_answer(trial, state)
    if text.strip() == WORDS["review_change"] or words.asks_to_change(text):
        state.misses = 1  # the list was just shown: the prompt stays short
        return [Reply(text=WORDS["which_answer"])]
    if text.rstrip().endswith("?") or len(text.split()) >= QUESTION_MIN_WORDS:
        answered = trial_answer(trial, turn, reply)
        if answered:
            return answered
    state.misses = 1
    return [Reply(text=WORDS["review_not_read"])]


def reopen_for_correction(trial: Trial, state: State, text: str, today: date) -> list[Reply]:
    """After the result, "actually I'm 59" or "change an answer" reopens the pre-screen.

    The person sees the result and notices a slip: the answer changes and the review comes
    back (or the question the change opens), so the next result is right. Only a plain
    correction reopens it: a trial question ("is 59 too old?") stays a question.
    """
    text = bounded(text)
    if state.stage != DONE or not state.answers or text.rstrip().endswith("?"):
        return []
    words = load_dialogue_words()
    reply = read_reply(text, today)
    named = find_question_named(trial, reply)
    if words.says_past_correction(text) or words.leading_soft_words(text) is not None or named is not None:
        state.stage = REVIEW
        corrected = correct(trial, state, reply, current=None, at_review=True)
        if corrected is not None:
            return corrected + after_answer(trial, state)
        state.stage = DONE
    if words.asks_to_change(text) and reply.yes_no is None:  # "change an answer", not a bare "no"
        state.stage, state.misses = REVIEW, 1
        return [Reply(text=WORDS["which_answer"])]
    return []
