"""The small words of the age, time and date grammars, from data/grammar_words.yml.

"I'm 54", "turning 70", "in the last 2 weeks", "the day before yesterday": the words around a
number decide what it is, and people say them in more ways than a pattern in the code would
list. They are data, so a new way of saying one is a line in a file; the grammars
(bot/understanding/ages.py, durations.py, dates.py) build their patterns from them once.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Literal, Optional

from pydantic import Field, conlist

from bot.paths import DATA_DIR
from bot.understanding.vocabulary_files import Said, Shape, load_as

DEFAULT_PATH = DATA_DIR / "grammar_words.yml"

Phrases = conlist(Said, min_items=1)


class NumberWords(Shape):
    joins: Phrases  # type: ignore[valid-type]


class PlaceWords(Shape):
    before_in: Phrases  # type: ignore[valid-type]
    in_: Phrases = Field(..., alias="in")  # type: ignore[valid-type]
    before_place: Phrases  # type: ignore[valid-type]


class Ranges(Shape):
    between: Phrases  # type: ignore[valid-type]
    joins: Phrases  # type: ignore[valid-type]
    between_joins: Phrases  # type: ignore[valid-type]
    about_suffix: Phrases  # type: ignore[valid-type]


class AgeWords(Shape):
    before: Phrases  # type: ignore[valid-type]
    next_birthday: Phrases  # type: ignore[valid-type]
    after: Phrases  # type: ignore[valid-type]
    after_years: Phrases  # type: ignore[valid-type]
    filler: Phrases  # type: ignore[valid-type]
    measurements: Phrases  # type: ignore[valid-type]
    years_as_time: Phrases  # type: ignore[valid-type]
    birth: Phrases  # type: ignore[valid-type]


class DaysAgo(Shape):
    days: int
    said: Phrases  # type: ignore[valid-type]


class TimeWords(Shape):
    window_leads: Phrases  # type: ignore[valid-type]
    window_leads_recent_only: Phrases  # type: ignore[valid-type]
    recent: Phrases  # type: ignore[valid-type]
    future_before: Phrases  # type: ignore[valid-type]
    future_after: Phrases  # type: ignore[valid-type]
    conjunctions: Phrases  # type: ignore[valid-type]
    days_ago: List[DaysAgo]
    last_week: Phrases  # type: ignore[valid-type]


class Which(Shape):
    last: Phrases  # type: ignore[valid-type]
    this: Phrases  # type: ignore[valid-type]


class SeasonCues(Shape):
    over: Phrases  # type: ignore[valid-type]
    this: Phrases  # type: ignore[valid-type]
    plain: Phrases  # type: ignore[valid-type]


class Periods(Shape):
    year_before_last: Phrases  # type: ignore[valid-type]
    last_month: Phrases  # type: ignore[valid-type]
    last_year: Phrases  # type: ignore[valid-type]
    this_month: Phrases  # type: ignore[valid-type]
    this_year: Phrases  # type: ignore[valid-type]


class DateWords(Shape):
    month_cues: Phrases  # type: ignore[valid-type]
    which: Which
    year: Phrases  # type: ignore[valid-type]
    season_leads: Phrases  # type: ignore[valid-type]
    season_cues: SeasonCues
    periods: Periods
    range_joins: Phrases  # type: ignore[valid-type]
    range_then: Phrases  # type: ignore[valid-type]


class ChoiceWords(Shape):
    numbers: Phrases  # type: ignore[valid-type]
    lead: Phrases  # type: ignore[valid-type]
    before: Phrases  # type: ignore[valid-type]
    after: Phrases  # type: ignore[valid-type]
    ordinals: Dict[Said, int]


class PronounForms(Shape):
    they: Said
    them: Said
    their: Said
    sex: Optional[Literal["male", "female"]] = None


class SelfForms(Shape):
    name: Said
    they: Said
    them: Said
    their: Said


class PeopleWords(Shape):
    pronouns: Dict[Said, PronounForms]
    self: SelfForms
    around_self: Phrases  # type: ignore[valid-type]


class GrammarWords(Shape):
    """data/grammar_words.yml: a missing list or a misspelt key is refused when it is loaded."""

    article: Phrases  # type: ignore[valid-type]
    numbers: NumberWords
    ranges: Ranges
    places: PlaceWords
    ages: AgeWords
    times: TimeWords
    dates: DateWords
    choices: ChoiceWords
    people: PeopleWords


@lru_cache(maxsize=4)
def load_grammar_words(path: Path = DEFAULT_PATH) -> GrammarWords:
    return load_as(path, GrammarWords)
