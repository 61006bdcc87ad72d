"""A store's one database engine, made on first use: the screenings store and the Twilio
message ids each keep their tables behind one, so nothing connects at import."""
from __future__ import annotations

import threading
from typing import Callable, Optional

from sqlalchemy import MetaData, create_engine
from sqlalchemy.engine import Engine


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
                # hide_parameters: an error (a locked database) must not log the answers.
                engine = create_engine(self._url or self._default_url(), future=True, hide_parameters=True)
                self._metadata.create_all(engine)
                self._engine = engine
            return self._engine

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
