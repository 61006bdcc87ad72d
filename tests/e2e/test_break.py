"""A break loses nothing: after an idle hour Rasa starts a new session, and the unfinished
pre-screen is offered back.

The hour is not waited for: the conversation's events are moved two hours into the past in
the tracker store (the same SQLite file the running Rasa server reads on every message), so
the next message arrives after a real session expiry.
"""
from __future__ import annotations

import json
import sqlite3
import uuid

from tests.e2e.conftest import text_of
from tests.e2e.test_prescreen import button_titles

TWO_HOURS = 2 * 3600


def age_conversation(tracker_db, sender_id: str, seconds: int) -> None:
    """Moves every stored event of this conversation `seconds` into the past."""
    with sqlite3.connect(tracker_db) as db:
        rows = db.execute("SELECT id, timestamp, data FROM events WHERE sender_id = ?", (sender_id,)).fetchall()
        assert rows, f"no stored events for {sender_id}"
        for row_id, stamp, data in rows:
            event = json.loads(data)
            event["timestamp"] = event["timestamp"] - seconds
            db.execute("UPDATE events SET timestamp = ?, data = ? WHERE id = ?",
                       (stamp - seconds, json.dumps(event), row_id))


def test_after_an_idle_hour_the_unfinished_pre_screen_is_offered_back_and_goes_on(chat, servers) -> None:
    sender = f"break-{uuid.uuid4().hex}"
    # "Can my wife join?" is answered with the real status and an offer of the pre-screen; "yes" takes it.
    for message in ("can my wife join the study?", "yes", "Yes, I agree", "yes", "yes, the EMG ruled out other things",
                    "about 10 months ago"):
        said = text_of(chat(message, sender=sender))
    assert "How old is your wife?" in said

    age_conversation(servers["tracker_db"], f"rest:{sender}", TWO_HOURS)
    back = chat("hi, sorry, I had to rest", sender=sender)
    assert "Welcome back. You stopped part-way through the pre-screen about your wife, with 3 answers" in text_of(back)
    assert "Carry on" in button_titles(back)

    resumed = text_of(chat("/resume_prescreen", sender=sender))
    assert "Let's carry on. Your answers so far:" in resumed and "- ALS diagnosis: Yes" in resumed
    assert resumed.rstrip().endswith("How old is your wife?")  # where she stopped
    said = text_of(chat("she's 57", sender=sender))
    assert "Got it: Age: 57." in said
