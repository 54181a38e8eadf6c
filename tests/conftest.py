"""Shared fixtures: a migrated database on SQLite and (with REQUIRE_SERVICES=1) PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.store import prepare
from bot.store.db import Database, make_engine
from tests.services import require_postgres


def _postgres_schema_database() -> tuple[Database, str, str]:
    """A database whose tables live in a fresh schema, so tests never see each other's rows."""
    url = require_postgres()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, future=True)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    return Database(engine=engine), url, schema


def _drop_schema(url: str, schema: str) -> None:
    admin = create_engine(url, future=True)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database with no tables, on each backend."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'test.db'}")
        yield database
        database.dispose()
        return
    database, url, schema = _postgres_schema_database()
    try:
        yield database
    finally:
        database.dispose()
        _drop_schema(url, schema)


@pytest.fixture
def database(empty_database: Database) -> Database:
    """A migrated database with the configured sites."""
    prepare(empty_database)
    return empty_database
