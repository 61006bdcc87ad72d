"""Platform message ids already accepted, so a replayed webhook call is not taken twice.

Twilio signs a call with its URL and form, with no time in it: a call recorded once (a proxy
log, a browser's developer tools) stays valid for ever and could be sent again to answer,
or delete data, as that person. Each Twilio MessageSid is accepted once; a second call with
it is ignored. Ids are kept (as SHA-256 hashes) for RETENTION_DAYS, past which the
conversation they belonged to is purged anyway.

SQLite by default (var/seen_messages.db); SEEN_MESSAGES_DB_URL for a shared database when
several Rasa processes serve the webhook.
"""
from __future__ import annotations

import hashlib
import os
import threading
from datetime import datetime, timedelta
from typing import Callable, Optional

from sqlalchemy import Column, DateTime, MetaData, String, Table, delete, insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.privacy import retention
from bot.paths import VAR_DIR
from bot.storage.engines import open_engine
from bot.storage.store import utcnow

_metadata = MetaData()
SEEN = Table(
    "seen_messages", _metadata,
    Column("channel", String(32), primary_key=True),
    Column("message_hash", String(64), primary_key=True),
    Column("seen_at", DateTime, nullable=False, index=True),
)


def default_url() -> str:
    url = os.environ.get("SEEN_MESSAGES_DB_URL", "")
    if url:
        return url
    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'seen_messages.db'}"


class SeenMessages:
    def __init__(self, url: Optional[str] = None, keep_days: Optional[int] = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._url = url
        self._keep = timedelta(days=keep_days if keep_days is not None else retention.retention_days())
        self._clock = clock
        self._engine_: Optional[Engine] = None
        self._lock = threading.Lock()

    def _engine(self) -> Engine:
        with self._lock:
            if self._engine_ is None:
                engine = open_engine(self._url or default_url())
                _metadata.create_all(engine)
                self._engine_ = engine
            return self._engine_

    def first_time(self, channel: str, message_id: str) -> bool:
        """True the first time this id is offered (and notes it), False ever after."""
        now = self._clock().replace(tzinfo=None)
        digest = hashlib.sha256(message_id.encode("utf-8")).hexdigest()
        engine = self._engine()
        try:
            with engine.begin() as conn:
                conn.execute(insert(SEEN).values(channel=channel, message_hash=digest, seen_at=now))
        except IntegrityError:
            return False
        with engine.begin() as conn:  # expired ids go, so the table stays small
            conn.execute(delete(SEEN).where(SEEN.c.seen_at < now - self._keep))
        return True

    def close(self) -> None:
        with self._lock:
            if self._engine_ is not None:
                self._engine_.dispose()
                self._engine_ = None
