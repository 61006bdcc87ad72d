"""A feeling or a loss said mid-form ("this is all so overwhelming"): the kind answer given
outside the form, any question asked with it, then the same question again."""
from __future__ import annotations

from bot.prescreen.form_requests import Turn
from bot.prescreen.state import WORDS, Reply, State
from bot.prescreen.topic_answers import topic_answers
from bot.trial import replies
from bot.trial.model import Trial
from bot.understanding.dialogue_words import load_dialogue_words
from bot.understanding.reading import Reading

# The kind words said outside the form for living with ALS (the trial file's topic).
CARE_TOPIC = CARE_INTENT = "care"


def said(trial: Trial, state: State, turn: Turn, reply: Reading) -> bool:
    return load_dialogue_words().says_a_feeling(turn.text.strip())


def apply(trial: Trial, state: State, turn: Turn, reply: Reading) -> list[Reply]:
    care = replies.answer_question(trial, CARE_TOPIC)
    kind = [Reply(text=care.text, custom=care.payload())] if care is not None else []
    asked = [t for t in turn.topics if t != CARE_INTENT]
    if asked:
        kind += [r for r in topic_answers(trial, asked, reply) if r.text != WORDS["back_to_question"]]
    return kind + [Reply(text=WORDS["back_to_question"])]
