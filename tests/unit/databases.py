"""Real databases for store tests: a fresh SQLite file, or a throwaway PostgreSQL schema.

The fixtures that use these live in conftest.py; the clock is imported by the tests.
"""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta, timezone
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

# The machine kind runs PostgreSQL on loopback with trust auth and a `test` database.
POSTGRES_URL = os.environ.get("SCREENING_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
START = datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc)


class Clock:
    """A hand-moved clock, so ages and orderings are exact instead of waiting on real time."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def postgres_schema() -> Iterator[str]:
    """A URL that sees only a throwaway schema, dropped afterwards so reruns start clean."""
    admin = create_engine(POSTGRES_URL, future=True)
    schema = f"store_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        unreachable = str(exc.orig).strip()
    else:
        unreachable = ""
    if unreachable:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES_URL} (set SCREENING_TEST_POSTGRES_URL to "
            f"another server). The store must be tested on a real server, so this is a failure, "
            f"not a skip.\n{unreachable}",
            pytrace=False,
        )
    # libpq's `options` makes every connection of the store see only this schema.
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
