"""sex questions: only a clear word (female, woman, she...; male, man, he...) is read.

The words are data (data/lexicon.yml `sex_words`); an answer with words of both sexes is not
read, and a lone letter ("f") counts only as the whole answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Optional
import re

from bot.trial.model import Question
from bot.understanding.lexicon import Lexicon, load_lexicon
from bot.understanding.plain_text import phrase_pattern
from bot.understanding.reading import Reading


@dataclass(frozen=True)
class _SexWords:
    female: re.Pattern[str]
    male: re.Pattern[str]
    alone: Mapping[str, str]  # a whole answer -> female | male


@lru_cache(maxsize=4)
def _sex_words(lexicon: Lexicon) -> _SexWords:
    said, alone = lexicon.sex_words or {}, lexicon.sex_alone or {}
    return _SexWords(
        female=phrase_pattern(tuple(said.get("female", ()))),
        male=phrase_pattern(tuple(said.get("male", ()))),
        alone={word: sex for sex, words in alone.items() for word in words},
    )


def read(question: Question, reply: Reading) -> Optional[str]:
    words = _sex_words(load_lexicon())
    whole = " ".join(reply.words)
    if whole in words.alone:
        return words.alone[whole]
    female = bool(words.female.search(reply.joined))
    male = bool(words.male.search(reply.joined))
    if female == male:
        return None
    return "female" if female else "male"
