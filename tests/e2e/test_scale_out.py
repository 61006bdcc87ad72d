"""Two Rasa servers and two action servers on one PostgreSQL and one Redis serve people exactly
as one server does, whichever server takes each turn.

The scaled shape is started as docker-compose.yml and the README's Kubernetes section start it
(scripts/serve-rasa.sh and serve-actions.sh, with TRACKER_DB, SCREENING_DB_URL and
LOCK_STORE_URL from the environment), on the real PostgreSQL and Redis of this machine. Twenty
people pre-screen at once, each person's turns going to the two Rasa servers in turn; the same
twenty go through the session's single server. Every reply, every form state, every verdict and
every stored screening must be the same.
"""
from __future__ import annotations

import json
from typing import Any, Iterator

import pytest
import sqlalchemy as sa

from bench import assistants, prescreens
from bot.storage.tracker_events import tracker_url
from bot.privacy.pseudonyms import pseudonym_for
from bot.storage.store import ScreeningStore

PEOPLE = 20
TRIAL_ID = "NCT03268603"


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory, servers: dict) -> Iterator[dict[str, Any]]:
    with assistants.shared_stores(lock_db=5) as stores:
        shape = assistants.start_ours(tmp_path_factory.mktemp("scaled"), copies=2, stores=stores,
                                      secret=servers["screening_id_secret"])
        try:
            yield {"urls": shape.urls, "stores": stores}
        finally:
            shape.stop()


def form_state(url: str, conversation: str) -> dict:
    """The pre-screen slot as the tracker store last saved it (its record id aside)."""
    engine = sa.create_engine(url, future=True)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'slot' "
                                    "ORDER BY id"), {"s": conversation}).scalars().all()
    engine.dispose()
    slots = [json.loads(row) for row in rows]
    state = next(s["value"] for s in reversed(slots) if s["name"] == "prescreen")
    return {key: value for key, value in state.items() if key != "screening_id"}


def stored(store: ScreeningStore, sender: str) -> tuple:
    screening = store.current(pseudonym_for("rest:" + sender), TRIAL_ID)
    assert screening is not None, sender
    return screening.subject, screening.answers, screening.statuses, screening.verdict, \
        screening.finished_at is not None


def test_two_servers_on_shared_stores_serve_each_person_exactly_as_one(
    scaled: dict, servers: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCREENING_ID_SECRET", servers["screening_id_secret"])
    through_both, _ = prescreens.run(scaled["urls"], PEOPLE)
    through_one, _ = prescreens.run(servers["rasa"], PEOPLE)
    assert {o.expected for o in through_both} == {"likely_eligible", "likely_not_eligible", "needs_review"}

    shared = ScreeningStore(scaled["stores"]["SCREENING_DB_URL"])
    single = ScreeningStore(servers["screening_db_url"])
    for both, one in zip(through_both, through_one):
        assert both.error is None and both.technical_problems == 0, both
        assert both.verdict == both.expected == one.verdict, (both, one)
        assert both.transcript == one.transcript  # every reply, turn by turn
        assert form_state(scaled["stores"]["TRACKER_DB"], "rest:" + both.sender) == \
            form_state(tracker_url(str(servers["tracker_db"])), "rest:" + one.sender)
        assert stored(shared, both.sender) == stored(single, one.sender)
