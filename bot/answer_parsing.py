"""Reads the free-text answers people give to the pre-screen questions.

Patients and caregivers type "yep", "fifty four", "18 mos", "since last March"
or "stopped Radicava 2 weeks ago". Each parser here turns one kind of answer
into a value, and returns None when it cannot read the answer: asking again
(or leaving the item for the study team) is always better than a wrong guess
about someone's health.

Decisions worth knowing (the tests pin each one):
- Hedges ("I think so", "probably not", "not that I know of", "maybe") read as
  'unsure', never as a firm yes or no: the study team then checks that item.
- An answer that says both yes and no ("yes but not anymore") reads as None.
- Ages: "turning 70" / "almost 70" mean 69 today. Ages outside 1-120, or two
  different ages in one answer, give None.
- Elapsed time: a week is 1/4 month and 7 days; a month is 30 days; a year is
  12 months and 365 days. "last week/month/year" means one of that unit ago.
  Qualifiers ("about", "over", "almost") are ignored: the number is what the
  person gave; a range ("6 or 7 months") reads as its middle. A month without a year is the most recent one not in the future
  ("since january"); "last March" is March of last year; a year alone ("in
  2024") is read as its middle (up to today for this year). A month without a
  day counts whole months, as if on today's day of the month.
- A bare number without a unit ("18") is not a duration: None.
- "never" is not a duration: `mentions_never` tells the caller it was said.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal, Optional, Union

from bot.lexicon import Lexicon, load_lexicon
from bot.nlp import Mention, find_entities

YesNo = Literal["yes", "no", "unsure"]

# ---------------------------------------------------------------------------
# Shared normalisation
# ---------------------------------------------------------------------------
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
APOSTROPHE_RE = re.compile(r"'")
WORD_RE = re.compile(r"[a-z]+|\d+")

# ---------------------------------------------------------------------------
# Yes / no
# ---------------------------------------------------------------------------
# Longer answers are statements, not yes/no replies: the caller asks again.
MAX_YES_NO_WORDS = 25
UNSURE_RE = re.compile(
    r"\b(?:not (?:really )?(?:sure|certain|positive)|unsure|uncertain|idk|idek|dk|dunno|"
    r"(?:i )?(?:dont|do not|didnt) (?:really )?(?:know|knw|remember|recall)|"
    r"no (?:idea|clue)|not that i (?:know|am aware)|not to my knowledge|"
    r"maybe|perhaps|possibly|probably|prob|i think|i guess|i believe|i suppose|might|"
    r"(?:cant|cannot|can not) (?:remember|recall|say)|forgot|hard to say|who knows|"
    r"kind of|sort of|kinda|sorta|have to check|need to check|ask (?:my |his |her )?doctor|unknown|"
    r"(?:they|he|she|we|the doctors?|doctors?|docs?) (?:think|thinks|believe|believes|suspect|suspects)(?: so| it)?|"
    r"suspected|not officially|not (?:yet )?confirmed|still (?:waiting|doing|having|running|getting)|waiting (?:on|for))\b"
)
FIRM_NO_RE = re.compile(r"\b(?:of course|absolutely|definitely|certainly|surely) not\b")
NO_RE = re.compile(
    r"\b(?:no+|nope|nop|nah+|nay|never|negative|none|nothing|nada|not|false|"
    r"doesnt|dont|isnt|hasnt|havent|wasnt|didnt|arent|werent|wont|cant|cannot|"
    r"(?:does|do|is|has|have|did|was|can) not)\b"
)
YES_RE = re.compile(
    r"\b(?:ye+s+|yess|yes+ir|ye+a+h*|ya+|yah|yu+p|ye+p|yas|sure|surely|correct|affirmative|"
    r"definitely|absolutely|certainly|indeed|of course|ok|okay|true|uh huh|mhm+|thats right)\b"
)
# "he does", "she is", "i have": a yes when that is the whole answer.
AFFIRMING_AUX_RE = re.compile(
    r"(?:i|he|she|they|we|it) (?:do|does|did|am|is|are|was|were|has|have|had|can|will|could)"
)
SINGLE_LETTER = {"y": "yes", "n": "no"}
# Yes said with a "no" in it: "no problem", "no doubt", "why not".
YES_IDIOM_RE = re.compile(
    r"\b(?:no prob(?:lem(?:o)?|s)?|not a problem|no doubt|without a doubt|no question(?: about it)?|"
    r"why not|no worries|you bet|not an issue|no issue)\b"
)


def _words(text: str) -> list[str]:
    """Lowercase words without punctuation; "doesn't" -> "doesnt" so regexes stay simple."""
    return WORD_RE.findall(APOSTROPHE_RE.sub("", text.lower().translate(QUOTES)))


def parse_yes_no(text: Optional[str]) -> Optional[YesNo]:
    """'yes', 'no' or 'unsure' from a short reply; None when it is not a yes/no answer."""
    if not text:
        return None
    words = _words(text)
    if not words or len(words) > MAX_YES_NO_WORDS:
        return None
    if len(words) == 1 and words[0] in SINGLE_LETTER:
        return SINGLE_LETTER[words[0]]  # type: ignore[return-value]
    joined = YES_IDIOM_RE.sub("yes", " ".join(words))
    if UNSURE_RE.search(joined):
        return "unsure"
    if FIRM_NO_RE.search(joined):
        return "no"
    says_yes = bool(YES_RE.search(joined) or AFFIRMING_AUX_RE.fullmatch(joined))
    says_no = bool(NO_RE.search(joined))
    if says_yes and says_no:
        return None
    if says_yes:
        return "yes"
    if says_no:
        return "no"
    return None


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
    )


def _extends(current: float, value: float, separator: str) -> bool:
    """Whether `value` continues the number being read ("fifty" + "four"), grammar-wise."""
    if not (float(current).is_integer() and float(value).is_integer()) or current == 0:
        return False
    with_and = separator.strip() == "and"
    if value >= 100:
        return current < 100 and not with_and
    if current >= 100 and current % 100 == 0:
        return True  # "one hundred (and) two"
    tens = current >= 20 and current % 10 == 0 and current < 100
    return tens and value < 10 and not with_and  # "fifty four", "fifty-four"


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
    """Lowercased text with number words as digits: "a year and a half" -> "a year and 0.5"."""
    vocab = _vocabulary(lexicon or load_lexicon())
    text = " ".join(text.lower().translate(QUOTES).split())
    text = MIXED_HALF_RE.sub(lambda m: f"{m.group(1)}.5", text)
    text = LONE_HALF_RE.sub("0.5", text)
    text = vocab.phrases_re.sub(lambda m: _format_number(vocab.phrases[" ".join(m.group(0).split())]), text)
    text = vocab.article_multiplier_re.sub("one ", text)
    text = vocab.run_re.sub(lambda m: _read_number_run(m.group(0), vocab.words), text)
    return AND_A_HALF_RE.sub(lambda m: f"{m.group(1)}.5", text)


# ---------------------------------------------------------------------------
# Age
# ---------------------------------------------------------------------------
MIN_AGE, MAX_AGE = 1, 120
AGE_CONTEXT_CHARS = 40
AGE_NUMBER_RE = re.compile(r"(?<![\d.,/])(\d{1,3})(?:\.5)?(?:-?ish\b)?(?!\d|\.\d|/\d|s\b|th\b|st\b|nd\b|rd\b|%)")
# Said before the number: "I'm 54", "he is 67", "age: 43".
# A guess at an age is still the age to the study team: "maybe 60", "60 or so", "like 45".
AGE_HEDGE_BEFORE = (
    r"(?:about|around|approx|approximately|roughly|maybe|probably|prob|like|~|i think|i believe|i guess)"
)
AGE_HEDGE_AFTER = r"(?:ish|or so|i think|i believe|i guess|probably|maybe)"
AGE_CUE_RE = re.compile(
    r"\b(?:im|i am|hes|he is|shes|she is|they are|is|am|age|aged|age is|turned|just turned)\s*:?\s*"
    rf"(?:{AGE_HEDGE_BEFORE}\s+)?$"
)
# Said before the number, meaning next birthday: "turning 70 next month" -> 69.
AGE_NEXT_BIRTHDAY_RE = re.compile(
    r"\b(?:turning|turns|turn|will be|gonna be|going to be|almost|nearly|about to be|soon to be|be)\s*$"
)
# Said after the number: "54 years old", "54yo", "54 y/o", "54-year-old".
AGE_SUFFIX_RE = re.compile(r"^\s*-?\s*(?:years?|yrs?|yr|y)?\s*-?\s*(?:old|of age|yo|y/o|y\.o\.?)\b")
# A number that is a length of time or a measurement, not an age.
NOT_AGE_SUFFIX_RE = re.compile(
    r"^\s*-?\s*(?:days?|weeks?|wks?|months?|mos?|mths?|(?:years?|yrs?|yr) (?:ago|since|back|into|now|with|of (?!age))|"
    r"ft|feet|foot|inch|inches|lbs?|pounds?|kgs?|kilos?|cm|mg|percent|times)\b"
)
# The whole answer is the number: "54", "54 years", "about 54".
WHOLE_AGE_RE = re.compile(
    rf"^\s*(?:{AGE_HEDGE_BEFORE}\s*)*\d{{1,3}}(?:\.5)?\s*-?\s*(?:ish\b)?\s*(?:years?|yrs?|yr)?\s*"
    rf"(?:old\b)?\s*(?:{AGE_HEDGE_AFTER}\b)?\s*[.!]?\s*$"
)


# "born in 1961", "DOB 3/4/1965": the age follows from today's date.
BIRTH_CUE_RE = re.compile(r"\b(?:born|dob|d\.?o\.?b\.?|date of birth|year of birth|birth ?year)\b")
BIRTH_FULL_DATE_RE = re.compile(r"\b(?P<month>\d{1,2})[/.-](?P<day>\d{1,2})[/.-](?P<year>(?:19|20)\d{2})\b")
BIRTH_YEAR_RE = re.compile(r"(?<![\d/.-])(?P<year>(?:19|20)\d{2})\b")
def _age_from_birth(text: str, today: date) -> Optional[int]:
    if not BIRTH_CUE_RE.search(text):
        return None
    full = BIRTH_FULL_DATE_RE.search(text)
    if full:
        born = _safe_date(int(full["year"]), int(full["month"]), int(full["day"]))
        if born is None or born > today:
            return None
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    years = {int(m["year"]) for m in BIRTH_YEAR_RE.finditer(text)}
    if len(years) != 1:
        return None
    return today.year - years.pop()  # the birthday may be still to come: at most a year high


def parse_age(text: Optional[str], today: Optional[date] = None) -> Optional[int]:
    """The person's age in whole years, or None when absent, ambiguous or impossible.

    A birth date or year needs `today`. A decade ("in her sixties") is asked again: the
    study team would see a number nobody said.
    """
    if not text:
        return None
    lowered = text.lower().translate(QUOTES)
    if today is not None:
        from_birth = _age_from_birth(lowered, today)
        if from_birth is not None:
            return from_birth if MIN_AGE <= from_birth <= MAX_AGE else None
    normalized = APOSTROPHE_RE.sub("", numbers_to_digits(text))
    whole = bool(WHOLE_AGE_RE.match(normalized))
    ages: set[int] = set()
    for match in AGE_NUMBER_RE.finditer(normalized):
        # A short window each side keeps long pastes linear.
        before = normalized[max(0, match.start() - AGE_CONTEXT_CHARS) : match.start()]
        after = normalized[match.end() : match.end() + AGE_CONTEXT_CHARS]
        value = int(match.group(1))
        if NOT_AGE_SUFFIX_RE.match(after):
            continue
        if AGE_NEXT_BIRTHDAY_RE.search(before):
            ages.add(value - 1)
        elif AGE_CUE_RE.search(before) or AGE_SUFFIX_RE.match(after) or whole:
            ages.add(value)
    if len(ages) != 1:
        return None
    age = ages.pop()
    return age if MIN_AGE <= age <= MAX_AGE else None


# ---------------------------------------------------------------------------
# How long ago
# ---------------------------------------------------------------------------
UNIT_ORDER = ("day", "week", "month", "year")
MAX_MONTHS_AGO = 100 * 12  # beyond a lifetime: a typo, not an answer
MONTHS_PER_UNIT = {"day": 1 / 30, "week": 0.25, "month": 1.0, "year": 12.0}
DAYS_PER_UNIT = {"day": 1.0, "week": 7.0, "month": 30.0, "year": 365.0}
UNIT_PATTERNS = {
    "day": r"days?|dys?|d",
    "week": r"weeks?|wks?|wk",
    "month": r"months?|mnths?|mths?|monts?|moths|mos?",
    "year": r"years?|yeras|yers|yeers?|yaers?|yrs?|y",
}
UNIT_RE_PART = "|".join(f"(?P<{unit}>{pattern})" for unit, pattern in UNIT_PATTERNS.items())
# "6 months", "18mos", "6-7 months", "6 or 7 months", "a year or two" (a range reads as its middle).
DURATION_RE = re.compile(
    r"(?<![\d.])(?:(?P<low>\d+(?:\.\d+)?)\s*(?:-|to|or)\s*)?(?P<num>\d+(?:\.\d+)?)\s*-?\s*(?:of\s+)?"
    rf"(?:{UNIT_RE_PART})\b(?P<half>\s*,?\s*and\s+0\.5\b)?"
    # "a year or two": the upper end comes after the unit.
    rf"(?:\s+(?:or|to)\s+(?P<high>\d+(?:\.\d+)?)\b(?!\s*(?:{'|'.join(UNIT_PATTERNS.values())})\b))?"
)
# "in 2 weeks" / "2 weeks from now" point to the future: not an answer to "how long ago".
FUTURE_BEFORE_RE = re.compile(r"\b(?:in|next|within the next)\s*$")
FUTURE_AFTER_RE = re.compile(r"^\s*(?:from now|later|time)\b")
# Gap allowed between parts of one duration: "1 year, 3 months", "1 year and 2 weeks".
DURATION_JOIN_RE = re.compile(r"^[\s,]*(?:and|&|\+)?[\s,]*$")
RELATIVE_DAYS = (
    (re.compile(r"\b(?:the )?day before yesterday\b"), 2.0, "day"),
    (re.compile(r"\byesterday\b"), 1.0, "day"),
    (re.compile(r"\b(?:today|tonight|this morning|this afternoon|this evening|just now)\b"), 0.0, "day"),
    (re.compile(r"\blast week\b"), 1.0, "week"),
    (re.compile(r"\blast month\b"), 1.0, "month"),
    (re.compile(r"\b(?:the )?(?:year|yr) before last\b"), 2.0, "year"),
    (re.compile(r"\blast (?:year|yr)\b"), 1.0, "year"),
)
ARTICLE_BEFORE_UNIT_RE = re.compile(r"\ban?\s+(?=(?:days?|weeks?|wks?|months?|mos?|mths?|years?|yrs?|yeers?)\b)")
# "half a year" reads as "0.5 a year" once number words are digits.
HALF_ARTICLE_UNIT_RE = re.compile(r"(?<![\d.])0\.5\s+an?\s+(?=(?:days?|weeks?|months?|years?)\b)")
ISO_DATE_RE = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
US_DATE_RE = re.compile(r"\b(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}|\d{2})\b")
NUMERIC_MONTH_YEAR_RE = re.compile(r"\b(?P<month>\d{1,2})[/-](?P<year>\d{4})\b")
NUMERIC_YEAR_MONTH_RE = re.compile(r"\b(?P<year>\d{4})[/-](?P<month>\d{1,2})\b")
UNREAD_DATE_RE = re.compile(r"\d\s*/\s*\d")
YEAR_ALONE_RE = re.compile(r"(?<![\d/.-])\b(?P<year>(?:19|20)\d{2})\b(?![/-]\d)")
# Words before a month name that make it a date ("since", "last", "early"):
# "may" is also a verb, so a month name alone needs one of them.
MONTH_CUES = r"since|in|last|this|early|late|mid|around|about|from|on|started|began|start|starting|of|by|until|before"
# A season or a holiday stands for a month in it (the northern, US calendar the trial's
# site keeps): "last summer", "in the fall of 2024", "around Christmas".
SEASON_MONTHS = {"spring": 4, "summer": 7, "fall": 10, "autumn": 10, "winter": 1}
HOLIDAYS = {  # month, day
    "christmas": (12, 25), "xmas": (12, 25), "thanksgiving": (11, 25), "halloween": (10, 31),
    "new year": (1, 1), "new years": (1, 1), "new year's": (1, 1), "easter": (4, 10),
    "fourth of july": (7, 4), "4th of july": (7, 4), "july 4th": (7, 4), "july fourth": (7, 4),
}
SEASON_ALT = "|".join(SEASON_MONTHS)
HOLIDAY_ALT = "|".join(re.escape(h) for h in sorted(HOLIDAYS, key=len, reverse=True))
# "fall" is also a verb and a noun ("after his fall"): a season needs a cue or a year.
SEASON_CUE = r"(?:(?:in|during|around|by|since|about|from)\s+(?:the\s+)?|(?:this\s+past|last|past|this|early|late|mid)[\s-]+)"
# Part of a year: "end of 2024", "early 2023", "mid-2024".
YEAR_PARTS = {"early": 2, "beginning of": 2, "start of": 2, "mid": 7, "middle of": 7, "late": 11, "end of": 12}
YEAR_PART_ALT = "|".join(re.escape(p) for p in sorted(YEAR_PARTS, key=len, reverse=True))
ORDINAL_SUFFIX = r"(?:st|nd|rd|th)?"


@dataclass(frozen=True)
class _Duration:
    days: float
    months: float
    unit: str  # largest unit said, so "1 year 1 year" is not read as two years


AnchorOrDuration = Union[date, _Duration]


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _safe_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_anchor(year: int, month: int, today: date) -> Optional[date]:
    """A month without a day: the same day of the month as today, so whole months count."""
    if not 1 <= month <= 12:
        return None
    return _safe_date(year, month, min(today.day, _last_day(year, month)))


def _year_anchor(year: int, today: date) -> Optional[date]:
    """A year alone: its middle, or the middle of Jan 1..today for the current year."""
    if year > today.year:
        return None
    first, last = date(year, 1, 1), min(date(year, 12, 31), today)
    return first + timedelta(days=(last - first).days // 2)


def _full_year(year_text: str, today: date) -> int:
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if 2000 + year <= today.year else 1900
    return year


def _most_recent_year(month: int, day: Optional[int], today: date) -> int:
    """The year of the latest such month (and day) that is not after today."""
    if (month, day or 0) <= (today.month, today.day if day else 0):
        return today.year
    return today.year - 1


def _calendar_patterns(vocab: _NumberVocabulary) -> list[tuple[str, re.Pattern[str]]]:
    m = rf"(?P<month_name>{vocab.month_alt})\.?"
    return [
        ("ymd", ISO_DATE_RE),
        ("mdy", US_DATE_RE),
        ("my", NUMERIC_MONTH_YEAR_RE),
        ("my", NUMERIC_YEAR_MONTH_RE),
        ("named", re.compile(rf"\b{m}\s+(?P<day>\d{{1,2}}){ORDINAL_SUFFIX}(?:\s*,?\s*(?P<year>\d{{4}}))?\b")),
        ("named", re.compile(rf"\b(?P<day>\d{{1,2}}){ORDINAL_SUFFIX}\s+(?:of\s+)?{m}(?:\s*,?\s*(?P<year>\d{{4}}))?\b")),
        ("named", re.compile(rf"\b{m}\s*(?:of\s+|,\s*)?(?P<year>\d{{4}})\b")),
        ("named", re.compile(rf"\b{m}\s+(?:of\s+)?(?P<which>last|this)\s+year\b")),
        ("named", re.compile(rf"\b(?P<cue>{MONTH_CUES})[\s-]+(?:of\s+)?{m}(?![\w])")),
        ("named", re.compile(rf"^\s*{m}\s*[.!]?\s*$")),
        ("holiday", re.compile(rf"\b(?P<holiday>{HOLIDAY_ALT})(?:\s*,?\s*(?:of\s+)?(?P<year>\d{{4}})|\s+(?P<which>last|this)\s+year)?(?![\w'])")),
        ("season", re.compile(
            rf"\b(?P<season>{SEASON_ALT})\s*,?\s*(?:of\s+)?(?:(?P<year>\d{{4}})\b|(?P<which>last|this)\s+year\b)"
        )),
        ("season", re.compile(rf"(?:\b(?P<cue>{SEASON_CUE})|^\s*)(?P<season>{SEASON_ALT})\b(?!\s*(?:\d|last|this))")),
        ("year_part", re.compile(rf"\b(?P<part>{YEAR_PART_ALT})[\s-]+(?:of\s+)?(?P<year>(?:19|20)\d{{2}})\b")),
        ("year", YEAR_ALONE_RE),
    ]


def _anchor_from_match(kind: str, match: re.Match[str], vocab: _NumberVocabulary, today: date) -> Optional[date]:
    groups = match.groupdict()
    if kind == "year":
        return _year_anchor(int(groups["year"]), today)
    if kind == "year_part":
        return _month_anchor(int(groups["year"]), YEAR_PARTS[groups["part"].lower()], today)
    if kind in ("season", "holiday"):
        return _season_or_holiday_anchor(groups, today)
    month = vocab.months[groups["month_name"]] if groups.get("month_name") else int(groups["month"])
    if not 1 <= month <= 12:
        return None
    day = int(groups["day"]) if groups.get("day") else None
    if groups.get("year"):
        year = _full_year(groups["year"], today)
    elif groups.get("which") == "last" or groups.get("cue") == "last":
        year = today.year - 1
    elif groups.get("which") == "this" or groups.get("cue") == "this":
        year = today.year
    else:
        year = _most_recent_year(month, day, today)
    return _safe_date(year, month, day) if day else _month_anchor(year, month, today)


def _season_or_holiday_anchor(groups: dict[str, Optional[str]], today: date) -> Optional[date]:
    """The month of a season or the day of a holiday; without a year, the latest one so far.

    "Last summer" in November is the summer just gone, as people mean it; "this" and "last
    year" pick the calendar year.
    """
    if groups.get("holiday"):
        month, day = HOLIDAYS[groups["holiday"].lower()]
    else:
        month, day = SEASON_MONTHS[groups["season"].lower()], None  # type: ignore[union-attr]
    cue = (groups.get("cue") or "").strip().lower()
    if groups.get("year"):
        year = int(groups["year"])  # type: ignore[arg-type]
    elif groups.get("which") == "last":
        year = today.year - 1
    elif groups.get("which") == "this" or cue == "this":
        year = today.year
    else:
        year = _most_recent_year(month, day, today)
        if cue in ("last", "past", "this past") and (month, day or 0) == (today.month, day and today.day or 0):
            year -= 1  # "last summer" said in July: the one before
    return _safe_date(year, month, day) if day else _month_anchor(year, month, today)


def _find_anchors(text: str, vocab: _NumberVocabulary, today: date) -> tuple[list[Optional[date]], str]:
    """Calendar dates in `text`, and the text with them blanked out for the duration pass."""
    anchors: list[Optional[date]] = []
    for kind, pattern in _calendar_patterns(vocab):
        for match in pattern.finditer(text):
            anchors.append(_anchor_from_match(kind, match, vocab, today))
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return anchors, text


def _duration(amount: float, unit: str) -> _Duration:
    return _Duration(amount * DAYS_PER_UNIT[unit], amount * MONTHS_PER_UNIT[unit], unit)


def _find_durations(text: str) -> Optional[list[tuple[int, int, _Duration]]]:
    """Every duration in `text` with its position; None if one points to the future."""
    found: list[tuple[int, int, _Duration]] = []
    for pattern, amount, unit in RELATIVE_DAYS:
        for match in pattern.finditer(text):
            found.append((match.start(), match.end(), _duration(amount, unit)))
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    for match in DURATION_RE.finditer(text):
        if FUTURE_BEFORE_RE.search(text[: match.start()]) or FUTURE_AFTER_RE.match(text[match.end() :]):
            return None
        unit = next(u for u in UNIT_PATTERNS if match.group(u))
        amount = float(match.group("num")) + (0.5 if match.group("half") else 0.0)
        if match.group("low"):
            amount = (float(match.group("low")) + amount) / 2
        elif match.group("high"):
            amount = (amount + float(match.group("high"))) / 2
        found.append((match.start(), match.end(), _duration(amount, unit)))
    return sorted(found, key=lambda f: f[0])


def _join_durations(text: str, found: list[tuple[int, int, _Duration]]) -> Optional[_Duration]:
    """One duration, possibly in parts ("1 year and 3 months"); None if several separate ones.

    Parts must be adjacent and go from larger to smaller units, as people say them.
    """
    if not found:
        return None
    total = found[0][2]
    for (_, previous_end, previous), (start, _, part) in zip(found, found[1:]):
        if not DURATION_JOIN_RE.match(text[previous_end:start]):
            return None
        if UNIT_ORDER.index(part.unit) >= UNIT_ORDER.index(previous.unit):
            return None
        total = _Duration(total.days + part.days, total.months + part.months, total.unit)
    return total if total.months <= MAX_MONTHS_AGO else None


def _prepare_time_text(text: str, lexicon: Optional[Lexicon]) -> str:
    text = HALF_ARTICLE_UNIT_RE.sub("0.5 ", numbers_to_digits(text, lexicon))
    return ARTICLE_BEFORE_UNIT_RE.sub("1 ", text)


def _elapsed(text: Optional[str], today: date, lexicon: Optional[Lexicon] = None) -> Optional[AnchorOrDuration]:
    """The one point in time or duration an answer gives; None if none or several."""
    if not text or not text.strip():
        return None
    prepared = _prepare_time_text(text, lexicon)
    vocab = _vocabulary(lexicon or load_lexicon())
    anchors, rest = _find_anchors(prepared, vocab, today)
    if UNREAD_DATE_RE.search(rest):
        return None  # "3/2": a date we cannot read, so the rest is not the whole answer
    found = _find_durations(rest)
    if found is None or (anchors and found):
        return None
    if anchors:
        distinct = set(anchors)
        if len(distinct) != 1 or None in distinct:
            return None
        anchor = distinct.pop()
        return anchor if anchor is not None and anchor <= today else None
    return _join_durations(rest, found)


def parse_months_since(text: Optional[str], today: date) -> Optional[float]:
    """Months between when something started (as the person says it) and `today`."""
    elapsed = _elapsed(text, today)
    if elapsed is None:
        return None
    if isinstance(elapsed, _Duration):
        return elapsed.months
    whole = (today.year - elapsed.year) * 12 + (today.month - elapsed.month)
    return round(whole + (today.day - elapsed.day) / 30, 2)


def parse_days_since(text: Optional[str], today: date) -> Optional[float]:
    """Days between when something happened (e.g. a last dose) and `today`."""
    elapsed = _elapsed(text, today)
    if elapsed is None:
        return None
    if isinstance(elapsed, _Duration):
        return elapsed.days
    return float((today - elapsed).days)


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
