"""The units of time people write, from one table (data/lexicon.yml `units`).

Every reader of a time ("18 mos", "a mnth ago", "in the last 2 wks", "61, not 16 months")
matches units with these alternations, so a spelling added to the table is read the same
by each of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping

from bot.understanding.lexicon import TIME_UNITS, Lexicon

NOTHING = "(?!)"


def alternation(spellings: Iterable[str]) -> str:
    """A regex alternation (no group) of the spellings, longest first."""
    ordered = sorted(set(spellings), key=lambda s: (-len(s), s))
    return "|".join(ordered) or NOTHING


@dataclass(frozen=True)
class UnitWords:
    """The lexicon's unit spellings, and the alternations the readers build patterns from."""

    of: Mapping[str, str]  # every spelling -> day | week | month | year
    spelled_as: Mapping[str, str]  # the spellings that are units alone ("a mnth"; not "d")
    after_a_number: str  # every spelling: "18mos", "2y", "3 d"
    plurals: str  # "days|weeks|months|years": a unit said in the plural with no count

    def spelled(self, *units: str) -> str:
        """The spellings that are units wherever they stand, of `units` (default: all)."""
        return alternation(s for s, unit in self.spelled_as.items() if not units or unit in units)

    def any_of(self, *units: str) -> str:
        """Every spelling of `units`, those said only after a number too."""
        return alternation(s for s, unit in self.of.items() if unit in units)

    def unit_of(self, spelling: str) -> str:
        return self.of[spelling]


@lru_cache(maxsize=4)
def unit_words(lexicon: Lexicon) -> UnitWords:
    units = lexicon.units or {}
    of = {s: unit for unit, words in units.items() for s in words.spelled + words.after_a_number}
    return UnitWords(
        of=of,
        spelled_as={s: unit for unit, words in units.items() for s in words.spelled},
        after_a_number=alternation(of),
        plurals=alternation(f"{unit}s" for unit in TIME_UNITS if unit in units),
    )
