"""Alembic builds the schema from empty on each backend, and it matches the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

from bot.sites import load_sites
from bot.store import prepare
from bot.store.db import Database
from bot.store.migrate import downgrade, upgrade
from bot.store.models import Base, SiteRow

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
