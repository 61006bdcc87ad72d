"""How long conversations and screenings are kept (RETENTION_DAYS, default 90), and the purge of
the conversation history (Rasa's tracker store, an SQL `events` table) that enforces it.

Rasa keeps every event of a conversation, with each message's text, for ever; nothing in Rasa
3.6 removes them. The purge works on the same table Rasa writes (SQLite or PostgreSQL):
- events older than the retention are deleted, so a conversation whose last event is older
  is gone entirely;
- a conversation whose pre-screen the person declined keeps no message text: the text, the
  entities' values and the message metadata of its user messages are blanked (the intents
  stay, so the dialogue still works). The tracker store does this at every save
  (adapters/tracker_store.py); the purge does it too, for conversations saved before.

Standard library and SQLAlchemy only, like the rest of bot/.
"""
from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, delete, select, update
from sqlalchemy.engine import Connection, Engine

from bot.storage.engine import open_engine

DEFAULT_RETENTION_DAYS = 90
RETENTION_VARIABLE = "RETENTION_DAYS"
PRESCREEN_SLOT = "prescreen"
DECLINED = "declined"  # bot.prescreen.screening's stage after a "no" to consent
REDACTED_TEXT = ""

# Rasa's SQLTrackerStore table, as Rasa 3.6 makes it (rasa.core.tracker_store.SQLTrackerStore.SQLEvent).
_metadata = MetaData()
EVENTS = Table(
    "events", _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


class RetentionError(ValueError):
    """RETENTION_DAYS is not a whole number of days."""


def retention_days() -> int:
    """RETENTION_DAYS (a whole number, 1 or more), else 90."""
    raw = os.environ.get(RETENTION_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    try:
        days = int(raw)
    except ValueError:
        raise RetentionError(f"{RETENTION_VARIABLE}={raw!r} is not a whole number of days") from None
    if days < 1:
        raise RetentionError(f"{RETENTION_VARIABLE} must be 1 or more days, not {days}")
    return days


def tracker_url(value: Optional[str] = None) -> str:
    """The tracker store's SQLAlchemy URL: a URL as given, or a path (TRACKER_DB) as SQLite."""
    value = value or os.environ.get("TRACKER_DB", "") or "var/tracker.db"
    return value if "://" in value else f"sqlite:///{value}"


# --- declined pre-screens: no message text ---------------------------------------------------

def declined(slot_value: Any) -> bool:
    return isinstance(slot_value, dict) and slot_value.get("stage") == DECLINED


def redacted_user_event(data: dict[str, Any]) -> dict[str, Any]:
    """A user event without what the person typed: text, entity values, metadata."""
    data = dict(data)
    data["text"] = REDACTED_TEXT
    parse_data = dict(data.get("parse_data") or {})
    if parse_data:
        parse_data["text"] = REDACTED_TEXT
        parse_data["entities"] = [
            {k: v for k, v in entity.items() if k in ("entity", "start", "end", "extractor", "role", "group")}
            | {"value": REDACTED_TEXT}
            for entity in parse_data.get("entities") or [] if isinstance(entity, dict)
        ]
        parse_data.pop("message_splits", None)
        parse_data.pop("text_tokens", None)  # where the words were: their lengths, not needed
        parse_data.pop("metadata", None)
        data["parse_data"] = parse_data
    data.pop("metadata", None)
    return data


def redact_conversation(conn: Connection, sender_id: str) -> int:
    """Blanks the text of every user message of one conversation; returns how many changed."""
    rows = conn.execute(
        select(EVENTS.c.id, EVENTS.c.data).where(EVENTS.c.sender_id == sender_id, EVENTS.c.type_name == "user")
    ).all()
    changed = 0
    for event_id, raw in rows:
        data = json.loads(raw or "{}")
        clean = redacted_user_event(data)
        if clean != data:
            conn.execute(update(EVENTS).where(EVENTS.c.id == event_id).values(data=json.dumps(clean)))
            changed += 1
    return changed


def _declined_conversations(conn: Connection) -> list[str]:
    """Conversations whose latest pre-screen slot says the person declined."""
    latest: dict[str, Any] = {}
    rows = conn.execute(
        select(EVENTS.c.sender_id, EVENTS.c.data)
        .where(EVENTS.c.type_name == "slot", EVENTS.c.data.contains(f'"{PRESCREEN_SLOT}"'))
        .order_by(EVENTS.c.id)
    )
    for sender_id, raw in rows:
        data = json.loads(raw or "{}")
        if data.get("name") == PRESCREEN_SLOT:
            latest[sender_id] = data.get("value")
    return [sender for sender, value in latest.items() if declined(value)]


# --- the purge ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConversationPurge:
    events: int  # events older than the retention
    conversations: int  # conversations with no event left
    redacted: int  # user messages blanked in declined conversations


def engine_for(url: str) -> Engine:
    return open_engine(url)


def count_old(engine: Engine, days: int, now: Optional[float] = None) -> tuple[int, int]:
    """(events, conversations) older than `days`: what a purge would delete."""
    cutoff = _cutoff(days, now)
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "events"):
            return 0, 0
        events = conn.execute(select(EVENTS.c.id).where(EVENTS.c.timestamp < cutoff)).all()
        return len(events), len(_conversations_all_older(conn, cutoff))


def purge_conversations(engine: Engine, days: int, now: Optional[float] = None) -> ConversationPurge:
    """Deletes events older than `days` days and blanks the texts of declined conversations."""
    cutoff = _cutoff(days, now)
    with engine.begin() as conn:
        if not engine.dialect.has_table(conn, "events"):
            return ConversationPurge(0, 0, 0)
        gone = len(_conversations_all_older(conn, cutoff))
        events = conn.execute(delete(EVENTS).where(EVENTS.c.timestamp < cutoff)).rowcount
        redacted = sum(redact_conversation(conn, sender) for sender in _declined_conversations(conn))
    return ConversationPurge(events, gone, redacted)


def _conversations_all_older(conn: Connection, cutoff: float) -> list[str]:
    newer = select(EVENTS.c.sender_id).where(EVENTS.c.timestamp >= cutoff)
    query = select(EVENTS.c.sender_id).where(EVENTS.c.sender_id.not_in(newer)).distinct()
    return [row[0] for row in conn.execute(query)]


def _cutoff(days: int, now: Optional[float]) -> float:
    if days < 0:
        raise ValueError("days must not be negative")
    return (time.time() if now is None else now) - days * 86400



# --- the servers' logs ----------------------------------------------------------------------

LOG_DIR_VARIABLE = "LOG_DIR"
# A record's time as our servers write it ("2026-12-04 14:53:47 ..."), in local time.
_LOG_TIME_RE = re.compile(rb"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})")


def log_dir(value: Optional[str] = None) -> Path:
    """The servers' log folder: the value given, else LOG_DIR, else var/log."""
    from bot.paths import VAR_DIR

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
