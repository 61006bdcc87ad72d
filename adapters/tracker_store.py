"""The SQL tracker store, taught to forget: on request, after a "no", and after the retention.

- "Delete my data": deleting rows from inside an action is not enough: Rasa saves the tracker
  it holds in memory after the action, and its SQL store re-inserts every event it no longer
  finds in the table. So the action only marks the request (a slot event) and the store does
  the deletion at save time, storing nothing after it.
- A declined pre-screen: whenever a conversation is saved while its pre-screen slot says the
  person said no, the text of its user messages (with entity values and metadata) is blanked
  in the table; intents stay, so the dialogue goes on (bot.retention).
- Retention: when the Rasa server starts, events older than RETENTION_DAYS (default 90) are
  deleted, and declined conversations saved before are blanked (bot.retention).
"""
from __future__ import annotations

import logging
from typing import Any, Iterable

import sqlalchemy as sa
import sqlalchemy.orm

from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot import log_redaction, private_files, retention

logger = logging.getLogger(__name__)

# Rasa loads this module while it builds the server, before it writes or logs anything about
# a conversation: from here on its files are private and its log records redacted.
log_redaction.install()
private_files.make_private()

FORGET_SLOT = "forget_conversation"


def _asks_to_forget(events: Iterable[Event]) -> bool:
    return any(isinstance(e, SlotSet) and e.key == FORGET_SLOT and e.value for e in events)


class ForgetfulSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that erases a sender's whole history on a forget request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rasa's engine logs statement parameters (whole events, with message texts) in its
        # errors; ours, on the same database, never does.
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, hide_parameters=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        days = retention.retention_days()  # a bad RETENTION_DAYS stops the server with the reason
        try:
            purged = retention.purge_conversations(self.engine, days)
        except sa.exc.SQLAlchemyError as error:
            logger.warning("Could not purge old conversations (%s).", type(error).__name__)
        else:
            logger.info("Retention %d days: deleted %d old events (%d conversations); blanked %d "
                        "messages of declined pre-screens.", days, purged.events,
                        purged.conversations, purged.redacted)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if not _asks_to_forget(self._unsaved_events(tracker)):
            await super().save(tracker)
            if retention.declined(tracker.get_slot(retention.PRESCREEN_SLOT)):
                with self.session_scope() as session:
                    retention.redact_conversation(session.connection(), tracker.sender_id)
                    session.commit()
            return
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == tracker.sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
        logger.info("Erased a conversation on request (%d events).", deleted)

    def _unsaved_events(self, tracker: DialogueStateTracker) -> list[Event]:
        with self.session_scope() as session:
            return list(self._additional_events(session, tracker))
