"""How long ago the one time an answer gives was ("about 14 months ago", "since last March",
"in the last year"), as intervals of days and of months."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from bot.understanding.assertion import is_hedged
from bot.understanding.dates import DateSpan, UNREAD_DATE_RE, find_spans, months_between, one_span
from bot.understanding.durations import DAYS_PER_MONTH, find_parts, joined_days, time_unit_patterns, window_length, window_match
from bot.understanding.interval import Interval
from bot.understanding.lexicon import Lexicon, load_lexicon
from bot.understanding.numbers import number_vocabulary, numbers_to_digits
from bot.understanding.phrase_rules import says
from bot.understanding.qualifiers import QualifierPatterns, qualifier_kind, qualifier_patterns


@dataclass(frozen=True)
class Elapsed:
    """How long ago something happened, in days and in months (the same interval)."""

    days: Interval
    months: Interval


def _elapsed_from_span(span: DateSpan, before_after: Optional[str], today: date) -> Optional[Elapsed]:
    """How long ago a span of dates was, up to today; None if it is all in the future."""
    if span.first > today:
        return None
    last = min(span.last, today)
    if before_after == "before":  # "before March": some time before March began
        return Elapsed(
            Interval(float((today - span.first).days), None, low_open=True),
            Interval(months_between(span.first, today), None, low_open=True),
        )
    if before_after == "after":  # "after March": since March ended, up to today
        if last >= today:
            return None
        return Elapsed(
            Interval(0.0, float((today - last).days), high_open=True),
            Interval(0.0, months_between(last, today), high_open=True),
        )
    return Elapsed(
        Interval(float((today - last).days), float((today - span.first).days)),
        Interval(months_between(last, today), months_between(span.first, today)),
    )


def window_days(text: Optional[str], today: date, lexicon: Optional[Lexicon] = None) -> Optional[Interval]:
    """Days in a span up to today ("not in the last 2 months", "for 6 weeks"); None if there
    is none, or if the answer says "ago" (a time ago, not a span)."""
    if not text:
        return None
    lexicon = lexicon or load_lexicon()
    return window_in(_prepare_time_text(text, lexicon), today, lexicon)


def window_in(prepared: str, today: date, lexicon: Lexicon) -> Optional[Interval]:
    """window_days of a text already made ready by `time_text`."""
    times = time_unit_patterns(lexicon)
    match = window_match(prepared, times)
    if match is None or says("ago", prepared):
        return None
    return window_length(match, today, times.units)


def time_text(digits: str, lexicon: Lexicon) -> str:
    """The text the time readers read: numbers_to_digits's text with "a month" as "1 month"."""
    times = time_unit_patterns(lexicon)
    return times.article_before_unit.sub("1 ", times.half_article_unit.sub("0.5 ", digits))


def _prepare_time_text(text: str, lexicon: Lexicon) -> str:
    return time_text(numbers_to_digits(text, lexicon), lexicon)


def parse_elapsed(text: Optional[str], today: date, lexicon: Optional[Lexicon] = None) -> Optional[Elapsed]:
    """How long ago the one time an answer gives was, as intervals; None if none or several."""
    if not text or not text.strip():
        return None
    lexicon = lexicon or load_lexicon()
    return elapsed_in(_prepare_time_text(text, lexicon), is_hedged(text), today, lexicon)


def elapsed_in(prepared: str, hedged: bool, today: date, lexicon: Lexicon) -> Optional[Elapsed]:
    """parse_elapsed of a text already made ready by `time_text`, with the reply's hedge mark
    read once elsewhere (bot/understanding/reading.py), so one reply is not parsed again per question."""
    vocab = number_vocabulary(lexicon)
    q = qualifier_patterns(lexicon)
    times = time_unit_patterns(lexicon)
    window = window_match(prepared, times)
    if window is not None and window["the"] and window["recent"] and not says("ago", prepared):
        # "In the last year": some time in that span, up to today.
        days = window_length(window, today, times.units).high or 0.0
        unit, amount = times.units.unit_of(window["unit"]), float(window["num"] or 1)
        months = amount * (12 if unit == "year" else 1) if unit in ("month", "year") else days / DAYS_PER_MONTH
        blanked = prepared[: window.start()] + " " * (window.end() - window.start()) + prepared[window.end() :]
        found, rest = find_spans(blanked, vocab, lexicon, today)
        if found or find_parts(rest, q, times):
            return None  # a span and another time: which one?
        return Elapsed(Interval(0.0, days), Interval(0.0, months))
    found, rest = find_spans(prepared, vocab, lexicon, today)
    if UNREAD_DATE_RE.search(rest):
        return None  # "3/2": a date we cannot read, so the rest is not the whole answer
    parts = find_parts(rest, q, times)
    if parts is None or (found and parts):
        return None
    if found:
        span = one_span(prepared, found)
        if span is None:
            return None
        side = _date_side(prepared, found[0][0], found[0][1], q)
        return _elapsed_from_span(span, side, today)
    days = joined_days(rest, parts, hedged)
    if days is None:
        return None
    return Elapsed(days, days.scaled(1 / DAYS_PER_MONTH))


def _date_side(text: str, start: int, end: int, q: QualifierPatterns) -> Optional[str]:
    """"before" / "after" said just before a date, or as the cue of its match ("before March")."""
    side = qualifier_kind(q.date_before.search(text[:start]), q.date_kinds)
    if side is None:
        side = qualifier_kind(q.date_start.match(text[start:end]), q.date_kinds)
    return side


def parse_months_since(text: Optional[str], today: date, lexicon: Optional[Lexicon] = None) -> Optional[Interval]:
    """Months between when something started (as the person says it) and `today`."""
    elapsed = parse_elapsed(text, today, lexicon)
    return None if elapsed is None else elapsed.months


def parse_days_since(text: Optional[str], today: date, lexicon: Optional[Lexicon] = None) -> Optional[Interval]:
    """Days between when something happened (e.g. a last dose) and `today`."""
    elapsed = parse_elapsed(text, today, lexicon)
    return None if elapsed is None else elapsed.days
