"""`summary`: how many screenings, which verdicts, which criteria failed or stayed unknown, and
the hand-off requests."""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from bot.storage.store import HandoffRequest, Screening, ScreeningStore
from bot.trial.model import Trial
from staff.handoffs import REASON_WORDS
from staff.period import Period

VERDICT_WORDS = {
    "likely_eligible": "likely eligible",
    "likely_not_eligible": "likely not eligible",
    "needs_review": "needs review",
}


def _table(counts: Iterable[tuple[str, int]], indent: str = "  ") -> list[str]:
    counts = list(counts)
    if not counts:
        return [f"{indent}(none)"]
    width = max(len(name) for name, _ in counts)
    return [f"{indent}{name.ljust(width)}  {count:>5}" for name, count in counts]


def summary_lines(
    trial: Trial, period: Period, screenings: Sequence[Screening], handoffs: Sequence[HandoffRequest]
) -> list[str]:
    """What staff read: how many, which verdicts, which criteria failed or stayed unknown."""
    finished = [s for s in screenings if s.finished_at is not None]
    verdicts = Counter(s.verdict for s in finished)
    subjects = Counter(s.subject for s in screenings)
    titles = {c.id: f"{c.title or c.id} ({c.id})" for c in trial.criteria}
    order = {c.id: i for i, c in enumerate(trial.criteria)}

    def by_status(status: str) -> list[tuple[str, int]]:
        counts = Counter(
            criterion for s in finished for criterion, result in (s.statuses or {}).items()
            if result.get("status") == status
        )
        ranked = sorted(counts.items(), key=lambda item: (-item[1], order.get(item[0], len(order)), item[0]))
        return [(titles.get(criterion, criterion), count) for criterion, count in ranked]

    reasons = Counter(h.reason for h in handoffs)
    return [
        f"Trial {trial.id}, {period.label()}",
        "",
        f"Screenings started: {len(screenings)} ({len(finished)} finished, "
        f"{len(screenings) - len(finished)} unfinished)",
        f"  about themselves: {subjects['self']}, about someone they care for: {subjects['other']}",
        "",
        "Verdicts (finished screenings):",
        *_table((VERDICT_WORDS[v], verdicts[v]) for v in VERDICT_WORDS),
        "",
        "Criteria that failed (number of finished screenings):",
        *_table(by_status("fail")),
        "",
        "Criteria left for the study team to check (unknown):",
        *_table(by_status("unknown")),
        "",
        f"Hand-off requests: {len(handoffs)} ({sum(h.during_prescreen for h in handoffs)} during a pre-screen)",
        *_table((REASON_WORDS[r], reasons[r]) for r in REASON_WORDS),
    ]


def summary(store: ScreeningStore, trial: Trial, period: Period) -> int:
    screenings = store.list_screenings(trial.id, period.start(), period.end())
    handoffs = store.list_handoffs(trial.id, period.start(), period.end())
    print("\n".join(summary_lines(trial, period, screenings, handoffs)))
    return 0
