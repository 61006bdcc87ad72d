"""How a reply speaks of a medicine: taking it now, stopped, planned (data/lexicon.yml
`medicine_use`); the grammar the yes / no and recent-use readers share."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional
import re

from bot.trial.model import Question
from bot.understanding.lexicon import MEDICINE_USE_KINDS, Lexicon, load_lexicon
from bot.understanding.nlp import Mention, find_medications
from bot.understanding.phrase_rules import says
from bot.understanding.plain_text import phrase_pattern, plain_words
from bot.understanding.reading import Reading


# Negation (the words that turn the name after them into "not this one", and how far they
# reach) is one model for every reader: data/phrase_rules/assertion.yml `negation`, read once per reply by
# bot.understanding.reading (bot.understanding.assertion.negated_at). How people say they take, stopped or plan to take a
# medicine is data too (`medicine_use`).


@dataclass(frozen=True)
class _UsePatterns:
    """The lexicon's `medicine_use` phrases, each kind as one whole-word pattern."""

    current: re.Pattern[str]
    restarted: re.Pattern[str]
    started: re.Pattern[str]
    stopped: re.Pattern[str]
    plans: re.Pattern[str]
    no_plans: re.Pattern[str]
    since: re.Pattern[str]
    other_subjects: re.Pattern[str]


@lru_cache(maxsize=4)
def _use_patterns(lexicon: Lexicon) -> _UsePatterns:
    use = lexicon.medicine_use
    return _UsePatterns(
        # `ended` ("no longer") is read with the reply: Reading.without_ended.
        **{kind: phrase_pattern(use[kind]) for kind in MEDICINE_USE_KINDS if kind != "ended"},
    )


def use_words() -> _UsePatterns:
    return _use_patterns(load_lexicon())


def _word_before(text: str, mention: Mention) -> str:
    words = plain_words(text[: mention.start])
    return words[-1] if words else ""


def current_use(reply: Reading, group: Optional[str]) -> Optional[bool]:
    """True if the answer says the medicine is taken now, False if stopped or not taken, None if neither.

    Use words count only for this question's medicine (or "it"): "takes baclofen daily"
    or "stopped baclofen" says nothing about riluzole. A start said plainly ("he started
    it last week", "they put her on riluzole") is taking it now; a negated one ("never
    started it") is not. A plan ("he will take it next month") says nothing about now.
    """
    joined, use = reply.joined, use_words()
    meds = reply.medications
    ours = [m for m in meds if m.group == group]
    if meds and not ours:
        return None
    if use.restarted.search(joined):
        return True
    if use.stopped.search(joined):
        return False
    if plans(joined):
        return None
    starts = list(use.started.finditer(joined))
    if starts and not ours and use.other_subjects.search(joined) and not says("the_medicine", joined):
        return None  # "his weakness began 14 months ago": a start, but not of the medicine
    if starts and all(reply.plain.negated_at(m.start()) for m in starts):
        return False
    if any(_word_before(reply.text, m) == "on" for m in ours):
        return True
    if starts or use.current.search(joined):
        return True
    return None


def plans(joined: str) -> bool:
    """A plan to take it is said, and not taken back ("no plans", "not going to")."""
    use = use_words()
    return bool(use.plans.search(joined)) and not use.no_plans.search(joined)


def _medicine_groups(question: Question) -> set[str]:
    """The medicines a question is about: its `medicine`, or one its label or keywords name."""
    named = find_medications(" ; ".join((question.label, *question.keywords)))
    return {m.group for m in named} | ({question.medicine} if question.medicine else set())


def names_another_medicine(question: Question, reply: Reading) -> bool:
    ours = _medicine_groups(question)
    return any(m.group not in ours for m in reply.medications)
