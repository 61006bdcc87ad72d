"""A number as a person gave it: an interval, with open or closed ends.

"About 2 years ago", "a year or two", "less than a month", "born in 2008": each is a
range of values, not one value. The eligibility engine asks of the whole range whether
a rule's condition holds: it holds only when every value in the range satisfies it, and
fails only when none does; otherwise the study team checks (the criterion is unknown).

Stored answers stay JSON: a point is a plain number (so answers stored before intervals
existed still load), anything wider is {"low", "high", "low_open", "high_open"} with
null for an end that has no bound ("over a year ago" has no upper end).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional, Union

JsonNumber = Union[int, float, dict[str, Any]]
DECIMALS = 2  # stored values are rounded to this many places


def _tidy(value: float) -> Union[int, float]:
    rounded = round(float(value), DECIMALS)
    return int(rounded) if rounded.is_integer() else rounded


@dataclass(frozen=True)
class Interval:
    """Every value between `low` and `high`; None is an end without a bound."""

    low: Optional[float]
    high: Optional[float]
    low_open: bool = False
    high_open: bool = False

    def __post_init__(self) -> None:
        if self.low is not None and self.high is not None:
            if self.low > self.high or (self.low == self.high and (self.low_open or self.high_open)):
                raise ValueError(f"empty interval {self}")
        for end in (self.low, self.high):
            if end is not None and not math.isfinite(end):
                raise ValueError("use None, not infinity, for an end without a bound")

    # --- making -------------------------------------------------------------
    @classmethod
    def point(cls, value: float) -> "Interval":
        return cls(float(value), float(value))

    @classmethod
    def around(cls, value: float, width: float) -> "Interval":
        """value +- width, never below zero (times and ages are not negative)."""
        return cls(max(0.0, value - width), value + width)

    def scaled(self, factor: float) -> "Interval":
        """The same interval in another unit (days -> months)."""
        return Interval(
            None if self.low is None else self.low * factor,
            None if self.high is None else self.high * factor,
            self.low_open,
            self.high_open,
        )

    # --- asking ---------------------------------------------------------------
    @property
    def is_point(self) -> bool:
        return self.low is not None and self.low == self.high

    def all_at_least(self, bound: float) -> bool:
        """Every value is >= bound."""
        return self.low is not None and self.low >= bound

    def all_less_than(self, bound: float) -> bool:
        """Every value is < bound."""
        return self.high is not None and (self.high < bound or (self.high == bound and self.high_open))

    def all_at_most(self, bound: float) -> bool:
        return self.high is not None and self.high <= bound

    # --- storing --------------------------------------------------------------
    def to_json(self) -> JsonNumber:
        if self.is_point:
            return _tidy(self.low)  # type: ignore[arg-type]
        return {
            "low": None if self.low is None else _tidy(self.low),
            "high": None if self.high is None else _tidy(self.high),
            "low_open": self.low_open,
            "high_open": self.high_open,
        }

    @classmethod
    def from_json(cls, value: Any) -> Optional["Interval"]:
        """A stored numeric answer as an interval; None when it is not a number ("unsure")."""
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return cls.point(value)
        if isinstance(value, dict) and "low" in value and "high" in value:
            low, high = value["low"], value["high"]
            if not all(end is None or (isinstance(end, (int, float)) and not isinstance(end, bool)) for end in (low, high)):
                return None
            try:
                return cls(
                    None if low is None else float(low),
                    None if high is None else float(high),
                    bool(value.get("low_open", False)),
                    bool(value.get("high_open", False)),
                )
            except ValueError:
                return None
        return None

