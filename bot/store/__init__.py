"""Persistence for screenings, leads, sites and the audit log (SQLAlchemy 1.4, 2.0 style; alembic).

SQLite under var/ by default; ``DATABASE_URL`` selects PostgreSQL.
"""

from __future__ import annotations

from bot.sites import load_sites
from bot.store.db import Database
from bot.store.migrate import upgrade
from bot.store.sites import sync_sites


def prepare(database: Database) -> None:
    """Migrate to the newest schema and load the configured sites: run once at start-up."""
    upgrade(database.engine)
    with database.transaction() as session:
        sync_sites(session, load_sites())
