"""Many visitors at once over REST, each sending its next message as soon as it has the reply.

One asyncio process with aiohttp drives every visitor, so the load tool itself costs little of
the machine it measures (threads with blocking requests cost several times more). A turn is
counted when it starts after the warm-up and ends within the measured seconds; its latency is
the time from sending the message to having every reply.
"""
from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Protocol, Sequence

import aiohttp

from bench.mix import Turns, Visit


class Visits(Protocol):
    def visit(self, rng: random.Random, turns: Turns) -> Visit: ...


@dataclass
class Figures:
    users: int
    seconds: float
    messages: int = 0
    per_second: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    prescreen_share: float = 0.0
    by_kind: dict[str, dict[str, float]] = field(default_factory=dict)  # p50 / p95 ms per kind

    def as_dict(self) -> dict:
        return asdict(self)


def quantile(sorted_values: Sequence[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


async def drive(servers: Sequence[str], visits: Visits, users: int, seconds: float,
                warmup: float = 5.0, seed: int = 7, timeout: float = 120.0) -> Figures:
    """`users` visitors for warm-up plus `seconds`; each visit's turns go to the servers in turn."""
    began = time.monotonic()
    window = (began + warmup, began + warmup + seconds)
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = {"questions": [], "prescreen": []}
    errors: Counter[str] = Counter()
    turns, counted = Turns(), Turns()

    async def visitor(session: aiohttp.ClientSession, number: int) -> None:
        rng = random.Random(seed * 100_003 + number)
        while time.monotonic() < window[1]:
            visit = visits.visit(rng, turns)
            sender, message, turn = f"bench-{uuid.uuid4().hex}", visit.first(), 0
            while message is not None and time.monotonic() < window[1]:
                server = servers[turn % len(servers)]
                turn += 1
                sent = time.monotonic()
                replies, problem = await _send(session, server, sender, message, timeout)
                done = time.monotonic()
                kind = "prescreen" if visit.prescreen else "questions"
                setattr(turns, kind, getattr(turns, kind) + 1)
                if problem is None:
                    message, problem = visit.after(replies)
                else:
                    message = None
                if window[0] <= sent and done <= window[1]:
                    latencies.append(done - sent)
                    by_kind[kind].append(done - sent)
                    setattr(counted, kind, getattr(counted, kind) + 1)
                    if problem:
                        errors[problem] += 1

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(visitor(session, n) for n in range(users)))
    latencies.sort()
    total = counted.questions + counted.prescreen
    return Figures(
        users=users, seconds=seconds, messages=len(latencies),
        per_second=round(len(latencies) / seconds, 1),
        p50_ms=round(quantile(latencies, 0.50) * 1000, 1),
        p95_ms=round(quantile(latencies, 0.95) * 1000, 1),
        p99_ms=round(quantile(latencies, 0.99) * 1000, 1),
        errors=sum(errors.values()), error_kinds=dict(errors),
        prescreen_share=round(counted.prescreen / total, 2) if total else 0.0,
        by_kind={kind: {"p50_ms": round(quantile(sorted(ts), 0.5) * 1000, 1),
                        "p95_ms": round(quantile(sorted(ts), 0.95) * 1000, 1)}
                 for kind, ts in by_kind.items() if ts},
    )


async def _send(session: aiohttp.ClientSession, server: str, sender: str, message: str,
                timeout: float) -> tuple[list[dict], str | None]:
    try:
        async with session.post(f"{server}/webhooks/rest/webhook",
                                json={"sender": sender, "message": message},
                                timeout=aiohttp.ClientTimeout(total=timeout)) as response:
            if response.status != 200:
                return [], f"HTTP {response.status}"
            return await response.json(), None
    except asyncio.TimeoutError:
        return [], "timed out"
    except (aiohttp.ClientError, ValueError) as error:
        return [], type(error).__name__
