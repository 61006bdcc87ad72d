"""The SQL tracker store, taught to forget (on request, after a "no", after the retention) and
to do only the work a turn needs.

- "Delete my data": deleting rows from inside an action is not enough: Rasa saves the tracker
  it holds in memory after the action, and its SQL store re-inserts every event it no longer
  finds in the table. So the action only marks the request (a slot event) and the store does
  the deletion at save time, storing nothing after it.
- A declined pre-screen: whenever a conversation is saved while its pre-screen slot says the
  person said no, the text of its user messages (with entity values and metadata) is blanked
  in the table; intents stay, so the dialogue goes on (bot.retention).
- Retention: when the Rasa server starts, events older than RETENTION_DAYS (default 90) are
  deleted, and declined conversations saved before are blanked (bot.retention).

What a turn costs (measured under load, README "Speed"): Rasa's own store read every row as
an ORM object, counted the stored events again at every save (twice, with the forget check),
and, on SQLite, opened a new database connection for each of those. Here a read selects only
the events' data, a save inserts the events the tracker gained since it was read (the tracker
remembers how many it was read with; without that, Rasa's count is used), and SQLite keeps its
connections open, tuned as all our stores are (bot/storage/engine.py: WAL, no sync per commit);
rows are read and written with ujson (adapters/fast_json.py).
The database work runs in a thread: a commit waits for the disk (an fsync on SQLite, a round
trip on PostgreSQL), and on the event loop that wait held up every other conversation. The rows
and the order are Rasa's own, so Rasa's store, the purge (bot.storage.tracker_events) and `staff` read them.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Iterable, Optional

import sqlalchemy as sa
import sqlalchemy.orm

from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from adapters import fast_json, lean_rasa
from bot.privacy import log_redaction, private_files, retention
from bot.storage import tracker_events
from bot.storage.engine import pool_options, tuned

logger = logging.getLogger(__name__)

# Rasa loads this module while it builds the server, before it writes or logs anything about
# a conversation: from here on its files are private and its log records redacted.
log_redaction.install()
private_files.make_private()
lean_rasa.install()  # Rasa's per-message waste, removed (adapters/lean_rasa/)

FORGET_SLOT = "forget_conversation"
# How many of a tracker's events are in the table, noted on the tracker when it is read or
# saved; FORGOTTEN when the person asked to forget it (nothing of it is stored again).
_STORED = "_events_in_store"
FORGOTTEN = -1


def _asks_to_forget(events: Iterable[Event]) -> bool:
    return any(isinstance(e, SlotSet) and e.key == FORGET_SLOT and e.value for e in events)


def engine_options(url: sa.engine.URL) -> dict[str, Any]:
    """Rasa's engine options, plus our stores' pool for an SQLite file (bot.storage.engine)."""
    return dict(create_engine_kwargs(url), hide_parameters=True, **pool_options(url))


class ForgetfulSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that erases a sender's whole history on a forget request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        db = kwargs.get("db")
        if isinstance(db, str) and "://" in db:  # TRACKER_DB as a URL (PostgreSQL when scaled out)
            kwargs["host"], kwargs["db"] = db, "rasa.db"  # Rasa takes a URL given as the host
        super().__init__(*args, **kwargs)
        # Rasa's engine logs statement parameters (whole events, with message texts) in its
        # errors; ours, on the same database, never does.
        url = self.engine.url
        self.engine.dispose()
        self.engine = tuned(sa.create_engine(url, **engine_options(url)))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.table: sa.Table = self.SQLEvent.__table__
        days = retention.retention_days()  # a bad RETENTION_DAYS stops the server with the reason
        try:
            purged = tracker_events.purge_conversations(self.engine, days)
        except sa.exc.SQLAlchemyError as error:
            logger.warning("Could not purge old conversations (%s).", type(error).__name__)
        else:
            logger.info("Retention %d days: deleted %d old events (%d conversations); blanked %d "
                        "messages of declined pre-screens.", days, purged.events,
                        purged.conversations, purged.redacted)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        """The conversation (its latest session, as Rasa's), from the events' data alone."""
        query = sa.select(self.table.c.data).where(self.table.c.sender_id == sender_id)
        if not fetch_events_from_all_sessions:
            query = self._in_latest_session(query, sender_id)
        rows = await asyncio.to_thread(self._read, query.order_by(self.table.c.id))
        if not self.domain or not rows:
            return None
        tracker = DialogueStateTracker.from_dict(
            sender_id, [fast_json.loads(row) for row in rows], self.domain.slots
        )
        setattr(tracker, _STORED, len(rows))
        return tracker

    def _read(self, query: sa.sql.Select) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)  # Rasa's event broker, when one is configured
        stored = getattr(tracker, _STORED, None)
        if stored == FORGOTTEN:
            return
        if stored is None:
            stored = await asyncio.to_thread(self._count_stored, tracker.sender_id)
        new = list(tracker.events)[stored:]
        if _asks_to_forget(new):
            deleted = await asyncio.to_thread(self._forget, tracker.sender_id)
            setattr(tracker, _STORED, FORGOTTEN)
            logger.info("Erased a conversation on request (%d events).", deleted)
            return
        rows = [self._row(tracker.sender_id, event) for event in new]
        declined = retention.declined(tracker.get_slot(retention.PRESCREEN_SLOT))
        await asyncio.to_thread(self._write, tracker.sender_id, rows, declined)
        setattr(tracker, _STORED, stored + len(new))

    def _write(self, sender_id: str, rows: list[dict[str, Any]], declined: bool) -> None:
        with self.engine.begin() as conn:
            if rows:
                conn.execute(self.table.insert(), rows)
            if declined:
                tracker_events.redact_conversation(conn, sender_id)

    def _forget(self, sender_id: str) -> int:
        with self.engine.begin() as conn:
            return conn.execute(sa.delete(self.table).where(self.table.c.sender_id == sender_id)).rowcount

    def _in_latest_session(self, query: sa.sql.Select, sender_id: str) -> sa.sql.Select:
        """Only the events from the latest SessionStarted on (all, if none), as Rasa reads them."""
        events = self.table.c
        session_start = (
            sa.select(sa.func.max(events.timestamp))
            .where(events.sender_id == sender_id, events.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        return query.where(sa.or_(events.timestamp >= session_start, session_start.is_(None)))

    def _count_stored(self, sender_id: str) -> int:
        """Events of the latest session in the table: for a tracker this store did not read,
        the events Rasa's own store would count as already saved."""
        query = sa.select(sa.func.count()).select_from(self.table).where(self.table.c.sender_id == sender_id)
        with self.engine.connect() as conn:
            return conn.execute(self._in_latest_session(query, sender_id)).scalar_one()

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict[str, Any]:
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": fast_json.dumps(data),
        }
