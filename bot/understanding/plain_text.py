"""The one way a text is made comparable with vocabulary, for every reader.

People type apostrophes as ’ ‘ ʼ ` or ´ (phones and keyboards differ), stretch words
("nooo", "yesss") and mix case. Every phrase in data/ is matched against text made plain
here, so a word list cannot read "doesn´t" one way and "doesn’t" another.
"""
from __future__ import annotations

import re
from functools import lru_cache

# Same-length replacements only, so character offsets still point into the text as typed.
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
WORD_RE = re.compile(r"[a-z]+|\d+")
# "nooo" -> "no", "yesss" -> "yes": a letter typed three or more times counts once.
STRETCHED_RE = re.compile(r"([a-z])\1{2,}")


def folded(text: str) -> str:
    """Lowercase, every apostrophe as "'": offsets still match the text as typed."""
    return text.lower().translate(QUOTES)


def light(text: str) -> str:
    """Lowercase, apostrophes dropped ("doesn't" -> "doesnt"), a stretched letter once,
    spaces single; punctuation and digits kept ("1.5 years", "61, not 16")."""
    return " ".join(STRETCHED_RE.sub(r"\1", folded(text or "").replace("'", "")).split())


def plain_words(text: str) -> list[str]:
    """The words of `light(text)`: runs of letters and runs of digits ("h1b" -> h, 1, b)."""
    return WORD_RE.findall(light(text))


def plain(text: str) -> str:
    """The words joined by single spaces: the form every vocabulary phrase is written in."""
    return " ".join(plain_words(text))


@lru_cache(maxsize=2048)
def phrase_words(phrase: str) -> tuple[str, ...]:
    """`plain_words` of a phrase from data/ (a button's title, a keyword): the same few
    phrases come with every reply, so each is made plain once. Never for a person's text."""
    return tuple(plain_words(phrase))


def phrase_pattern(phrases: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """Whole-word match of any lexicon phrase, over text made plain here (`plain`).

    Every reader matches vocabulary this way (bot/prescreen/kinds/ too), so a phrase added to
    data/lexicon.yml is read the same wherever it is used.
    """
    if not phrases:
        return re.compile(r"(?!)")
    alternation = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternation})(?![a-z0-9])")


def alternation_of(phrases: list[str] | tuple[str, ...]) -> str:
    """Phrases as one regex alternation, longest first (so "age is" is tried before "age"), a
    space matching any run of spaces: how every grammar builds a pattern from a word list."""
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(set(phrases), key=len, reverse=True))
