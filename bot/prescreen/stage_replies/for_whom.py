"""Whom the questions are about: asked once, learnt from a pronoun ("he is 60"), or
switched mid-form ("actually it's for my mom")."""
from __future__ import annotations

from typing import Optional

from bot.prescreen.form_requests import Turn
from bot.prescreen.kinds import read_answer
from bot.prescreen.questions import initial_answers
from bot.prescreen.subject import Subject
from bot.prescreen.read_back import read_back
from bot.prescreen.stage_replies.kept_answers import missed, store_with_follow_ups
from bot.prescreen.state import WORDS, Reply, State, apply_subject, begin_questions, current_question
from bot.prescreen.topic_answers import trial_answer
from bot.prescreen.whom import Whom, named_subject, pronoun_leading, whom_by_pronouns, whom_said
from bot.trial.model import Trial
from bot.understanding.reading import Reading


def take_whom(state: State, whom: Optional[Whom]) -> bool:
    """Keeps whom the questions are about; True when the reply said it."""
    if whom is None:
        return False
    state.is_self = whom[0]
    if not whom[0]:
        state.relation = whom[1]
    return True


def on_for_whom(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    text = turn.text or ""
    said = whom_said(text, buttons=(WORDS["me"], WORDS["someone_else"])) or whom_by_pronouns(text)
    if take_whom(state, said):
        begin_questions(trial, state)
        return take_first_answer(trial, state, reply)
    answered = trial_answer(trial, turn, reply)
    if answered:
        return answered
    return missed(trial, state)


def take_first_answer(trial: Trial, state: State, reply: Reading) -> list[Reply]:
    """"My husband was diagnosed in August" names him and answers the first question: kept,
    so it is not asked. Only an answer in words; a bare "yes" to "who?" answers nothing."""
    question = current_question(trial, state)
    if question is None or reply.yes_no is not None:
        return []
    value = read_answer(question, reply)
    if value is not None and value != "unsure":
        stored = store_with_follow_ups(trial, state, question, value, reply)
        return [read_back(trial, state, stored, reply.today)]
    return []


def learn_pronoun(trial: Trial, state: State, text: str) -> None:
    """"Someone I care for", then "he is 60": the questions say "his" from now on, and the
    sex question is skipped as it is for "my husband"."""
    if state.is_self is not False or state.relation is not None:
        return
    pronoun = pronoun_leading(text)
    if pronoun is not None:
        state.relation = pronoun
        apply_subject(trial, state)


def switch_subject(trial: Trial, state: State, text: str) -> list[Reply]:
    """ "Actually it's for my mom" mid-form: ask about that person from now on.

    Answers already given were about the other person, so the questions start again.
    """
    named = named_subject(text)
    if named is None:
        return []
    old = state.subject()
    is_self, relation = named
    if not is_self and relation is None and state.is_self is False:
        return []  # "someone else" when they already named whom ("my husband")
    new = Subject.self() if is_self else Subject.from_relation(relation)
    if new == old:
        return []
    given = {k: v for k, v in state.answers.items() if initial_answers(trial, old).get(k) != v}
    state.is_self, state.relation = is_self, relation
    state.answers, state.announced = {}, []
    begin_questions(trial, state)
    key = "subject_restart" if given else "subject_now"
    name = new.name if new.is_self or new.named else WORDS["the_person_you_care_for"]
    return [Reply(text=WORDS[key].format(name=name))]
