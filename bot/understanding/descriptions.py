"""Statuses people describe instead of answering yes or no.

Asked "are you a US citizen or a permanent resident?", people say "born and raised in
Ohio", "I'm here on a work visa" or "we moved here from Mexico and have our green cards";
asked about an ALS diagnosis, "my neurologist put me in the 'possible' category". A study
coordinator reads each at once. This module finds which statuses a reply describes (the
kinds of data/lexicon.yml `descriptions` and `descriptions_by_place`), each marked negated
when a negator stands just before it ("not born here"). What a status means for a question
is the trial file's business (a question's `described_by`, read by bot/prescreen/kinds/yes_no.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.understanding.grammar_words import load_grammar_words
from bot.understanding.lexicon import Lexicon, PlacedDescription
from bot.understanding.plain_text import alternation_of, phrase_pattern, plain

# Up to this many words may name a town between "in" and the place ("born in Dayton, Ohio").
MOST_TOWN_WORDS = 2


@dataclass(frozen=True)
class Described:
    """One status a reply describes: its kind, where it starts in the reply's joined words,
    and whether a negator stands just before it."""

    kind: str
    start: int
    negated: bool


def _words(phrase: str) -> str:
    """A phrase in the words replies are matched in ("h1b" -> "h 1 b", as bot.understanding.reading splits it)."""
    return plain(phrase)


def _alternation(phrases: tuple[str, ...]) -> str:
    return "|".join(re.escape(p) for p in sorted({_words(p) for p in phrases}, key=len, reverse=True))


def _placed_pattern(placed: PlacedDescription) -> re.Pattern[str]:
    """A lead, "in", up to two town words (none of `not_a_town`), then a place; the words
    between them are data/grammar_words.yml `places`."""
    words = load_grammar_words().places
    town_word = rf"(?!(?:{_alternation(placed.not_a_town)}|{_alternation(placed.places)})\b)[a-z]+"
    return re.compile(
        rf"(?<![a-z0-9])(?:{_alternation(placed.lead)})\s+(?:(?:{alternation_of(words.before_in)})\s+)?"
        rf"(?:{alternation_of(words.in_)})\s+(?:(?:{alternation_of(words.before_place)})\s+)?"
        rf"(?:{town_word}\s+){{0,{MOST_TOWN_WORDS}}}(?:{_alternation(placed.places)})(?![a-z0-9])"
    )


@lru_cache(maxsize=4)
def _patterns(lexicon: Lexicon) -> tuple[tuple[str, re.Pattern[str]], ...]:
    phrases = [
        (kind, phrase_pattern(tuple(_words(w) for w in words))) for kind, words in (lexicon.descriptions or {}).items()
        if words
    ]
    placed = [(kind, _placed_pattern(p)) for kind, p in (lexicon.descriptions_by_place or {}).items()
              if p.lead and p.places]
    return tuple(phrases + placed)


def find_descriptions(joined: str, lexicon: Lexicon) -> list[tuple[str, int, int]]:
    """Every (kind, start, end) a reply's joined words describe, in order; overlapping kinds all
    count ("tourist visa" is a visit and a visa: the question decides which weighs more)."""
    found = [(kind, m.start(), m.end()) for kind, pattern in _patterns(lexicon) for m in pattern.finditer(joined)]
    return sorted(set(found), key=lambda f: (f[1], f[0], f[2]))  # by place, then kind: the same order every run
