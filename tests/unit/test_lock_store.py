"""One conversation's messages are handled one at a time and in order, whichever Rasa server
takes them (adapters/lock_store.py), on the real Redis of this machine."""
from __future__ import annotations

import asyncio
import threading
import uuid
from typing import Iterator

import pytest
import redis
from rasa.core.lock_store import InMemoryLockStore

from adapters.lock_store import AtomicRedisLockStore, LockStoreFromEnv, SeveralWorkersNeedRedis, redis_settings

REDIS_DB = 6


@pytest.fixture
def servers() -> Iterator[tuple[AtomicRedisLockStore, AtomicRedisLockStore]]:
    """Two servers' lock stores on one Redis database (emptied afterwards)."""
    made = (AtomicRedisLockStore(db=REDIS_DB), AtomicRedisLockStore(db=REDIS_DB))
    yield made
    redis.Redis(db=REDIS_DB).flushdb()


def test_tickets_taken_at_the_same_moment_on_two_servers_are_all_different(servers) -> None:
    conversation = f"rest:{uuid.uuid4().hex}"
    tickets: list[int] = []
    start = threading.Barrier(20)

    def take(store: AtomicRedisLockStore) -> None:
        start.wait()
        tickets.append(store.issue_ticket(conversation, 60))

    threads = [threading.Thread(target=take, args=(servers[i % 2],)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(tickets) == list(range(20))  # Rasa's own store could hand out one twice
    assert len(servers[0].get_lock(conversation).tickets) == 20


def test_a_second_message_waits_for_the_first_on_the_other_server(servers) -> None:
    conversation = f"rest:{uuid.uuid4().hex}"
    order: list[str] = []

    async def handle(store: AtomicRedisLockStore, name: str, work: float) -> None:
        async with store.lock(conversation):
            order.append(f"{name} starts")
            await asyncio.sleep(work)
            order.append(f"{name} ends")

    async def both() -> None:
        first = asyncio.create_task(handle(servers[0], "first", 0.3))
        await asyncio.sleep(0.05)
        await handle(servers[1], "second", 0.0)
        await first

    asyncio.run(both())
    assert order == ["first starts", "first ends", "second starts", "second ends"]
    assert servers[0].get_lock(conversation) is None  # nobody waits: the lock is gone


def test_the_environment_chooses_the_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    monkeypatch.delenv("SANIC_WORKERS", raising=False)
    assert isinstance(LockStoreFromEnv(), InMemoryLockStore)
    monkeypatch.setenv("SANIC_WORKERS", "2")
    with pytest.raises(SeveralWorkersNeedRedis, match="LOCK_STORE_URL"):
        LockStoreFromEnv()
    monkeypatch.setenv("LOCK_STORE_URL", f"redis://127.0.0.1:6379/{REDIS_DB}")
    assert isinstance(LockStoreFromEnv(), AtomicRedisLockStore)
    assert redis_settings("rediss://u:p@cache.internal:6380/4") == {
        "host": "cache.internal", "port": 6380, "db": 4, "username": "u", "password": "p", "use_ssl": True}
    with pytest.raises(ValueError, match="redis://host"):
        redis_settings("http://cache.internal")
