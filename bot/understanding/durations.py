"""Lengths of time said in answers ("6 months", "18mos", "a year or two", "1 year and
3 months", "in the last 2 weeks"), in days, with their precision."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Optional
import re

from bot.understanding.dates import months_back
from bot.understanding.interval import Interval
from bot.understanding.grammar_words import load_grammar_words
from bot.understanding.lexicon import Lexicon
from bot.understanding.plain_text import alternation_of
from bot.understanding.qualifiers import QualifierPatterns, qualified_amount, qualified_range, qualifier_kind
from bot.understanding.time_units import UnitWords, unit_words


UNIT_ORDER = ("day", "week", "month", "year")
MAX_DAYS_AGO = 100 * 365.25  # beyond a lifetime: a typo, not an answer
DAYS_PER_MONTH = 365.25 / 12
DAYS_PER_UNIT = {"day": 1.0, "week": 7.0, "month": DAYS_PER_MONTH, "year": 365.25}
NUMBER = r"\d+(?:\.\d+)?"


@dataclass(frozen=True)
class TimeUnitPatterns:
    """The time readers' patterns, from the words of data/grammar_words.yml and the lexicon's
    one unit table."""

    units: UnitWords
    # "6 months", "18mos", "2+ years", "6-7 months", "between 1 and 2 years", "a year or
    # two", "18 months to 2 years".
    duration: re.Pattern[str]
    between_joins: frozenset[str]
    article_before_unit: re.Pattern[str]  # "a month" -> "1 month"
    half_article_unit: re.Pattern[str]  # "half a year" reads "0.5 a year" once words are digits
    # A span of time up to today: "in the last 2 months", "within the past year", "for 6 weeks".
    window: re.Pattern[str]
    window_leads_recent_only: frozenset[str]
    future_before: re.Pattern[str]  # "in 2 weeks": not an answer to "how long ago"
    future_after: re.Pattern[str]  # "2 weeks from now"
    days_by_name: tuple[tuple[re.Pattern[str], float], ...]  # "yesterday": exact
    last_week: re.Pattern[str]


@lru_cache(maxsize=4)
def time_unit_patterns(lexicon: Lexicon) -> TimeUnitPatterns:
    units, words = unit_words(lexicon), load_grammar_words()
    ranges, times = words.ranges, words.times
    unit, spelled = units.after_a_number, units.spelled()
    ish, joins = alternation_of(ranges.about_suffix), alternation_of(ranges.joins)
    conjunctions = alternation_of(times.conjunctions)
    leads = alternation_of(times.window_leads + times.window_leads_recent_only)
    return TimeUnitPatterns(
        units=units,
        duration=re.compile(
            rf"(?<![\d.])(?:(?P<between>(?:{alternation_of(ranges.between)})\s+)?(?P<low>{NUMBER})\s*"
            rf"(?P<sep>-|{alternation_of(ranges.joins + ranges.between_joins)})\s*)?"
            rf"(?P<num>{NUMBER})\s*(?P<ish>-?(?:{ish}))?\s*(?P<plus>\+)?\s*-?\s*(?:of\s+)?(?P<unit>{unit})\b"
            rf"(?P<ish_after>\s*-?(?:{ish})\b)?"
            rf"(?P<half>\s*,?\s*(?:{conjunctions})\s+0\.5\b)?"
            rf"(?:\s*(?:-|{joins})\s*(?P<high>{NUMBER})\b(?:\s*(?P<unit2>{unit})\b)?)?"
        ),
        between_joins=frozenset(ranges.between_joins),
        article_before_unit=re.compile(rf"\ban?\s+(?=(?:{spelled})\b)"),
        half_article_unit=re.compile(rf"(?<![\d.])0\.5\s+an?\s+(?=(?:{spelled})\b)"),
        window=re.compile(
            rf"\b(?P<lead>{leads})\s+(?P<the>(?:{alternation_of(words.article)})\s+)?"
            rf"(?P<recent>(?:{alternation_of(times.recent)})\s+)?(?:(?P<num>{NUMBER})\s*)?(?P<unit>{spelled})\b"
        ),
        window_leads_recent_only=frozenset(times.window_leads_recent_only),
        future_before=re.compile(rf"\b(?:{alternation_of(times.future_before)})\s*$"),
        future_after=re.compile(rf"^\s*(?:{alternation_of(times.future_after)})\b"),
        days_by_name=tuple(
            (re.compile(rf"\b(?:{alternation_of(named.said)})\b"), float(named.days)) for named in times.days_ago
        ),
        last_week=re.compile(rf"\b(?:{alternation_of(times.last_week)})\b"),
    )


@dataclass(frozen=True)
class _Part:
    """One duration said: a point amount (with its precision) or a range, in days."""

    start: int
    end: int
    unit: str  # the smallest unit said
    low: float
    high: float  # == low for an amount
    width: float  # half the precision of an amount, in days; 0 for a range
    before: Optional[str]  # qualifier kinds
    after: Optional[str]


def _duration_part(match: re.Match[str], text: str, q: QualifierPatterns, times: TimeUnitPatterns) -> Optional[_Part]:
    units = times.units
    unit = units.unit_of(match["unit"])
    per = DAYS_PER_UNIT[unit]
    amount = float(match["num"]) + (0.5 if match["half"] else 0.0)
    before_text = text[max(0, match.start() - 40) : match.start()]
    before = qualifier_kind(q.before.search(before_text), q.before_kinds)
    after = qualifier_kind(q.after.match(text[match.end() : match.end() + 40]), q.after_kinds)
    if match["plus"]:
        after = after or "at_least"
    if match["ish"] or (match["ish_after"] and not (match["half"] or match["high"])):
        after = after or "about"
    if match["low"] is not None:
        if match["sep"] in times.between_joins and not match["between"]:
            return None
        ends = sorted((float(match["low"]) * per, amount * per))
        return _Part(match.start(), match.end(), unit, ends[0], ends[1], 0.0, before, after)
    if match["high"] is not None:
        high_unit = units.unit_of(match["unit2"]) if match["unit2"] else unit
        ends = sorted((amount * per, float(match["high"]) * DAYS_PER_UNIT[high_unit]))
        smallest = min((unit, high_unit), key=UNIT_ORDER.index)
        return _Part(match.start(), match.end(), smallest, ends[0], ends[1], 0.0, before, after)
    return _Part(match.start(), match.end(), unit, amount * per, amount * per, _precision(unit, amount), before, after)


def _precision(unit: str, amount: float) -> float:
    """Half the precision of an amount said plainly, in days.

    A whole count is to the nearest unit ("4 weeks": 3.5 to 4.5 weeks). A count with a
    part ("four and a half weeks", "1.5 years") says that part in the next smaller unit,
    as "1 year and 6 months" does, and is as precise as that unit: 4.5 weeks is 31 to 32
    days (outside a 30-day window), a year and a half 17.5 to 18.5 months.
    """
    if amount.is_integer():
        return DAYS_PER_UNIT[unit] / 2
    smaller = UNIT_ORDER[max(0, UNIT_ORDER.index(unit) - 1)]
    if smaller == unit:
        return DAYS_PER_UNIT[unit] / 4  # a day and a half: to the nearest quarter day
    return DAYS_PER_UNIT[smaller] / 2


def find_parts(text: str, q: QualifierPatterns, times: TimeUnitPatterns) -> Optional[list[_Part]]:
    """Every duration in `text`; None if one points to the future or cannot be read."""
    parts: list[_Part] = []
    for pattern, days in times.days_by_name:
        for match in pattern.finditer(text):
            parts.append(_Part(match.start(), match.end(), "day", days, days, 0.0, "exact", None))
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    for match in times.last_week.finditer(text):
        parts.append(_Part(match.start(), match.end(), "week", 7.0, 7.0, 3.5, None, None))
    text = times.last_week.sub(lambda m: " " * len(m.group(0)), text)
    for match in times.duration.finditer(text):
        if times.future_before.search(text[: match.start()]) or times.future_after.match(text[match.end() :]):
            return None
        part = _duration_part(match, text, q, times)
        if part is None:
            return None
        parts.append(part)
    return sorted(parts, key=lambda p: p.start)


@lru_cache(maxsize=1)
def _part_join() -> re.Pattern[str]:
    """What may stand between the parts of one length of time: "1 year, 3 months", "1 year and 2 weeks"."""
    return re.compile(rf"^[\s,]*(?:{alternation_of(load_grammar_words().times.conjunctions)}|&|\+)?[\s,]*$")


def joined_days(text: str, parts: list[_Part], hedged: bool) -> Optional[Interval]:
    """One duration, possibly in parts ("1 year and 3 months"), as days; None if several.

    Parts must be adjacent and go from larger to smaller units, as people say them.
    """
    if not parts:
        return None
    first = parts[0]
    if len(parts) == 1:
        days = _part_interval(first, hedged)
    else:
        total = first.low
        for previous, part in zip(parts, parts[1:]):
            if not _part_join().match(text[previous.end : part.start]):
                return None
            if UNIT_ORDER.index(part.unit) >= UNIT_ORDER.index(previous.unit):
                return None
            if part.high != part.low or previous.high != previous.low:
                return None  # a range inside a sum: not something people say
            total += part.low
        smallest = parts[-1]
        days = _part_interval(
            _Part(first.start, smallest.end, smallest.unit, total, total, smallest.width, first.before, smallest.after),
            hedged,
        )
    if days is None or (days.low is not None and days.low > MAX_DAYS_AGO):
        return None
    return days


def _part_interval(part: _Part, hedged: bool) -> Optional[Interval]:
    if part.before == "exact":
        return Interval.point(part.low)
    kind = part.before or part.after
    if part.high != part.low:
        return qualified_range(part.low, part.high, kind)
    return qualified_amount(part.low, part.width, kind, hedged)


def window_match(text: str, times: TimeUnitPatterns) -> Optional[re.Match[str]]:
    for match in times.window.finditer(text):
        recent = bool(match["the"] and match["recent"])
        if match["lead"] in times.window_leads_recent_only and not recent:
            continue  # "over a month ago" is a time ago; "within 2 weeks" a bound
        if not (recent or match["num"]):
            continue
        return match
    return None


def window_length(match: re.Match[str], today: date, units: UnitWords) -> Interval:
    """The window's length in days, on the calendar: "the last month" on 15 June is 31 days."""
    amount = float(match["num"] or 1)
    unit = units.unit_of(match["unit"])
    if unit in ("month", "year") and (amount * (12 if unit == "year" else 1)).is_integer():
        months = int(amount * (12 if unit == "year" else 1))
        return Interval.point(float((today - months_back(today, months)).days))
    return Interval.point(amount * DAYS_PER_UNIT[unit])
