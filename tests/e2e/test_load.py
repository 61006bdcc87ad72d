"""Twenty people pre-screening at once each get the verdict their answers call for.

bench/prescreens.py (`make load` runs it with 100 people against `make run`) against
the session's servers: correctness under concurrency, not speed; its timings are printed only.
"""
from __future__ import annotations

import pytest

from bench import prescreens as load_prescreens
from bot.privacy.pseudonyms import pseudonym_for
from bot.storage.store import ScreeningStore

TRIAL_ID = "NCT03268603"


def test_twenty_concurrent_pre_screens_each_get_the_right_verdict(servers) -> None:
    outcomes, wall = load_prescreens.run(servers["rasa"], 20)
    summary = load_prescreens.figures(outcomes, wall)
    print(summary)  # shown with -s; figures only, never asserted
    assert len(outcomes) == 20
    for outcome in outcomes:
        assert outcome.error is None, outcome.error
        assert outcome.verdict == outcome.expected, outcome
    assert {o.expected for o in outcomes} == {"likely_eligible", "likely_not_eligible", "needs_review"}
    # Every stored screening belongs to its own person: their own age and verdict, one each.
    store = ScreeningStore(servers["screening_db_url"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCREENING_ID_SECRET", servers["screening_id_secret"])
        for outcome in outcomes:
            stored = store.current(pseudonym_for("rest:" + outcome.sender), TRIAL_ID)
            assert stored is not None and stored.answers["age"] == outcome.age, outcome
            assert stored.verdict == outcome.expected, outcome
