"""The one text of a message that every reader reads: capped and tidied, once, by one function.

A message is read by many parsers: Rasa's NLU, spaCy's tokenizer (bot/understanding/nlp.py), the pre-screen's
readers (bot/understanding/reading.py, the answer grammars beside it), the form's words (bot/prescreen/screening.py and the modules
it calls), the emergency check when the action server is down (adapters/channels/). spaCy's
tokenizer takes quadratic time on a long run of punctuation or symbols ("))))...", "!?!?...", emoji,
quote marks): 8 KB of ")" held the action server for 5 s, and everyone waited. So before any parser
sees a message, `bounded` makes it:

- at most MAX_CHARACTERS long (the question is near the start of what people type; a pasted page
  must cost what a sentence costs);
- free of invisible characters (zero-width spaces and joiners, direction marks, a byte-order
  mark), control characters (NUL, which PostgreSQL refuses, becomes a space) and lone surrogates
  (which cannot be written as UTF-8 to a log or a database);
- without long runs of punctuation or symbols: one character repeated keeps 3 ("!!!!!!" -> "!!!"),
  a mixed run keeps its first 6. No answer a person types needs more, and every such run
  is then cheap for every tokenizer.

It is idempotent, and a part of a bounded text is bounded, so calling it again (the channel, then
NLU, then the action server, which does not trust what it is sent) changes nothing and costs a few
microseconds. Offsets found in a bounded text point into that same text.
"""
from __future__ import annotations

import re
import sys
import unicodedata

# The NLU cap Rasa's pipeline had (config.yml); every channel and reader now shares it.
MAX_CHARACTERS = 600
# A bigger text is first cut to this, so the tidying below never runs over megabytes.
_FIRST_CUT = MAX_CHARACTERS * 8
SAME_RUN_KEPT = 3
MIXED_RUN_KEPT = 6

_SAME_RUN_RE = re.compile(r"([^\w\s])\1{%d,}" % SAME_RUN_KEPT)
_MIXED_RUN_RE = re.compile(r"([^\w\s]{%d})[^\w\s]+" % MIXED_RUN_KEPT)
_KEPT_CONTROLS = frozenset("\t\n\r")
_ASCII_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Any run that either rule below would shorten (the shorter of the two).
_ANY_RUN_RE = re.compile(r"[^\w\s]{%d}" % (SAME_RUN_KEPT + 1))


def _cleaning_table() -> dict[int, str | None]:
    """Format characters (Unicode category Cf) and lone surrogates go, control characters
    become spaces. Built once at import (format characters are all below U+20000 or in the
    tag block at U+E0000)."""
    table: dict[int, str | None] = {}
    for start, end in ((0, 0x20000), (0xE0000, 0xE1000)):
        for code in range(start, min(end, sys.maxunicode + 1)):
            category = unicodedata.category(chr(code))
            if category in ("Cf", "Cs"):
                table[code] = None
            elif category == "Cc" and chr(code) not in _KEPT_CONTROLS:
                table[code] = " "
    return table


_CLEANING = _cleaning_table()


def bounded(text: str) -> str:
    """The text every parser reads: see the module's docstring."""
    if not text:
        return ""
    text = text[:_FIRST_CUT]
    # Most messages are plain ASCII: only its control characters need a look (translate
    # walks the text character by character through a dict, 10x slower).
    if text.isascii():
        if _ASCII_CONTROL_RE.search(text):
            text = _ASCII_CONTROL_RE.sub(" ", text)
    else:
        text = text.translate(_CLEANING)
    if _ANY_RUN_RE.search(text):
        text = _SAME_RUN_RE.sub(lambda run: run[1] * SAME_RUN_KEPT, text)
        text = _MIXED_RUN_RE.sub(r"\1", text)
    return text[:MAX_CHARACTERS]
