"""The days a staff command covers: whole UTC days, both ends included, either end open."""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Optional

from staff.sources import StaffError


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2024-03-31 (year-month-day)")


@dataclass(frozen=True)
class Period:
    """Whole UTC days from `since` to `until`, both included; either end may be open."""

    since: Optional[date] = None
    until: Optional[date] = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise StaffError(f"--since {self.since} is after --until {self.until}")

    def start(self) -> Optional[datetime]:
        return None if self.since is None else datetime.combine(self.since, time(), timezone.utc)

    def end(self) -> Optional[datetime]:
        """The first moment after the period (the store's `until` is exclusive)."""
        if self.until is None:
            return None
        return datetime.combine(self.until + timedelta(days=1), time(), timezone.utc)

    def label(self) -> str:
        if self.since and self.until:
            return f"from {self.since} to {self.until} (UTC)"
        if self.since:
            return f"from {self.since} on (UTC)"
        if self.until:
            return f"up to {self.until} (UTC)"
        return "all dates"
