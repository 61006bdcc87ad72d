"""Faults made on purpose, and waiting for what follows them: shared by the unit and end-to-end
fault tests (tests/unit/test_supervisor.py, test_store_trouble.py, tests/e2e/test_faults.py),
so a crash, a lock and "is it back yet" mean the same thing in each.
"""
from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from sqlalchemy.engine import make_url

from bot.storage.store import ScreeningStore

Found = TypeVar("Found")


def until(check: Callable[[], Found], seconds: float = 15, what: str = "not true",
          every: float = 0.05) -> Found:
    """What `check` returns once it is true, asked every `every` seconds; the test fails,
    saying `what`, when it is not true within `seconds` (a real process takes real time)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what}: not within {seconds:g} s")


def alive(pid: int) -> bool:
    """Whether the process runs: a zombie (killed, not yet reaped by its parent) does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


@contextmanager
def locked(db_url: str) -> Iterator[None]:
    """The screening store's SQLite database held by a real second connection in a write
    transaction, as a long staff export or purge would hold it; released afterwards."""
    ScreeningStore(db_url).list_screenings()  # the tables exist
    other = sqlite3.connect(str(make_url(db_url).database), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()
