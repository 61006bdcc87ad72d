"""Reads the free-text answers people give to the pre-screen questions.

Patients and caregivers type "yep", "fifty four", "18 mos", "since last March"
or "stopped Radicava 2 weeks ago". Each parser here turns one kind of answer
into a value, and returns None when it cannot read the answer. A reading is
certain or it is not made: asking again, or leaving the item for the study team,
is always better than a guess about someone's health.

The vocabulary (yes, no, hedges, pending states, negators, qualifiers, seasons,
holidays, vague amounts) is data in data/lexicon.yml; this module is the grammar.

Decisions worth knowing (the tests pin each one):
- Hedges ("I think so", "I don't think so", "probably not", "maybe"), pending
  states ("green card pending", "still waiting on tests") and inconclusive ones
  ("the EMG was inconclusive") read as 'unsure', never as a firm yes or no: the
  study team then checks that item. An answer that says both yes and no reads as None.
- Numbers are intervals (bot/understanding/interval.py), never a guessed point:
  - an amount said plainly is to the nearest unit: "2 years ago" is 1.5 to 2.5
    years, "18 months" 17.5 to 18.5 months, "30 days" 29.5 to 30.5 days
    ("1.5 years", with its half, to the nearest quarter year). "About" says the same;
  - a hedged amount ("maybe 2 years", "I think 6 months") is a whole unit either way;
  - qualifiers are bounds: "less than a month" is [0, 1 month), "over a year"
    (1 year, no end), "2 years or more" [2 years, no end), "almost 2 years" up to and
    including 2 years, "just over a month" a little past it (data/lexicon.yml lists them);
  - a range is the interval between its ends as said: "a year or two", "6-7 months",
    "18 months to 2 years", "between 50 and 55"; vague amounts too ("a few months": 2 to 4);
  - a date is as precise as it was said: a day, a month ("in November": its first to
    its last day), a season, a holiday that moves (Thanksgiving: 22 to 28 November), a
    part of a year ("early 2024": January to April) or a year; a day or a holiday said
    loosely ("around Christmas") is wider by the lexicon's `approximate_dates` days;
  - ages said plainly are exact ("I'm 54"); "about 54" is 53 to 55; "in his 60s" 60 to 69;
    "born in 2008" is the two ages that birth year can give today; "turning 70" is 69.
- A week is 7 days, a month 365.25 / 12 days, a year 365.25 days. Durations in
  months and days come from the same interval; dates count calendar months.
- A month without a year is the most recent one that has begun ("since january");
  "last March" may be this year's or last year's, so it is both (the interval
  holding them). "Last summer" is the most recent summer that is over.
- A bare number without a unit ("18") is not a duration: None.
- "never" is not a duration: `mentions_never` tells the caller it was said.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal, Mapping, Optional

from bot.understanding.interval import Interval
from bot.understanding.lexicon import Lexicon, load_lexicon
from bot.understanding.nlp import Mention, find_entities
from bot.understanding.plain_text import WORD_RE, folded, light, plain_words
from bot.understanding.time_units import UnitWords, unit_words

YesNo = Literal["yes", "no", "unsure"]

# Every text is made plain one way (bot/understanding/plain_text.py): "doesn´t" -> "doesnt", "nooo" -> "no".
_words = plain_words


def phrase_pattern(phrases: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """Whole-word match of any lexicon phrase, over text made of `_words` joined by spaces.

    Every reader matches vocabulary this way (bot/prescreen/kinds/ too), so a phrase added to
    data/lexicon.yml is read the same wherever it is used.
    """
    if not phrases:
        return re.compile(r"(?!)")
    alternation = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternation})(?![a-z0-9])")


@dataclass(frozen=True)
class _AssertionPatterns:
    yes: re.Pattern[str]
    no: re.Pattern[str]
    firm_no: re.Pattern[str]
    yes_idioms: re.Pattern[str]
    unsure: re.Pattern[str]  # hedges, pending and inconclusive
    hedges: re.Pattern[str]
    negators: re.Pattern[str]
    clause_break: re.Pattern[str]
    window: int


@lru_cache(maxsize=4)
def _assertion(lexicon: Lexicon) -> _AssertionPatterns:
    a = lexicon.assertion
    return _AssertionPatterns(
        yes=phrase_pattern(a["yes"]),
        no=phrase_pattern(a["no"]),
        firm_no=phrase_pattern(a["firm_no"]),
        yes_idioms=phrase_pattern(a["yes_idioms"]),
        unsure=phrase_pattern(a["hedges"] + a["pending"] + a["inconclusive"]),
        hedges=phrase_pattern(a["hedges"]),
        negators=phrase_pattern(a.negators),
        clause_break=re.compile(r"[,;.!?]|" + phrase_pattern(a.clause_breaks).pattern),
        window=a.window,
    )


def _patterns(lexicon: Optional[Lexicon] = None) -> _AssertionPatterns:
    return _assertion(lexicon or load_lexicon())


# ---------------------------------------------------------------------------
# Yes / no
# ---------------------------------------------------------------------------
# Longer answers are statements, not yes/no replies: the caller asks again.
MAX_YES_NO_WORDS = 25
# "he does", "she is", "i have": a yes when that is the whole answer (grammar, not vocabulary).
AFFIRMING_AUX_RE = re.compile(
    r"(?:i|he|she|they|we|it) (?:do|does|did|am|is|are|was|were|has|have|had|can|will|could)"
)
SINGLE_LETTER = {"y": "yes", "n": "no"}


def parse_yes_no(text: Optional[str], lexicon: Optional[Lexicon] = None) -> Optional[YesNo]:
    """'yes', 'no' or 'unsure' from a short reply; None when it is not a yes/no answer."""
    if not text:
        return None
    words = _words(text)
    if not words or len(words) > MAX_YES_NO_WORDS:
        return None
    if len(words) == 1 and words[0] in SINGLE_LETTER:
        return SINGLE_LETTER[words[0]]  # type: ignore[return-value]
    p = _patterns(lexicon)
    joined = p.yes_idioms.sub("yes", " ".join(words))
    if p.unsure.search(joined):
        return "unsure"
    if p.firm_no.search(joined):
        return "no"
    says_yes = bool(p.yes.search(joined) or AFFIRMING_AUX_RE.fullmatch(joined))
    says_no = bool(p.no.search(joined))
    if says_yes and says_no:
        return None
    if says_yes:
        return "yes"
    if says_no:
        return "no"
    return None


def is_hedged(text: Optional[str], lexicon: Optional[Lexicon] = None) -> bool:
    """Whether the answer doubts itself ("I think", "maybe", "not sure")."""
    return bool(text) and bool(_patterns(lexicon).hedges.search(" ".join(_words(text or ""))))


# ---------------------------------------------------------------------------
# Negation where it stands
# ---------------------------------------------------------------------------
def negated_at(text: str, start: int, lexicon: Optional[Lexicon] = None) -> bool:
    """Whether a negator comes just before position `start`, in the same clause.

    "not on a ventilator", "no longer takes riluzole", "no ventilator, just bipap"
    (the BiPAP is not negated: the comma ends the clause).
    """
    p = _patterns(lexicon)
    clause = p.clause_break.split(light(text[:start]))[-1]
    words = WORD_RE.findall(clause)[-p.window:]
    return bool(p.negators.search(" ".join(words)))


def says_negation(text: str, lexicon: Optional[Lexicon] = None) -> bool:
    """Whether any negator is said anywhere in the answer."""
    return bool(_patterns(lexicon).negators.search(" ".join(_words(text))))


# ---------------------------------------------------------------------------
# Dictation: punctuation said as words
# ---------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------
# Numbers written as words
# ---------------------------------------------------------------------------
MIXED_HALF_RE = re.compile(r"(?<![\d.])(\d+)\s*(?:\s1/2|\u00bd)(?![\d/])")
LONE_HALF_RE = re.compile(r"(?<![\d/.])(?:1/2|\u00bd)(?![\d/])")
AND_A_HALF_RE = re.compile(r"(?<![\d.])(\d+) and 0\.5\b")
NUMBER_RUN_SEPARATOR_RE = re.compile(r"(\s+and\s+|\s*-\s*|\s+)")


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True)
class _NumberVocabulary:
    """Regexes built from the lexicon's number and month words (data, not code)."""

    phrases_re: re.Pattern[str]
    phrases: dict[str, float]
    run_re: re.Pattern[str]
    words: dict[str, float]
    article_multiplier_re: re.Pattern[str]
    month_alt: str
    months: dict[str, int]
    vague_re: re.Pattern[str]  # "a few" -> "2 to 4"
    vague: dict[str, str]
    year_re: re.Pattern[str]  # "twenty twenty three", "nineteen oh five": a year said in pairs
    plural_unit_re: re.Pattern[str]  # "for months", "years ago": a plural unit with no count
    plural_unit_count: str  # what such a unit is read as ("2+ ")
    plural_unit_not_after: frozenset[str]  # "some months ago": left as said


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=4)
def _vocabulary(lexicon: Lexicon) -> _NumberVocabulary:
    phrases = {k: v for k, v in lexicon.numbers.items() if " " in k}
    words = {k: v for k, v in lexicon.numbers.items() if " " not in k}
    word_alt = _alternation(list(words))
    multipliers = [k for k, v in words.items() if v >= 100]
    return _NumberVocabulary(
        phrases_re=re.compile(rf"\b(?:{_alternation(list(phrases))})\b") if phrases else re.compile(r"(?!)"),
        phrases={" ".join(k.split()): v for k, v in phrases.items()},
        run_re=re.compile(rf"\b(?:{word_alt})(?:(?:\s+and\s+|\s*-\s*|\s+)(?:{word_alt}))*\b"),
        words=words,
        article_multiplier_re=(
            re.compile(rf"\ban?\s+(?=(?:{_alternation(multipliers)})\b)") if multipliers else re.compile(r"(?!)")
        ),
        month_alt=_alternation(list(lexicon.months)),
        months=dict(lexicon.months),
        vague_re=(
            re.compile(rf"\b(?:{_alternation(list(lexicon.vague_numbers))})\b") if lexicon.vague_numbers
            else re.compile(r"(?!)")
        ),
        vague={
            " ".join(k.split()): f"{_format_number(low)} to {_format_number(high)}"
            for k, (low, high) in (lexicon.vague_numbers or {}).items()
        },
        year_re=_year_pattern(lexicon, words),
        plural_unit_re=_plural_unit_pattern(lexicon),
        plural_unit_count=(
            f"{_format_number(lexicon.plural_unit.at_least)}+ " if lexicon.plural_unit is not None else ""
        ),
        plural_unit_not_after=frozenset(
            (lexicon.plural_unit.not_after if lexicon.plural_unit is not None else ())
            + tuple(p.split()[-1] for p in (*lexicon.qualifiers.before, *(lexicon.vague_numbers or ())))
        ),
    )


def _year_pattern(lexicon: Lexicon, words: dict[str, float]) -> re.Pattern[str]:
    """A year said in pairs: a lead ("nineteen", "twenty") then a number from 10 to 99 said
    in words ("sixty", "twenty three", "ten"), or a zero word and a digit ("oh five")."""
    dictation = lexicon.dictation
    if dictation is None or not dictation.year_leads:
        return re.compile(r"(?!)")
    by_value = lambda test: _alternation([w for w, v in words.items() if float(v).is_integer() and test(v)])  # noqa: E731
    units, teens, tens = by_value(lambda v: 1 <= v <= 9), by_value(lambda v: 10 <= v <= 19), by_value(
        lambda v: v >= 20 and v < 100 and v % 10 == 0
    )
    zero = _alternation(list(dictation.year_zero)) or "(?!)"
    return re.compile(
        rf"\b(?P<lead>{_alternation(list(dictation.year_leads))})\s+"
        rf"(?:(?:{zero})\s+(?P<digit>{units})|(?P<teen>{teens})|(?P<tens>{tens})(?:[\s-]+(?P<unit>{units}))?)\b"
    )


def _plural_unit_pattern(lexicon: Lexicon) -> re.Pattern[str]:
    """A plural unit with no count, where the words around it make it a length of time:
    after a word such as "for" ("for months"), or before one such as "ago" ("years ago");
    the word before a unit said before "ago" is checked by `_plural_unit`."""
    plural = lexicon.plural_unit
    if plural is None:
        return re.compile(r"(?!)")
    units = rf"(?:{unit_words(lexicon).plurals})"
    after = _alternation(list(plural.after)) or "(?!)"
    before = _alternation(list(plural.before)) or "(?!)"
    return re.compile(
        rf"(?:\b(?:{after})\s+(?P<counted_after>{units})\b|\b(?P<counted_before>{units})(?=\s+(?:{before})\b))"
    )


def _extends(current: float, value: float, separator: str) -> bool:
    """Whether `value` continues the number being read ("fifty" + "four"), grammar-wise."""
    if not (float(current).is_integer() and float(value).is_integer()) or current == 0:
        return False
    with_and = separator.strip() == "and"
    if value >= 100:
        return current < 100 and not with_and  # "two hundred", "two thousand"
    if current >= 100 and current % 100 == 0:
        return True  # "one hundred (and) two"
    tens = current % 100 >= 20 and current % 10 == 0
    return tens and value < 10 and not with_and  # "fifty four", "two thousand twenty three"


def _read_number_run(run: str, words: dict[str, float]) -> str:
    parts = NUMBER_RUN_SEPARATOR_RE.split(run)
    pieces: list[str] = []
    current = words[parts[0]]
    for separator, word in zip(parts[1::2], parts[2::2]):
        value = words[word]
        if _extends(current, value, separator):
            current = current * value if value >= 100 else current + value
        else:
            pieces += [_format_number(current), separator]
            current = value
    pieces.append(_format_number(current))
    return "".join(pieces)


def numbers_to_digits(text: str, lexicon: Optional[Lexicon] = None) -> str:
    """Lowercased text with number words as digits: "a year and a half" -> "a year and 0.5".

    A vague amount becomes its range: "a few months" -> "2 to 4 months".
    """
    vocab = _vocabulary(lexicon or load_lexicon())
    text = " ".join(folded(text).split())
    text = vocab.year_re.sub(lambda m: _spoken_year(m, vocab.words), text)
    text = vocab.vague_re.sub(lambda m: vocab.vague[" ".join(m.group(0).split())], text)
    text = MIXED_HALF_RE.sub(lambda m: f"{m.group(1)}.5", text)
    text = LONE_HALF_RE.sub("0.5", text)
    text = vocab.phrases_re.sub(lambda m: _format_number(vocab.phrases[" ".join(m.group(0).split())]), text)
    text = vocab.article_multiplier_re.sub("one ", text)
    text = vocab.run_re.sub(lambda m: _read_number_run(m.group(0), vocab.words), text)
    text = AND_A_HALF_RE.sub(lambda m: f"{m.group(1)}.5", text)
    return vocab.plural_unit_re.sub(lambda m: _plural_unit(m, vocab), text)


def _spoken_year(match: re.Match[str], words: dict[str, float]) -> str:
    """ "twenty twenty three" -> "2023", "nineteen oh five" -> "1905"."""
    if match["digit"]:
        rest = words[match["digit"]]
    elif match["teen"]:
        rest = words[match["teen"]]
    else:
        rest = words[match["tens"]] + (words[match["unit"]] if match["unit"] else 0)
    return _format_number(words[match["lead"]] * 100 + rest)


def _plural_unit(match: re.Match[str], vocab: _NumberVocabulary) -> str:
    """ "for months" -> "for 2+ months"; "months ago" -> "2+ months ago" unless a count, a
    qualifier or a word such as "the" stands before it."""
    said = match.group(0)
    if match["counted_after"]:
        unit = match["counted_after"]
        return said[: len(said) - len(unit)] + vocab.plural_unit_count + unit
    before = match.string[: match.start()].split()
    if before and (re.search(r"\d", before[-1]) or before[-1] in vocab.plural_unit_not_after):
        return said
    return vocab.plural_unit_count + said


# ---------------------------------------------------------------------------
# Qualifiers: words that make an amount a bound or a range
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _QualifierPatterns:
    before: re.Pattern[str]  # a qualifier that ends the text before an amount
    before_kinds: dict[str, str]
    after: re.Pattern[str]  # a qualifier that starts the text after an amount
    after_kinds: dict[str, str]
    date_before: re.Pattern[str]
    date_start: re.Pattern[str]  # a match that starts with its own "before" ("before March")
    date_kinds: dict[str, str]
    date_around: re.Pattern[str]  # "around" / "about" just before a date


def _alternation_of(phrases: list[str]) -> str:
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(set(phrases), key=len, reverse=True))


@lru_cache(maxsize=4)
def _qualifiers(lexicon: Lexicon) -> _QualifierPatterns:
    q = lexicon.qualifiers
    before_alt = _alternation_of(list(q.before)) or "(?!)"
    after_alt = _alternation_of(list(q.after)) or "(?!)"
    date_alt = _alternation_of(list(lexicon.date_qualifiers or {})) or "(?!)"
    return _QualifierPatterns(
        before=re.compile(rf"(?:^|(?<=[\s(,]))(?P<q>{before_alt})\s*(?:the\s+)?$"),
        before_kinds=dict(q.before),
        after=re.compile(rf"^\s*,?\s*(?P<q>{after_alt})(?![a-z0-9])"),
        after_kinds=dict(q.after),
        date_before=re.compile(rf"(?:^|(?<=\s))(?P<q>{date_alt})\s+(?:the\s+)?$"),
        date_start=re.compile(rf"(?P<q>{date_alt})\s"),
        date_kinds=dict(lexicon.date_qualifiers or {}),
        date_around=re.compile(
            rf"(?:^|(?<=\s))(?:{_alternation_of(list(lexicon.approximate_date_phrases)) or '(?!)'})\s+(?:the\s+)?$"
        ),
    )


def _kind(match: Optional[re.Match[str]], kinds: dict[str, str]) -> Optional[str]:
    return kinds.get(" ".join(match["q"].split())) if match else None


def _bounded(amount: float, width: float, kind: Optional[str], hedged: bool) -> Optional[Interval]:
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


def _ranged(low: float, high: float, kind: Optional[str]) -> Optional[Interval]:
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


# ---------------------------------------------------------------------------
# Age
# ---------------------------------------------------------------------------
MIN_AGE, MAX_AGE = 1, 120
AGE_CONTEXT_CHARS = 40
AGE_NUMBER_RE = re.compile(r"(?<![\d.,/])(\d{1,3})(?:\.5)?(?:-?ish\b)?(?!\d|\.\d|/\d|s\b|th\b|st\b|nd\b|rd\b|%)")
# An age range: "50-55", "50 to 55", "60 or 65", "between 50 and 55".
AGE_RANGE_RE = re.compile(
    r"(?<![\d.,/])(?P<between>between\s+)?(?P<a>\d{1,3})\s*(?P<sep>-|to|or|and)\s*(?P<b>\d{1,3})(?![\d.%/])"
)
# A decade: "in his 60s", "60's".
AGE_DECADE_RE = re.compile(r"(?<![\d.,/])(?P<d>[1-9])0\s*'?s\b")
# Said before the number: "I'm 54", "he is 67", "age: 43".
AGE_CUE_RE = re.compile(
    r"\b(?:im|i am|hes|he is|shes|she is|they are|theyre|is|am|age|aged|age is|turned|just turned)\s*:?\s*$"
)
# Said before the number, meaning next birthday: "turning 70 next month" -> 69.
AGE_NEXT_BIRTHDAY_RE = re.compile(
    r"\b(?:turning|turns|turn|will be|gonna be|going to be|about to be|soon to be|be)\s*$"
)
# Said after the number: "54 years old", "54yo", "54 y/o", "54-year-old".
# Units of length, weight and count after a number: a measurement, not an age.
MEASUREMENT_WORDS = r"ft|feet|foot|inch|inches|lbs?|pounds?|kgs?|kilos?|cm|mg|percent|times"
# Words after "N years" that make it a time, not an age ("3 years ago", "2 yrs into it").
YEARS_AS_TIME = r"ago|since|back|into|now|with|of (?!age)"


@dataclass(frozen=True)
class _AgeUnitPatterns:
    suffix: re.Pattern[str]  # "54 years old", "54yo", "54 y/o", "54-year-old"
    years: re.Pattern[str]  # "54 years", "54 yrs old"
    not_age: re.Pattern[str]  # "54 days", "3 years ago", "6 ft": a time or a measurement


@lru_cache(maxsize=4)
def _age_units(lexicon: Lexicon) -> _AgeUnitPatterns:
    """The age readers' patterns, with the years and other units of the lexicon's one table."""
    units = unit_words(lexicon)
    return _AgeUnitPatterns(
        suffix=re.compile(rf"^\s*-?\s*(?:{units.any_of('year')})?\s*-?\s*(?:old|of age|yo|y/o|y\.o\.?)\b"),
        years=re.compile(rf"^\s*-?\s*(?:{units.spelled('year')})?\s*(?:old\b)?"),
        not_age=re.compile(
            rf"^\s*-?\s*(?:{units.spelled('day', 'week', 'month')}|(?:{units.spelled('year')}) (?:{YEARS_AS_TIME})|"
            rf"{MEASUREMENT_WORDS})\b"
        ),
    )

# What may stand around the number when the number is the whole answer ("about 54", "54 years").
AGE_FILLER_RE = re.compile(r"\b(?:years?|yrs?|yr|old|ish|y|o|yo|between|and|or|to)\b|[\s.!,+<>~:/-]")
# A hedged or "about" age is a year either way.
AGE_WIDTH = 1.0

# "born in 1961", "DOB 3/4/1965": the age follows from today's date.
BIRTH_CUE_RE = re.compile(r"\b(?:born|dob|d\.?o\.?b\.?|date of birth|year of birth|birth ?year)\b")
BIRTH_FULL_DATE_RE = re.compile(r"\b(?P<month>\d{1,2})[/.-](?P<day>\d{1,2})[/.-](?P<year>(?:19|20)\d{2})\b")
BIRTH_YEAR_RE = re.compile(r"(?<![\d/.-])(?P<year>(?:19|20)\d{2})\b")


def _age_from_birth(text: str, today: date, lexicon: Lexicon) -> Optional[Interval]:
    """The ages a birth date, month or year can give today ("born in 2008": 17 or 18)."""
    if not BIRTH_CUE_RE.search(text):
        return None
    full = BIRTH_FULL_DATE_RE.search(text)
    if full:
        born = _safe_date(int(full["year"]), int(full["month"]), int(full["day"]))
        if born is None or born > today:
            return None
        return Interval.point(today.year - born.year - ((today.month, today.day) < (born.month, born.day)))
    years = {int(m["year"]) for m in BIRTH_YEAR_RE.finditer(text)}
    if len(years) != 1:
        return None
    year = years.pop()
    if year > today.year:
        return None
    vocab = _vocabulary(lexicon)
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


@lru_cache(maxsize=4)
def _age_words_re(lexicon: Lexicon) -> re.Pattern[str]:
    """Hedges and qualifiers, which may stand around an age that is the whole answer."""
    q = _qualifiers(lexicon)
    phrases = list(lexicon.assertion["hedges"]) + list(q.before_kinds) + list(q.after_kinds)
    return re.compile(rf"(?<![a-z0-9])(?:{_alternation_of(phrases)})(?![a-z0-9])")


def _age_is_whole_answer(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """Whether only the number (or range), qualifiers, hedges and "years old" were said."""
    if len(text) > MAX_WHOLE_AGE_CHARS:
        return False
    rest = _age_words_re(lexicon).sub(" ", text[:start] + " " + text[end:])
    return not AGE_FILLER_RE.sub("", rest).strip()


def _age_cued(before: str, after: str, ages: _AgeUnitPatterns) -> bool:
    return bool(AGE_CUE_RE.search(before) or ages.suffix.match(after))


def _age_candidates(normalized: str, lexicon: Lexicon, hedged: bool) -> Optional[set[Interval]]:
    q = _qualifiers(lexicon)
    ages = _age_units(lexicon)
    found: set[Interval] = set()
    covered = normalized
    for match in AGE_RANGE_RE.finditer(normalized):
        if match["sep"] == "and" and not match["between"]:
            continue
        before = normalized[max(0, match.start() - AGE_CONTEXT_CHARS) : match.start()]
        after = normalized[match.end() : match.end() + AGE_CONTEXT_CHARS]
        if ages.not_age.match(after):
            continue
        kind, stripped = _strip_qualifiers(before, lexicon)
        if _age_cued(stripped, after, ages) or _age_is_whole_answer(normalized, match.start(), match.end(), lexicon):
            a, b = int(match["a"]), int(match["b"])
            interval = _ranged(a, b, kind)
            if interval is not None and hedged:
                interval = _widened(interval, AGE_WIDTH)
            if interval is not None:
                found.add(interval)
            covered = covered[: match.start()] + " " * (match.end() - match.start()) + covered[match.end() :]
    for match in AGE_DECADE_RE.finditer(covered):
        decade = int(match["d"]) * 10
        found.add(Interval(decade, decade + 9))
        covered = covered[: match.start()] + " " * (match.end() - match.start()) + covered[match.end() :]
    for match in AGE_NUMBER_RE.finditer(covered):
        # A short window each side keeps long pastes linear.
        before = covered[max(0, match.start() - AGE_CONTEXT_CHARS) : match.start()]
        after = covered[match.end() : match.end() + AGE_CONTEXT_CHARS]
        value = float(int(match.group(1)))
        if ages.not_age.match(after):
            continue
        kind, stripped = _strip_qualifiers(before, lexicon)
        after_years = ages.years.match(after)
        after_qualifier = q.after.match(after[after_years.end() if after_years else 0 :])
        kind = kind or _kind(after_qualifier, q.after_kinds)
        if "ish" in match.group(0):
            kind = kind or "about"
        if AGE_NEXT_BIRTHDAY_RE.search(stripped) or kind == "almost":
            found.add(Interval.point(value - 1))  # "turning 70", "almost 60": next birthday
            continue
        if not (_age_cued(stripped, after, ages) or _age_is_whole_answer(covered, match.start(), match.end(), lexicon)):
            continue
        if kind in (None, "about"):
            found.add(Interval.point(value) if kind is None and not hedged else Interval.around(value, AGE_WIDTH))
            continue
        interval = _bounded(value, AGE_WIDTH, kind, hedged=False)
        if interval is not None:
            found.add(interval)
    return found


def _strip_qualifiers(before: str, lexicon: Lexicon) -> tuple[Optional[str], str]:
    """The qualifier said just before a number, and the text before it without hedges.

    "he is maybe about 58" -> ("about", "he is ").
    """
    q, p = _qualifiers(lexicon), _patterns(lexicon)
    hedge_at_end = re.compile(rf"(?:{p.hedges.pattern})\s*$")
    kind = None
    while True:
        qualifier = q.before.search(before)
        if qualifier:
            kind = kind or _kind(qualifier, q.before_kinds)
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
    return age_in(text, numbers_to_digits(text, lexicon), is_hedged(text, lexicon), today, lexicon)


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


# ---------------------------------------------------------------------------
# How long ago
# ---------------------------------------------------------------------------
UNIT_ORDER = ("day", "week", "month", "year")
MAX_DAYS_AGO = 100 * 365.25  # beyond a lifetime: a typo, not an answer
DAYS_PER_MONTH = 365.25 / 12
DAYS_PER_UNIT = {"day": 1.0, "week": 7.0, "month": DAYS_PER_MONTH, "year": 365.25}
NUMBER = r"\d+(?:\.\d+)?"


@dataclass(frozen=True)
class _TimeUnitPatterns:
    """The time readers' patterns, with the units of the lexicon's one table."""

    units: UnitWords
    # "6 months", "18mos", "2+ years", "6-7 months", "between 1 and 2 years", "a year or
    # two", "18 months to 2 years".
    duration: re.Pattern[str]
    article_before_unit: re.Pattern[str]  # "a month" -> "1 month"
    half_article_unit: re.Pattern[str]  # "half a year" reads "0.5 a year" once words are digits
    # A span of time up to today: "in the last 2 months", "within the past year", "for 6 weeks".
    window: re.Pattern[str]


@lru_cache(maxsize=4)
def _time_units(lexicon: Lexicon) -> _TimeUnitPatterns:
    units = unit_words(lexicon)
    unit, spelled = units.after_a_number, units.spelled()
    return _TimeUnitPatterns(
        units=units,
        duration=re.compile(
            rf"(?<![\d.])(?:(?P<between>between\s+)?(?P<low>{NUMBER})\s*(?P<sep>-|to|or|and)\s*)?"
            rf"(?P<num>{NUMBER})\s*(?P<ish>-?ish)?\s*(?P<plus>\+)?\s*-?\s*(?:of\s+)?(?P<unit>{unit})\b(?:\s*-?ish\b)?"
            rf"(?P<half>\s*,?\s*and\s+0\.5\b)?"
            rf"(?:\s*(?:-|to|or)\s*(?P<high>{NUMBER})\b(?:\s*(?P<unit2>{unit})\b)?)?"
        ),
        article_before_unit=re.compile(rf"\ban?\s+(?=(?:{spelled})\b)"),
        half_article_unit=re.compile(rf"(?<![\d.])0\.5\s+an?\s+(?=(?:{spelled})\b)"),
        window=re.compile(
            rf"\b(?P<lead>in|for|within|during|over)\s+(?P<the>the\s+)?(?P<recent>(?:last|past)\s+)?"
            rf"(?:(?P<num>{NUMBER})\s*)?(?P<unit>{spelled})\b"
        ),
    )

# "in 2 weeks" / "2 weeks from now" point to the future: not an answer to "how long ago".
FUTURE_BEFORE_RE = re.compile(r"\b(?:in|next|within the next)\s*$")
FUTURE_AFTER_RE = re.compile(r"^\s*(?:from now|later|time)\b")
# Gap allowed between parts of one duration: "1 year, 3 months", "1 year and 2 weeks".
DURATION_JOIN_RE = re.compile(r"^[\s,]*(?:and|&|\+)?[\s,]*$")
# Said of a day: exact.
RELATIVE_DAYS = (
    (re.compile(r"\b(?:the )?day before yesterday\b"), 2.0),
    (re.compile(r"\byesterday\b"), 1.0),
    (re.compile(r"\b(?:today|tonight|this morning|this afternoon|this evening|just now)\b"), 0.0),
)
LAST_WEEK_RE = re.compile(r"\blast week\b")
ISO_DATE_RE = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
US_DATE_RE = re.compile(r"\b(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}|\d{2})\b")
NUMERIC_MONTH_YEAR_RE = re.compile(r"\b(?P<month>\d{1,2})[/-](?P<year>\d{4})\b")
NUMERIC_YEAR_MONTH_RE = re.compile(r"\b(?P<year>\d{4})[/-](?P<month>\d{1,2})\b")
UNREAD_DATE_RE = re.compile(r"\d\s*/\s*\d")
YEAR_ALONE_RE = re.compile(r"(?<![\d/.-])\b(?P<year>(?:19|20)\d{2})\b(?![/-]\d)")
# Words before a month name that make it a date ("since", "last", "early"):
# "may" is also a verb, so a month name alone needs one of them.
MONTH_CUES = r"since|in|last|this|early|late|mid|around|about|from|on|started|began|start|starting|of|by|until|before|after"
# "fall" is also a verb and a noun ("after his fall"): a season needs a cue or a year.
SEASON_CUE = r"(?:(?:in|during|around|by|since|about|from)\s+(?:the\s+)?|(?:this\s+past|last|past|this|early|late|mid)[\s-]+)"
ORDINAL_SUFFIX = r"(?:st|nd|rd|th)?"
# Said of a whole calendar period: "last month", "last year", "the year before last".
PERIOD_RE = re.compile(
    r"\b(?P<period>(?:the )?(?:year|yr) before last|last (?:month|year|yr)|this (?:month|year))\b"
)
# Connectors that make two dates one range: "March or April", "2023 to 2024".
DATE_RANGE_JOIN_RE = re.compile(r"^\s*(?:or|to|through|thru|until|till|-|and)\s*(?:in\s+)?$")


@dataclass(frozen=True)
class Elapsed:
    """How long ago something happened, in days and in months (the same interval)."""

    days: Interval
    months: Interval


@dataclass(frozen=True)
class _Span:
    """Dates something may have happened on: [first, last]."""

    first: date
    last: date


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _safe_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_span(year: int, month: int) -> Optional[_Span]:
    if not 1 <= month <= 12 or year < 1:
        return None
    return _Span(date(year, month, 1), date(year, month, _last_day(year, month)))


def _months_span(year: int, first: int, last: int) -> _Span:
    """Months first..last of `year`; a range that wraps (12 -> 2) ends in the next year."""
    end_year = year + 1 if last < first else year
    return _Span(date(year, first, 1), date(end_year, last, _last_day(end_year, last)))


def _full_year(year_text: str, today: date) -> int:
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if 2000 + year <= today.year else 1900
    return year


def _latest_begun(make: "callable[[int], Optional[_Span]]", today: date) -> Optional[_Span]:
    """The latest span of a yearly kind (a month, a season) that has begun by today."""
    for year in (today.year, today.year - 1, today.year - 2):
        span = make(year)
        if span is not None and span.first <= today:
            return span
    return None


def _latest_over(make: "callable[[int], Optional[_Span]]", today: date) -> Optional[_Span]:
    """The latest span of a yearly kind that is over ("last summer" said in July: last year's)."""
    for year in (today.year, today.year - 1, today.year - 2):
        span = make(year)
        if span is not None and span.last < today:
            return span
    return None


def _calendar_patterns(vocab: _NumberVocabulary, lexicon: Lexicon) -> list[tuple[str, re.Pattern[str]]]:
    m = rf"(?P<month_name>{vocab.month_alt})\.?"
    holiday_alt = _alternation_of(list(lexicon.holidays or {})) or "(?!)"
    season_alt = _alternation_of(list(lexicon.seasons or {})) or "(?!)"
    part_alt = _alternation_of(list(lexicon.year_parts or {})) or "(?!)"
    return [
        ("ymd", ISO_DATE_RE),
        ("mdy", US_DATE_RE),
        ("my", NUMERIC_MONTH_YEAR_RE),
        ("my", NUMERIC_YEAR_MONTH_RE),
        ("month_range", re.compile(
            rf"\b(?P<first_month>{vocab.month_alt})\.?\s*(?:or|to|through|thru|till|until|-|and)\s*{m}"
            rf"(?:\s*,?\s*(?:of\s+)?(?P<year>\d{{4}}))?(?![\w])"
        )),
        ("named", re.compile(rf"\b{m}\s+(?P<day>\d{{1,2}}){ORDINAL_SUFFIX}(?:\s*,?\s*(?P<year>\d{{4}}))?\b")),
        ("named", re.compile(rf"\b(?P<day>\d{{1,2}}){ORDINAL_SUFFIX}\s+(?:of\s+)?{m}(?:\s*,?\s*(?P<year>\d{{4}}))?\b")),
        ("named", re.compile(rf"\b{m}\s*(?:of\s+|,\s*)?(?P<year>\d{{4}})\b")),
        ("named", re.compile(rf"\b{m}\s+(?:of\s+)?(?P<which>last|this)\s+year\b")),
        ("named", re.compile(rf"\b(?P<cue>{MONTH_CUES})[\s-]+(?:of\s+)?{m}(?![\w])")),
        ("named", re.compile(rf"^\s*{m}\s*[.!]?\s*$")),
        ("holiday", re.compile(
            rf"\b(?P<holiday>{holiday_alt})(?:\s*,?\s*(?:of\s+)?(?P<year>\d{{4}})|\s+(?P<which>last|this)\s+year)?(?![\w'])"
        )),
        ("season", re.compile(
            rf"\b(?P<season>{season_alt})\s*,?\s*(?:of\s+)?(?:(?P<year>\d{{4}})\b|(?P<which>last|this)\s+year\b)"
        )),
        ("season", re.compile(rf"(?:\b(?P<cue>{SEASON_CUE})|^\s*)(?P<season>{season_alt})\b(?!\s*(?:\d|last|this))")),
        ("year_part", re.compile(rf"\b(?P<part>{part_alt})[\s-]+(?:of\s+)?(?P<year>(?:19|20)\d{{2}})\b")),
        ("period", PERIOD_RE),
        ("year", YEAR_ALONE_RE),
    ]


def _span_from_match(
    kind: str, match: re.Match[str], vocab: _NumberVocabulary, lexicon: Lexicon, today: date, around: int = 0
) -> Optional[_Span]:
    """The dates a match stands for; `around` days either side for a day or holiday said loosely.

    Which year a holiday is ("around Christmas" said on 20 December: last year's) is chosen
    as if said plainly; only then is it widened.
    """
    if around:
        span = _span_from_match(kind, match, vocab, lexicon, today)
        if span is not None and (kind == "holiday" or span.first == span.last):
            return _Span(span.first - timedelta(days=around), span.last + timedelta(days=around))
        return span
    groups = match.groupdict()
    if kind == "year":
        year = int(groups["year"])
        return _Span(date(year, 1, 1), date(year, 12, 31))
    if kind == "period":
        return _period_span(" ".join(groups["period"].split()), today)
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
            found = _safe_date(year, month, day)
            return _Span(found, found) if found else None
        return _month_span(year, month)
    if groups.get("which"):  # "March of last year", "March this year": the year is said
        return _month_span(today.year - (groups["which"] == "last"), month)
    which = groups.get("cue") if groups.get("cue") in ("last", "this") else None
    if day:
        day_span = lambda y: (lambda d: _Span(d, d) if d else None)(_safe_date(y, month, day))  # noqa: E731
        return _latest_begun(day_span, today)
    if which == "this":
        return _month_span(today.year, month)
    latest = _latest_begun(lambda y: _month_span(y, month), today)
    if which == "last" and latest is not None:
        # "last March": the latest March that is over, or the one before; which one, only
        # the person knows, so both.
        before = _month_span(latest.first.year - 1, month)
        over = latest if latest.last < today else before
        return _Span(before.first, over.last) if before and over else None
    return latest


def _month_range_span(first: int, last: int, year_text: Optional[str], today: date) -> Optional[_Span]:
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
    return _Span(start.first, end.last) if start else None


def _period_span(period: str, today: date) -> Optional[_Span]:
    if period in ("last month",):
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        return _month_span(year, month)
    if period in ("this month",):
        return _month_span(today.year, today.month)
    if period in ("last year", "last yr"):
        return _Span(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    if period == "this year":
        return _Span(date(today.year, 1, 1), date(today.year, 12, 31))
    return _Span(date(today.year - 2, 1, 1), date(today.year - 2, 12, 31))  # the year before last


def _season_span(groups: dict[str, Optional[str]], lexicon: Lexicon, today: date) -> Optional[_Span]:
    """A season's months. "Summer 2024"; "last summer": the latest one that is over;
    "this summer": this year's; a bare "summer": the latest that has begun. A winter named
    by a year ("winter 2024") may be the one it starts or the one it ends: both."""
    first, last = lexicon.seasons[" ".join((groups["season"] or "").split())]
    cue = " ".join((groups.get("cue") or "").split())
    wraps = last < first
    if groups.get("year"):
        year = int(groups["year"])  # type: ignore[arg-type]
        if wraps:
            return _Span(_months_span(year - 1, first, last).first, _months_span(year, first, last).last)
        return _months_span(year, first, last)
    make = lambda y: _months_span(y, first, last)  # noqa: E731
    if groups.get("which") == "last":
        return make(today.year - 1)
    if groups.get("which") == "this" or cue == "this":
        return make(today.year) if make(today.year).first <= today or wraps else None
    if cue in ("last", "past", "this past"):
        return _latest_over(make, today)
    return _latest_begun(make, today)


def _holiday_span(groups: dict[str, Optional[str]], lexicon: Lexicon, today: date) -> Optional[_Span]:
    """The days a holiday can fall on; without a year, the latest one that has begun."""
    (m1, d1), (m2, d2) = lexicon.holidays[" ".join((groups["holiday"] or "").split())]
    make = lambda y: _Span(date(y, m1, d1), date(y, m2, d2))  # noqa: E731
    if groups.get("year"):
        return make(int(groups["year"]))  # type: ignore[arg-type]
    if groups.get("which") == "last":
        return make(today.year - 1)
    if groups.get("which") == "this":
        return make(today.year)
    return _latest_begun(make, today)


def _find_spans(
    text: str, vocab: _NumberVocabulary, lexicon: Lexicon, today: date
) -> tuple[list[tuple[int, int, Optional[_Span]]], str]:
    """Calendar dates in `text` with their places, and the text with them blanked out."""
    found: list[tuple[int, int, Optional[_Span]]] = []
    for kind, pattern in _calendar_patterns(vocab, lexicon):
        for match in pattern.finditer(text):
            loosely = _qualifiers(lexicon).date_around.search(text[: match.start()]) is not None
            around = lexicon.approximate_date_days if loosely else 0
            found.append((match.start(), match.end(), _span_from_match(kind, match, vocab, lexicon, today, around)))
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return sorted(found, key=lambda f: f[0]), text


def _one_span(text: str, found: list[tuple[int, int, Optional[_Span]]]) -> Optional[_Span]:
    """One span from the dates found: the same date said twice, or a range ("March or April")."""
    if any(span is None for _, _, span in found):
        return None
    spans = [span for _, _, span in found]
    if len(set(spans)) == 1:
        return spans[0]
    joined = all(
        DATE_RANGE_JOIN_RE.match(text[previous_end:start])
        for (_, previous_end, _), (start, _, _) in zip(found, found[1:])
    )
    if not joined:
        return None
    return _Span(min(s.first for s in spans), max(s.last for s in spans))  # type: ignore[union-attr]


def _months_between(earlier: date, later: date) -> float:
    """Calendar months from `earlier` to `later` (a part month counted by days, 30 to a month)."""
    whole = (later.year - earlier.year) * 12 + (later.month - earlier.month)
    return whole + (later.day - earlier.day) / 30


def _elapsed_from_span(span: _Span, before_after: Optional[str], today: date) -> Optional[Elapsed]:
    """How long ago a span of dates was, up to today; None if it is all in the future."""
    if span.first > today:
        return None
    last = min(span.last, today)
    if before_after == "before":  # "before March": some time before March began
        return Elapsed(
            Interval(float((today - span.first).days), None, low_open=True),
            Interval(_months_between(span.first, today), None, low_open=True),
        )
    if before_after == "after":  # "after March": since March ended, up to today
        if last >= today:
            return None
        return Elapsed(
            Interval(0.0, float((today - last).days), high_open=True),
            Interval(0.0, _months_between(last, today), high_open=True),
        )
    return Elapsed(
        Interval(float((today - last).days), float((today - span.first).days)),
        Interval(_months_between(last, today), _months_between(span.first, today)),
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


def _duration_part(match: re.Match[str], text: str, q: _QualifierPatterns, units: UnitWords) -> Optional[_Part]:
    unit = units.unit_of(match["unit"])
    per = DAYS_PER_UNIT[unit]
    amount = float(match["num"]) + (0.5 if match["half"] else 0.0)
    before_text = text[max(0, match.start() - 40) : match.start()]
    before = _kind(q.before.search(before_text), q.before_kinds)
    after = _kind(q.after.match(text[match.end() : match.end() + 40]), q.after_kinds)
    if match["plus"]:
        after = after or "at_least"
    if match["ish"] or match.group(0).rstrip().endswith("ish"):
        after = after or "about"
    if match["low"] is not None:
        if match["sep"] == "and" and not match["between"]:
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


def _find_parts(text: str, q: _QualifierPatterns, times: _TimeUnitPatterns) -> Optional[list[_Part]]:
    """Every duration in `text`; None if one points to the future or cannot be read."""
    parts: list[_Part] = []
    for pattern, days in RELATIVE_DAYS:
        for match in pattern.finditer(text):
            parts.append(_Part(match.start(), match.end(), "day", days, days, 0.0, "exact", None))
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    for match in LAST_WEEK_RE.finditer(text):
        parts.append(_Part(match.start(), match.end(), "week", 7.0, 7.0, 3.5, None, None))
    text = LAST_WEEK_RE.sub(lambda m: " " * len(m.group(0)), text)
    for match in times.duration.finditer(text):
        if FUTURE_BEFORE_RE.search(text[: match.start()]) or FUTURE_AFTER_RE.match(text[match.end() :]):
            return None
        part = _duration_part(match, text, q, times.units)
        if part is None:
            return None
        parts.append(part)
    return sorted(parts, key=lambda p: p.start)


def _joined_days(text: str, parts: list[_Part], hedged: bool) -> Optional[Interval]:
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
            if not DURATION_JOIN_RE.match(text[previous.end : part.start]):
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
        return _ranged(part.low, part.high, kind)
    return _bounded(part.low, part.width, kind, hedged)


AGO_RE = re.compile(r"\bago\b")


def _months_back(today: date, months: int) -> date:
    """The same day `months` calendar months before today (the month's last day if shorter)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    return date(year, month, min(today.day, _last_day(year, month)))


def _window_match(text: str, times: _TimeUnitPatterns) -> Optional[re.Match[str]]:
    for match in times.window.finditer(text):
        recent = bool(match["the"] and match["recent"])
        if match["lead"] in ("within", "over") and not recent:
            continue  # "over a month ago" is a time ago; "within 2 weeks" a bound
        if not (recent or match["num"]):
            continue
        return match
    return None


def _window_length(match: re.Match[str], today: date, units: UnitWords) -> Interval:
    """The window's length in days, on the calendar: "the last month" on 15 June is 31 days."""
    amount = float(match["num"] or 1)
    unit = units.unit_of(match["unit"])
    if unit in ("month", "year") and (amount * (12 if unit == "year" else 1)).is_integer():
        months = int(amount * (12 if unit == "year" else 1))
        return Interval.point(float((today - _months_back(today, months)).days))
    return Interval.point(amount * DAYS_PER_UNIT[unit])


def window_days(text: Optional[str], today: date, lexicon: Optional[Lexicon] = None) -> Optional[Interval]:
    """Days in a span up to today ("not in the last 2 months", "for 6 weeks"); None if there
    is none, or if the answer says "ago" (a time ago, not a span)."""
    if not text:
        return None
    lexicon = lexicon or load_lexicon()
    return window_in(_prepare_time_text(text, lexicon), today, lexicon)


def window_in(prepared: str, today: date, lexicon: Lexicon) -> Optional[Interval]:
    """window_days of a text already made ready by `time_text`."""
    times = _time_units(lexicon)
    match = _window_match(prepared, times)
    if match is None or AGO_RE.search(prepared):
        return None
    return _window_length(match, today, times.units)


def time_text(digits: str, lexicon: Lexicon) -> str:
    """The text the time readers read: numbers_to_digits's text with "a month" as "1 month"."""
    times = _time_units(lexicon)
    return times.article_before_unit.sub("1 ", times.half_article_unit.sub("0.5 ", digits))


def _prepare_time_text(text: str, lexicon: Lexicon) -> str:
    return time_text(numbers_to_digits(text, lexicon), lexicon)


def parse_elapsed(text: Optional[str], today: date, lexicon: Optional[Lexicon] = None) -> Optional[Elapsed]:
    """How long ago the one time an answer gives was, as intervals; None if none or several."""
    if not text or not text.strip():
        return None
    lexicon = lexicon or load_lexicon()
    return elapsed_in(_prepare_time_text(text, lexicon), is_hedged(text, lexicon), today, lexicon)


def elapsed_in(prepared: str, hedged: bool, today: date, lexicon: Lexicon) -> Optional[Elapsed]:
    """parse_elapsed of a text already made ready by `time_text`, with the reply's hedge mark
    read once elsewhere (bot/understanding/reading.py), so one reply is not parsed again per question."""
    vocab = _vocabulary(lexicon)
    q = _qualifiers(lexicon)
    times = _time_units(lexicon)
    window = _window_match(prepared, times)
    if window is not None and window["the"] and window["recent"] and not AGO_RE.search(prepared):
        # "In the last year": some time in that span, up to today.
        days = _window_length(window, today, times.units).high or 0.0
        unit, amount = times.units.unit_of(window["unit"]), float(window["num"] or 1)
        months = amount * (12 if unit == "year" else 1) if unit in ("month", "year") else days / DAYS_PER_MONTH
        blanked = prepared[: window.start()] + " " * (window.end() - window.start()) + prepared[window.end() :]
        found, rest = _find_spans(blanked, vocab, lexicon, today)
        if found or _find_parts(rest, q, times):
            return None  # a span and another time: which one?
        return Elapsed(Interval(0.0, days), Interval(0.0, months))
    found, rest = _find_spans(prepared, vocab, lexicon, today)
    if UNREAD_DATE_RE.search(rest):
        return None  # "3/2": a date we cannot read, so the rest is not the whole answer
    parts = _find_parts(rest, q, times)
    if parts is None or (found and parts):
        return None
    if found:
        span = _one_span(prepared, found)
        if span is None:
            return None
        side = _date_side(prepared, found[0][0], found[0][1], q)
        return _elapsed_from_span(span, side, today)
    days = _joined_days(rest, parts, hedged)
    if days is None:
        return None
    return Elapsed(days, days.scaled(1 / DAYS_PER_MONTH))


def _date_side(text: str, start: int, end: int, q: _QualifierPatterns) -> Optional[str]:
    """"before" / "after" said just before a date, or as the cue of its match ("before March")."""
    side = _kind(q.date_before.search(text[:start]), q.date_kinds)
    if side is None:
        side = _kind(q.date_start.match(text[start:end]), q.date_kinds)
    return side


def parse_months_since(text: Optional[str], today: date, lexicon: Optional[Lexicon] = None) -> Optional[Interval]:
    """Months between when something started (as the person says it) and `today`."""
    elapsed = parse_elapsed(text, today, lexicon)
    return None if elapsed is None else elapsed.months


def parse_days_since(text: Optional[str], today: date, lexicon: Optional[Lexicon] = None) -> Optional[Interval]:
    """Days between when something happened (e.g. a last dose) and `today`."""
    elapsed = parse_elapsed(text, today, lexicon)
    return None if elapsed is None else elapsed.days


NEVER_RE = re.compile(r"\b(?:never|not ever|(?:have|has|had|did)(?:nt| not) ever|not once|no never)\b")
NEVER_CONTINUED_RE = re.compile(r"\bnever (?:stopped|quit|missed|skipped|paused)\b")


def mentions_never(text: Optional[str]) -> bool:
    """True when the answer says it never happened ("never took it"), for 'when did you last...' questions."""
    if not text:
        return False
    joined = " ".join(_words(text))
    return bool(NEVER_RE.search(joined)) and not NEVER_CONTINUED_RE.search(joined)


# ---------------------------------------------------------------------------
# Names (medicines, conditions, breathing devices)
# ---------------------------------------------------------------------------
def _mentions_labelled(text: Optional[str], label: str) -> list[Mention]:
    return [m for m in find_entities(text or "") if m.label == label]


def find_medications(text: Optional[str]) -> list[Mention]:
    """Medicines and supplements named in the answer, canonical name and group each."""
    return _mentions_labelled(text, "medication")


def find_conditions(text: Optional[str]) -> list[Mention]:
    """Conditions (autoimmune diseases) named in the answer."""
    return _mentions_labelled(text, "condition")


def find_breathing_devices(text: Optional[str]) -> list[Mention]:
    """Ventilators, BiPAP/CPAP and diaphragm pacers named in the answer."""
    return _mentions_labelled(text, "breathing_device")
