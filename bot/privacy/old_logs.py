"""The servers' logs, kept no longer than the retention (bot/privacy/retention.py): logs hold no
message text, but they are records of who used the assistant when."""
from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Optional

from bot.paths import VAR_DIR

LOG_DIR_VARIABLE = "LOG_DIR"
# A record's time as our servers write it ("2026-12-04 14:53:47 ..."), in local time.
_LOG_TIME_RE = re.compile(rb"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})")


def log_dir(value: Optional[str] = None) -> Path:
    """The servers' log folder: the value given, else LOG_DIR, else var/log."""
    return Path(value or os.environ.get(LOG_DIR_VARIABLE) or VAR_DIR / "log")


def _kept_from(lines: list[bytes], cutoff: datetime) -> int:
    """Index of the first line to keep: the first record written after the cut-off (a line
    without a time, such as a traceback's, belongs to the record before it)."""
    for index, line in enumerate(lines):
        match = _LOG_TIME_RE.match(line)
        if match is not None:
            try:
                written = datetime.strptime(f"{match[1].decode()} {match[2].decode()}", "%Y-%m-%d %H:%M:%S")
            except ValueError:
                continue
            if written >= cutoff:
                return index
    return len(lines)


def purge_logs(folder: Path, days: int, now: Optional[datetime] = None) -> int:
    """Deletes the log files last written before the retention cut-off, and the records older
    than it from the others; returns how many files changed. Logs hold no message text, but
    they are records of who used the assistant when, and are kept no longer than the rest."""
    now = now or datetime.now()
    cutoff = now - timedelta(days=days)
    changed = 0
    if not folder.is_dir():
        return 0
    for path in sorted(folder.iterdir()):
        if path.is_symlink() or not path.is_file():
            continue
        if datetime.fromtimestamp(path.stat().st_mtime) < cutoff:
            path.unlink()
            changed += 1
            continue
        with path.open("r+b") as log:
            lines = log.read().splitlines(keepends=True)
            first = _kept_from(lines, cutoff)
            if first == 0 or not any(_LOG_TIME_RE.match(line) for line in lines):
                continue
            log.seek(0)
            log.write(b"".join(lines[first:]))
            log.truncate()
        changed += 1
    return changed
