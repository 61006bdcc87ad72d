"""Keeping an answer and what follows from it: the follow-ups the same words answer, a
correction, a miss, and the stage the answers lead to (a rule-out, the review)."""
from __future__ import annotations

from typing import Any, Optional

from bot.prescreen.corrections import Correction, Redo, find_correction
from bot.prescreen.eligibility import ruled_out
from bot.prescreen.kinds import read_follow_up
from bot.prescreen.answer_display import display_value
from bot.prescreen.questions import answers_that_apply, next_question
from bot.prescreen.state import ASKING, MISSES_BEFORE_HANDOFF, REVIEW, RULED_OUT, WORDS, Reply, State
from bot.trial import replies
from bot.trial.model import Question, Trial
from bot.understanding.reading import Reading


def store(trial: Trial, state: State, question: Question, value: Any) -> None:
    """Keeps an answer, drops follow-ups it makes moot, and ends a run of misses."""
    state.answers[question.id] = value
    state.answers = answers_that_apply(trial, state.answers)
    state.order = [i for i in state.order if i != question.id and i in state.answers] + [question.id]
    state.misses = 0


# A reply answers at most this many questions after the one asked ("he started it last week":
# taking riluzole, and not on a steady dose for 30 days).
MAX_FOLLOW_UPS = 2


def store_with_follow_ups(
    trial: Trial, state: State, question: Question, value: Any, reply: Reading
) -> list[tuple[Question, Any]]:
    """Stores the answer, and the answers the same words give to the questions after it."""
    store(trial, state, question, value)
    stored = [(question, value)]
    for _ in range(MAX_FOLLOW_UPS):
        following = next_question(trial, state.answers)
        if following is None:
            break
        carried = read_follow_up(following, reply)
        if carried is None:
            break
        store(trial, state, following, carried)
        stored.append((following, carried))
    return stored


def update(trial: Trial, state: State, question: Question, value: Any) -> list[Reply]:
    store(trial, state, question, value)
    return [Reply(text=WORDS["updated"].format(
        label=question.label, value=display_value(question, value)))]


def correct(
    trial: Trial, state: State, reply: Reading, current: Optional[Question], at_review: bool = False
) -> Optional[list[Reply]]:
    """A change to an earlier answer, in any wording ("actually I'm 45", "no, 4 months",
    "change my riluzole answer"): see bot.prescreen.corrections for which answer it changes."""
    found = find_correction(trial, state.answers, state.order, reply, current, at_review)
    if isinstance(found, Correction):
        return update(trial, state, found.question, found.value)
    if isinstance(found, Redo):
        del state.answers[found.question.id]
        state.answers = answers_that_apply(trial, state.answers)
        state.order = [i for i in state.order if i in state.answers]
        state.misses = 0
        if state.stage == REVIEW:
            state.stage = ASKING
        return [Reply(text=WORDS["redo"])]
    return None


def missed(trial: Trial, state: State) -> list[Reply]:
    """One more answer we could not read; every third in a row also points to the study team.

    The question is asked again after this (with "Not sure" and "Stop" from the second miss),
    so the person can still go on; the contact route is for someone the form keeps failing.
    """
    state.misses += 1
    if state.misses % (MISSES_BEFORE_HANDOFF + 1):
        return []
    answer = replies.handoff_answer(trial, "repeated_failure")
    return [
        Reply(text=answer.text, custom=answer.payload(), handoff="repeated_failure"),
        Reply(text=WORDS["back_to_question"]),
    ]


def not_read(trial: Trial, state: State, question: Question) -> list[Reply]:
    """An answer that still cannot be read. The first time, the question comes again with
    what would help (its example: "yes, no, or not sure"); the second time, it is taken as
    "not sure" and the study team checks it. Never a hand-off: an answer that is hard to
    read is no failure of the person's, and a coordinator would mark it to check."""
    if state.misses == 0:
        state.misses = 1
        return []
    store(trial, state, question, "unsure")
    return [Reply(text=WORDS["taken_as_unsure"].format(label=question.label))] + after_answer(trial, state)


def after_answer(trial: Trial, state: State) -> list[Reply]:
    """Says so at once when an answer rules the person out; ends when nothing is left."""
    fails = ruled_out(trial, state.answers)
    # A reason a correction undid is forgotten, so it is said again if it comes back.
    state.announced = [i for i in state.announced if i in {r.id for r in fails}]
    new_fails = [r for r in fails if r.id not in state.announced]
    if new_fails:
        state.announced += [r.id for r in new_fails]
        who = "you" if state.subject().is_self else state.subject().name
        reasons = "\n".join(f"- {r.reason}" for r in new_fails)
        said = [Reply(text=f"{WORDS['ruled_out'].format(who=who)}\n{reasons}")]
        state.stage = REVIEW if next_question(trial, state.answers) is None else RULED_OUT
        return said
    if next_question(trial, state.answers) is None:
        state.stage = REVIEW
    elif state.stage == REVIEW:
        state.stage = ASKING  # a changed answer opened a question ("no riluzole": when did it stop?)
    return []
