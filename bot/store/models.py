"""Tables: sites, screenings, leads, lead notes and the append-only audit log.

Health data lives only in ``screenings.answers`` / ``screenings.result``; contact data only in
``leads`` and ``lead_notes``. Forgetting a person deletes those rows; the audit log never holds
either (see bot/store/audit.py).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

from bot.leads.workflow import LeadStatus

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
Base = declarative_base(metadata=MetaData(naming_convention=NAMING))

SCREENING_STATUSES = ("eligible", "ineligible", "needs_review")
LEAD_STATUSES = tuple(s.value for s in LeadStatus)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_id() -> str:
    return str(uuid.uuid4())


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class SiteRow(Base):
    __tablename__ = "sites"

    code = Column(String(32), primary_key=True)
    name_en = Column(String(80), nullable=False)
    placeholder = Column(Boolean, nullable=False, default=True)
    active = Column(Boolean, nullable=False, default=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


class ScreeningRow(Base):
    __tablename__ = "screenings"
    __table_args__ = (
        CheckConstraint(_in("status", SCREENING_STATUSES), name="status"),
        Index("ix_screenings_conversation", "channel", "conversation_id"),
    )

    id = Column(String(36), primary_key=True, default=new_id)
    channel = Column(String(32), nullable=False)
    conversation_id = Column(String(128), nullable=False)
    language = Column(String(16), nullable=False)
    protocol_version = Column(String(32), nullable=False)
    as_of = Column(Date, nullable=False)
    status = Column(String(16), nullable=False)
    eligible_from = Column(Date, nullable=True)
    #: The validated answers (health data), JSON: field -> value.
    answers = Column(JSON, nullable=False)
    #: Criterion results: [{"id", "result", "explanation"}, ...].
    result = Column(JSON, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class LeadRow(Base):
    __tablename__ = "leads"
    __table_args__ = (
        # One lead per conversation: a second hand-off updates it.
        UniqueConstraint("channel", "conversation_id", name="uq_leads_conversation"),
        CheckConstraint(_in("status", LEAD_STATUSES), name="status"),
        CheckConstraint("phone IS NOT NULL OR wechat_id IS NOT NULL", name="reachable"),
        Index("ix_leads_site_status", "site_code", "status"),
    )

    id = Column(String(36), primary_key=True, default=new_id)
    screening_id = Column(String(36), ForeignKey("screenings.id"), nullable=False, unique=True)
    channel = Column(String(32), nullable=False)
    conversation_id = Column(String(128), nullable=False)
    site_code = Column(String(32), ForeignKey("sites.code"), nullable=False)
    name = Column(String(80), nullable=False)
    phone = Column(String(32), nullable=True)
    wechat_id = Column(String(32), nullable=True)
    preferred_time = Column(String(120), nullable=True)
    status = Column(String(16), nullable=False, default=LeadStatus.NEW.value)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    #: Bumped on every change: concurrent edits are detected, not lost.
    version = Column(Integer, nullable=False, default=1)

    screening = relationship(ScreeningRow, lazy="joined")
    notes = relationship("LeadNoteRow", order_by="LeadNoteRow.id", cascade="all, delete-orphan", lazy="selectin")

    __mapper_args__ = {"version_id_col": version}


class LeadNoteRow(Base):
    __tablename__ = "lead_notes"

    id = Column(Integer, primary_key=True, autoincrement=True)
    lead_id = Column(String(36), ForeignKey("leads.id", ondelete="CASCADE"), nullable=False, index=True)
    author = Column(String(80), nullable=False)
    from_status = Column(String(16), nullable=True)
    to_status = Column(String(16), nullable=True)
    text = Column(Text, nullable=False, default="")
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class AuditRow(Base):
    """Append-only: the migration adds triggers that refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    actor = Column(String(80), nullable=False)
    action = Column(String(64), nullable=False)
    entity_type = Column(String(32), nullable=True)
    entity_id = Column(String(64), nullable=True)
    source = Column(String(64), nullable=True)
    #: Non-health facts only (ids, statuses, counts).
    detail = Column(JSON, nullable=False, default=dict)


class WeChatTokenRow(Base):
    """The one access token per WeChat app, shared by every worker and instance (see bot/channels/wechat).

    Fetching a new token invalidates the old one, so it is fetched centrally under a row lock, never per
    process. Used when no Redis is configured.
    """

    __tablename__ = "wechat_tokens"

    app_id = Column(String(64), primary_key=True)
    access_token = Column(String(512), nullable=True)
    expires_at = Column(DateTime(timezone=True), nullable=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


# --- Coordinator console (bot/console) and the new-lead outbox (bot/notify) ---------------------------------

CONSOLE_ROLES = ("admin", "coordinator")
NOTIFY_CHANNELS = ("webhook", "email")


class ConsoleUserRow(Base):
    """A coordinator (one site) or an admin (every site); the password only as an argon2id hash."""

    __tablename__ = "console_users"
    __table_args__ = (
        CheckConstraint(_in("role", CONSOLE_ROLES), name="role"),
        CheckConstraint("role = 'admin' OR site_code IS NOT NULL", name="coordinator_site"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(64), nullable=False, unique=True)
    role = Column(String(16), nullable=False)
    site_code = Column(String(32), ForeignKey("sites.code"), nullable=True)
    password_hash = Column(String(255), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    password_changed_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    #: The console language this user chose (bot/console/translations/<code>.json); NULL until they choose
    #: one, which means the console's default (CONSOLE_LANGUAGE). Not a CHECK list: a language is data.
    language = Column(String(16), nullable=True)


class ConsoleSessionRow(Base):
    """A browser session or an API token; only the SHA-256 of the secret token is stored."""

    __tablename__ = "console_sessions"

    token_hash = Column(String(64), primary_key=True)
    user_id = Column(Integer, ForeignKey("console_users.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(8), nullable=False)  # "browser" | "api"
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_seen_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at = Column(DateTime(timezone=True), nullable=False)


class LoginThrottleRow(Base):
    """Failed logins per key ("user:<name>" or "ip:<address>"), shared by every worker through the database."""

    __tablename__ = "login_throttle"

    key = Column(String(160), primary_key=True)
    failures = Column(Integer, nullable=False, default=0)
    window_started_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    locked_until = Column(DateTime(timezone=True), nullable=True)


class NotificationRow(Base):
    """Outbox: written with the lead in one transaction, delivered later by ``python -m bot.notify``.

    One row per channel, so a delivered webhook is never repeated because the e-mail failed.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(_in("channel", NOTIFY_CHANNELS), name="channel"),
        Index("ix_notifications_due", "sent_at", "next_attempt_at"),
    )

    id = Column(String(36), primary_key=True, default=new_id)
    lead_id = Column(String(36), ForeignKey("leads.id", ondelete="CASCADE"), nullable=False, index=True)
    site_code = Column(String(32), nullable=False)
    kind = Column(String(32), nullable=False, default="new_lead")
    channel = Column(String(16), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    sent_at = Column(DateTime(timezone=True), nullable=True)
    #: "delivered" or "not_configured" once done.
    outcome = Column(String(16), nullable=True)
    last_error = Column(String(300), nullable=True)
