"""Which question a person means when they name one ("change my riluzole answer", "the Medrol
one"): by the keywords the trial file gives each question, else by the medicine or condition."""
from __future__ import annotations

from typing import Optional

from bot.prescreen.questions import screening_questions
from bot.trial.model import Question, Trial
from bot.understanding.plain_text import plain_words
from bot.understanding.reading import Reading


def _phrase(text: str) -> str:
    """Lowercase words joined by single spaces, padded so ' word ' finds whole words."""
    return " " + " ".join(plain_words(text)) + " "


# Each trial's question keywords in plain words, made once (not once per reply), by the
# identity of its questions; the questions are kept with them so the id is not reused.
_KEYWORDS: dict[int, tuple[tuple[Question, ...], tuple[tuple[tuple[str, str], ...], ...]]] = {}


def _keyword_phrases(questions: tuple[Question, ...]) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Per question, its (keyword, padded plain phrase) pairs."""
    kept = _KEYWORDS.get(id(questions))
    if kept is None or kept[0] is not questions:
        phrases = tuple(
            tuple((k, _phrase(k)) for k in question.keywords if _phrase(k) != "  ") for question in questions
        )
        kept = _KEYWORDS[id(questions)] = (questions, phrases)
    return kept[1]


def find_question_named(trial: Trial, reply: Reading) -> Optional[Question]:
    """The question a correction points at ("change my riluzole answer"), by its keywords.

    Most keywords found wins, then the longest words, then the earlier question.
    A medicine or condition named without a keyword ("the Medrol one") picks the
    first question about its group.
    """
    said = f" {reply.joined} "
    best: Optional[Question] = None
    best_score = (0, 0)
    questions = screening_questions(trial)
    for question, keywords in zip(questions, _keyword_phrases(questions)):
        hits = [k for k, phrase in keywords if phrase in said]
        score = (len(hits), sum(len(k) for k in hits))
        if score > best_score:
            best, best_score = question, score
    if best is not None:
        return best
    groups = {m.group for m in reply.medications} | {m.group for m in reply.conditions}
    return next((q for q in screening_questions(trial) if {q.medicine, q.condition} & groups), None)
