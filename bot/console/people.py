"""Forget a person from the console (admins): the core deletes screenings, leads, notes and pending
notifications (audited), then the conversation's tracker events go, as with the participant's own
"forget my answers" (bot/web/forget.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot.console.accounts import Actor
from bot.store.db import Database
from bot.store.forget import forget_conversation
from bot.store.models import ScreeningRow
from bot.store.screenings import Conversation
from bot.web.forget import delete_tracker_events


class NotAllowedError(PermissionError):
    """Only admins may forget a person."""


@dataclass(frozen=True)
class PersonForgotten:
    screenings: int
    leads: int
    tracker_events: int


def forget_person(
    database: Database, tracker_engine: Engine, actor: Actor, screening_id: str, source: str | None
) -> PersonForgotten | None:
    """None when no screening has this id."""
    if not actor.is_admin:
        raise NotAllowedError("only admins may forget a person")
    if not screening_id or len(screening_id) > 36:
        return None
    with database.transaction() as session:
        row = session.get(ScreeningRow, screening_id)
        if row is None:
            return None
        conversation = Conversation(row.channel, row.conversation_id)
        forgotten = forget_conversation(session, conversation, actor=actor.audit_name, source=source)
    events = delete_tracker_events(tracker_engine, conversation.conversation_id)
    return PersonForgotten(screenings=forgotten.screenings, leads=forgotten.leads, tracker_events=events)
