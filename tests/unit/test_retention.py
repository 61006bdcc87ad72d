"""Retention of the conversation history (Rasa's tracker store) on SQLite and PostgreSQL.

The conversations are saved by the project's tracker store (Rasa's SQLTrackerStore,
adapters/tracker_store.py) into a real SQLite file or a throwaway PostgreSQL schema, and
purged with the staff CLI as staff run it, or by the store itself when Rasa starts.
"""
from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from adapters.tracker_store import ForgetfulSQLTrackerStore
from bot.privacy import retention
from bot.storage import tracker_events
from staff import cli
from tests.unit.trackers import TRACKER_DOMAIN as DOMAIN

DAY = 86400.0
NOW = time.time()


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    monkeypatch.setenv("SCREENING_DB_URL", f"sqlite:///{tmp_path / 'none.db'}")  # no screenings


def store_on(url: str) -> ForgetfulSQLTrackerStore:
    return ForgetfulSQLTrackerStore(domain=DOMAIN, host=url)


def store_keeping_all(url: str) -> ForgetfulSQLTrackerStore:
    """The store as Rasa makes it, but with a retention long enough to keep what a test sets up
    (the store purges at start-up)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RETENTION_DAYS", "100000")
        return store_on(url)


def said(text: str, intent: str, age_days: float, entities: Any = None) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.99}, entities or [],
                       timestamp=NOW - age_days * DAY)


def save(url: str, sender: str, *events: Any) -> None:
    store = store_keeping_all(url)
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, list(events))))
    store.engine.dispose()


def stored(url: str) -> list[tuple[str, str, dict]]:
    engine = create_engine(url, future=True)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT sender_id, type_name, data FROM events ORDER BY id")).all()
    engine.dispose()
    return [(sender, kind, json.loads(data)) for sender, kind, data in rows]


def user_texts(url: str, sender: str) -> list[str]:
    return [d["text"] for s, kind, d in stored(url) if s == sender and kind == "user"]


def test_staff_purge_deletes_old_events_and_conversations_whose_last_event_is_older(
    tracker_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    save(tracker_url, "rest:old", said("my dad has ALS", "inform", 120), ActionExecuted("action_listen", timestamp=NOW - 119 * DAY))
    save(tracker_url, "rest:both", said("is it recruiting", "greet", 100), said("thanks", "greet", 2))
    save(tracker_url, "rest:new", said("hello", "greet", 1))
    assert cli.main(["purge", "--tracker-db", tracker_url, "--yes"]) == 0  # RETENTION_DAYS: 90 by default
    out = capsys.readouterr().out
    assert "deleted 3 events (1 whole conversation)" in out
    assert {s for s, _, _ in stored(tracker_url)} == {"rest:both", "rest:new"}
    assert user_texts(tracker_url, "rest:both") == ["thanks"]
    # A conversation that lost its oldest events still loads.
    tracker = asyncio.run(store_keeping_all(tracker_url).retrieve("rest:both"))
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["thanks"]


def test_the_retention_comes_from_retention_days(
    tracker_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    save(tracker_url, "rest:a", said("hi", "greet", 10))
    save(tracker_url, "rest:b", said("hi", "greet", 3))
    monkeypatch.setenv("RETENTION_DAYS", "7")
    assert cli.main(["purge", "--tracker-db", tracker_url, "--yes"]) == 0
    assert {s for s, _, _ in stored(tracker_url)} == {"rest:b"}
    monkeypatch.setenv("RETENTION_DAYS", "a week")
    assert cli.main(["purge", "--tracker-db", tracker_url, "--yes"]) == 1
    assert "RETENTION_DAYS='a week' is not a whole number of days" in capsys.readouterr().err


def test_the_store_purges_when_rasa_starts(tracker_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    save(tracker_url, "rest:old", said("my diagnosis", "inform", 40))
    save(tracker_url, "rest:new", said("hello", "greet", 1))
    monkeypatch.setenv("RETENTION_DAYS", "30")
    store_on(tracker_url).engine.dispose()  # Rasa makes its tracker store at start-up
    assert {s for s, _, _ in stored(tracker_url)} == {"rest:new"}


def declined_conversation(url: str, sender: str) -> None:
    medicine = [{"entity": "medication", "value": "riluzole", "start": 8, "end": 16}]
    save(url, sender,
         said("I'm 54, taking riluzole, can I join?", "check_eligibility", 0.01, medicine),
         SlotSet("prescreen", {"stage": "consent", "answers": {}}))
    save(url, sender,
         said("I'm 54, taking riluzole, can I join?", "check_eligibility", 0.01, medicine),
         SlotSet("prescreen", {"stage": "consent", "answers": {}}),
         said("no, I'd rather not, my breathing is bad", "deny", 0.005),
         SlotSet("prescreen", {"stage": "declined", "answers": {}}))


def test_a_declined_pre_screen_keeps_no_message_text_once_saved(tracker_url: str) -> None:
    declined_conversation(tracker_url, "rest:declined")
    save(tracker_url, "rest:other", said("my mother is 71", "inform", 0.01))
    assert user_texts(tracker_url, "rest:declined") == ["", ""]
    rows = [d for s, kind, d in stored(tracker_url) if s == "rest:declined" and kind == "user"]
    # Timestamps are left out: one like 1796176246.54 holds "54" by chance.
    kept = json.dumps([{k: v for k, v in row.items() if k != "timestamp"} for row in rows])
    assert "riluzole" not in kept and "54" not in kept
    assert [d["parse_data"]["intent"]["name"] for d in rows] == ["check_eligibility", "deny"]
    assert user_texts(tracker_url, "rest:other") == ["my mother is 71"]  # no pre-screen declined
    # The conversation still loads and goes on.
    tracker = asyncio.run(store_keeping_all(tracker_url).retrieve("rest:declined"))
    assert tracker.get_slot("prescreen")["stage"] == "declined"
    assert tracker.latest_message.intent["name"] == "deny"


def test_the_purge_blanks_declined_conversations_saved_before(tracker_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Conversations saved by Rasa's own store (before this one) are blanked by the purge."""
    from rasa.core.tracker_store import SQLTrackerStore

    plain = SQLTrackerStore(domain=DOMAIN, host=tracker_url)
    asyncio.run(plain.save(DialogueStateTracker.from_events("rest:earlier", [
        said("I have ALS since 2021", "inform", 0.5), SlotSet("prescreen", {"stage": "declined"})])))
    plain.engine.dispose()
    assert user_texts(tracker_url, "rest:earlier") == ["I have ALS since 2021"]
    assert cli.main(["purge", "--tracker-db", tracker_url, "--yes"]) == 0
    assert "blanked 1 message of declined pre-screens" in capsys.readouterr().out
    assert user_texts(tracker_url, "rest:earlier") == [""]


def test_retention_days_default_and_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    assert retention.retention_days() == 90
    monkeypatch.setenv("RETENTION_DAYS", "0")
    with pytest.raises(retention.RetentionError, match="1 or more"):
        retention.retention_days()
    assert tracker_events.tracker_url("var/tracker.db") == "sqlite:///var/tracker.db"
    assert tracker_events.tracker_url("postgresql://u@h/db") == "postgresql://u@h/db"


def test_the_purge_covers_the_servers_logs(tmp_path: Path, tracker_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Log files last written before the retention go; older records leave the others."""
    import os
    from datetime import datetime, timedelta

    logs = tmp_path / "log"
    logs.mkdir()
    old, recent = datetime.now() - timedelta(days=100), datetime.now() - timedelta(days=1)
    stamp = "%Y-%m-%d %H:%M:%S"
    stale = logs / "actions-shell.log"
    stale.write_text(f"{old:{stamp}} INFO started\n")
    os.utime(stale, (old.timestamp(), old.timestamp()))
    live = logs / "rasa.log"
    live.write_text(f"{old:{stamp}} ERROR old failure\nTraceback (most recent call last):\n  old frame\n"
                    f"{recent:{stamp}} INFO recent start\n  its detail\n")
    outside = tmp_path / "not-a-log.txt"
    outside.write_text(f"{old:{stamp}} kept\n")
    (logs / "link.log").symlink_to(outside)

    assert cli.main(["purge", "--tracker-db", tracker_url, "--log-dir", str(logs), "--yes"]) == 0
    assert not stale.exists()
    assert live.read_text() == f"{recent:{stamp}} INFO recent start\n  its detail\n"
    assert outside.read_text() == f"{old:{stamp}} kept\n"  # never through a link
    assert "deleted or trimmed 2 files" in capsys.readouterr().out
