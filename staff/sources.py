"""What a staff command reads, the screening store and the trial file, and their troubles as one
line the staff member can act on (a path, a URL, a driver), never a traceback."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Optional

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot.storage.store import ScreeningStore, default_url
from bot.trial.loading import TRIALS_DIR, load_trial
from bot.trial.model import Trial


class StaffError(Exception):
    """A problem the staff member can fix (a date, a path, the database URL): no traceback."""


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


def reading(shown_url: str, command: Callable[[], int]) -> int:
    """Runs a command, turning database trouble into one readable line."""
    try:
        return command()
    except ImportError as exc:
        raise StaffError(f"the driver for {shown_url} is not installed ({exc})") from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StaffError(f"could not use the database at {shown_url}: {reason}") from None


def trial_named(trial_id: Optional[str]) -> Trial:
    try:
        return load_trial(trial_id)
    except FileNotFoundError:
        wanted = trial_id or os.environ.get("TRIAL_ID")
        raise StaffError(f"no trial file {TRIALS_DIR / f'{wanted}.yml'}") from None
    except RuntimeError as exc:  # several trial files and no TRIAL_ID
        raise StaffError(f"{exc}, or pass --trial") from None
