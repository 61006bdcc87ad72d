"""The pre-screen's questions: how each is asked of this person, and which comes next.

The questions themselves (wording, order, when each is asked) live in the trial file's
`screening:` section. Answers are read by their kind's module (bot/prescreen/kinds/) and
stored by question id as normalised values (ANSWER_VALUES in bot/trial/trial_file.py), so the
eligibility rules never see raw text.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

from bot.prescreen.subject import Subject, capitalise
from bot.trial.model import Question, Trial, conditions_hold


def wording(question: Question, subject: Subject) -> str:
    """The question as this subject should read it."""
    if subject.is_self:
        return capitalise(question.ask_self)
    return capitalise(question.ask_other.format_map(subject.placeholders()))


def screening_questions(trial: Trial) -> tuple[Question, ...]:
    if trial.screening is None:
        raise ValueError(f"trial {trial.id} has no screening questions")
    return trial.screening.questions


def applies(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether the question is asked, given the answers so far (its `when` holds)."""
    return conditions_hold(question.when, answers)


def next_question(trial: Trial, answers: Mapping[str, Any]) -> Optional[Question]:
    """The first question that applies and has no answer yet; None when the form is done."""
    return next(
        (q for q in screening_questions(trial) if answers.get(q.id) is None and applies(q, answers)),
        None,
    )


def answers_that_apply(trial: Trial, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers still in force after a correction.

    Changing "takes riluzole" from yes to no drops the "same dose" answer, so
    the dialogue asks the follow-up that now applies instead.
    """
    kept: dict[str, Any] = {}
    for question in screening_questions(trial):
        if answers.get(question.id) is not None and applies(question, kept):
            kept[question.id] = answers[question.id]
    return kept


def initial_answers(trial: Trial, subject: Subject) -> dict[str, Any]:
    """Answers known before asking: the sex a relation word implies ("my husband")."""
    sex_question = next((q for q in screening_questions(trial) if q.kind == "sex"), None)
    if sex_question is None or subject.implied_sex is None:
        return {}
    return {sex_question.id: subject.implied_sex}
