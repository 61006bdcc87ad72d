"""Which earlier answer a reply changes: "I meant 61 not 16", "no, 4 months", "her weakness
began in 2024".

A correction may come at any point: right after the read-back line, a few questions later,
while the person is told they may be ruled out, or at the review before the result. By
default it changes the most recent answer it fits. What counts as a correction is decided
by the words around it (data/phrase_rules/dialogue.yml) and by the shape of the answer: an age or
a date cannot be an answer to a yes/no question, so it must be meant for an earlier one.
A bare "yes" or "no" is only ever taken as a correction of the latest answer, or of the
question it names: it fits every yes/no question, so "the most recent it fits" would guess.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

from bot.understanding.dialogue_words import load_dialogue_words
from bot.prescreen.kinds import read_answer
from bot.prescreen.named_question import find_question_named
from bot.understanding.reading import Reading
from bot.trial.model import AnswerValue, Question, Trial

# Answers with a shape of their own: a reply of that shape can only be meant for them.
SHAPED_KINDS = frozenset({"months_since", "age", "sex", "breathing_device"})
# Of those, the ones a bare "no" can never answer ("no" is also "no breathing machine").
NOT_YES_NO_KINDS = frozenset({"months_since", "age", "sex"})


@dataclass(frozen=True)
class Correction:
    """A new value for an answer already given."""

    question: Question
    value: AnswerValue


@dataclass(frozen=True)
class Redo:
    """"Change my riluzole answer": the question named, with no new answer in the reply."""

    question: Question


def most_recent_first(trial: Trial, answers: Mapping[str, Any], order: Sequence[str]) -> list[Question]:
    """Answered questions, the latest answer first; answers known without asking come last."""
    by_id = {q.id: q for q in trial.screening.questions}  # type: ignore[union-attr]
    recent = [by_id[i] for i in reversed(order) if i in answers and i in by_id]
    rest = [q for q in reversed(list(by_id.values())) if q.id in answers and q not in recent]
    return recent + rest


def find_correction(
    trial: Trial,
    answers: Mapping[str, Any],
    order: Sequence[str],
    reply: Reading,
    current: Optional[Question],
    at_review: bool = False,
) -> Optional[Correction | Redo]:
    """The earlier answer this reply changes, or None when it is not a correction.

    `current` is the question being asked (None while no question is open); a reply
    it can read is its answer unless the person says plainly that they mean an earlier one.
    The reply is read once; without its correction words it is another text, read once too.
    """
    words, text = load_dialogue_words(), reply.text
    named = find_question_named(trial, reply)
    if named is not None and current is not None and named.id == current.id:
        return None  # "actually I don't take riluzole" to the riluzole question: its answer
    past = words.says_past_correction(text)
    soft_rest = words.leading_soft_words(text)
    cleaned = words.without_markers(text)
    if not cleaned:
        return _redo(named, answers) if past else None
    for_current = reply.of(soft_rest) if soft_rest else reply
    current_reads = current is not None and read_answer(current, for_current) is not None
    if not (past or at_review) and current_reads:
        return None
    latest = most_recent_first(trial, answers, order)
    if not latest:
        return None
    said = reply.of(cleaned)
    bare = said.yes_no is not None and not any(  # only yes, no or not sure
        read_answer(q, said) not in (None, "unsure") for q in latest if q.kind in NOT_YES_NO_KINDS
    )
    if bare and named is None and (at_review or not past):
        return None  # "not sure" is this question's answer; "no" at the review names no answer
    if named is not None and named.id in answers:
        candidates = [named]
    elif bare:
        candidates = latest[:1]  # "sorry, I meant no": only the answer just given
    else:
        candidates = latest
    for question in candidates:
        if not _may_change(question, named, latest, answers, past, soft_rest is not None or at_review):
            continue
        value = read_answer(question, said)
        if value is not None and value != answers[question.id]:
            return Correction(question, value)
    return _redo(named, answers) if past else None


def _may_change(
    question: Question,
    named: Optional[Question],
    latest: list[Question],
    answers: Mapping[str, Any],
    said_so: bool,
    any_recency: bool,
) -> bool:
    """Whether a reply may change this answer, given how plainly it says it corrects one.

    A yes or no fits every yes/no question, so it changes one only when the person says
    they correct one, or names it. A date or an age (a "shaped" answer) fits only its own
    question: at the review, or after "no,"/"sorry,", any of them; otherwise the one just read
    back, or one the person was not sure of ("not sure", then "it started 14 months back").
    """
    if said_so or question == named:
        return True
    if question.kind not in SHAPED_KINDS:
        return False
    return any_recency or question == latest[0] or answers.get(question.id) == "unsure"


def _redo(named: Optional[Question], answers: Mapping[str, Any]) -> Optional[Redo]:
    return Redo(named) if named is not None and named.id in answers else None
