"""Seen before? For WeChat's retries (MsgId) and replayed nonces.

WeChat retries a message it got no answer to within 5 s, three times with the same MsgId (events:
the same FromUserName + CreateTime), and Rasa gives every message a new id: without this, one
message would become up to four bot turns. With Redis (shared by every worker and instance) a key
is claimed with ``SET NX EX``; without it, an in-process dictionary with expiry does the same for
one process.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol


class SeenStore(Protocol):
    async def first(self, key: str, ttl: int) -> bool:
        """True for the first claim of ``key`` within ``ttl`` seconds, False for every later one."""


class MemorySeenStore:
    """One process's memory; expired keys are swept as new ones arrive."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self._clock = clock
        self._expiry: dict[str, float] = {}
        self._max_keys = max_keys

    async def first(self, key: str, ttl: int) -> bool:
        now = self._clock()
        self._sweep(now)
        expires = self._expiry.get(key)
        if expires is not None and expires > now:
            return False
        self._expiry[key] = now + ttl
        return True

    def _sweep(self, now: float) -> None:
        if len(self._expiry) < 1024 and len(self._expiry) < self._max_keys:
            return
        for stale in [k for k, expires in self._expiry.items() if expires <= now]:
            del self._expiry[stale]
        while len(self._expiry) >= self._max_keys:  # flood protection: drop the oldest claims
            del self._expiry[next(iter(self._expiry))]


class RedisSeenStore:
    """Shared by every process: ``SET key 1 NX EX ttl`` succeeds for exactly one caller."""

    def __init__(self, url: str, prefix: str = "wechat:seen:") -> None:
        from redis.asyncio import Redis

        self._redis = Redis.from_url(url)
        self._prefix = prefix

    async def first(self, key: str, ttl: int) -> bool:
        return bool(await self._redis.set(self._prefix + key, b"1", nx=True, ex=ttl))

    async def close(self) -> None:
        await self._redis.close()


def seen_store(redis_url: str | None) -> SeenStore:
    return RedisSeenStore(redis_url) if redis_url else MemorySeenStore()


def message_key(app_id: str, sender: str, msg_id: int | None, create_time: int, event: str | None = None) -> str:
    """MsgId for messages; sender + CreateTime (+ event) for events, which have no MsgId."""
    if msg_id:
        return f"{app_id}:msg:{msg_id}"
    return f"{app_id}:event:{sender}:{create_time}:{event or ''}"
