"""Dates and calendar spans said in answers: "3/4/2024", "last March", "this past summer",
"around Christmas", "the year before last"."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Mapping, Optional
import calendar
import re

from bot.understanding.grammar_words import load_grammar_words
from bot.understanding.lexicon import Lexicon
from bot.understanding.numbers import NumberVocabulary
from bot.understanding.plain_text import alternation_of
from bot.understanding.qualifiers import qualifier_patterns


ISO_DATE_RE = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
US_DATE_RE = re.compile(r"\b(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}|\d{2})\b")
NUMERIC_MONTH_YEAR_RE = re.compile(r"\b(?P<month>\d{1,2})[/-](?P<year>\d{4})\b")
NUMERIC_YEAR_MONTH_RE = re.compile(r"\b(?P<year>\d{4})[/-](?P<month>\d{1,2})\b")
UNREAD_DATE_RE = re.compile(r"\d\s*/\s*\d")
YEAR_ALONE_RE = re.compile(r"(?<![\d/.-])\b(?P<year>(?:19|20)\d{2})\b(?![/-]\d)")
ORDINAL_SUFFIX = r"(?:st|nd|rd|th)?"


@dataclass(frozen=True)
class _DateWords:
    """The words of data/grammar_words.yml `dates`, as alternations, and what each one means."""

    month_cue: str  # "since May", "last March": a month name alone may be the verb "may"
    which: str  # "last" / "this" before a month, a season or "year"
    which_kind: Mapping[str, str]  # phrase -> last | this
    year: str
    season_cue: str  # "in the fall", "this past summer": "fall" may be a verb or a noun
    season_cue_kind: Mapping[str, str]  # phrase -> over | this | plain
    period: re.Pattern[str]  # "last month", "the year before last"
    period_kind: Mapping[str, str]  # phrase -> year_before_last | last_month | ...
    joins: str  # "March or April", "May through July"
    range_join: re.Pattern[str]  # all that stands between two dates that make one range


def _kinds(lists: Mapping[str, list[str]]) -> dict[str, str]:
    return {" ".join(phrase.split()): kind for kind, phrases in lists.items() for phrase in phrases}


@lru_cache(maxsize=1)
def _date_words() -> _DateWords:
    words = load_grammar_words()
    dates = words.dates
    which = dates.which.dict()
    season_cues = dates.season_cues.dict()
    periods = dates.periods.dict()
    joins = alternation_of(dates.range_joins)
    leads, article = alternation_of(dates.season_leads), alternation_of(words.article)
    return _DateWords(
        month_cue=alternation_of(dates.month_cues + [p for phrases in which.values() for p in phrases]),
        which=alternation_of([p for phrases in which.values() for p in phrases]),
        which_kind=_kinds(which),
        year=alternation_of(dates.year),
        season_cue=(
            rf"(?:(?:{leads})\s+(?:(?:{article})\s+)?"
            rf"|(?:{alternation_of([p for phrases in season_cues.values() for p in phrases])})[\s-]+)"
        ),
        season_cue_kind=_kinds(season_cues),
        period=re.compile(rf"\b(?P<period>{alternation_of([p for phrases in periods.values() for p in phrases])})\b"),
        period_kind=_kinds(periods),
        joins=joins,
        range_join=re.compile(rf"^\s*(?:{joins}|-)\s*(?:(?:{alternation_of(dates.range_then)})\s+)?$"),
    )


def _kind_of(kinds: Mapping[str, str], said: Optional[str]) -> Optional[str]:
    return kinds.get(" ".join((said or "").split()))


@dataclass(frozen=True)
class DateSpan:
    """Dates something may have happened on: [first, last]."""

    first: date
    last: date


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def safe_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_span(year: int, month: int) -> Optional[DateSpan]:
    if not 1 <= month <= 12 or year < 1:
        return None
    return DateSpan(date(year, month, 1), date(year, month, _last_day(year, month)))


def _months_span(year: int, first: int, last: int) -> DateSpan:
    """Months first..last of `year`; a range that wraps (12 -> 2) ends in the next year."""
    end_year = year + 1 if last < first else year
    return DateSpan(date(year, first, 1), date(end_year, last, _last_day(end_year, last)))


def _full_year(year_text: str, today: date) -> int:
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if 2000 + year <= today.year else 1900
    return year


def _latest_begun(make: "callable[[int], Optional[DateSpan]]", today: date) -> Optional[DateSpan]:
    """The latest span of a yearly kind (a month, a season) that has begun by today."""
    for year in (today.year, today.year - 1, today.year - 2):
        span = make(year)
        if span is not None and span.first <= today:
            return span
    return None


def _latest_over(make: "callable[[int], Optional[DateSpan]]", today: date) -> Optional[DateSpan]:
    """The latest span of a yearly kind that is over ("last summer" said in July: last year's)."""
    for year in (today.year, today.year - 1, today.year - 2):
        span = make(year)
        if span is not None and span.last < today:
            return span
    return None


def _calendar_patterns(vocab: NumberVocabulary, lexicon: Lexicon) -> list[tuple[str, re.Pattern[str]]]:
    words = _date_words()
    m = rf"(?P<month_name>{vocab.month_alt})\.?"
    holiday_alt = alternation_of(list(lexicon.holidays or {})) or "(?!)"
    season_alt = alternation_of(list(lexicon.seasons or {})) or "(?!)"
    part_alt = alternation_of(list(lexicon.year_parts or {})) or "(?!)"
    return [
        ("ymd", ISO_DATE_RE),
        ("mdy", US_DATE_RE),
        ("my", NUMERIC_MONTH_YEAR_RE),
        ("my", NUMERIC_YEAR_MONTH_RE),
        ("month_range", re.compile(
            rf"\b(?P<first_month>{vocab.month_alt})\.?\s*(?:{words.joins}|-)\s*{m}"
            rf"(?:\s*,?\s*(?:of\s+)?(?P<year>\d{{4}}))?(?![\w])"
        )),
        ("named", re.compile(rf"\b{m}\s+(?P<day>\d{{1,2}}){ORDINAL_SUFFIX}(?:\s*,?\s*(?P<year>\d{{4}}))?\b")),
        ("named", re.compile(rf"\b(?P<day>\d{{1,2}}){ORDINAL_SUFFIX}\s+(?:of\s+)?{m}(?:\s*,?\s*(?P<year>\d{{4}}))?\b")),
        ("named", re.compile(rf"\b{m}\s*(?:of\s+|,\s*)?(?P<year>\d{{4}})\b")),
        ("named", re.compile(rf"\b{m}\s+(?:of\s+)?(?P<which>{words.which})\s+(?:{words.year})\b")),
        ("named", re.compile(rf"\b(?P<cue>{words.month_cue})[\s-]+(?:of\s+)?{m}(?![\w])")),
        ("named", re.compile(rf"^\s*{m}\s*[.!]?\s*$")),
        ("holiday", re.compile(
            rf"\b(?P<holiday>{holiday_alt})(?:\s*,?\s*(?:of\s+)?(?P<year>\d{{4}})|\s+(?P<which>{words.which})\s+(?:{words.year}))?(?![\w'])"
        )),
        ("season", re.compile(
            rf"\b(?P<season>{season_alt})\s*,?\s*(?:of\s+)?(?:(?P<year>\d{{4}})\b|(?P<which>{words.which})\s+(?:{words.year})\b)"
        )),
        ("season", re.compile(
            rf"(?:\b(?P<cue>{words.season_cue})|^\s*)(?P<season>{season_alt})\b(?!\s*(?:\d|{words.which}))"
        )),
        ("year_part", re.compile(rf"\b(?P<part>{part_alt})[\s-]+(?:of\s+)?(?P<year>(?:19|20)\d{{2}})\b")),
        ("period", words.period),
        ("year", YEAR_ALONE_RE),
    ]


def _span_from_match(
    kind: str, match: re.Match[str], vocab: NumberVocabulary, lexicon: Lexicon, today: date, around: int = 0
) -> Optional[DateSpan]:
    """The dates a match stands for; `around` days either side for a day or holiday said loosely.

    Which year a holiday is ("around Christmas" said on 20 December: last year's) is chosen
    as if said plainly; only then is it widened.
    """
    if around:
        span = _span_from_match(kind, match, vocab, lexicon, today)
        if span is not None and (kind == "holiday" or span.first == span.last):
            return DateSpan(span.first - timedelta(days=around), span.last + timedelta(days=around))
        return span
    groups = match.groupdict()
    if kind == "year":
        year = int(groups["year"])
        return DateSpan(date(year, 1, 1), date(year, 12, 31))
    if kind == "period":
        return _period_span(_kind_of(_date_words().period_kind, groups["period"]), today)
    if kind == "year_part":
        first, last = lexicon.year_parts[" ".join(groups["part"].split())]
        return _months_span(int(groups["year"]), first, last)
    if kind == "season":
        return _season_span(groups, lexicon, today)
    if kind == "holiday":
        return _holiday_span(groups, lexicon, today)
    if kind == "month_range":
        return _month_range_span(vocab.months[groups["first_month"]], vocab.months[groups["month_name"]],
                                 groups.get("year"), today)
    month = vocab.months[groups["month_name"]] if groups.get("month_name") else int(groups["month"])
    if not 1 <= month <= 12:
        return None
    day = int(groups["day"]) if groups.get("day") else None
    if groups.get("year"):
        year = _full_year(groups["year"], today)
        if day:
            found = safe_date(year, month, day)
            return DateSpan(found, found) if found else None
        return _month_span(year, month)
    kinds = _date_words().which_kind
    if groups.get("which"):  # "March of last year", "March this year": the year is said
        return _month_span(today.year - (_kind_of(kinds, groups["which"]) == "last"), month)
    which = _kind_of(kinds, groups.get("cue"))
    if day:
        day_span = lambda y: (lambda d: DateSpan(d, d) if d else None)(safe_date(y, month, day))  # noqa: E731
        return _latest_begun(day_span, today)
    if which == "this":
        return _month_span(today.year, month)
    latest = _latest_begun(lambda y: _month_span(y, month), today)
    if which == "last" and latest is not None:
        # "last March": the latest March that is over, or the one before; which one, only
        # the person knows, so both.
        before = _month_span(latest.first.year - 1, month)
        over = latest if latest.last < today else before
        return DateSpan(before.first, over.last) if before and over else None
    return latest


def _month_range_span(first: int, last: int, year_text: Optional[str], today: date) -> Optional[DateSpan]:
    """"March or April", "November to January 2024": from the first month to the last."""
    if first == last:
        return None  # "I may or may not": no range of months
    if year_text:
        end = _month_span(int(year_text), last)
    else:
        end = _latest_begun(lambda y: _month_span(y, last), today)
    if end is None:
        return None
    start_year = end.first.year - 1 if first > last else end.first.year
    start = _month_span(start_year, first)
    return DateSpan(start.first, end.last) if start else None


def _period_span(period: Optional[str], today: date) -> Optional[DateSpan]:
    """`period`: a kind of data/grammar_words.yml `dates.periods`."""
    if period == "last_month":
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        return _month_span(year, month)
    if period == "this_month":
        return _month_span(today.year, today.month)
    if period == "last_year":
        return DateSpan(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    if period == "this_year":
        return DateSpan(date(today.year, 1, 1), date(today.year, 12, 31))
    return DateSpan(date(today.year - 2, 1, 1), date(today.year - 2, 12, 31))  # the year before last


def _season_span(groups: dict[str, Optional[str]], lexicon: Lexicon, today: date) -> Optional[DateSpan]:
    """A season's months. "Summer 2024"; "last summer": the latest one that is over;
    "this summer": this year's; a bare "summer": the latest that has begun. A winter named
    by a year ("winter 2024") may be the one it starts or the one it ends: both."""
    first, last = lexicon.seasons[" ".join((groups["season"] or "").split())]
    cue = _kind_of(_date_words().season_cue_kind, groups.get("cue"))
    which = _kind_of(_date_words().which_kind, groups.get("which"))
    wraps = last < first
    if groups.get("year"):
        year = int(groups["year"])  # type: ignore[arg-type]
        if wraps:
            return DateSpan(_months_span(year - 1, first, last).first, _months_span(year, first, last).last)
        return _months_span(year, first, last)
    make = lambda y: _months_span(y, first, last)  # noqa: E731
    if which == "last":
        return make(today.year - 1)
    if which == "this" or cue == "this":
        return make(today.year) if make(today.year).first <= today or wraps else None
    if cue == "over":
        return _latest_over(make, today)
    return _latest_begun(make, today)


def _holiday_span(groups: dict[str, Optional[str]], lexicon: Lexicon, today: date) -> Optional[DateSpan]:
    """The days a holiday can fall on; without a year, the latest one that has begun."""
    (m1, d1), (m2, d2) = lexicon.holidays[" ".join((groups["holiday"] or "").split())]
    make = lambda y: DateSpan(date(y, m1, d1), date(y, m2, d2))  # noqa: E731
    if groups.get("year"):
        return make(int(groups["year"]))  # type: ignore[arg-type]
    which = _kind_of(_date_words().which_kind, groups.get("which"))
    if which == "last":
        return make(today.year - 1)
    if which == "this":
        return make(today.year)
    return _latest_begun(make, today)


def find_spans(
    text: str, vocab: NumberVocabulary, lexicon: Lexicon, today: date
) -> tuple[list[tuple[int, int, Optional[DateSpan]]], str]:
    """Calendar dates in `text` with their places, and the text with them blanked out."""
    found: list[tuple[int, int, Optional[DateSpan]]] = []
    for kind, pattern in _calendar_patterns(vocab, lexicon):
        for match in pattern.finditer(text):
            loosely = qualifier_patterns(lexicon).date_around.search(text[: match.start()]) is not None
            around = lexicon.approximate_date_days if loosely else 0
            found.append((match.start(), match.end(), _span_from_match(kind, match, vocab, lexicon, today, around)))
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return sorted(found, key=lambda f: f[0]), text


def one_span(text: str, found: list[tuple[int, int, Optional[DateSpan]]]) -> Optional[DateSpan]:
    """One span from the dates found: the same date said twice, or a range ("March or April")."""
    if any(span is None for _, _, span in found):
        return None
    spans = [span for _, _, span in found]
    if len(set(spans)) == 1:
        return spans[0]
    joined = all(
        _date_words().range_join.match(text[previous_end:start])
        for (_, previous_end, _), (start, _, _) in zip(found, found[1:])
    )
    if not joined:
        return None
    return DateSpan(min(s.first for s in spans), max(s.last for s in spans))  # type: ignore[union-attr]


def months_between(earlier: date, later: date) -> float:
    """Calendar months from `earlier` to `later` (a part month counted by days, 30 to a month)."""
    whole = (later.year - earlier.year) * 12 + (later.month - earlier.month)
    return whole + (later.day - earlier.day) / 30


def months_back(today: date, months: int) -> date:
    """The same day `months` calendar months before today (the month's last day if shorter)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    return date(year, month, min(today.day, _last_day(year, month)))
