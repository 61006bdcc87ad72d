"""The vocabulary the parser reads, loaded from data/lexicon.yml.

Drug, condition and device names change more often than code, and a reviewer
who is not a programmer should be able to add "Qalsody" or "chrons" to a YAML
file. The trial's rules about those words live elsewhere (data/trials/).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Optional, Union

import yaml

from bot.paths import DATA_DIR
from bot.understanding.lexicon_file import DictationWords, MovingDay, TermEntry, parse_lexicon_file
from bot.understanding.plain_text import light

DEFAULT_LEXICON_PATH = DATA_DIR / "lexicon.yml"

# Entity label for each term section of the YAML file.
SECTION_LABELS: dict[str, str] = {
    "medications": "medication",
    "conditions": "condition",
    "breathing_devices": "breathing_device",
}


@dataclass(frozen=True)
class Term:
    """One thing people name in many ways: a canonical name, its group, its spellings."""

    label: str
    canonical: str
    group: str
    names: tuple[str, ...]
    exact_case: tuple[str, ...] = ()
    fuzzy: bool = True


@dataclass(frozen=True)
class MatchingRules:
    """How far typo matching may go; kept as data so tuning needs no code change."""

    fuzzy_min_length: int
    fuzzy_two_edit_length: int
    no_fuzzy_groups: frozenset[str]
    guard_words: frozenset[str]


MEDICINE_USE_KINDS = ("current", "restarted", "started", "stopped", "plans", "no_plans", "since", "ended", "other_subjects")
SEXES = ("female", "male")
RELATION_KINDS = ("he", "she", "they", "self")


@dataclass(frozen=True)
class MedicineUse:
    """How people say they take a medicine now, stopped it, or plan to (data/lexicon.yml,
    `medicine_use`). Phrases, not patterns, so a reviewer can add "weaned off" without code."""

    phrases: Mapping[str, tuple[str, ...]]  # kind (MEDICINE_USE_KINDS) -> phrases

    def __getitem__(self, kind: str) -> tuple[str, ...]:
        return self.phrases[kind]


@dataclass(frozen=True)
class Qualifiers:
    """Words around an amount that make it a bound or a range ("less than", "or more")."""

    before: Mapping[str, str]  # phrase -> kind (lexicon_file.QUALIFIER_KINDS)
    after: Mapping[str, str]


@dataclass(frozen=True)
class Dictation:
    """How dictated answers arrive (data/lexicon.yml `dictation`): punctuation said as words,
    and years said in pairs ("twenty twenty three")."""

    punctuation: Mapping[str, tuple[str, ...]]  # mark -> the words said for it
    also_nouns: Mapping[str, frozenset[str]]  # "her last period": the word stays a word after these
    year_leads: tuple[str, ...]
    year_zero: tuple[str, ...]


@dataclass(frozen=True)
class PlacedDescription:
    """A status said with a place: a lead phrase, "in", maybe a town, then one of `places`."""

    lead: tuple[str, ...]
    places: tuple[str, ...]
    not_a_town: tuple[str, ...]


@dataclass(frozen=True)
class PluralUnit:
    """A unit said in the plural with no count ("for months"): at least `at_least` of it,
    where the words just before or after it make it a length of time."""

    at_least: float
    after: tuple[str, ...]
    before: tuple[str, ...]
    not_after: tuple[str, ...]


@dataclass(frozen=True)
class UnitSpellings:
    """How people write one unit of time: `spelled` anywhere, `after_a_number` only after a
    count ("2y": alone, a "y" is no unit)."""

    spelled: tuple[str, ...]
    after_a_number: tuple[str, ...] = ()


# The units the time readers count in, smallest first; the lexicon spells each of them.
TIME_UNITS = ("day", "week", "month", "year")


# A month range [first, last]; first > last wraps into the next year (winter: 12 -> 2).
MonthRange = tuple[int, int]
# A holiday's possible days: ((month, day), (month, day)), equal for a fixed date.
DayRange = tuple[tuple[int, int], tuple[int, int]]


# eq=False: compared (and hashed) by identity, so one loaded lexicon can key
# the cached spaCy pipeline.
@dataclass(frozen=True, eq=False)
class Lexicon:
    """Every term by label, plus the number and month words answers use."""

    terms: Mapping[str, Mapping[str, Term]]
    numbers: Mapping[str, float]
    months: Mapping[str, int]
    matching: MatchingRules
    qualifiers: Qualifiers = Qualifiers({}, {})
    vague_numbers: Mapping[str, tuple[float, float]] = None  # type: ignore[assignment]
    seasons: Mapping[str, MonthRange] = None  # type: ignore[assignment]
    year_parts: Mapping[str, MonthRange] = None  # type: ignore[assignment]
    holidays: Mapping[str, DayRange] = None  # type: ignore[assignment]
    date_qualifiers: Mapping[str, str] = None  # type: ignore[assignment]  # phrase -> before | after
    approximate_date_phrases: tuple[str, ...] = ()  # "around" before a day: it widens
    approximate_date_days: int = 0  # by this many days each side
    medicine_use: MedicineUse = MedicineUse({k: () for k in MEDICINE_USE_KINDS})
    sex_words: Mapping[str, frozenset[str]] = None  # type: ignore[assignment]  # female | male -> words
    sex_alone: Mapping[str, frozenset[str]] = None  # type: ignore[assignment]  # female | male -> whole answers
    relations: Mapping[str, tuple[str, ...]] = None  # type: ignore[assignment]  # he | she | they | self -> words
    dictation: "Dictation" = None  # type: ignore[assignment]
    plural_unit: "PluralUnit" = None  # type: ignore[assignment]  # "for months": at least 2 months
    units: Mapping[str, UnitSpellings] = None  # type: ignore[assignment]  # day | week | month | year -> spellings
    # Statuses described instead of a yes or no ("on a work visa"): kind -> phrases.
    descriptions: Mapping[str, tuple[str, ...]] = None  # type: ignore[assignment]
    # Statuses said with a place ("born and raised in Ohio"): kind -> lead, places, not_a_town.
    descriptions_by_place: Mapping[str, "PlacedDescription"] = None  # type: ignore[assignment]

    def description_kinds(self) -> frozenset[str]:
        return frozenset(self.descriptions or ()) | frozenset(self.descriptions_by_place or ())

    def term(self, label: str, canonical: str) -> Term:
        """The term for a canonical name; KeyError names what is missing."""
        try:
            return self.terms[label][canonical]
        except KeyError:
            raise KeyError(f"no {label} called {canonical!r} in the lexicon") from None

    def all_terms(self) -> list[Term]:
        return [t for by_name in self.terms.values() for t in by_name.values()]

    def group_of_medication(self, canonical: str) -> str:
        """'riluzole', 'edaravone', 'immunosuppressant', 'supplement' or 'other'."""
        return self.term("medication", canonical).group

    def group_of_condition(self, canonical: str) -> str:
        return self.term("condition", canonical).group

    def group_of_breathing_device(self, canonical: str) -> str:
        """'ventilator', 'noninvasive' or 'pacer'."""
        return self.term("breathing_device", canonical).group


def _phrases(names: list[str]) -> tuple[str, ...]:
    """Lowercase phrases without apostrophes, as answers are read ("doesn't" -> "doesnt")."""
    return tuple(light(n) for n in names)


def _terms(section: str, raw: Mapping[str, TermEntry]) -> dict[str, Term]:
    label = SECTION_LABELS[section]
    return {
        canonical: Term(
            label=label,
            canonical=canonical,
            group=entry.group,
            names=tuple(n.lower() for n in entry.names),
            exact_case=tuple(entry.exact_case),
            fuzzy=entry.fuzzy,
        )
        for canonical, entry in raw.items()
    }


def _dictation(raw: DictationWords) -> Dictation:
    return Dictation(
        punctuation={mark: _phrases(words) for mark, words in raw.punctuation.items()},
        also_nouns={" ".join(word.lower().split()): frozenset(_phrases(before)) for word, before in raw.also_nouns.items()},
        year_leads=_phrases(raw.year_leads),
        year_zero=_phrases(raw.year_zero),
    )


def _holiday(value: Union[tuple[int, int], MovingDay]) -> DayRange:
    return (value.first, value.to) if isinstance(value, MovingDay) else (value, value)


def parse_lexicon(raw: Mapping[str, Any], name: str = "lexicon") -> Lexicon:
    """Build a Lexicon from already-loaded YAML; ValueError names the place of a mistake
    (the file's shape: bot/understanding/lexicon_file.py)."""
    checked = parse_lexicon_file(raw, name)
    plural = checked.plural_unit
    return Lexicon(
        terms={label: _terms(section, getattr(checked, section)) for section, label in SECTION_LABELS.items()},
        numbers={k.lower(): float(v) for k, v in checked.numbers.items()},
        months={k.lower(): v for k, v in checked.months.items()},
        matching=MatchingRules(
            fuzzy_min_length=checked.matching.fuzzy_min_length,
            fuzzy_two_edit_length=checked.matching.fuzzy_two_edit_length,
            no_fuzzy_groups=frozenset(checked.matching.no_fuzzy_groups),
            guard_words=frozenset(w.lower() for w in checked.matching.guard_words),
        ),
        qualifiers=Qualifiers(
            before={p: kind for kind, phrases in checked.qualifiers.before.items() for p in _phrases(phrases)},
            after={p: kind for kind, phrases in checked.qualifiers.after.items() for p in _phrases(phrases)},
        ),
        vague_numbers={k.lower(): (float(low), float(high)) for k, (low, high) in checked.vague_numbers.items()},
        seasons={k.lower(): v for k, v in checked.seasons.items()},
        year_parts={k.lower(): v for k, v in checked.year_parts.items()},
        holidays={k.lower(): _holiday(v) for k, v in checked.holidays.items()},
        date_qualifiers={
            phrase: side
            for side in ("before", "after")
            for phrase in _phrases(getattr(checked.date_qualifiers, side))
        },
        approximate_date_phrases=_phrases(checked.approximate_dates.phrases),
        approximate_date_days=checked.approximate_dates.days,
        medicine_use=MedicineUse({kind: _phrases(getattr(checked.medicine_use, kind)) for kind in MEDICINE_USE_KINDS}),
        sex_words={sex: frozenset(_phrases(getattr(checked.sex_words, sex))) for sex in SEXES},
        sex_alone={sex: frozenset(_phrases(getattr(checked.sex_words.alone, sex))) for sex in SEXES},
        relations={
            kind: _phrases(getattr(checked.relations, "self_" if kind == "self" else kind)) for kind in RELATION_KINDS
        },
        dictation=_dictation(checked.dictation),
        plural_unit=PluralUnit(
            float(plural.at_least), _phrases(plural.after), _phrases(plural.before), _phrases(plural.not_after)
        ) if plural else None,
        units={
            unit: UnitSpellings(_phrases(spellings.spelled), _phrases(spellings.after_a_number))
            for unit in TIME_UNITS
            for spellings in [getattr(checked.units, unit)]
        } if checked.units else None,
        descriptions={kind: _phrases(phrases) for kind, phrases in checked.descriptions.items()},
        descriptions_by_place={
            kind: PlacedDescription(_phrases(p.lead), _phrases(p.places), _phrases(p.not_a_town))
            for kind, p in checked.descriptions_by_place.items()
        },
    )



@lru_cache(maxsize=8)
def _load(path: Path) -> Lexicon:
    with path.open(encoding="utf-8") as handle:
        return parse_lexicon(yaml.safe_load(handle), str(path))


def load_lexicon(path: Optional[Union[str, Path]] = None) -> Lexicon:
    """The lexicon at `path` (default data/lexicon.yml); loaded once per path."""
    return _load(Path(path).resolve() if path else DEFAULT_LEXICON_PATH)


def group_of_medication(canonical: str) -> str:
    """Group of a canonical medication name in the default lexicon."""
    return load_lexicon().group_of_medication(canonical)


def group_of_condition(canonical: str) -> str:
    """Group of a canonical condition name in the default lexicon."""
    return load_lexicon().group_of_condition(canonical)


def group_of_breathing_device(canonical: str) -> str:
    """Group of a canonical breathing-device name in the default lexicon."""
    return load_lexicon().group_of_breathing_device(canonical)
