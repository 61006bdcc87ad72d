"""How every store of ours opens its database, in one place, so the SQLite default is tuned once;
and a store's one engine, made on first use (LazyEngine), so nothing connects at import.

SQLAlchemy 1.4 opens a new SQLite connection for every session of a file database (NullPool)
and SQLite's default journal syncs the disk several times a commit. An action server saves a
pre-screen answer on each turn, so under load most of its time went to waiting for the disk
(about 12 ms a turn on this machine's busy disk, against 2 ms with what follows):
- kept connections (a small QueuePool), shared across threads;
- write-ahead logging (WAL), so the staff CLI and the purge read while a server writes;
- synchronous=NORMAL, which under WAL syncs at checkpoints, not at every commit. A crash of the
  program loses nothing; a power cut may lose the last commits, never the file's consistency.
  The deployed shape uses PostgreSQL, where none of this applies.
- secure_delete, so "delete my data" and the retention purge overwrite what they remove
  instead of leaving it in the file's free pages (Debian's SQLite has it on already; pinned
  here so a build without that default does the same).
"""
from __future__ import annotations

import threading
from typing import Any, Callable, Optional

import sqlalchemy as sa
from sqlalchemy import MetaData
from sqlalchemy.engine import Engine


SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA secure_delete=ON")


def is_sqlite_file(url: sa.engine.URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")


def pool_options(url: sa.engine.URL) -> dict[str, Any]:
    """Kept connections for an SQLite file; other databases keep SQLAlchemy's defaults."""
    if not is_sqlite_file(url):
        return {}
    return {"poolclass": sa.pool.QueuePool, "pool_size": 8, "max_overflow": 8,
            "connect_args": {"check_same_thread": False}}


def tune_sqlite(dbapi_connection: Any, _: Any) -> None:
    """Runs on every new SQLite connection (a `connect` event listener)."""
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def tuned(engine: Engine) -> Engine:
    """The engine, with the SQLite pragmas applied to each connection it opens."""
    if is_sqlite_file(engine.url):
        sa.event.listen(engine, "connect", tune_sqlite)
    return engine


def open_engine(url: str) -> Engine:
    """An engine for one of our stores. Statement parameters (answers, ids) never appear in
    its errors or logs (hide_parameters)."""
    parsed = sa.engine.make_url(url)
    return tuned(sa.create_engine(parsed, future=True, hide_parameters=True, **pool_options(parsed)))


class LazyEngine:
    """A store's one engine: connected, and its tables created, on first use (not at
    construction or import); `close` releases its pooled connections."""

    def __init__(self, url: Optional[str], default_url: Callable[[], str], metadata: MetaData) -> None:
        self._url, self._default_url, self._metadata = url, default_url, metadata
        self._engine: Optional[Engine] = None
        self._lock = threading.Lock()

    def __call__(self) -> Engine:
        with self._lock:
            if self._engine is None:
                engine = open_engine(self._url or self._default_url())
                self._metadata.create_all(engine)
                self._engine = engine
            return self._engine

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
