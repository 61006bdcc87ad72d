"""Punctuation said as words put back as marks ("sixty two period" -> "sixty two.")."""
from __future__ import annotations

from functools import lru_cache
from typing import Mapping, Optional
import re

from bot.understanding.lexicon import Lexicon, load_lexicon
from bot.understanding.plain_text import plain_words


@lru_cache(maxsize=4)
def _spoken_punctuation(lexicon: Lexicon) -> tuple[re.Pattern[str], dict[str, str], Mapping[str, frozenset[str]]]:
    dictation = lexicon.dictation
    marks = {word: mark for mark, words in (dictation.punctuation if dictation else {}).items() for word in words}
    if not marks:
        return re.compile(r"(?!)"), {}, {}
    words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(marks, key=len, reverse=True))
    return (
        re.compile(rf"(?P<space>[ \t]*)\b(?P<word>{words})\b", re.I),
        marks,
        dictation.also_nouns if dictation else {},
    )


def from_dictation(text: str, lexicon: Optional[Lexicon] = None) -> str:
    """The reply with punctuation said as words put back as marks: "sixty two period" ->
    "sixty two.", "no comma she doesnt" -> "no, she doesnt" (data/lexicon.yml `dictation`).

    A word said as a noun stays ("her last period", "a period of 6 months"): after the
    lexicon's `also_nouns` words it is not punctuation. Everything else is left as typed.
    """
    if not text:
        return text or ""
    pattern, marks, also_nouns = _spoken_punctuation(lexicon or load_lexicon())

    def mark(match: re.Match[str]) -> str:
        word = " ".join(match["word"].lower().split())
        before = plain_words(text[: match.start()])
        if before and before[-1] in also_nouns.get(word, ()):
            return match.group(0)
        return marks[word]

    return pattern.sub(mark, text)
