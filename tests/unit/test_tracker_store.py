"""The project's tracker store keeps conversations exactly as Rasa's own SQL store does, on SQLite
and PostgreSQL, while doing less work per turn (adapters/tracker_store.py).

What a person would notice if it went wrong: a conversation that forgets or repeats what was
said, an old session coming back, or "delete my data" leaving something behind.
"""
from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from adapters.tracker_store import ForgetfulSQLTrackerStore
from tests.unit.trackers import TRACKER_DOMAIN as DOMAIN



@pytest.fixture
def store(tracker_url: str) -> Iterator[ForgetfulSQLTrackerStore]:
    made = ForgetfulSQLTrackerStore(domain=DOMAIN, host=tracker_url)
    yield made
    made.engine.dispose()


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def said(text: str, intent: str = "inform", at: float | None = None) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.9}, timestamp=at or time.time())


def turn(tracker: DialogueStateTracker, text: str, answer: str) -> None:
    tracker.update_with_events([said(text), ActionExecuted("utter_x"), BotUttered(answer),
                                ActionExecuted("action_listen")], DOMAIN)


def rows(tracker_url: str) -> list[tuple[str, str]]:
    engine = sa.create_engine(tracker_url, future=True)
    with engine.connect() as conn:
        found = conn.execute(sa.text("SELECT sender_id, type_name FROM events ORDER BY id")).all()
    engine.dispose()
    return [tuple(row) for row in found]


def texts(tracker: DialogueStateTracker) -> list[str]:
    return [e.text for e in tracker.events if isinstance(e, (UserUttered, BotUttered))]


def test_turn_after_turn_each_event_is_stored_once_and_read_back_in_order(
    store: ForgetfulSQLTrackerStore, tracker_url: str
) -> None:
    tracker = run(store.get_or_create_tracker("rest:ann"))
    for n in range(5):
        turn(tracker, f"question {n}", f"answer {n}")
        run(store.save(tracker))
        tracker = run(store.retrieve("rest:ann"))
    assert texts(tracker) == [t for n in range(5) for t in (f"question {n}", f"answer {n}")]
    assert len(rows(tracker_url)) == len(tracker.events)  # nothing stored twice
    # Rasa's own store reads the same conversation from the same table.
    rasas = SQLTrackerStore(domain=DOMAIN, host=tracker_url)
    assert list(run(rasas.retrieve("rest:ann")).events) == list(tracker.events)
    rasas.engine.dispose()


def test_a_tracker_it_did_not_read_is_saved_as_rasas_store_saves_it(
    store: ForgetfulSQLTrackerStore, tracker_url: str
) -> None:
    events = [said("hi", "greet"), ActionExecuted("action_listen")]
    run(store.save(DialogueStateTracker.from_events("rest:bo", events)))
    # A second tracker object holding the same events and one more: only the new one is added.
    run(store.save(DialogueStateTracker.from_events("rest:bo", [*events, said("and you?")])))
    assert [kind for _, kind in rows(tracker_url)] == ["user", "action", "user"]


def test_only_the_latest_session_comes_back(store: ForgetfulSQLTrackerStore) -> None:
    old = time.time() - 7200
    tracker = DialogueStateTracker.from_events("rest:cy", [
        SessionStarted(timestamp=old), said("last week's question", at=old + 1),
        SessionStarted(timestamp=old + 3600), said("today's question", at=old + 3601),
    ])
    run(store.save(tracker))
    assert texts(run(store.retrieve("rest:cy"))) == ["today's question"]
    assert texts(run(store.retrieve_full_tracker("rest:cy"))) == ["last week's question", "today's question"]


def test_conversations_stay_apart(store: ForgetfulSQLTrackerStore) -> None:
    for sender in ("rest:a", "rest:b"):
        tracker = run(store.get_or_create_tracker(sender))
        turn(tracker, f"I am {sender}", "ok")
        run(store.save(tracker))
    assert texts(run(store.retrieve("rest:a"))) == ["I am rest:a", "ok"]
    assert run(store.retrieve("rest:nobody")) is None


def test_delete_my_data_erases_the_conversation_and_stores_nothing_after_it(
    store: ForgetfulSQLTrackerStore, tracker_url: str
) -> None:
    tracker = run(store.get_or_create_tracker("rest:dee"))
    turn(tracker, "my mother is 71", "Got it")
    run(store.save(tracker))
    tracker = run(store.retrieve("rest:dee"))
    tracker.update_with_events([said("delete my data"), SlotSet("forget_conversation", True),
                                BotUttered("Deleted.")], DOMAIN)
    run(store.save(tracker))
    assert rows(tracker_url) == []
    tracker.update(BotUttered("anything else?"))
    run(store.save(tracker))  # the same turn saved again: still nothing
    assert rows(tracker_url) == []
    assert run(store.retrieve("rest:dee")) is None


def test_sqlite_keeps_its_connections_and_writes_ahead(tmp_path: Path) -> None:
    """So the staff CLI and the purge can read while the server writes, and a turn does not
    open the file again."""
    store = ForgetfulSQLTrackerStore(domain=DOMAIN, host=f"sqlite:///{tmp_path / 'tracker.db'}")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert isinstance(store.engine.pool, sa.pool.QueuePool)
    store.engine.dispose()
