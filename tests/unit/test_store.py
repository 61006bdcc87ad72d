"""The screening store on real databases: an SQLite file, and PostgreSQL on loopback.

Every store test runs on both (the fixtures are in conftest.py), because the deployment
switches from one to the other by URL and JSON columns and timestamps are where the two differ.
"""
from __future__ import annotations

import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import pytest
from sqlalchemy import create_engine, inspect

from bot.paths import REPO_ROOT
from bot.storage import store as store_module
from bot.privacy import pseudonyms
from bot.privacy.pseudonyms import pseudonym_for
from bot.storage.store import ScreeningNotFound, ScreeningStore
from tests.unit.databases import START, Clock

STATUSES = {
    "age": {"status": "pass", "reason": "Age 54 is between 50 and 80."},
    "stroke_time": {"status": "unknown", "reason": "We do not know when the stroke was."},
}

SECRET = "test-secret-0123456789abcdef0123456789abcdef"  # 32 bytes or more, as required


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCREENING_ID_SECRET", SECRET)


def _has_table(url: str) -> bool:
    engine = create_engine(url, future=True)
    try:
        return inspect(engine).has_table("screenings")
    finally:
        engine.dispose()


# --- pseudonyms ---------------------------------------------------------------------------

def test_pseudonym_is_stable_short_and_hides_the_raw_id(secret: None) -> None:
    sender = "twilio:+15551234567"
    first = pseudonym_for(sender)
    assert first == pseudonym_for(sender)
    assert first.startswith("p_") and len(first) == 26
    int(first[2:], 16)  # hex
    assert "5551234567" not in first


def test_pseudonym_differs_by_channel_sender_and_secret(monkeypatch: pytest.MonkeyPatch, secret: None) -> None:
    base = pseudonym_for("telegram:42")
    assert base != pseudonym_for("rest:42")
    assert base != pseudonym_for("telegram:43")
    monkeypatch.setenv("SCREENING_ID_SECRET", "another-secret-0123456789abcdef0123456789")
    assert base != pseudonym_for("telegram:42")


def test_a_sender_that_names_another_channel_is_not_that_channels_person(secret: None) -> None:
    """Only the namespace the server put first counts: "rest:twilio:+1555" is a REST client."""
    sms_person = pseudonym_for("twilio:+15551234567")
    assert pseudonym_for("rest:twilio:+15551234567") != sms_person
    assert pseudonym_for("rest:+15551234567") != sms_person
    assert pseudonym_for("socketio:twilio:+15551234567") != sms_person
    # An id no channel of ours made (Rasa's own channels) is apart from every channel.
    assert pseudonym_for("+15551234567") != sms_person
    assert pseudonym_for("unknown:+15551234567") != sms_person


def test_answers_stored_before_ids_were_namespaced_keep_their_pseudonym(secret: None) -> None:
    """The pseudonym was an HMAC of channel, NUL, platform id; a person's old answers stay theirs."""
    import hashlib
    import hmac

    before = "p_" + hmac.new(SECRET.encode(), b"twilio\x00+15551234567", hashlib.sha256).hexdigest()[:24]
    assert pseudonym_for("twilio:+15551234567") == before


def test_without_env_secret_a_private_secret_file_is_made_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SCREENING_ID_SECRET", raising=False)
    monkeypatch.setattr(pseudonyms, "VAR_DIR", tmp_path / "var")
    first = pseudonym_for("telegram:42")
    secret_file = tmp_path / "var" / "pseudonym.secret"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    kept = secret_file.read_text()
    # A restart reads the same file, so the same person gets the same pseudonym.
    assert pseudonym_for("telegram:42") == first
    assert secret_file.read_text() == kept
    assert [p.name for p in secret_file.parent.iterdir()] == ["pseudonym.secret"]


# --- the store, on both databases ------------------------------------------------------------

def test_tables_are_created_on_first_use_not_before(db_url: str, make_store: Callable[..., ScreeningStore]) -> None:
    store = make_store()
    assert not _has_table(db_url)
    assert store.current("p_nobody", "NCT03268603") is None
    assert _has_table(db_url)


def test_answers_round_trip_with_their_types(make_store: Callable[..., ScreeningStore]) -> None:
    clock = Clock()
    store = make_store(clock)
    consent = datetime(2024, 3, 1, 11, 29, tzinfo=timezone(timedelta(hours=2)))
    sid = store.start("p_ann", "NCT03268603", "rest", "self", consent_at=consent)
    store.record_answer(sid, "age", 54)
    store.record_answer(sid, "weight_kg", 81.5)
    store.record_answer(sid, "stroke_type", "ischemic")
    store.record_answer(sid, "months_since_stroke", 1)
    clock.advance(minutes=3)
    store.record_answer(sid, "months_since_stroke", 9)  # a correction
    store.record_answer(sid, "smoker", "yes")
    store.remove_answer(sid, "smoker")
    store.remove_answer(sid, "never_asked")

    got = store.current("p_ann", "NCT03268603")
    assert got is not None and got.id == sid
    assert got.answers == {"age": 54, "weight_kg": 81.5, "stroke_type": "ischemic", "months_since_stroke": 9}
    assert [type(got.answers[k]) for k in ("age", "weight_kg", "stroke_type")] == [int, float, str]
    assert (got.subject, got.channel, got.verdict, got.statuses, got.finished_at) == ("self", "rest", None, None, None)
    assert got.consent_at == consent and got.consent_at.tzinfo == timezone.utc
    assert got.created_at == START and got.updated_at == START + timedelta(minutes=3)


def test_finish_keeps_statuses_and_verdict(make_store: Callable[..., ScreeningStore]) -> None:
    clock = Clock()
    store = make_store(clock)
    sid = store.start("p_ann", "NCT03268603", "telegram", "other")
    store.record_answer(sid, "age", 54)
    clock.advance(minutes=5)
    store.finish(sid, STATUSES, "needs_review")

    got = store.current("p_ann", "NCT03268603")
    assert got is not None
    assert got.statuses == STATUSES and got.verdict == "needs_review"
    assert got.finished_at == got.updated_at == START + timedelta(minutes=5)
    assert got.finished_at.tzinfo == timezone.utc
    assert got.consent_at == START  # starting a screening is what follows consent


def test_a_changed_answer_withdraws_the_verdict_but_the_same_answer_does_not(
    make_store: Callable[..., ScreeningStore],
) -> None:
    store = make_store()
    sid = store.start("p_ann", "NCT03268603", "rest", "self")
    store.record_answer(sid, "age", 54)
    store.finish(sid, STATUSES, "needs_review")
    store.record_answer(sid, "age", 54)
    assert store.current("p_ann", "NCT03268603").verdict == "needs_review"
    store.record_answer(sid, "age", 54.0)  # equal in Python, but not what was stored
    reopened = store.current("p_ann", "NCT03268603")
    assert reopened.answers == {"age": 54.0} and type(reopened.answers["age"]) is float
    assert (reopened.verdict, reopened.statuses, reopened.finished_at) == (None, None, None)


def test_current_is_the_latest_screening_and_history_is_kept(make_store: Callable[..., ScreeningStore]) -> None:
    clock = Clock()
    store = make_store(clock)
    old = store.start("p_ann", "NCT03268603", "rest", "self")
    store.finish(old, STATUSES, "likely_not_eligible")
    clock.advance(days=1)
    new = store.start("p_ann", "NCT03268603", "rest", "self")
    assert store.current("p_ann", "NCT03268603").id == new
    assert store.current("p_ann", "NCT00000000") is None
    assert store.current("p_bob", "NCT03268603") is None
    assert [s.id for s in store.list_screenings()] == [old, new]


def test_answers_survive_a_restart(make_store: Callable[..., ScreeningStore]) -> None:
    sid = make_store().start("p_ann", "NCT03268603", "rest", "self")
    first = make_store()
    first.record_answer(sid, "age", 54)
    first.record_answer(sid, "weight_kg", 81.5)
    first.record_answer(sid, "stroke_type", "ischemic")
    first.close()

    got = make_store().current("p_ann", "NCT03268603")
    assert got.answers == {"age": 54, "weight_kg": 81.5, "stroke_type": "ischemic"}
    assert type(got.answers["weight_kg"]) is float and type(got.answers["age"]) is int


def test_delete_person_removes_only_that_persons_rows(make_store: Callable[..., ScreeningStore]) -> None:
    store = make_store()
    for trial in ("NCT03268603", "NCT03268603", "NCT00000000"):
        store.start("p_ann", trial, "rest", "self")
    bob = store.start("p_bob", "NCT03268603", "rest", "self")
    store.record_answer(bob, "age", 61)

    assert store.delete_person("p_ann") == 3
    assert store.current("p_ann", "NCT03268603") is None
    assert store.current("p_ann", "NCT00000000") is None
    assert store.current("p_bob", "NCT03268603").answers == {"age": 61}
    assert store.delete_person("p_ann") == 0


def test_purge_older_than_removes_only_old_screenings(make_store: Callable[..., ScreeningStore]) -> None:
    clock = Clock()
    store = make_store(clock)
    old = store.start("p_ann", "NCT03268603", "rest", "self")
    clock.advance(days=20)
    recent = store.start("p_bob", "NCT03268603", "rest", "self")
    clock.advance(days=15)  # old is 35 days old, recent 15

    assert store.purge_older_than(30) == 1
    assert [s.id for s in store.list_screenings()] == [recent]
    assert store.purge_older_than(30) == 0
    assert old not in {s.id for s in store.list_screenings()}
    with pytest.raises(ValueError):
        store.purge_older_than(-1)


def test_list_screenings_filters_by_trial_and_time(make_store: Callable[..., ScreeningStore]) -> None:
    clock = Clock()
    store = make_store(clock)
    first = store.start("p_ann", "NCT03268603", "rest", "self")
    clock.advance(hours=1)
    other_trial = store.start("p_ann", "NCT00000000", "rest", "self")
    clock.advance(hours=1)
    last = store.start("p_bob", "NCT03268603", "rest", "self")

    def ids(**filters: object) -> list[str]:
        return [s.id for s in store.list_screenings(**filters)]

    assert ids(trial_id="NCT03268603") == [first, last]
    assert ids(since=START + timedelta(hours=1)) == [other_trial, last]
    assert ids(until=START + timedelta(hours=1)) == [first]
    # Another offset names the same instant.
    assert ids(since=datetime(2024, 3, 1, 4, 30, tzinfo=timezone(timedelta(hours=-6)))) == [other_trial, last]
    assert ids(trial_id="NCT03268603", since=START, until=START + timedelta(hours=2)) == [first]


def test_bad_input_is_refused(make_store: Callable[..., ScreeningStore]) -> None:
    store = make_store()
    with pytest.raises(ValueError):
        store.start("p_ann", "NCT03268603", "rest", "someone")
    sid = store.start("p_ann", "NCT03268603", "rest", "self")
    with pytest.raises(ValueError):
        store.finish(sid, STATUSES, "eligible")
    with pytest.raises(ScreeningNotFound):
        store.record_answer("0" * 32, "age", 54)
    with pytest.raises(ScreeningNotFound):
        store.finish("0" * 32, STATUSES, "needs_review")
    store.delete_person("p_ann")
    with pytest.raises(ScreeningNotFound):  # deleted mid-conversation
        store.remove_answer(sid, "age")


# --- where the store lives by default --------------------------------------------------------

def test_default_is_an_sqlite_file_under_var(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SCREENING_DB_URL", raising=False)
    monkeypatch.setattr(store_module, "VAR_DIR", tmp_path / "var")
    store = ScreeningStore()
    assert not (tmp_path / "var").exists()  # nothing happens until first use
    try:
        store.start("p_ann", "NCT03268603", "rest", "self")
    finally:
        store.close()
    assert (tmp_path / "var" / "screenings.db").is_file()


def test_the_url_comes_from_the_environment_at_first_use(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    store = ScreeningStore()  # made before the variable is set, as at import time
    monkeypatch.setenv("SCREENING_DB_URL", f"sqlite:///{tmp_path / 'elsewhere.db'}")
    try:
        store.start("p_ann", "NCT03268603", "rest", "self")
    finally:
        store.close()
    assert (tmp_path / "elsewhere.db").is_file()


# --- hand-off requests, on both databases ------------------------------------------------------

def test_handoff_requests_are_kept_with_reason_and_listed_by_trial_and_time(
    make_store: Callable[..., ScreeningStore],
) -> None:
    clock = Clock()
    store = make_store(clock)
    asked = store.record_handoff("p_ann", "NCT03268603", "rest", "asked", during_prescreen=True)
    clock.advance(hours=1)
    other_trial = store.record_handoff("p_ann", "NCT00000000", "rest", "asked", during_prescreen=False)
    clock.advance(hours=1)
    missed = store.record_handoff("p_bob", "NCT03268603", "telegram", "repeated_failure", during_prescreen=False)

    got = store.list_handoffs()
    assert [h.id for h in got] == [asked, other_trial, missed]
    first = got[0]
    assert (first.pseudonym, first.trial_id, first.channel, first.reason) == ("p_ann", "NCT03268603", "rest", "asked")
    assert first.during_prescreen is True and got[2].during_prescreen is False
    assert first.created_at == START and first.created_at.tzinfo == timezone.utc

    def ids(**filters: object) -> list[str]:
        return [h.id for h in store.list_handoffs(**filters)]

    assert ids(trial_id="NCT03268603") == [asked, missed]
    assert ids(since=START + timedelta(hours=1)) == [other_trial, missed]
    assert ids(until=START + timedelta(hours=1)) == [asked]
    with pytest.raises(ValueError):
        store.record_handoff("p_ann", "NCT03268603", "rest", "bored", during_prescreen=False)
    assert len(store.list_handoffs()) == 3


def test_a_handoff_request_keeps_no_message_text(db_url: str, make_store: Callable[..., ScreeningStore]) -> None:
    make_store().record_handoff("p_ann", "NCT03268603", "rest", "asked", during_prescreen=False)
    engine = create_engine(db_url, future=True)
    try:
        columns = {c["name"] for c in inspect(engine).get_columns("handoff_requests")}
    finally:
        engine.dispose()
    assert columns == {"id", "pseudonym", "trial_id", "channel", "reason", "during_prescreen", "created_at"}


def test_purge_removes_only_old_handoff_requests(make_store: Callable[..., ScreeningStore]) -> None:
    clock = Clock()
    store = make_store(clock)
    store.record_handoff("p_ann", "NCT03268603", "rest", "asked", during_prescreen=False)
    screening = store.start("p_ann", "NCT03268603", "rest", "self")
    clock.advance(days=20)
    recent = store.record_handoff("p_bob", "NCT03268603", "rest", "repeated_failure", during_prescreen=False)
    clock.advance(days=15)

    assert store.purge_handoffs_older_than(30) == 1
    assert [h.id for h in store.list_handoffs()] == [recent]
    assert [s.id for s in store.list_screenings()] == [screening]  # screenings have their own purge
    with pytest.raises(ValueError):
        store.purge_handoffs_older_than(-1)


def test_delete_person_also_removes_their_handoff_requests(make_store: Callable[..., ScreeningStore]) -> None:
    store = make_store()
    store.start("p_ann", "NCT03268603", "rest", "self")
    store.record_handoff("p_ann", "NCT03268603", "rest", "asked", during_prescreen=True)
    store.record_handoff("p_ann", "NCT03268603", "rest", "repeated_failure", during_prescreen=False)
    bob = store.record_handoff("p_bob", "NCT03268603", "rest", "asked", during_prescreen=False)

    assert store.delete_person("p_ann") == 3
    assert [h.id for h in store.list_handoffs()] == [bob]
    assert store.current("p_ann", "NCT03268603") is None


# --- the pseudonym secret: long enough, and kept apart from the data ------------------------

def test_a_secret_shorter_than_32_bytes_is_refused_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCREENING_ID_SECRET", "x" * 31)
    with pytest.raises(pseudonyms.SecretTooShort, match=r"SCREENING_ID_SECRET is 31 bytes; it must be at least 32"):
        pseudonym_for("telegram:42")
    monkeypatch.setenv("SCREENING_ID_SECRET", "é" * 16)  # 32 bytes in UTF-8: enough
    assert pseudonym_for("telegram:42").startswith("p_")


def test_the_secret_can_live_in_a_file_outside_var(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SCREENING_ID_SECRET", raising=False)
    monkeypatch.setattr(pseudonyms, "VAR_DIR", tmp_path / "var")
    secret_file = tmp_path / "etc" / "trial-assistant.secret"
    secret_file.parent.mkdir()
    secret_file.write_text(SECRET + "\n")
    monkeypatch.setenv("SCREENING_ID_SECRET_FILE", str(secret_file))
    from_file = pseudonym_for("telegram:42")
    monkeypatch.setenv("SCREENING_ID_SECRET", SECRET)
    assert pseudonym_for("telegram:42") == from_file  # the same secret, wherever it is kept
    assert not (tmp_path / "var").exists()  # nothing made beside the data
    monkeypatch.delenv("SCREENING_ID_SECRET")
    secret_file.write_text("short\n")
    with pytest.raises(pseudonyms.SecretTooShort, match="SCREENING_ID_SECRET_FILE"):
        pseudonym_for("telegram:42")


def test_the_action_server_refuses_to_start_with_a_short_secret() -> None:
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import actions"], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "SCREENING_ID_SECRET": "too-short"})
    assert done.returncode != 0
    assert "SCREENING_ID_SECRET is 9 bytes; it must be at least 32 bytes" in done.stderr


def test_the_action_server_waits_for_a_call_as_long_as_rasa_waits_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sanic's 60-second timeouts dropped queued calls under load (bench/prescreens.py)."""
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "t" * 32)
    from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
    from sanic import Sanic

    from actions.action_server import ActionServerSetup

    app = Sanic("timeouts_check")
    ActionServerSetup().attach_sanic_app_extensions(app)
    assert app.config.REQUEST_TIMEOUT >= DEFAULT_REQUEST_TIMEOUT
    assert app.config.RESPONSE_TIMEOUT >= DEFAULT_REQUEST_TIMEOUT
    assert app.config.KEEP_ALIVE_TIMEOUT >= DEFAULT_REQUEST_TIMEOUT
