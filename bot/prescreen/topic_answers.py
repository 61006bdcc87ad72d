"""A question about the trial asked in the middle of the pre-screen ("is there a placebo?"):
answered as outside the form, then the form asks its own question again."""
from __future__ import annotations

from bot.prescreen.form_requests import QUESTION_CONFIDENCE, QUESTION_MIN_WORDS, Turn
from bot.prescreen.state import WORDS, Reply
from bot.trial import replies
from bot.trial.model import Trial
from bot.understanding.lexicon import load_lexicon
from bot.understanding.reading import Reading


def trial_answer(trial: Trial, turn: Turn, reply: Reading) -> list[Reply]:
    """Answers the trial questions asked mid-form, each of them as outside the form (up to
    three, each headed by its topic when there are several); the form then asks its question
    again. One question is answered when NLU is sure of it; several when each part is clear."""
    text = turn.text or ""
    looks_like_question = "?" in text or len(text.split()) >= QUESTION_MIN_WORDS
    if not looks_like_question:
        return []
    if len(turn.topics) > 1:
        return topic_answers(trial, list(turn.topics), reply)
    if turn.confidence < QUESTION_CONFIDENCE:
        return []
    return topic_answers(trial, [turn.intent], reply)


def topic_answers(trial: Trial, intents: list[str], reply: Reading) -> list[Reply]:
    topics = [replies.topic_for_intent(i) for i in intents if i != "check_eligibility"]
    lexicon = load_lexicon()
    groups = [lexicon.group_of_medication(m.value) for m in reply.medications]
    answers = replies.answers_to(trial, [t for t in topics if t is not None], groups)
    if not answers:
        return []
    several = len(answers) > 1
    said = []
    for answer in answers:
        topic = trial.topic(answer.topic)
        heading = f"{topic.title}: " if several and topic is not None else ""
        said.append(Reply(text=heading + answer.text, custom=answer.payload()))
    return said + [Reply(text=WORDS["back_to_question"])]
