"""WeChat's retries and replayed nonces are recognised: in process, and in Redis across processes."""

from __future__ import annotations

import asyncio
import uuid

from bot.channels.wechat.dedupe import MemorySeenStore, RedisSeenStore, message_key
from tests.services import require_redis


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_memory_store_claims_once_until_the_ttl_passes() -> None:
    clock = Clock()
    store = MemorySeenStore(clock)

    async def run() -> list[bool]:
        results = [await store.first("k", 10), await store.first("k", 10), await store.first("other", 10)]
        clock.now += 11
        results.append(await store.first("k", 10))
        return results

    assert asyncio.run(run()) == [True, False, True, True]


def test_memory_store_stays_bounded_under_a_flood() -> None:
    store = MemorySeenStore(Clock(), max_keys=2000)

    async def flood() -> None:
        for number in range(5000):
            await store.first(f"k{number}", 600)

    asyncio.run(flood())
    assert len(store._expiry) <= 2000


def test_message_key_uses_msgid_else_sender_and_create_time() -> None:
    assert message_key("app", "o1", 123, 1700000000) == message_key("app", "o2", 123, 1700000001)
    event = message_key("app", "o1", None, 1700000000, "subscribe")
    assert event != message_key("app", "o1", None, 1700000001, "subscribe")
    assert event == message_key("app", "o1", 0, 1700000000, "subscribe")
    assert event != message_key("app", "o2", None, 1700000000, "subscribe")
    assert message_key("app", "o1", 5, 1) != message_key("other-app", "o1", 5, 1)


def test_redis_store_claims_once_across_clients() -> None:
    url = require_redis()
    key = f"test-{uuid.uuid4().hex}"

    async def run() -> list[bool]:
        one, two = RedisSeenStore(url, prefix="test:wechat:"), RedisSeenStore(url, prefix="test:wechat:")
        try:
            results = await asyncio.gather(*[store.first(key, 5) for store in (one, two, one, two)])
            return list(results)
        finally:
            await one.close()
            await two.close()

    assert sorted(asyncio.run(run())) == [False, False, False, True]
