"""The one access token per app, shared by every worker and instance, refreshed under one lock.

Fetching a token invalidates the previous one (after a 5-minute overlap), and wechatpy keeps the
token per process and refetches on 40001/40014/42001 with no lock: several workers would keep
invalidating each other. So the token lives in one place (Redis when configured, else the
``wechat_tokens`` table), is fetched only under a lock shared by all processes (Redis: redis-py's
``Lock``, i.e. ``SET NX PX`` with a random token and a compare-and-delete release; database: a row
lock, ``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), ``margin`` seconds
before it expires, or when WeChat rejected it, and then only if the stored token is still the one
that was rejected (another worker may already have replaced it). Never per message.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.store.db import Database
from bot.store.models import WeChatTokenRow

logger = logging.getLogger(__name__)

#: WeChat's answers meaning "this access token is not (or no longer) valid".
REJECTED_TOKEN_ERRORS = frozenset({40001, 40014, 42001})
#: A fetch returns (access_token, expires_in seconds).
Fetch = Callable[[], tuple[str, int]]


@dataclass(frozen=True)
class StoredToken:
    token: str
    #: Unix time.
    expires_at: float


class Slot(Protocol):
    """The stored token while the lock is held."""

    current: StoredToken | None

    def write(self, token: StoredToken) -> None: ...


class TokenStore(Protocol):
    def read(self) -> StoredToken | None: ...

    def locked(self) -> Any:
        """A context manager holding the shared lock, yielding a ``Slot``."""


class AccessTokens:
    """``get()`` before each API call; ``replace(token)`` when WeChat rejected that token."""

    def __init__(self, store: TokenStore, fetch: Fetch, margin: float = 300, clock: Callable[[], float] = time.time):
        self.store = store
        self.fetch = fetch
        self.margin = margin
        self.clock = clock

    def get(self) -> str:
        current = self.store.read()
        if self._fresh(current):
            assert current is not None
            return current.token
        return self._refresh(rejected=None)

    def replace(self, rejected: str) -> str:
        """A new token, unless another worker already stored one other than ``rejected``."""
        return self._refresh(rejected)

    def _fresh(self, stored: StoredToken | None) -> bool:
        return stored is not None and bool(stored.token) and stored.expires_at - self.margin > self.clock()

    def _refresh(self, rejected: str | None) -> str:
        with self.store.locked() as slot:
            current = slot.current
            if self._fresh(current) and (rejected is None or current.token != rejected):
                return current.token
            token, expires_in = self.fetch()
            slot.write(StoredToken(token, self.clock() + expires_in))
            logger.info("fetched a new WeChat access token (valid %d s)", expires_in)
            return token


class DatabaseTokenStore:
    """The ``wechat_tokens`` row of one app id; its row lock is the shared lock."""

    def __init__(self, database: Database, app_id: str) -> None:
        self.database = database
        self.app_id = app_id

    def read(self) -> StoredToken | None:
        with self.database.transaction() as session:
            return _stored(session.get(WeChatTokenRow, self.app_id))

    @contextmanager
    def locked(self) -> Iterator[Slot]:
        self._ensure_row()
        with self.database.transaction() as session:
            query = select(WeChatTokenRow).where(WeChatTokenRow.app_id == self.app_id).with_for_update()
            row = session.scalars(query).one()
            yield _RowSlot(row)

    def _ensure_row(self) -> None:
        """The row to lock; two processes creating it at once is fine (one insert wins)."""
        try:
            with self.database.transaction() as session:
                if session.get(WeChatTokenRow, self.app_id) is None:
                    session.add(WeChatTokenRow(app_id=self.app_id))
        except IntegrityError:
            pass


class _RowSlot:
    def __init__(self, row: WeChatTokenRow) -> None:
        self.row = row
        self.current = _stored(row)

    def write(self, token: StoredToken) -> None:
        self.row.access_token = token.token
        self.row.expires_at = datetime.fromtimestamp(token.expires_at, timezone.utc)
        self.current = token


def _stored(row: WeChatTokenRow | None) -> StoredToken | None:
    if row is None or not row.access_token or row.expires_at is None:
        return None
    expires = row.expires_at
    if expires.tzinfo is None:  # SQLite returns naive datetimes; we always write UTC
        expires = expires.replace(tzinfo=timezone.utc)
    return StoredToken(row.access_token, expires.timestamp())


class RedisTokenStore:
    """``wechat:token:<app id>`` (JSON, expiring with the token) and a redis-py lock beside it."""

    def __init__(self, url: str, app_id: str, lock_seconds: float = 30, redis: Any = None) -> None:
        if redis is None:
            from redis import Redis

            redis = Redis.from_url(url)
        self.redis = redis
        self.key = f"wechat:token:{app_id}"
        self.lock_name = f"wechat:token-lock:{app_id}"
        self.lock_seconds = lock_seconds

    def read(self) -> StoredToken | None:
        raw = self.redis.get(self.key)
        if not raw:
            return None
        try:
            data = json.loads(raw)
            return StoredToken(str(data["token"]), float(data["expires_at"]))
        except (ValueError, KeyError, TypeError):
            logger.warning("unreadable WeChat token in Redis; it will be replaced")
            return None

    @contextmanager
    def locked(self) -> Iterator[Slot]:
        # Auto-expires (a crashed holder cannot block everyone); released only by its holder.
        with self.redis.lock(self.lock_name, timeout=self.lock_seconds, blocking_timeout=self.lock_seconds):
            yield _RedisSlot(self)


class _RedisSlot:
    def __init__(self, store: RedisTokenStore) -> None:
        self.store = store
        self.current = store.read()

    def write(self, token: StoredToken) -> None:
        ttl = max(1, int(token.expires_at - time.time()))
        self.store.redis.set(self.store.key, json.dumps({"token": token.token, "expires_at": token.expires_at}), ex=ttl)
        self.current = token
