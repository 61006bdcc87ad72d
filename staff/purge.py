"""`purge`: what is older than the retention period goes, in the screening store, the
conversation history and the servers' logs, after the staff member confirms it."""
from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import Optional

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.privacy import old_logs, retention
from bot.storage import tracker_events
from bot.storage.store import ScreeningStore, utcnow
from staff.printing import plural, when
from staff.sources import StaffError, open_store, reading


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
    engine = tracker_events.engine_for(tracker) if tracker else None
    try:
        old_events, old_conversations = tracker_events.count_old(engine, days) if engine else (0, 0)
        what = (f"{plural(old_screenings, 'screening')}, {plural(old_handoffs, 'hand-off request')} "
                f"and {plural(old_events, 'conversation event')} "
                f"({plural(old_conversations, 'whole conversation')})")
        if old_screenings == old_handoffs == old_events == 0:
            print(f"Nothing is older than {plural(days, 'day')} (before {when(cutoff)}).")
        else:
            if not yes:
                if not sys.stdin.isatty():
                    raise StaffError(
                        f"{what} would be deleted, but there is no terminal to confirm it. "
                        "Add --yes to delete without asking."
                    )
                answer = input(f"Delete {what} from before {when(cutoff)}? This cannot be undone. [y/N] ")
                if answer.strip().lower() not in ("y", "yes"):
                    print("Nothing deleted.")
                    return 1
            deleted_screenings = store.purge_older_than(days) if store else 0
            deleted_handoffs = store.purge_handoffs_older_than(days) if store else 0
            print(
                f"Deleted {plural(deleted_screenings, 'screening')} and "
                f"{plural(deleted_handoffs, 'hand-off request')} older than {plural(days, 'day')}."
            )
        if engine is not None:
            # Declined pre-screens keep no message text, whatever their age: no need to ask.
            done = tracker_events.purge_conversations(engine, days)
            if done.events or done.redacted:
                print(f"Conversation history: deleted {plural(done.events, 'event')} "
                      f"({plural(done.conversations, 'whole conversation')}); blanked "
                      f"{plural(done.redacted, 'message')} of declined pre-screens.")
        if logs is not None:
            changed = old_logs.purge_logs(logs, days)
            if changed:
                print(f"Logs ({logs}): deleted or trimmed {plural(changed, 'file')} older than "
                      f"{plural(days, 'day')}.")
    finally:
        if engine is not None:
            engine.dispose()
    return 0


def tracker_for_purge(value: Optional[str]) -> tuple[Optional[str], str]:
    """(URL, shown) of the conversation history, or (None, why) when there is none yet."""
    url = tracker_events.tracker_url(value)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StaffError(f"{url!r} is not a database URL or an SQLite file path") from None
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        return None, f"no conversation history at {parsed.database} yet"
    return url, shown


def purge_command(args: argparse.Namespace) -> int:
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
    tracker, tracker_shown = tracker_for_purge(args.tracker_db)
    if tracker is None:
        print(f"Conversation history: {tracker_shown}; nothing to purge there.")
    try:
        logs = old_logs.log_dir(args.log_dir)
        return reading(f"{shown} / {tracker_shown}", lambda: purge(store, days, args.yes, tracker, logs))
    finally:
        if store is not None:
            store.close()
