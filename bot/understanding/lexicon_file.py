"""data/lexicon.yml's shape, declared (pydantic 1.10, within Rasa 3.6's pins).

A reviewer who is not a programmer adds "Qalsody" or a new unit spelling to the lexicon: a misspelt
section, a name left empty, an unquoted yes / no, a month 13 or a phrase under two units is
refused when the file loads, with the place named ("medications.riluzole.group: field
required"). bot/understanding/lexicon.py builds the Lexicon the readers use from it.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple, Union

from pydantic import Field, StrictBool, StrictFloat, StrictInt, conint, conlist, root_validator, validator

from bot.understanding.plain_text import light
from bot.understanding.vocabulary_files import Said, Shape, parse_as

Phrases = List[Said]
Number = Union[StrictInt, StrictFloat]
Month = conint(strict=True, ge=1, le=12)
Day = conint(strict=True, ge=1, le=31)
MonthRange = Tuple[Month, Month]  # type: ignore[valid-type]  # [first, last]; first > last wraps the year
MonthDay = Tuple[Month, Day]  # type: ignore[valid-type]
QUALIFIER_KINDS = frozenset({"below", "at_most", "above", "at_least", "almost", "just_over", "just_under", "about"})


def _said_once(kinds: Dict[str, List[str]], what: str) -> None:
    """Each phrase, as answers are read (bot/understanding/plain_text.py `light`), in one kind only."""
    seen: dict[str, str] = {}
    for kind, phrases in kinds.items():
        for phrase in {light(p) for p in phrases}:
            if phrase in seen:
                raise ValueError(f"{phrase!r} is {what} {seen[phrase]} and {kind}")
            seen[phrase] = kind


class TermEntry(Shape):
    """A canonical name's group and spellings: `names` in any case, `exact_case` as written."""

    group: Said
    names: Phrases = []
    exact_case: Phrases = []
    fuzzy: StrictBool = True

    @root_validator(skip_on_failure=True)
    def _has_a_name(cls, values: dict) -> dict:
        if not values["names"] and not values["exact_case"]:
            raise ValueError("needs at least one name")
        return values


Terms = Dict[str, TermEntry]


class Matching(Shape):
    fuzzy_min_length: StrictInt = 6
    fuzzy_two_edit_length: StrictInt = 10
    no_fuzzy_groups: Phrases = []
    guard_words: Phrases = []


class QualifierSides(Shape):
    """Phrase lists by the kind of bound they make (QUALIFIER_KINDS), before or after a number."""

    before: Dict[str, Phrases] = {}
    after: Dict[str, Phrases] = {}

    @validator("before", "after")
    def _known_kinds(cls, by_kind: Dict[str, List[str]]) -> Dict[str, List[str]]:
        unknown = set(by_kind) - QUALIFIER_KINDS
        if unknown:
            raise ValueError(f"unknown kinds {sorted(unknown)}; use {sorted(QUALIFIER_KINDS)}")
        return by_kind


class MovingDay(Shape):
    """A holiday that moves: the first and last day it can fall on."""

    first: MonthDay = Field(alias="from")
    to: MonthDay


class ApproximateDates(Shape):
    phrases: Phrases = []
    days: conint(strict=True, ge=0, le=366) = 0  # type: ignore[valid-type]


class DateQualifiers(Shape):
    before: Phrases = []
    after: Phrases = []


class MedicineUsePhrases(Shape):
    current: Phrases = []
    restarted: Phrases = []
    started: Phrases = []
    stopped: Phrases = []
    plans: Phrases = []
    no_plans: Phrases = []
    since: Phrases = []
    ended: Phrases = []
    other_subjects: Phrases = []


class SexAlone(Shape):
    """Words that say a sex only when they are the whole answer (a lone "f")."""

    female: Phrases = []
    male: Phrases = []

    @root_validator(skip_on_failure=True)
    def _one_sex_each(cls, values: dict) -> dict:
        _said_once(values, "said for both")
        return values


class SexWords(Shape):
    female: Phrases = []
    male: Phrases = []
    alone: SexAlone = SexAlone()

    @root_validator(skip_on_failure=True)
    def _one_sex_each(cls, values: dict) -> dict:
        _said_once({sex: values[sex] for sex in ("female", "male")}, "said for both")
        return values


class Relations(Shape):
    """Relation words by the pronoun the questions use for them."""

    he: Phrases = []
    she: Phrases = []
    they: Phrases = []
    self_: Phrases = Field([], alias="self")

    @root_validator(skip_on_failure=True)
    def _one_pronoun_each(cls, values: dict) -> dict:
        _said_once(values, "both")
        return values


class DictationWords(Shape):
    punctuation: Dict[str, Phrases] = {}  # mark -> the words said for it
    also_nouns: Dict[str, Phrases] = {}  # word -> words after which it stays a word
    year_leads: Phrases = []
    year_zero: Phrases = []


class UnitEntry(Shape):
    spelled: conlist(Said, min_items=1)  # type: ignore[valid-type]
    after_a_number: Phrases = []


class Units(Shape):
    """The one unit table: every unit the time readers count in, each spelling under one unit."""

    day: UnitEntry
    week: UnitEntry
    month: UnitEntry
    year: UnitEntry

    @root_validator(skip_on_failure=True)
    def _one_unit_each(cls, values: dict) -> dict:
        said = [light(s) for unit in values.values() for s in unit.spelled + unit.after_a_number]
        if len(said) != len(set(said)):
            raise ValueError("a spelling stands under two units")
        return values


class PluralUnitEntry(Shape):
    at_least: Number
    after: Phrases = []
    before: Phrases = []
    not_after: Phrases = []

    @validator("at_least")
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("expected a positive number")
        return value


class PlacedEntry(Shape):
    lead: Phrases = []
    places: Phrases = []
    not_a_town: Phrases = ["in"]


class LexiconFile(Shape):
    """data/lexicon.yml (or another lexicon a test loads)."""

    matching: Matching = Matching()
    medications: Terms
    conditions: Terms
    breathing_devices: Terms
    numbers: Dict[str, Number] = {}
    months: Dict[str, Month] = {}  # type: ignore[valid-type]
    vague_numbers: Dict[str, Tuple[Number, Number]] = {}
    qualifiers: QualifierSides = QualifierSides()
    seasons: Dict[str, MonthRange] = {}
    year_parts: Dict[str, MonthRange] = {}
    holidays: Dict[str, Union[MonthDay, MovingDay]] = {}
    approximate_dates: ApproximateDates = ApproximateDates()
    date_qualifiers: DateQualifiers = DateQualifiers()
    medicine_use: MedicineUsePhrases = MedicineUsePhrases()
    sex_words: SexWords = SexWords()
    relations: Relations = Relations()
    dictation: DictationWords = DictationWords()
    units: Optional[Units] = None  # a lexicon of names only: no time is read
    plural_unit: Optional[PluralUnitEntry] = None
    descriptions: Dict[str, Phrases] = {}
    descriptions_by_place: Dict[str, PlacedEntry] = {}

    @root_validator(pre=True)
    def _empty_section_is_absent(cls, values: dict) -> dict:
        return {key: value for key, value in values.items() if value is not None}

    @validator("medications", "conditions", "breathing_devices")
    def _has_terms(cls, terms: dict) -> dict:
        if not terms:
            raise ValueError("must map canonical names to entries")
        return terms

    @validator("vague_numbers")
    def _low_to_high(cls, ranges: Dict[str, Tuple[float, float]]) -> Dict[str, Tuple[float, float]]:
        for name, (low, high) in ranges.items():
            if low > high:
                raise ValueError(f"{name}: expected [low, high]")
        return ranges


def parse_lexicon_file(raw: Any, name: str = "lexicon") -> LexiconFile:
    """`raw` (loaded YAML) checked; ValueError names the file and the place."""
    if not isinstance(raw, dict):
        raise ValueError(f"{name}: not a lexicon (expected a mapping at the top)")
    return parse_as(raw, LexiconFile, name)
