"""sex questions: only a clear word (female, woman, she...; male, man, he...) is read."""
from __future__ import annotations

from typing import Optional

from bot.prescreen.kinds.medicine_use import use_words
from bot.trial.model import Question
from bot.understanding.reading import Reading


SINGLE_LETTER_SEX = {"f": "female", "m": "male"}


def read(question: Question, reply: Reading) -> Optional[str]:
    words = reply.words
    if len(words) == 1 and words[0] in SINGLE_LETTER_SEX:
        return SINGLE_LETTER_SEX[words[0]]
    joined, use = reply.joined, use_words()
    female = bool(use.female.search(joined))
    male = bool(use.male.search(joined))
    if female == male:
        return None
    return "female" if female else "male"
