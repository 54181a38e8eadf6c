"""The right to be forgotten: delete a person's answers and contact data, keep an audit entry."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store import audit
from bot.store.models import LeadNoteRow, LeadRow, ScreeningRow
from bot.store.screenings import Conversation


@dataclass(frozen=True)
class Forgotten:
    screenings: int
    leads: int


def forget_conversation(
    session: Session, conversation: Conversation, *, actor: str, source: str | None = None
) -> Forgotten:
    """Delete every screening, lead and lead note of this conversation."""
    where_screening = (ScreeningRow.channel == conversation.channel) & (
        ScreeningRow.conversation_id == conversation.conversation_id
    )
    where_lead = (LeadRow.channel == conversation.channel) & (LeadRow.conversation_id == conversation.conversation_id)
    screening_ids = list(session.scalars(select(ScreeningRow.id).where(where_screening)))
    lead_ids = list(session.scalars(select(LeadRow.id).where(where_lead)))
    if lead_ids:
        session.execute(delete(LeadNoteRow).where(LeadNoteRow.lead_id.in_(lead_ids)))
        session.execute(delete(LeadRow).where(LeadRow.id.in_(lead_ids)))
    if screening_ids:
        session.execute(delete(ScreeningRow).where(ScreeningRow.id.in_(screening_ids)))
    session.expire_all()
    audit.record(
        session,
        actor=actor,
        action="person.forgotten",
        entity_type="person",
        source=source,
        detail={"screening_ids": screening_ids, "lead_ids": lead_ids, "channel": conversation.channel},
    )
    return Forgotten(screenings=len(screening_ids), leads=len(lead_ids))


def forget_screening(session: Session, screening_id: str, *, actor: str, source: str | None = None) -> Forgotten | None:
    """Forget the person a screening belongs to (all their screenings and leads); None if unknown."""
    row = session.get(ScreeningRow, screening_id)
    if row is None:
        return None
    return forget_conversation(session, Conversation(row.channel, row.conversation_id), actor=actor, source=source)
