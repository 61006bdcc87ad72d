"""Question kinds are plug-ins (bot/prescreen/kinds/): every kind the trial file may name has its
module, and every module reads a reply the way read_answer does for its kind."""
from __future__ import annotations

import pytest

from bot.prescreen.kinds import KINDS, kind_of, read_answer
from bot.trial.loading import load_trial
from bot.trial.model import Question
from bot.trial.trial_file import ANSWER_VALUES
from bot.understanding.reading import read_reply
from tests.prescreen_driver import READING_DAY


def test_every_kind_of_the_trial_file_has_its_reader() -> None:
    assert set(KINDS) == set(ANSWER_VALUES)
    assert all(callable(module.read) for module in KINDS.values())


@pytest.mark.parametrize("question", load_trial().screening.questions, ids=lambda q: q.id)
def test_each_question_is_read_by_its_kinds_module(question: Question) -> None:
    reply = read_reply("unsure", READING_DAY)
    assert kind_of(question) is KINDS[question.kind]
    assert read_answer(question, reply) == "unsure"


def test_a_kind_the_trial_file_does_not_know_is_an_error() -> None:
    question = load_trial().screening.questions[0]
    odd = type(question)(**{**question.__dict__, "kind": "colour"})
    with pytest.raises(ValueError, match="unknown kind 'colour'"):
        kind_of(odd)
