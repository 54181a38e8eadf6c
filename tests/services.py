"""Access to the real PostgreSQL and Redis for tests that need them.

They run when REQUIRE_SERVICES=1 (CI sets it) and fail loudly if the service is down;
otherwise they are skipped with the reason.
"""

from __future__ import annotations

import os

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def require_postgres() -> str:
    """The PostgreSQL URL, after checking it answers (skip unless REQUIRE_SERVICES=1)."""
    if not REQUIRE_SERVICES:
        pytest.skip("PostgreSQL test: set REQUIRE_SERVICES=1 to run it against " + POSTGRES_URL)
    from sqlalchemy import create_engine, text

    engine = create_engine(POSTGRES_URL, future=True)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        pytest.fail(f"REQUIRE_SERVICES=1 but PostgreSQL at {POSTGRES_URL} does not answer: {exc}")
    finally:
        engine.dispose()
    return POSTGRES_URL


def require_redis() -> str:
    """The Redis URL, after checking it answers (skip unless REQUIRE_SERVICES=1)."""
    if not REQUIRE_SERVICES:
        pytest.skip("Redis test: set REQUIRE_SERVICES=1 to run it against " + REDIS_URL)
    from redis import Redis

    client = Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except Exception as exc:
        pytest.fail(f"REQUIRE_SERVICES=1 but Redis at {REDIS_URL} does not answer: {exc}")
    finally:
        client.close()
    return REDIS_URL
