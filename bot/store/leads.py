"""Leads: one per conversation, written in one transaction with its screening and audit row."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.eligibility import Answers, Evaluation
from bot.leads.contact import Contact
from bot.leads.workflow import LeadStatus, check_transition
from bot.store import audit, outbox
from bot.store.models import LeadNoteRow, LeadRow, SiteRow, utcnow
from bot.store.screenings import Conversation, save_screening


class UnknownSiteError(ValueError):
    """The chosen site is not a configured, active site."""


class LeadNotFoundError(LookupError):
    pass


@dataclass(frozen=True)
class HandOff:
    lead: LeadRow
    #: False when this conversation already had a lead and it was updated.
    created: bool


def _apply_contact(lead: LeadRow, contact: Contact, site_code: str) -> None:
    lead.site_code = site_code
    lead.name = contact.name
    lead.phone = contact.phone
    lead.wechat_id = contact.wechat_id
    lead.preferred_time = contact.preferred_time
    lead.updated_at = utcnow()


def find_lead(session: Session, conversation: Conversation, *, for_update: bool = False) -> LeadRow | None:
    """This conversation's lead; ``for_update`` locks it so concurrent hand-offs queue up."""
    query = select(LeadRow).where(
        LeadRow.channel == conversation.channel, LeadRow.conversation_id == conversation.conversation_id
    )
    if for_update:
        query = query.with_for_update(of=LeadRow).execution_options(populate_existing=True)
    return session.scalars(query).first()


def hand_off(
    session: Session,
    *,
    conversation: Conversation,
    answers: Answers,
    evaluation: Evaluation,
    contact: Contact,
    site_code: str,
    source: str | None = None,
) -> HandOff:
    """Store the screening and create (or update) this conversation's lead, in the caller's transaction.

    A second hand-off from the same conversation updates the lead and keeps its status and notes.
    Two hand-offs racing each other meet the unique constraint; the loser updates the winner's row.
    """
    site = session.get(SiteRow, site_code)
    if site is None or not site.active:
        raise UnknownSiteError(f"unknown site {site_code!r}")
    screening = save_screening(session, conversation, answers, evaluation)
    lead = find_lead(session, conversation, for_update=True)
    created = False
    previous_site: str | None = None
    if lead is None:
        lead = LeadRow(
            screening_id=screening.id,
            channel=conversation.channel,
            conversation_id=conversation.conversation_id,
            status=LeadStatus.NEW.value,
        )
        _apply_contact(lead, contact, site_code)
        try:
            with session.begin_nested():
                session.add(lead)
            created = True
        except IntegrityError:
            # The savepoint's rollback already dropped our pending row from the session.
            lead = find_lead(session, conversation, for_update=True)
            if lead is None:  # the constraint that failed was not ours to resolve
                raise
    if not created:
        previous_site = lead.site_code
        lead.screening_id = screening.id
        _apply_contact(lead, contact, site_code)
        session.add(LeadNoteRow(lead_id=lead.id, author="participant", text="Screening and contact details updated."))
    session.flush()
    # The site hears of a new lead, or of one moved to it, in this same transaction (bot/store/outbox.py).
    if created or previous_site != site_code:
        outbox.enqueue_new_lead(session, lead)
    audit.record(
        session,
        actor=f"participant:{conversation.channel}",
        action="lead.created" if created else "lead.updated",
        entity_type="lead",
        entity_id=lead.id,
        source=source,
        detail={"screening_id": screening.id, "site": site_code, "screening_status": evaluation.status},
    )
    return HandOff(lead=lead, created=created)


def change_status(
    session: Session, lead_id: str, new_status: str, *, actor: str, note: str = "", source: str | None = None
) -> LeadRow:
    """Move a lead along the workflow with a note; refuses transitions the workflow forbids."""
    lead = session.get(LeadRow, lead_id)
    if lead is None:
        raise LeadNotFoundError(lead_id)
    target = check_transition(lead.status, new_status)
    previous = lead.status
    lead.status = target.value
    lead.updated_at = utcnow()
    session.add(LeadNoteRow(lead_id=lead.id, author=actor, from_status=previous, to_status=target.value, text=note))
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="lead.status_changed",
        entity_type="lead",
        entity_id=lead.id,
        source=source,
        detail={"from": previous, "to": target.value},
    )
    return lead
