"""The lock that keeps one conversation's messages in order, whichever Rasa server takes them.

Rasa holds a ticket lock per conversation while it handles a message, so a second message of
the same person waits for the first. In one process Rasa's in-memory lock does this. Several
Rasa servers (or workers) on one tracker store need a lock they all see: Redis, named by
LOCK_STORE_URL (`redis://host:6379/1`); endpoints.yml names this class for both.

Rasa 3.6's Redis lock store reads a lock, changes it and writes it back in three steps, so two
servers taking messages of one conversation at the same moment can both be served at once, or
lose a ticket and make a person wait for the lock's lifetime. Here each change is one Redis
transaction (WATCH / MULTI), retried when another server changed the lock meanwhile. A waiting
message looks again every 50 ms, not every second.

Without LOCK_STORE_URL the lock is Rasa's in-memory one, and the Rasa server refuses to start
several workers (SANIC_WORKERS), since they would not see each other's locks.
"""
from __future__ import annotations

import json
import logging
import os
from contextlib import asynccontextmanager
from typing import AsyncGenerator, Callable, Optional
from urllib.parse import urlsplit

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

LOCK_STORE_VARIABLE = "LOCK_STORE_URL"
WORKERS_VARIABLE = "SANIC_WORKERS"
POLL_SECONDS = 0.05


class SeveralWorkersNeedRedis(RuntimeError):
    """SANIC_WORKERS asks for several Rasa workers, but no shared lock is configured."""


Change = Callable[[Optional[TicketLock]], Optional[TicketLock]]


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store, each change of a lock made atomically."""

    def _change(self, conversation_id: str, change: Change) -> Optional[TicketLock]:
        """Applies `change` to the stored lock in one transaction; None from it deletes the lock."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock = change(TicketLock.from_dict(json.loads(stored)) if stored else None)
                    pipe.multi()
                    if lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, lock.dumps())
                    pipe.execute()
                    return lock
                except redis.WatchError:
                    continue  # another server changed this lock meanwhile: read it again

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        tickets: list[int] = []

        def issue(lock: Optional[TicketLock]) -> TicketLock:
            lock = lock or self.create_lock(conversation_id)
            tickets.append(lock.issue_ticket(lock_lifetime))
            return lock

        self._change(conversation_id, issue)
        return tickets[-1]

    def update_lock(self, conversation_id: str) -> None:
        def without_expired(lock: Optional[TicketLock]) -> Optional[TicketLock]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock

        self._change(conversation_id, without_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def served(lock: Optional[TicketLock]) -> Optional[TicketLock]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock

        self._change(conversation_id, served)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Our ticket is done; the lock goes when nobody else waits, in the same transaction."""

        def done(lock: Optional[TicketLock]) -> Optional[TicketLock]:
            if lock is None:
                return None
            lock.remove_ticket_for(ticket_number)
            return lock if lock.is_someone_waiting() else None

        self._change(conversation_id, done)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = POLL_SECONDS,
    ) -> AsyncGenerator[TicketLock, None]:
        async with super().lock(conversation_id, lock_lifetime, wait_time_in_seconds) as held:
            yield held


def redis_settings(url: str) -> dict:
    """RedisLockStore's arguments from a URL: redis://[user:password@]host[:port][/db]."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ValueError(f"{LOCK_STORE_VARIABLE} must look like redis://host:6379/1")
    db = parts.path.strip("/") or "1"
    return {"host": parts.hostname, "port": parts.port or 6379, "db": int(db),
            "username": parts.username, "password": parts.password,
            "use_ssl": parts.scheme == "rediss"}


def workers() -> int:
    try:
        return max(1, int(os.environ.get(WORKERS_VARIABLE, "1") or "1"))
    except ValueError:
        return 1


class LockStoreFromEnv:
    """Named in endpoints.yml: Redis when LOCK_STORE_URL is set, else Rasa's in-memory lock.

    Rasa builds a custom lock store by calling its class with the endpoint's configuration;
    this one hands back the store the environment asks for.
    """

    def __new__(cls, endpoint_config: Optional[EndpointConfig] = None) -> LockStore:  # type: ignore[misc]
        url = os.environ.get(LOCK_STORE_VARIABLE, "").strip()
        if url:
            settings = redis_settings(url)
            logger.info("Conversation locks are kept in Redis (%s:%s, db %s).",
                        settings["host"], settings["port"], settings["db"])
            return AtomicRedisLockStore(**settings)
        if workers() > 1:
            raise SeveralWorkersNeedRedis(
                f"{WORKERS_VARIABLE}={workers()} needs a lock all workers share: set "
                f"{LOCK_STORE_VARIABLE}=redis://host:6379/1 (and a PostgreSQL TRACKER_DB), or "
                f"unset {WORKERS_VARIABLE}."
            )
        return InMemoryLockStore()
