"""`handoffs`: each time someone was pointed to the study team, and why. No message text is kept."""
from __future__ import annotations

from typing import Sequence

from bot.storage.store import HandoffRequest, ScreeningStore
from bot.trial.model import Trial
from staff.period import Period
from staff.printing import when

REASON_WORDS = {"asked": "asked for a person", "repeated_failure": "not understood repeatedly"}


def handoff_lines(trial: Trial, period: Period, handoffs: Sequence[HandoffRequest]) -> list[str]:
    lines = [f"Hand-off requests for {trial.id}, {period.label()}: {len(handoffs)}"]
    if not handoffs:
        return lines
    table = [("When", "Why", "During a pre-screen", "Channel", "Pseudonym")] + [
        (when(h.created_at), REASON_WORDS.get(h.reason, h.reason), "yes" if h.during_prescreen else "no",
         h.channel, h.pseudonym)
        for h in handoffs
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines.append("")
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
    return lines


def handoffs(store: ScreeningStore, trial: Trial, period: Period) -> int:
    print("\n".join(handoff_lines(trial, period, store.list_handoffs(trial.id, period.start(), period.end()))))
    return 0
