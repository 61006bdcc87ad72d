"""Ages, as intervals: "54", "in his 60s", "turning 70 next month", "born in 1961"."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Optional
import re

from bot.understanding.assertion import is_hedged
from bot.understanding.dates import safe_date
from bot.understanding.grammar_words import load_grammar_words
from bot.understanding.interval import Interval
from bot.understanding.lexicon import Lexicon, load_lexicon
from bot.understanding.numbers import number_vocabulary, numbers_to_digits
from bot.understanding.phrase_rules import load_phrase_rules
from bot.understanding.plain_text import alternation_of, light, phrase_pattern
from bot.understanding.qualifiers import qualified_amount, qualified_range, qualifier_kind, qualifier_patterns
from bot.understanding.time_units import unit_words


MIN_AGE, MAX_AGE = 1, 120
AGE_CONTEXT_CHARS = 40
# A decade: "in his 60s", "60's".
AGE_DECADE_RE = re.compile(r"(?<![\d.,/])(?P<d>[1-9])0\s*'?s\b")
BIRTH_FULL_DATE_RE = re.compile(r"\b(?P<month>\d{1,2})[/.-](?P<day>\d{1,2})[/.-](?P<year>(?:19|20)\d{2})\b")
BIRTH_YEAR_RE = re.compile(r"(?<![\d/.-])(?P<year>(?:19|20)\d{2})\b")


@dataclass(frozen=True)
class _AgePatterns:
    """The age readers' patterns, from the words of data/grammar_words.yml and the lexicon's
    one unit table."""

    number: re.Pattern[str]  # "54", "54.5", "50ish"; not "54th", "60s", "3/4", "50%"
    range: re.Pattern[str]  # "50-55", "50 to 55", "60 or 65", "between 50 and 55"
    between_joins: frozenset[str]
    cue: re.Pattern[str]  # said before the number: "I'm 54", "he is 67", "age: 43"
    next_birthday: re.Pattern[str]  # "turning 70 next month" -> 69
    suffix: re.Pattern[str]  # "54 years old", "54yo", "54 y/o", "54-year-old"
    years: re.Pattern[str]  # "54 years", "54 yrs old"
    not_age: re.Pattern[str]  # "54 days", "3 years ago", "6 ft": a time or a measurement
    filler: re.Pattern[str]  # what may stand around an age that is the whole answer
    birth: re.Pattern[str]  # "born in 1961", "DOB 3/4/1965"


@lru_cache(maxsize=4)
def _age_patterns(lexicon: Lexicon) -> _AgePatterns:
    words, units = load_grammar_words(), unit_words(lexicon)
    ranges, ages = words.ranges, words.ages
    ish, after = alternation_of(ranges.about_suffix), alternation_of(ages.after)
    joins = alternation_of(ranges.joins + ranges.between_joins)
    return _AgePatterns(
        number=re.compile(rf"(?<![\d.,/])(\d{{1,3}})(?:\.5)?(?P<ish>-?(?:{ish})\b)?(?!\d|\.\d|/\d|s\b|th\b|st\b|nd\b|rd\b|%)"),
        range=re.compile(
            rf"(?<![\d.,/])(?P<between>(?:{alternation_of(ranges.between)})\s+)?(?P<a>\d{{1,3}})\s*(?P<sep>-|{joins})\s*"
            rf"(?P<b>\d{{1,3}})(?![\d.%/])"
        ),
        between_joins=frozenset(ranges.between_joins),
        cue=re.compile(rf"\b(?:{alternation_of(ages.before)})\s*:?\s*$"),
        next_birthday=re.compile(rf"\b(?:{alternation_of(ages.next_birthday)})\s*$"),
        suffix=re.compile(rf"^\s*-?\s*(?:{units.any_of('year')})?\s*-?\s*(?:{after})(?![a-z0-9])"),
        years=re.compile(rf"^\s*-?\s*(?:{units.spelled('year')})?\s*(?:(?:{alternation_of(ages.after_years)})\b)?"),
        not_age=re.compile(
            rf"^\s*-?\s*(?:{units.spelled('day', 'week', 'month')}|(?:{units.spelled('year')}) (?!(?:{after})(?![a-z0-9]))"
            rf"(?:{alternation_of(ages.years_as_time)})|{alternation_of(ages.measurements)})\b"
        ),
        filler=re.compile(
            rf"\b(?:{alternation_of(ages.filler + ranges.about_suffix + ranges.between + ranges.joins + ranges.between_joins)})\b"
            r"|[\s.!,+<>~:/-]"
        ),
        birth=re.compile(rf"\b(?:{alternation_of(ages.birth)})(?![a-z0-9])"),
    )


# A hedged or "about" age is a year either way.
AGE_WIDTH = 1.0


def _age_from_birth(text: str, today: date, lexicon: Lexicon) -> Optional[Interval]:
    """The ages a birth date, month or year can give today ("born in 2008": 17 or 18)."""
    if not _age_patterns(lexicon).birth.search(text):
        return None
    full = BIRTH_FULL_DATE_RE.search(text)
    if full:
        born = safe_date(int(full["year"]), int(full["month"]), int(full["day"]))
        if born is None or born > today:
            return None
        return Interval.point(today.year - born.year - ((today.month, today.day) < (born.month, born.day)))
    years = {int(m["year"]) for m in BIRTH_YEAR_RE.finditer(text)}
    if len(years) != 1:
        return None
    year = years.pop()
    if year > today.year:
        return None
    vocab = number_vocabulary(lexicon)
    month_match = re.search(rf"\b(?P<m>{vocab.month_alt})\.?\s*(?:of\s+|,\s*)?{year}\b", text)
    oldest = today.year - year  # the birthday has been this year
    if month_match:
        month = vocab.months[month_match["m"]]
        if month < today.month:
            return Interval.point(oldest)
        if month > today.month:
            return Interval.point(oldest - 1)
    return Interval(max(0, oldest - 1), oldest)  # the birthday may be still to come


# An answer that is only an age is short: "he is maybe about 58 years old, I think".
MAX_WHOLE_AGE_CHARS = 80


@lru_cache(maxsize=1)
def _hedges() -> tuple[str, ...]:
    """The hedge phrases (data/phrase_rules/assertion.yml), as answers are read: the age grammar
    reads them among its own words, so "maybe about 58" is still an age and nothing else."""
    return tuple(light(p) for p in load_phrase_rules().phrases("hedge"))


@lru_cache(maxsize=1)
def _hedge_at_end() -> re.Pattern[str]:
    return re.compile(rf"(?:{phrase_pattern(_hedges()).pattern})\s*$")


@lru_cache(maxsize=4)
def _age_words_re(lexicon: Lexicon) -> re.Pattern[str]:
    """Hedges and qualifiers, which may stand around an age that is the whole answer."""
    q = qualifier_patterns(lexicon)
    phrases = list(_hedges()) + list(q.before_kinds) + list(q.after_kinds)
    return re.compile(rf"(?<![a-z0-9])(?:{alternation_of(phrases)})(?![a-z0-9])")


def _age_is_whole_answer(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """Whether only the number (or range), qualifiers, hedges and "years old" were said."""
    if len(text) > MAX_WHOLE_AGE_CHARS:
        return False
    rest = _age_words_re(lexicon).sub(" ", text[:start] + " " + text[end:])
    return not _age_patterns(lexicon).filler.sub("", rest).strip()


def _age_cued(before: str, after: str, ages: _AgePatterns) -> bool:
    return bool(ages.cue.search(before) or ages.suffix.match(after))


def _age_candidates(normalized: str, lexicon: Lexicon, hedged: bool) -> Optional[set[Interval]]:
    q = qualifier_patterns(lexicon)
    ages = _age_patterns(lexicon)
    found: set[Interval] = set()
    covered = normalized
    for match in ages.range.finditer(normalized):
        if match["sep"] in ages.between_joins and not match["between"]:
            continue
        before = normalized[max(0, match.start() - AGE_CONTEXT_CHARS) : match.start()]
        after = normalized[match.end() : match.end() + AGE_CONTEXT_CHARS]
        if ages.not_age.match(after):
            continue
        kind, stripped = _strip_qualifiers(before, lexicon)
        if _age_cued(stripped, after, ages) or _age_is_whole_answer(normalized, match.start(), match.end(), lexicon):
            a, b = int(match["a"]), int(match["b"])
            interval = qualified_range(a, b, kind)
            if interval is not None and hedged:
                interval = _widened(interval, AGE_WIDTH)
            if interval is not None:
                found.add(interval)
            covered = covered[: match.start()] + " " * (match.end() - match.start()) + covered[match.end() :]
    for match in AGE_DECADE_RE.finditer(covered):
        decade = int(match["d"]) * 10
        found.add(Interval(decade, decade + 9))
        covered = covered[: match.start()] + " " * (match.end() - match.start()) + covered[match.end() :]
    for match in ages.number.finditer(covered):
        # A short window each side keeps long pastes linear.
        before = covered[max(0, match.start() - AGE_CONTEXT_CHARS) : match.start()]
        after = covered[match.end() : match.end() + AGE_CONTEXT_CHARS]
        value = float(int(match.group(1)))
        if ages.not_age.match(after):
            continue
        kind, stripped = _strip_qualifiers(before, lexicon)
        after_years = ages.years.match(after)
        after_qualifier = q.after.match(after[after_years.end() if after_years else 0 :])
        kind = kind or qualifier_kind(after_qualifier, q.after_kinds)
        if match["ish"]:
            kind = kind or "about"
        if ages.next_birthday.search(stripped) or kind == "almost":
            found.add(Interval.point(value - 1))  # "turning 70", "almost 60": next birthday
            continue
        if not (_age_cued(stripped, after, ages) or _age_is_whole_answer(covered, match.start(), match.end(), lexicon)):
            continue
        if kind in (None, "about"):
            found.add(Interval.point(value) if kind is None and not hedged else Interval.around(value, AGE_WIDTH))
            continue
        interval = qualified_amount(value, AGE_WIDTH, kind, hedged=False)
        if interval is not None:
            found.add(interval)
    return found


def _strip_qualifiers(before: str, lexicon: Lexicon) -> tuple[Optional[str], str]:
    """The qualifier said just before a number, and the text before it without hedges.

    "he is maybe about 58" -> ("about", "he is ").
    """
    q, hedge_at_end = qualifier_patterns(lexicon), _hedge_at_end()
    kind = None
    while True:
        qualifier = q.before.search(before)
        if qualifier:
            kind = kind or qualifier_kind(qualifier, q.before_kinds)
            before = before[: qualifier.start()]
            continue
        hedge = hedge_at_end.search(before)
        if hedge and hedge.start() < len(before):
            before = before[: hedge.start()]
            continue
        return kind, before


def _widened(interval: Interval, width: float) -> Interval:
    low = None if interval.low is None else max(0.0, interval.low - width)
    high = None if interval.high is None else interval.high + width
    return Interval(low, high, interval.low_open, interval.high_open)


def _an_age(interval: Interval) -> bool:
    ends = [e for e in (interval.low, interval.high) if e is not None]
    if interval.is_point:
        return MIN_AGE <= ends[0] <= MAX_AGE
    return all(0 <= e <= MAX_AGE for e in ends) and (interval.high is None or interval.high >= MIN_AGE)


def parse_age(
    text: Optional[str], today: Optional[date] = None, lexicon: Optional[Lexicon] = None
) -> Optional[Interval]:
    """The person's age in whole years as an interval; None when absent, ambiguous or impossible.

    "I'm 54" is 54; "about 54" or "maybe 54" 53 to 55; "over 60", "18 or older", "under 18"
    are bounds; "50 to 55" and "in his 60s" ranges; "turning 70" is 69. A birth date or
    year needs `today`.
    """
    if not text:
        return None
    lexicon = lexicon or load_lexicon()
    return age_in(text, numbers_to_digits(text, lexicon), is_hedged(text), today, lexicon)


def age_in(text: str, digits: str, hedged: bool, today: Optional[date], lexicon: Lexicon) -> Optional[Interval]:
    """parse_age given the reply's numbers-as-digits text and hedge mark, read once elsewhere
    (bot/understanding/reading.py), so a reply tried against several questions is not parsed again."""
    if not text:
        return None
    if today is not None:
        # The digits text: "born in nineteen sixty two" is a birth year too.
        from_birth = _age_from_birth(digits, today, lexicon)
        if from_birth is not None:
            return from_birth if _an_age(from_birth) else None
    ages = _age_candidates(digits.replace("'", ""), lexicon, hedged)
    if not ages or len(ages) != 1:
        return None
    age = ages.pop()
    return age if _an_age(age) else None
