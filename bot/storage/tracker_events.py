"""Rasa's tracker store table (SQL `events`, SQLite or PostgreSQL) as Rasa 3.6 makes it, and the
purge of it that enforces the retention (bot/privacy/retention.py):
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
import time
from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, delete, select, update
from sqlalchemy.engine import Connection, Engine

from bot.privacy.retention import PRESCREEN_SLOT, declined, redacted_user_event
from bot.storage.engine import open_engine

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


def tracker_url(value: Optional[str] = None) -> str:
    """The tracker store's SQLAlchemy URL: a URL as given, or a path (TRACKER_DB) as SQLite."""
    value = value or os.environ.get("TRACKER_DB", "") or "var/tracker.db"
    return value if "://" in value else f"sqlite:///{value}"


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
