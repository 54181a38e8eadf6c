"""console_users.language: each coordinator's console language (NULL: the console's default)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable and without a default: existing users keep following CONSOLE_LANGUAGE until they choose.
    op.add_column("console_users", sa.Column("language", sa.String(length=16), nullable=True))


def downgrade() -> None:
    # A plain ALTER TABLE DROP COLUMN (SQLite 3.35+), not batch mode: batch recreates the table, and on
    # SQLite dropping the old copy would cascade to console_sessions and sign everyone out.
    op.drop_column("console_users", "language")
