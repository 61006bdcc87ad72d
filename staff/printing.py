"""How the staff commands print a moment and a count, the same way in every report."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional


def iso(moment: Optional[datetime]) -> str:
    return "" if moment is None else moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def when(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def plural(count: int, word: str, plural: Optional[str] = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"
