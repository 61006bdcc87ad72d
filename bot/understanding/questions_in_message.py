"""Cutting a message into the questions it asks, so each gets its own answer.

People ask two or three things at once ("Is it still open? And who pays for it?",
"which hospital does the injections and how many times do I need to go"). The classifier
reads one topic per text, so the message is cut at sentence ends and at a joiner that
opens a new question; each part is classified on its own. The words are data
(data/message_splitting.yml).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


from bot.paths import DATA_DIR
from bot.understanding.message_text import bounded
from bot.understanding.vocabulary_files import MessageSplittingFile, load_as

SPLITTING_PATH = DATA_DIR / "message_splitting.yml"
# Words, and the commas and semicolons that can join two questions ("who leads it, who funds it").
WORD = re.compile(r"[\w'&]+|[,;]")


@dataclass(frozen=True)
class Part:
    """A stretch of the message: its text and where it stands in the message."""

    text: str
    start: int
    end: int
    asks: bool = True  # a question, not context ("My dad was diagnosed in April.")


@dataclass(frozen=True)
class SplittingWords:
    sentence_ends: frozenset[str]
    joiners: tuple[tuple[str, ...], ...]  # each joiner as its words ("as well as")
    openers: frozenset[str]
    also_asking: frozenset[str]
    min_words: int


@lru_cache(maxsize=1)
def splitting_words(path: Path = SPLITTING_PATH) -> SplittingWords:
    raw = load_as(path, MessageSplittingFile)
    return SplittingWords(
        sentence_ends=frozenset(raw.sentence_ends),
        joiners=tuple(tuple(j.lower().split()) for j in raw.joiners),
        openers=frozenset(w.lower() for w in raw.question_openers),
        also_asking=frozenset(w.lower() for w in raw.also_asking),
        min_words=raw.min_words,
    )


def _sentences(text: str, words: SplittingWords) -> list[Part]:
    parts, start = [], 0
    for i, char in enumerate(text):
        ends_here = char == "\n" or (
            char in words.sentence_ends and (i + 1 == len(text) or not text[i + 1].isalnum())
        )
        if ends_here:
            parts.append(Part(text[start:i + 1], start, i + 1))
            start = i + 1
    parts.append(Part(text[start:], start, len(text)))
    return [p for p in parts if p.text.strip()]


def _word_count(text: str) -> int:
    return len([w for w in WORD.findall(text) if w not in ",;"])


def _asks(text: str, words: SplittingWords) -> bool:
    tokens = [w.lower() for w in WORD.findall(text) if w not in ",;"]
    return text.rstrip().endswith("?") or bool(tokens) and (
        tokens[0] in words.openers or tokens[0] in words.also_asking
        or (len(tokens) > 1 and tokens[0] in {j[-1] for j in words.joiners}
            and tokens[1] in words.openers | words.also_asking)
    )


def _at_joiners(sentence: Part, words: SplittingWords) -> list[Part]:
    """Cuts before "and how...", "also who...": a joiner followed by a question opener."""
    tokens = [(m.group().lower(), m.start(), m.end()) for m in WORD.finditer(sentence.text)]
    cuts = []
    for i in range(len(tokens)):
        for joiner in words.joiners:
            n = len(joiner)
            if tuple(t[0] for t in tokens[i:i + n]) != joiner or i + n >= len(tokens):
                continue
            if tokens[i + n][0] not in words.openers:
                continue
            if _word_count(sentence.text[:tokens[i][1]]) >= words.min_words and (
                _word_count(sentence.text[tokens[i][1]:]) - n >= words.min_words
            ):
                cuts.append(tokens[i][1])
            break
    parts, start = [], 0
    for cut in cuts + [len(sentence.text)]:
        piece = sentence.text[start:cut]
        # A cut too close to the last one would leave a fragment: keep it with its neighbour.
        if _word_count(piece) >= words.min_words or not parts:
            parts.append(Part(piece, sentence.start + start, sentence.start + cut))
            start = cut
    if start < len(sentence.text):
        last = parts.pop()
        parts.append(Part(sentence.text[last.start - sentence.start:], last.start, sentence.end))
    return parts


def questions_in_message(text: str, words: SplittingWords | None = None) -> list[Part]:
    """The message's parts, in order; one part when it asks one thing (offsets into
    `bounded(text)`, the text NLU reads)."""
    text = bounded(text)
    words = words or splitting_words()
    parts = [p for s in _sentences(text, words) for p in _at_joiners(s, words)]
    return [_trimmed(p, words) for p in parts if p.text.strip(EDGES)]


# What a part may start or end with that belongs to no question: space and the joining marks.
EDGES = " \t\n,;"


def _trimmed(part: Part, words: SplittingWords) -> Part:
    text = part.text.lstrip(EDGES)
    start = part.start + len(part.text) - len(text)
    text = text.rstrip(EDGES)
    return Part(text, start, start + len(text), _asks(text, words))
