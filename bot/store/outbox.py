"""The new-lead outbox: rows written in the lead's own transaction, claimed and marked by the worker.

A lead and its notifications commit together or not at all, so a crash never loses one. The worker
claims a due row by pushing ``next_attempt_at`` one lease ahead (in a short transaction, with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL), sends outside any transaction, then marks it sent. A crash
between sending and marking leaves the row due again when the lease ends: at most one extra copy,
which receivers drop by the notification id.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import NOTIFY_CHANNELS, LeadRow, NotificationRow, utcnow

NEW_LEAD = "new_lead"


def enqueue_new_lead(session: Session, lead: LeadRow) -> list[NotificationRow]:
    """One pending notification per channel for this lead, in the caller's transaction."""
    rows = [
        NotificationRow(lead_id=lead.id, site_code=lead.site_code, kind=NEW_LEAD, channel=channel)
        for channel in NOTIFY_CHANNELS
    ]
    session.add_all(rows)
    return rows


def claim_due(session: Session, *, lease: timedelta, limit: int = 10, now: datetime | None = None) -> list[str]:
    """Ids of due notifications, leased to this worker: nobody else claims them until the lease ends."""
    now = now or utcnow()
    query = (
        select(NotificationRow)
        .where(NotificationRow.sent_at.is_(None), NotificationRow.next_attempt_at <= now)
        .order_by(NotificationRow.next_attempt_at, NotificationRow.id)
        .limit(limit)
    )
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(session.scalars(query))
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = now + lease
    session.flush()
    return [row.id for row in rows]


def mark_done(session: Session, notification_id: str, outcome: str) -> None:
    row = session.get(NotificationRow, notification_id)
    if row is not None:
        row.sent_at, row.outcome, row.last_error = utcnow(), outcome, None


def mark_failed(session: Session, notification_id: str, error: str, retry_in: timedelta) -> None:
    """Keep the row pending; it is due again after the backoff."""
    row = session.get(NotificationRow, notification_id)
    if row is not None:
        row.last_error = error[:300]
        row.next_attempt_at = utcnow() + retry_in


def backoff(attempts: int, base: float, cap: float) -> timedelta:
    """Exponential: base, 2·base, 4·base, ... never more than cap seconds."""
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))
