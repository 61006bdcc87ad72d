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

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LEXICON_PATH = REPO_ROOT / "data" / "lexicon.yml"

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


# eq=False: compared (and hashed) by identity, so one loaded lexicon can key
# the cached spaCy pipeline.
@dataclass(frozen=True, eq=False)
class Lexicon:
    """Every term by label, plus the number and month words answers use."""

    terms: Mapping[str, Mapping[str, Term]]
    numbers: Mapping[str, float]
    months: Mapping[str, int]
    matching: MatchingRules

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
