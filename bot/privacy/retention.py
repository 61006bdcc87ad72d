"""How long conversations, screenings and logs are kept (RETENTION_DAYS, default 90), and what
a conversation whose pre-screen the person declined keeps of its messages: no text.

Rasa keeps every event of a conversation, with each message's text, for ever; nothing in Rasa
3.6 removes them. The purge that enforces this policy works on Rasa's own table
(bot/storage/tracker_events.py); the tracker store blanks a declined conversation at every save
(adapters/tracker_store.py); the servers' logs are purged by bot/privacy/old_logs.py.
"""
from __future__ import annotations

import os
from typing import Any

DEFAULT_RETENTION_DAYS = 90
RETENTION_VARIABLE = "RETENTION_DAYS"
PRESCREEN_SLOT = "prescreen"
DECLINED = "declined"  # bot.prescreen.screening's stage after a "no" to consent
REDACTED_TEXT = ""


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
