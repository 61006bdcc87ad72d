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


ASSERTION_KINDS = ("yes", "no", "firm_no", "yes_idioms", "hedges", "pending", "inconclusive")
QUALIFIER_KINDS = frozenset({"below", "at_most", "above", "at_least", "almost", "just_over", "just_under", "about"})
MEDICINE_USE_KINDS = ("current", "restarted", "started", "stopped", "plans", "no_plans", "since", "ended", "other_subjects")
SEXES = ("female", "male")


@dataclass(frozen=True)
class Assertion:
    """How people say yes, no, "not sure" and "not yet", and how far a "no" reaches.

    One model for every reader: yes/no answers, names said with "no" before them,
    hedged and pending answers (data/lexicon.yml, `assertion` and `negation`).
    """

    phrases: Mapping[str, tuple[str, ...]]  # kind (ASSERTION_KINDS) -> phrases
    negators: tuple[str, ...]
    clause_breaks: tuple[str, ...]
    window: int

    def __getitem__(self, kind: str) -> tuple[str, ...]:
        return self.phrases[kind]


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

    before: Mapping[str, str]  # phrase -> kind (QUALIFIER_KINDS)
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
    assertion: Assertion = Assertion({k: () for k in ASSERTION_KINDS}, (), (), 4)
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


def _as_names(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where}: expected a list of non-empty names")
    return tuple(v.strip() for v in value)


def _parse_terms(section: str, raw: Any) -> dict[str, Term]:
    if not isinstance(raw, dict) or not raw:
        raise ValueError(f"lexicon: '{section}' must map canonical names to entries")
    label = SECTION_LABELS[section]
    terms: dict[str, Term] = {}
    for canonical, entry in raw.items():
        where = f"lexicon {section}.{canonical}"
        if not isinstance(entry, dict) or not isinstance(entry.get("group"), str):
            raise ValueError(f"{where}: needs a 'group'")
        names = _as_names(entry.get("names"), f"{where}.names")
        exact_case = _as_names(entry.get("exact_case"), f"{where}.exact_case")
        if not names and not exact_case:
            raise ValueError(f"{where}: needs at least one name")
        terms[str(canonical)] = Term(
            label=label,
            canonical=str(canonical),
            group=entry["group"],
            names=tuple(n.lower() for n in names),
            exact_case=exact_case,
            fuzzy=bool(entry.get("fuzzy", True)),
        )
    return terms


def _parse_matching(raw: Any) -> MatchingRules:
    raw = raw or {}
    return MatchingRules(
        fuzzy_min_length=int(raw.get("fuzzy_min_length", 6)),
        fuzzy_two_edit_length=int(raw.get("fuzzy_two_edit_length", 10)),
        no_fuzzy_groups=frozenset(raw.get("no_fuzzy_groups") or ()),
        guard_words=frozenset(w.lower() for w in raw.get("guard_words") or ()),
    )


def _phrases(value: Any, where: str) -> tuple[str, ...]:
    """Lowercase phrases without apostrophes, as answers are read ("doesn't" -> "doesnt")."""
    names = _as_names(value, where)
    return tuple(light(n) for n in names)


def _parse_assertion(raw: Any, negation: Any) -> Assertion:
    raw, negation = raw or {}, negation or {}
    return Assertion(
        phrases={kind: _phrases(raw.get(kind), f"lexicon assertion.{kind}") for kind in ASSERTION_KINDS},
        negators=_phrases(negation.get("negators"), "lexicon negation.negators"),
        clause_breaks=_phrases(negation.get("clause_breaks"), "lexicon negation.clause_breaks"),
        window=int(negation.get("window", 4)),
    )


def _approximate_date_days(raw: Any) -> int:
    days = (raw or {}).get("days", 0)
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 366:
        raise ValueError("lexicon approximate_dates.days: expected a whole number of days, 0 to 366")
    return days


def _parse_medicine_use(raw: Any) -> MedicineUse:
    raw = raw or {}
    unknown = set(raw) - set(MEDICINE_USE_KINDS)
    if unknown:
        raise ValueError(f"lexicon medicine_use: unknown kinds {sorted(unknown)}")
    return MedicineUse({kind: _phrases(raw.get(kind), f"lexicon medicine_use.{kind}") for kind in MEDICINE_USE_KINDS})


def _parse_sex_words(raw: Any) -> dict[str, frozenset[str]]:
    raw = raw or {}
    unknown = set(raw) - set(SEXES)
    if unknown:
        raise ValueError(f"lexicon sex_words: unknown kinds {sorted(unknown)}")
    words = {sex: frozenset(_phrases(raw.get(sex), f"lexicon sex_words.{sex}")) for sex in SEXES}
    if words["female"] & words["male"]:
        raise ValueError(f"lexicon sex_words: said for both: {sorted(words['female'] & words['male'])}")
    return words


RELATION_KINDS = ("he", "she", "they", "self")


def _parse_relations(raw: Any) -> dict[str, tuple[str, ...]]:
    """Relation words by the pronoun the questions use for them; each word in one kind only."""
    raw = raw or {}
    unknown = set(raw) - set(RELATION_KINDS)
    if unknown:
        raise ValueError(f"lexicon relations: unknown kinds {sorted(unknown)}")
    words = {kind: _phrases(raw.get(kind), f"lexicon relations.{kind}") for kind in RELATION_KINDS}
    seen: dict[str, str] = {}
    for kind, phrases in words.items():
        for phrase in phrases:
            if phrase in seen:
                raise ValueError(f"lexicon relations: {phrase!r} is both {seen[phrase]} and {kind}")
            seen[phrase] = kind
    return words


def _parse_qualifiers(raw: Any) -> Qualifiers:
    raw = raw or {}
    sides: dict[str, dict[str, str]] = {}
    for side in ("before", "after"):
        by_kind = raw.get(side) or {}
        unknown = set(by_kind) - QUALIFIER_KINDS
        if unknown:
            raise ValueError(f"lexicon qualifiers.{side}: unknown kinds {sorted(unknown)}")
        sides[side] = {
            phrase: kind for kind, phrases in by_kind.items() for phrase in _phrases(phrases, f"qualifiers.{side}.{kind}")
        }
    return Qualifiers(before=sides["before"], after=sides["after"])


def _month_ranges(raw: Any, where: str) -> dict[str, MonthRange]:
    ranges: dict[str, MonthRange] = {}
    for name, value in (raw or {}).items():
        if not (isinstance(value, list) and len(value) == 2 and all(isinstance(m, int) and 1 <= m <= 12 for m in value)):
            raise ValueError(f"lexicon {where}.{name}: expected [first month, last month]")
        ranges[str(name).lower()] = (value[0], value[1])
    return ranges


def _day(value: Any, where: str) -> tuple[int, int]:
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)
            and 1 <= value[0] <= 12 and 1 <= value[1] <= 31):
        raise ValueError(f"{where}: expected [month, day]")
    return (value[0], value[1])


def _holidays(raw: Any) -> dict[str, DayRange]:
    days: dict[str, DayRange] = {}
    for name, value in (raw or {}).items():
        where = f"lexicon holidays.{name}"
        if isinstance(value, dict):
            days[str(name).lower()] = (_day(value.get("from"), where), _day(value.get("to"), where))
        else:
            day = _day(value, where)
            days[str(name).lower()] = (day, day)
    return days


def _vague_numbers(raw: Any) -> dict[str, tuple[float, float]]:
    ranges: dict[str, tuple[float, float]] = {}
    for name, value in (raw or {}).items():
        if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value)
                and value[0] <= value[1]):
            raise ValueError(f"lexicon vague_numbers.{name}: expected [low, high]")
        ranges[str(name).lower()] = (float(value[0]), float(value[1]))
    return ranges


def _parse_dictation(raw: Any) -> Dictation:
    raw = raw or {}
    marks = raw.get("punctuation") or {}
    if not isinstance(marks, dict):
        raise ValueError("lexicon dictation.punctuation: expected mark -> [words]")
    return Dictation(
        punctuation={str(mark): _phrases(words, f"lexicon dictation.punctuation.{mark}") for mark, words in marks.items()},
        also_nouns={
            " ".join(str(word).lower().split()): frozenset(_phrases(before, f"lexicon dictation.also_nouns.{word}"))
            for word, before in (raw.get("also_nouns") or {}).items()
        },
        year_leads=_phrases(raw.get("year_leads"), "lexicon dictation.year_leads"),
        year_zero=_phrases(raw.get("year_zero"), "lexicon dictation.year_zero"),
    )


def _parse_plural_unit(raw: Any) -> Optional[PluralUnit]:
    if raw is None:
        return None
    at_least = raw.get("at_least")
    if not isinstance(at_least, (int, float)) or at_least <= 0:
        raise ValueError("lexicon plural_unit.at_least: expected a positive number")
    return PluralUnit(
        float(at_least),
        _phrases(raw.get("after"), "lexicon plural_unit.after"),
        _phrases(raw.get("before"), "lexicon plural_unit.before"),
        _phrases(raw.get("not_after"), "lexicon plural_unit.not_after"),
    )


def _parse_units(raw: Any) -> Optional[dict[str, UnitSpellings]]:
    if raw is None:
        return None  # a lexicon of names only: no time is read
    if not isinstance(raw, dict) or set(raw) != set(TIME_UNITS):
        raise ValueError(f"lexicon units: expected exactly {', '.join(TIME_UNITS)}")
    units = {}
    for unit in TIME_UNITS:
        value = raw[unit] if isinstance(raw[unit], dict) else {}
        spelled = _phrases(value.get("spelled"), f"lexicon units.{unit}.spelled")
        if not spelled:
            raise ValueError(f"lexicon units.{unit}.spelled: expected at least one spelling")
        units[unit] = UnitSpellings(spelled, _phrases(value.get("after_a_number") or [], f"lexicon units.{unit}.after_a_number"))
    said = [s for spellings in units.values() for s in spellings.spelled + spellings.after_a_number]
    if len(said) != len(set(said)):
        raise ValueError("lexicon units: a spelling stands under two units")
    return units


def _parse_descriptions(raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw or {}, dict):
        raise ValueError("lexicon descriptions: expected kind -> [phrases]")
    return {str(kind): _phrases(phrases, f"lexicon descriptions.{kind}") for kind, phrases in (raw or {}).items()}


def _parse_placed(raw: Any) -> dict[str, PlacedDescription]:
    placed = {}
    for kind, value in (raw or {}).items():
        where = f"lexicon descriptions_by_place.{kind}"
        if not isinstance(value, dict):
            raise ValueError(f"{where}: expected lead, places and not_a_town")
        placed[str(kind)] = PlacedDescription(
            _phrases(value.get("lead"), f"{where}.lead"),
            _phrases(value.get("places"), f"{where}.places"),
            _phrases(value.get("not_a_town") or ["in"], f"{where}.not_a_town"),
        )
    return placed


def parse_lexicon(raw: Mapping[str, Any]) -> Lexicon:
    """Build a Lexicon from already-loaded YAML; raises ValueError on a malformed file."""
    numbers = raw.get("numbers") or {}
    months = raw.get("months") or {}
    if not all(isinstance(v, (int, float)) for v in numbers.values()):
        raise ValueError("lexicon numbers: every value must be a number")
    if not all(isinstance(v, int) and 1 <= v <= 12 for v in months.values()):
        raise ValueError("lexicon months: every value must be 1-12")
    return Lexicon(
        terms={label: _parse_terms(section, raw.get(section)) for section, label in SECTION_LABELS.items()},
        numbers={str(k).lower(): float(v) for k, v in numbers.items()},
        months={str(k).lower(): int(v) for k, v in months.items()},
        matching=_parse_matching(raw.get("matching")),
        assertion=_parse_assertion(raw.get("assertion"), raw.get("negation")),
        qualifiers=_parse_qualifiers(raw.get("qualifiers")),
        vague_numbers=_vague_numbers(raw.get("vague_numbers")),
        seasons=_month_ranges(raw.get("seasons"), "seasons"),
        year_parts=_month_ranges(raw.get("year_parts"), "year_parts"),
        holidays=_holidays(raw.get("holidays")),
        date_qualifiers={
            phrase: side
            for side in ("before", "after")
            for phrase in _phrases((raw.get("date_qualifiers") or {}).get(side), f"date_qualifiers.{side}")
        },
        approximate_date_phrases=_phrases(
            (raw.get("approximate_dates") or {}).get("phrases"), "lexicon approximate_dates.phrases"
        ),
        approximate_date_days=_approximate_date_days(raw.get("approximate_dates")),
        medicine_use=_parse_medicine_use(raw.get("medicine_use")),
        sex_words=_parse_sex_words(raw.get("sex_words")),
        relations=_parse_relations(raw.get("relations")),
        dictation=_parse_dictation(raw.get("dictation")),
        plural_unit=_parse_plural_unit(raw.get("plural_unit")),
        units=_parse_units(raw.get("units")),
        descriptions=_parse_descriptions(raw.get("descriptions")),
        descriptions_by_place=_parse_placed(raw.get("descriptions_by_place")),
    )


@lru_cache(maxsize=8)
def _load(path: Path) -> Lexicon:
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: not a lexicon (expected a mapping at the top)")
    return parse_lexicon(raw)


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
