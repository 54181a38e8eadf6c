"""The append-only audit log: who did what, when, from where. Never health or contact data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from bot.eligibility.fields import FIELDS
from bot.store.models import AuditRow

#: Keys that would carry health or contact data; refused in ``detail``.
FORBIDDEN_DETAIL_KEYS = frozenset(FIELDS) | {
    "answers",
    "result",
    "name",
    "phone",
    "wechat_id",
    "preferred_time",
    "text",
}


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str | None = None,
    entity_id: str | None = None,
    source: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditRow:
    """Add an audit row to the caller's transaction, so the entry and the change land together."""
    detail = dict(detail or {})
    leaked = FORBIDDEN_DETAIL_KEYS.intersection(detail)
    if leaked:
        raise ValueError(f"audit detail must not hold health or contact data: {sorted(leaked)}")
    row = AuditRow(
        actor=actor, action=action, entity_type=entity_type, entity_id=entity_id, source=source, detail=detail
    )
    session.add(row)
    return row
