"""A store that cannot be written (a locked SQLite database) loses no answer and logs none.

A real SQLite file, locked by a real second connection holding a write transaction, as a
staff export or a long purge would; the actions run with real Trackers (tests.unit
.test_prescreen_actions.Person). While it is locked the person is told, kindly, that their
answers are kept in the conversation; once it is free, the next save writes them all.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from actions import records
from actions.deletion import ActionDeleteMyData
from actions.my_answers import ActionShowMyAnswers
from actions.records import STORE_TROUBLE
from bot.prescreen.state import State
from bot.storage.store import ScreeningStore
from tests.faults import locked
from tests.unit.test_prescreen_actions import Person, all_screenings, saved


@pytest.fixture(autouse=True)
def quick_lock_timeout(screening_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # SQLite waits 5 s for a lock by default; the test waits a tenth of that.
    monkeypatch.setenv("SCREENING_DB_URL", f"sqlite:///{screening_db}?timeout=0.2")
    records.store.cache_clear()


def test_answers_given_while_the_store_is_locked_are_kept_and_written_later(
    screening_db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    person = Person().start()
    with locked(f"sqlite:///{screening_db}"):
        person.say("Yes, I agree")  # consent: the record cannot be opened yet
        assert STORE_TROUBLE in person.texts()
        person.say("yes").say("yes")
        assert STORE_TROUBLE in person.texts()
        assert person.slots["prescreen"]["answers"] == {"diagnosed": "yes", "other_causes_ruled_out": "yes"}
        # "show my answers" shows what the conversation holds, and says why.
        person.active_loop, keep = {}, person.active_loop
        person.ask(ActionShowMyAnswers(), "show my answers", "show_my_answers")
        assert "ALS diagnosis: Yes" in person.texts()[0] and STORE_TROUBLE in person.texts()[0]
        person.active_loop = keep
        # Deleting cannot happen now: the person is told so, not that it was done.
        person.ask(ActionDeleteMyData(), "yes", "affirm")
        assert "couldn't delete" in person.texts()[0]
        assert not any(e.get("name") == "forget_conversation" for e in person.events)
    assert all_screenings() == []
    person.active_loop = {"name": "prescreen_form"}
    person.say("about a year and a half ago")  # the store is back: everything is written
    assert STORE_TROUBLE not in person.texts()
    row = saved(person)
    assert row is not None and row.answers == {
        "diagnosed": "yes", "other_causes_ruled_out": "yes",
        # "about" a year and a half is an interval, never a guessed point (bot/understanding/interval.py)
        "weakness_started": {"low": 17.5, "high": 18.5, "low_open": False, "high_open": False}}
    assert person.slots["prescreen"]["screening_id"] == row.id
    # The failures were logged, without the answers or the SQL parameters.
    assert "could not be written (OperationalError)" in caplog.text
    assert "[parameters" not in caplog.text and "diagnosed" not in caplog.text


def test_a_verdict_that_could_not_be_saved_is_saved_at_the_next_look(screening_db: Path) -> None:
    person = Person().start().say("Yes, I agree")
    state = State.from_dict(person.slots["prescreen"])
    with locked(f"sqlite:///{screening_db}"):
        person.answer_all()
        assert any((m["custom"] or {}).get("type") == "eligibility_result" for m in person.messages)
        assert STORE_TROUBLE in person.texts()
    assert saved(person).verdict is None
    person.ask(ActionShowMyAnswers(), "show my answers", "show_my_answers")
    assert person.texts()[0].endswith("\nResult: likely eligible.")
    assert saved(person).verdict == "likely_eligible" and saved(person).id == state.screening_id


def test_a_locked_store_never_logs_sql_parameters(screening_db: Path, caplog: pytest.LogCaptureFixture) -> None:
    """hide_parameters: even when the error itself is logged, the answers are not in it."""
    caplog.set_level(logging.DEBUG)
    store = ScreeningStore(f"sqlite:///{screening_db}?timeout=0.1")
    screening_id = store.start("p_x", "NCT03268603", "rest", "self")
    age = 60 + 7
    with locked(f"sqlite:///{screening_db}"):
        with pytest.raises(Exception) as error:
            store.record_answer(screening_id, "age", age)
    logging.getLogger("test").exception("store failed", exc_info=error.value)
    assert "database is locked" in str(error.value)
    # The answer as a value, not a digit pair that a traceback's line number may hold ("line 367").
    said_67 = re.compile(r"(?<!line )\b67\b")
    assert not said_67.search(str(error.value)) and not said_67.search(caplog.text)
    store.close()
