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
import os
import sys
from typing import Optional, Sequence

from bot.privacy import log_redaction, private_files
from bot.storage.store import ScreeningStore
from staff.export import export
from staff.handoffs import handoffs
from staff.period import Period, day
from staff.purge import purge_command
from staff.sources import StaffError, open_store, reading, trial_named
from staff.summary import summary


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m staff", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument("--db", metavar="URL", help="database URL (default: SCREENING_DB_URL, else var/screenings.db)")
    dated = argparse.ArgumentParser(add_help=False)
    dated.add_argument("--trial", metavar="ID", help="trial id (default: TRIAL_ID, else the only trial file)")
    dated.add_argument("--since", type=day, metavar="YYYY-MM-DD", help="from this day (UTC)")
    dated.add_argument("--until", type=day, metavar="YYYY-MM-DD", help="up to and including this day (UTC)")

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
            return purge_command(args)
        store, shown_url = open_store(args.db)
        trial = trial_named(args.trial)
        run = {"export": lambda: export(store, trial, period, args.out),
               "summary": lambda: summary(store, trial, period),
               "handoffs": lambda: handoffs(store, trial, period)}[args.command]
        return reading(shown_url, run)
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
