"""The central access token: fetched once, shared, refreshed before expiry and after a rejection, under one lock."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.channels.wechat.token import AccessTokens, DatabaseTokenStore, RedisTokenStore
from bot.store.db import Database
from tests.services import require_redis


class CountingFetch:
    """WeChat's token endpoint: a new token per call, slow enough for workers to overlap."""

    def __init__(self, pause: float = 0.0) -> None:
        self.calls = 0
        self.pause = pause
        self._lock = threading.Lock()

    def __call__(self) -> tuple[str, int]:
        time.sleep(self.pause)
        with self._lock:
            self.calls += 1
            return f"token-{self.calls}", 7200


@pytest.fixture(params=["database", pytest.param("redis", marks=pytest.mark.services)])
def store_factory(request: pytest.FixtureRequest, database: Database):
    """Builds stores sharing one backend, as separate workers would (the database fixture: SQLite and PostgreSQL)."""
    app_id = f"wx{uuid.uuid4().hex[:14]}"
    if request.param == "database":
        return lambda: DatabaseTokenStore(database, app_id)
    url = require_redis()
    return lambda: RedisTokenStore(url, app_id)


def test_one_fetch_for_many_calls(store_factory) -> None:
    fetch = CountingFetch()
    tokens = AccessTokens(store_factory(), fetch)
    assert {tokens.get() for _ in range(20)} == {"token-1"}
    assert fetch.calls == 1
    # A second worker (its own store object and cache) reads the same token instead of fetching.
    assert AccessTokens(store_factory(), fetch).get() == "token-1"
    assert fetch.calls == 1


def test_concurrent_workers_fetch_once(store_factory) -> None:
    fetch = CountingFetch(pause=0.3)
    workers = [AccessTokens(store_factory(), fetch) for _ in range(6)]
    with ThreadPoolExecutor(6) as pool:
        got = list(pool.map(lambda worker: worker.get(), workers))
    assert got == ["token-1"] * 6
    assert fetch.calls == 1


def test_a_rejected_token_is_replaced_once_even_when_several_workers_saw_it_fail(store_factory) -> None:
    fetch = CountingFetch(pause=0.2)
    first = AccessTokens(store_factory(), fetch).get()
    workers = [AccessTokens(store_factory(), fetch) for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        replaced = list(pool.map(lambda worker: worker.replace(first), workers))
    assert replaced == ["token-2"] * 4
    assert fetch.calls == 2
    # A late report about the old token does not refetch: the store already holds another.
    assert AccessTokens(store_factory(), fetch).replace(first) == "token-2"
    assert fetch.calls == 2


def test_refreshed_before_it_expires(store_factory) -> None:
    fetch = CountingFetch()
    now = [1_800_000_000.0]
    tokens = AccessTokens(store_factory(), fetch, margin=300, clock=lambda: now[0])
    assert tokens.get() == "token-1"
    now[0] += 7200 - 301
    assert tokens.get() == "token-1"
    now[0] += 2  # within 5 minutes of expiry
    assert tokens.get() == "token-2"
    assert fetch.calls == 2


def test_a_failed_fetch_stores_nothing_and_the_next_call_tries_again(store_factory) -> None:
    def failing() -> tuple[str, int]:
        raise ConnectionError("WeChat unreachable")

    with pytest.raises(ConnectionError):
        AccessTokens(store_factory(), failing).get()
    fetch = CountingFetch()
    assert AccessTokens(store_factory(), fetch).get() == "token-1"
