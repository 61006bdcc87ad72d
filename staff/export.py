"""`export`: one CSV row per screening, its criteria's statuses and its answers in the trial
file's order, written readable by the owner only."""
from __future__ import annotations

import csv
import errno
import os
import sys
from typing import IO, Any, Iterable, Optional, Sequence

from bot.prescreen.answer_display import display_value
from bot.privacy.private_files import open_private_for_writing
from bot.storage.store import Screening, ScreeningStore
from bot.trial.model import Question, Trial
from bot.understanding.interval import Interval
from staff.period import Period
from staff.printing import iso, plural
from staff.sources import StaffError

SCREENING_COLUMNS = [
    "screening_id", "pseudonym", "trial_id", "channel", "subject",
    "started_at", "updated_at", "finished_at", "status", "verdict",
]


def _ids_in_order(known: Iterable[str], stored: Iterable[Iterable[str]]) -> list[str]:
    """The trial file's order, then anything stored that the file no longer names."""
    ordered = list(dict.fromkeys(known))
    for keys in stored:
        ordered += [k for k in keys if k not in ordered]
    return ordered


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _answer_cell(question: Optional[Question], value: Any) -> str:
    """A number as the person would read it back ("about 14 months ago", "18 to 30 months ago",
    "54"), not a stored interval's JSON; words stay the stored codes ("yes", "unsure")."""
    if Interval.from_json(value) is None:
        return _cell(value)
    return display_value(question, value)


def export_table(trial: Trial, screenings: Sequence[Screening]) -> tuple[list[str], list[list[str]]]:
    """The CSV header and one row per screening: criterion statuses, then answers."""
    criteria = _ids_in_order(
        (c.id for c in trial.criteria if c.known), (s.statuses or {} for s in screenings)
    )
    questions = _ids_in_order(
        (q.id for q in (trial.screening.questions if trial.screening else ())),
        (s.answers for s in screenings),
    )
    header = SCREENING_COLUMNS + [f"criterion:{c}" for c in criteria] + [f"answer:{q}" for q in questions]
    asked = {q.id: q for q in (trial.screening.questions if trial.screening else ())}
    rows = []
    for s in screenings:
        statuses = s.statuses or {}
        rows.append(
            [
                s.id, s.pseudonym, s.trial_id, s.channel, s.subject,
                iso(s.created_at), iso(s.updated_at), iso(s.finished_at),
                "finished" if s.finished_at else "unfinished", _cell(s.verdict),
            ]
            + [_cell((statuses.get(c) or {}).get("status")) for c in criteria]
            + [_answer_cell(asked.get(q), s.answers.get(q)) for q in questions]
        )
    return header, rows


def _write_csv(out: IO[str], header: list[str], rows: list[list[str]]) -> None:
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)


def export(store: ScreeningStore, trial: Trial, period: Period, out_path: str) -> int:
    screenings = store.list_screenings(trial.id, period.start(), period.end())
    header, rows = export_table(trial, screenings)
    if out_path == "-":
        _write_csv(sys.stdout, header, rows)
        return 0
    try:
        # Health answers: always readable by the owner only, and never written through a
        # symbolic link (someone else's link could send the answers anywhere).
        fd = open_private_for_writing(out_path)
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as out:
            _write_csv(out, header, rows)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StaffError(f"{out_path} is a symbolic link; not writing through it. "
                             "Give the path of a new or regular file.") from None
        raise StaffError(f"cannot write {out_path}: {exc.strerror or exc}") from None
    print(f"Wrote {plural(len(rows), 'screening')} ({period.label()}) to {out_path}.")
    print("The file holds health answers: keep it private and delete it when you are done.")
    return 0
