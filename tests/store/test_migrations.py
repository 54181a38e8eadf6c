"""Alembic builds the schema from empty on each backend, and it matches the models exactly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.sites import load_sites
from bot.store import prepare
from bot.store.db import Database
from bot.store.migrate import downgrade, upgrade
from bot.store.models import Base, SiteRow, utcnow

TABLES = {
    "sites", "screenings", "leads", "lead_notes", "audit_log", "wechat_tokens", "alembic_version",
    # issue 6: the coordinator console and the notifications outbox
    "console_users", "console_sessions", "login_throttle", "notifications",
}


def test_upgrade_from_empty_creates_every_table(empty_database: Database) -> None:
    assert set(inspect(empty_database.engine).get_table_names()) == set()
    upgrade(empty_database.engine)
    assert set(inspect(empty_database.engine).get_table_names()) == TABLES


def test_migrated_schema_matches_models(empty_database: Database) -> None:
    upgrade(empty_database.engine)
    with empty_database.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_upgrade_is_repeatable_and_downgrade_empties(empty_database: Database) -> None:
    prepare(empty_database)
    prepare(empty_database)  # a second start-up changes nothing
    with empty_database.transaction() as session:
        codes = [row.code for row in session.scalars(select(SiteRow).order_by(SiteRow.code))]
    assert codes == sorted(load_sites())
    downgrade(empty_database.engine, "base")
    assert set(inspect(empty_database.engine).get_table_names()) == {"alembic_version"}


def _user_columns(engine: Engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("console_users")}


def _console_user_and_session(engine: Engine) -> None:
    now = utcnow()
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO sites (code, name_en, placeholder, active, updated_at) "
                                "VALUES ('beijing', 'Beijing', :t, :t, :now)"), {"t": True, "now": now})
        connection.execute(text("INSERT INTO console_users (username, role, site_code, password_hash, active, "
                                "created_at, password_changed_at) VALUES ('zhao', 'coordinator', 'beijing', 'h', :t, "
                                ":now, :now)"), {"t": True, "now": now})
        connection.execute(text("INSERT INTO console_sessions (token_hash, user_id, kind, csrf_token, created_at, "
                                "last_seen_at, expires_at) SELECT 'x', id, 'browser', 'c', :now, :now, :now "
                                "FROM console_users"), {"now": now})


def test_0004_adds_each_users_console_language_and_its_downgrade_keeps_users_and_sessions(
    empty_database: Database,
) -> None:
    """Up: existing users get NULL (they follow CONSOLE_LANGUAGE until they choose). Down: the column goes,
    nothing else does (no table rebuild that would cascade to the sessions or lose the CHECKs)."""
    engine = empty_database.engine
    upgrade(engine, "0003")
    assert "language" not in _user_columns(engine)
    _console_user_and_session(engine)
    upgrade(engine)
    assert "language" in _user_columns(engine)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT language FROM console_users")).scalar_one() is None
        connection.execute(text("UPDATE console_users SET language = 'zh'"))
    downgrade(engine, "0003")
    assert "language" not in _user_columns(engine)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT username FROM console_users")).scalars().all() == ["zhao"]
        assert connection.execute(text("SELECT count(*) FROM console_sessions")).scalar_one() == 1
    with pytest.raises(IntegrityError), engine.begin() as connection:  # the role CHECK survived
        connection.execute(text("UPDATE console_users SET role = 'bogus'"))
    upgrade(engine)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT language FROM console_users")).scalar_one() is None
