"""Staff commands over the pre-screen store: export, summary, handoffs, purge.

    python -m staff export --out screenings.csv --since 2024-03-01 --until 2024-03-31
    python -m staff summary --since 2024-03-01
    python -m staff handoffs
    python -m staff purge            # older than RETENTION_DAYS (default 90)

Reads the database the assistant writes (SCREENING_DB_URL, else var/screenings.db); `--db URL`
reads another. Dates are whole days in UTC, both ends included.
"""
from __future__ import annotations

import argparse
import csv
import errno
import os
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Optional, Sequence

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot.privacy import log_redaction, private_files, retention
from bot.understanding.interval import Interval
from bot.privacy.private_files import open_private_for_writing
from bot.prescreen.answer_display import display_value
from bot.storage.store import HandoffRequest, Screening, ScreeningStore, default_url, utcnow
from bot.trial.model import TRIALS_DIR, Question, Trial, load_trial

SCREENING_COLUMNS = [
    "screening_id", "pseudonym", "trial_id", "channel", "subject",
    "started_at", "updated_at", "finished_at", "status", "verdict",
]
VERDICT_WORDS = {
    "likely_eligible": "likely eligible",
    "likely_not_eligible": "likely not eligible",
    "needs_review": "needs review",
}
REASON_WORDS = {"asked": "asked for a person", "repeated_failure": "not understood repeatedly"}


class StaffError(Exception):
    """A problem the staff member can fix (a date, a path, the database URL): no traceback."""


# --- dates ----------------------------------------------------------------------------------

def _day(text: str) -> date:
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


def _iso(moment: Optional[datetime]) -> str:
    return "" if moment is None else moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _when(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _plural(count: int, word: str, plural: Optional[str] = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


# --- the database ---------------------------------------------------------------------------

def open_store(url: Optional[str]) -> tuple[ScreeningStore, str]:
    """The store at `url` (default: the assistant's), and the URL to show (no password).

    An SQLite file that is not there is an error: reading would quietly make an empty one.
    """
    url = url or default_url()
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StaffError(
            f"{url!r} is not a database URL; expected e.g. sqlite:///var/screenings.db "
            "or postgresql://user@host:5432/dbname"
        ) from None
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:") or not Path(database).is_file():
            raise StaffError(
                f"no screening database at {database or shown}. The assistant makes it at the first "
                "pre-screen; check SCREENING_DB_URL or --db, and run from the project folder "
                "if the path is relative."
            )
    return ScreeningStore(url), shown


def _reading(shown_url: str, command: Callable[[], int]) -> int:
    """Runs a command, turning database trouble into one readable line."""
    try:
        return command()
    except ImportError as exc:
        raise StaffError(f"the driver for {shown_url} is not installed ({exc})") from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StaffError(f"could not use the database at {shown_url}: {reason}") from None


def _trial(trial_id: Optional[str]) -> Trial:
    try:
        return load_trial(trial_id)
    except FileNotFoundError:
        wanted = trial_id or os.environ.get("TRIAL_ID")
        raise StaffError(f"no trial file {TRIALS_DIR / f'{wanted}.yml'}") from None
    except RuntimeError as exc:  # several trial files and no TRIAL_ID
        raise StaffError(f"{exc}, or pass --trial") from None


# --- export ---------------------------------------------------------------------------------

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
                _iso(s.created_at), _iso(s.updated_at), _iso(s.finished_at),
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
    print(f"Wrote {_plural(len(rows), 'screening')} ({period.label()}) to {out_path}.")
    print("The file holds health answers: keep it private and delete it when you are done.")
    return 0


# --- summary --------------------------------------------------------------------------------

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


# --- hand-off requests ----------------------------------------------------------------------

def handoff_lines(trial: Trial, period: Period, handoffs: Sequence[HandoffRequest]) -> list[str]:
    lines = [f"Hand-off requests for {trial.id}, {period.label()}: {len(handoffs)}"]
    if not handoffs:
        return lines
    table = [("When", "Why", "During a pre-screen", "Channel", "Pseudonym")] + [
        (_when(h.created_at), REASON_WORDS.get(h.reason, h.reason), "yes" if h.during_prescreen else "no",
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


# --- purge ----------------------------------------------------------------------------------

def purge(store: Optional[ScreeningStore], days: int, yes: bool, tracker: Optional[str] = None,
          logs: Optional[Path] = None) -> int:
    """Deletes screenings, hand-off requests and conversation events older than `days` days,
    in every trial, and blanks the message texts of conversations whose pre-screen was declined;
    the servers' logs in `logs` lose their files and records older than that too.

    `store` None: there is no screening database yet; `tracker` None: no conversation history.
    """
    if days < 0:
        raise StaffError("--older-than-days must be 0 or more")
    cutoff = utcnow() - timedelta(days=days)
    old_screenings = len(store.list_screenings(until=cutoff)) if store else 0
    old_handoffs = len(store.list_handoffs(until=cutoff)) if store else 0
    engine = retention.engine_for(tracker) if tracker else None
    try:
        old_events, old_conversations = retention.count_old(engine, days) if engine else (0, 0)
        what = (f"{_plural(old_screenings, 'screening')}, {_plural(old_handoffs, 'hand-off request')} "
                f"and {_plural(old_events, 'conversation event')} "
                f"({_plural(old_conversations, 'whole conversation')})")
        if old_screenings == old_handoffs == old_events == 0:
            print(f"Nothing is older than {_plural(days, 'day')} (before {_when(cutoff)}).")
        else:
            if not yes:
                if not sys.stdin.isatty():
                    raise StaffError(
                        f"{what} would be deleted, but there is no terminal to confirm it. "
                        "Add --yes to delete without asking."
                    )
                answer = input(f"Delete {what} from before {_when(cutoff)}? This cannot be undone. [y/N] ")
                if answer.strip().lower() not in ("y", "yes"):
                    print("Nothing deleted.")
                    return 1
            deleted_screenings = store.purge_older_than(days) if store else 0
            deleted_handoffs = store.purge_handoffs_older_than(days) if store else 0
            print(
                f"Deleted {_plural(deleted_screenings, 'screening')} and "
                f"{_plural(deleted_handoffs, 'hand-off request')} older than {_plural(days, 'day')}."
            )
        if engine is not None:
            # Declined pre-screens keep no message text, whatever their age: no need to ask.
            done = retention.purge_conversations(engine, days)
            if done.events or done.redacted:
                print(f"Conversation history: deleted {_plural(done.events, 'event')} "
                      f"({_plural(done.conversations, 'whole conversation')}); blanked "
                      f"{_plural(done.redacted, 'message')} of declined pre-screens.")
        if logs is not None:
            changed = retention.purge_logs(logs, days)
            if changed:
                print(f"Logs ({logs}): deleted or trimmed {_plural(changed, 'file')} older than "
                      f"{_plural(days, 'day')}.")
    finally:
        if engine is not None:
            engine.dispose()
    return 0


def _tracker_for_purge(value: Optional[str]) -> tuple[Optional[str], str]:
    """(URL, shown) of the conversation history, or (None, why) when there is none yet."""
    url = retention.tracker_url(value)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StaffError(f"{url!r} is not a database URL or an SQLite file path") from None
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        return None, f"no conversation history at {parsed.database} yet"
    return url, shown


def _purge_command(args: argparse.Namespace) -> int:
    try:
        days = retention.retention_days() if args.older_than_days is None else args.older_than_days
    except retention.RetentionError as exc:
        raise StaffError(str(exc)) from None
    try:
        store, shown = open_store(args.db)
    except StaffError as missing:
        if "no screening database" not in str(missing):
            raise
        store, shown = None, "(none yet)"
        print("No screening database yet: nothing to purge there.")
    tracker, tracker_shown = _tracker_for_purge(args.tracker_db)
    if tracker is None:
        print(f"Conversation history: {tracker_shown}; nothing to purge there.")
    try:
        logs = retention.log_dir(args.log_dir)
        return _reading(f"{shown} / {tracker_shown}", lambda: purge(store, days, args.yes, tracker, logs))
    finally:
        if store is not None:
            store.close()


# --- the command line -----------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m staff", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument("--db", metavar="URL", help="database URL (default: SCREENING_DB_URL, else var/screenings.db)")
    dated = argparse.ArgumentParser(add_help=False)
    dated.add_argument("--trial", metavar="ID", help="trial id (default: TRIAL_ID, else the only trial file)")
    dated.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="from this day (UTC)")
    dated.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="up to and including this day (UTC)")

    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    export_cmd = commands.add_parser(
        "export", parents=[database, dated], help="one CSV row per screening",
        description="One CSV row per screening: who (pseudonym), channel, times, status, verdict, "
        "then each criterion's status and each answer, in the trial file's order.",
    )
    export_cmd.add_argument(
        "--out", default="-", metavar="FILE.csv",
        help="where to write (made readable by you only; never through a symbolic link); default: the screen",
    )
    commands.add_parser(
        "summary", parents=[database, dated], help="counts by verdict and by criterion",
        description="Counts of screenings by verdict, by failing and unknown criterion, and of hand-off requests.",
    )
    commands.add_parser(
        "handoffs", parents=[database, dated], help="list requests to talk to a person",
        description="Times someone was pointed to the study team: they asked for a person, or the "
        "assistant kept failing to understand them. No message text is kept.",
    )
    purge_cmd = commands.add_parser(
        "purge", parents=[database], help="delete what is older than the retention period",
        description="Delete screenings, hand-off requests and conversation history (events) older "
        "than N days (default: RETENTION_DAYS, else 90), in every trial, and the servers' log "
        "files and records older than that; conversations whose pre-screen was declined keep no "
        "message text.",
    )
    purge_cmd.add_argument("--older-than-days", type=int, metavar="N",
                           help="retention in days (default: RETENTION_DAYS, else 90)")
    purge_cmd.add_argument("--tracker-db", metavar="URL_OR_PATH",
                           help="conversation history: an SQLAlchemy URL or an SQLite file "
                           "(default: TRACKER_DB, else var/tracker.db)")
    purge_cmd.add_argument("--log-dir", metavar="DIR",
                           help="the servers' logs (default: LOG_DIR, else var/log)")
    purge_cmd.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    # Exports and the SQLite files this command may create hold health data.
    log_redaction.install()
    private_files.make_private()
    args = _parser().parse_args(argv)
    store: Optional[ScreeningStore] = None
    try:
        # Mistakes in the command first, then the database.
        period = Period(getattr(args, "since", None), getattr(args, "until", None))
        if args.command == "purge":
            return _purge_command(args)
        store, shown_url = open_store(args.db)
        trial = _trial(args.trial)
        run = {"export": lambda: export(store, trial, period, args.out),
               "summary": lambda: summary(store, trial, period),
               "handoffs": lambda: handoffs(store, trial, period)}[args.command]
        return _reading(shown_url, run)
    except StaffError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopped; nothing more was done.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `export --out - | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        if store is not None:
            store.close()


if __name__ == "__main__":
    sys.exit(main())
