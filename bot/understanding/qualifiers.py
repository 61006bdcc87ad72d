"""Qualifiers around an amount ("less than", "or more", "about") and the interval each
makes of it (data/lexicon.yml `qualifiers`)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional
import re

from bot.understanding.interval import Interval
from bot.understanding.grammar_words import load_grammar_words
from bot.understanding.lexicon import Lexicon
from bot.understanding.plain_text import alternation_of


@dataclass(frozen=True)
class QualifierPatterns:
    before: re.Pattern[str]  # a qualifier that ends the text before an amount
    before_kinds: dict[str, str]
    after: re.Pattern[str]  # a qualifier that starts the text after an amount
    after_kinds: dict[str, str]
    date_before: re.Pattern[str]
    date_start: re.Pattern[str]  # a match that starts with its own "before" ("before March")
    date_kinds: dict[str, str]
    date_around: re.Pattern[str]  # "around" / "about" just before a date


@lru_cache(maxsize=4)
def qualifier_patterns(lexicon: Lexicon) -> QualifierPatterns:
    q = lexicon.qualifiers
    before_alt = alternation_of(list(q.before)) or "(?!)"
    article = alternation_of(load_grammar_words().article)
    after_alt = alternation_of(list(q.after)) or "(?!)"
    date_alt = alternation_of(list(lexicon.date_qualifiers or {})) or "(?!)"
    return QualifierPatterns(
        before=re.compile(rf"(?:^|(?<=[\s(,]))(?P<q>{before_alt})\s*(?:(?:{article})\s+)?$"),
        before_kinds=dict(q.before),
        after=re.compile(rf"^\s*,?\s*(?P<q>{after_alt})(?![a-z0-9])"),
        after_kinds=dict(q.after),
        date_before=re.compile(rf"(?:^|(?<=\s))(?P<q>{date_alt})\s+(?:(?:{article})\s+)?$"),
        date_start=re.compile(rf"(?P<q>{date_alt})\s"),
        date_kinds=dict(lexicon.date_qualifiers or {}),
        date_around=re.compile(
            rf"(?:^|(?<=\s))(?:{alternation_of(list(lexicon.approximate_date_phrases)) or '(?!)'})\s+(?:(?:{article})\s+)?$"
        ),
    )


def qualifier_kind(match: Optional[re.Match[str]], kinds: dict[str, str]) -> Optional[str]:
    return kinds.get(" ".join(match["q"].split())) if match else None


def qualified_amount(amount: float, width: float, kind: Optional[str], hedged: bool) -> Optional[Interval]:
    """The interval an amount said with a qualifier stands for (see data/lexicon.yml)."""
    if kind in (None, "about"):
        return Interval.around(amount, 2 * width if hedged else width)
    if kind == "below":
        return Interval(0.0, amount, high_open=True) if amount > 0 else None
    if kind == "at_most":
        return Interval(0.0, amount)
    if kind == "above":
        return Interval(amount, None, low_open=True)
    if kind == "at_least":
        return Interval(amount, None)
    if kind == "almost":
        return Interval(max(0.0, amount - width), amount)
    if kind == "just_over":
        return Interval(amount, amount + width, low_open=True)
    if kind == "just_under":
        return Interval(max(0.0, amount - width), amount, high_open=True) if amount > 0 else None
    raise ValueError(f"unknown qualifier kind {kind!r}")


def qualified_range(low: float, high: float, kind: Optional[str]) -> Optional[Interval]:
    """A range as said ("a year or two"); a qualifier bounds it from its own side."""
    low, high = min(low, high), max(low, high)
    if kind in ("below", "just_under"):
        return Interval(0.0, high, high_open=True) if high > 0 else None
    if kind == "at_most":
        return Interval(0.0, high)
    if kind in ("above", "just_over"):
        return Interval(low, None, low_open=True)
    if kind == "at_least":
        return Interval(low, None)
    return Interval(low, high)
