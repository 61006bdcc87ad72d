"""Fixtures shared by the unit tests: the shipped trial, and stores on real databases (the
store, tracker-store, retention and staff CLI tests)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator, Optional

import pytest

from bot.storage.store import ScreeningStore
from bot.trial.loading import load_trial
from bot.trial.model import Trial
from tests.unit.databases import Clock, postgres_schema


@pytest.fixture(scope="module")
def trial() -> Trial:
    """The trial the assistant ships (NCT03268603), loaded once per test module; a module about
    another trial file (test_second_trial) defines its own `trial`."""
    return load_trial()


def _fresh_database(kind: str, sqlite_file: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{sqlite_file}"
    else:
        yield from postgres_schema()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database nobody else uses: a fresh SQLite file, or a fresh PostgreSQL schema."""
    yield from _fresh_database(request.param, tmp_path / "screenings.db")


@pytest.fixture
def make_store(db_url: str) -> Iterator[Callable[..., ScreeningStore]]:
    """Stores on the test database, closed afterwards so the schema can be dropped."""
    stores: list[ScreeningStore] = []

    def make(clock: Optional[Clock] = None) -> ScreeningStore:
        stores.append(ScreeningStore(db_url, clock=clock or Clock()))
        return stores[-1]

    yield make
    for made in stores:
        made.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A conversation database nobody else uses: a fresh SQLite file or PostgreSQL schema."""
    yield from _fresh_database(request.param, tmp_path / "tracker.db")


@pytest.fixture
def screening_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """For the action tests: a fresh SQLite file per test, and the actions' store() made again
    to use it (`pytestmark = pytest.mark.usefixtures("screening_db")` in each action test)."""
    from actions import records  # only the action tests pay for importing rasa_sdk

    path = tmp_path / "screenings.db"
    monkeypatch.setenv("SCREENING_DB_URL", f"sqlite:///{path}")
    monkeypatch.setenv("SCREENING_ID_SECRET", "test-secret-not-for-production-0123456789")
    records.store.cache_clear()
    yield path
    records.store().close()
    records.store.cache_clear()
