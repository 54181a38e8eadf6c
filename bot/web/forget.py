"""'Forget my answers' from the web: the core deletes screenings and leads, then the tracker's events go.

The tracker is Rasa's SQL tracker store (table ``events``); deleting its rows removes the
conversation's words and slots. The caller also issues a new conversation id.
"""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from bot.store.db import Database
from bot.store.forget import Forgotten, forget_conversation
from bot.store.screenings import Conversation

#: The channel name our REST channel records with every screening and lead.
CHANNEL = "rest"
TRACKER_TABLE = "events"


def forget(database: Database, tracker_engine: Engine, conversation_id: str) -> tuple[Forgotten, int]:
    """Delete the person's stored screenings and leads (audited by the core), then their tracker events."""
    with database.transaction() as session:
        forgotten = forget_conversation(
            session, Conversation(CHANNEL, conversation_id), actor=f"participant:{CHANNEL}", source="web"
        )
    return forgotten, delete_tracker_events(tracker_engine, conversation_id)


def delete_tracker_events(tracker_engine: Engine, sender_id: str) -> int:
    """Delete one conversation's rows from Rasa's tracker store (also used by the console's forget)."""
    if not inspect(tracker_engine).has_table(TRACKER_TABLE):
        return 0
    with tracker_engine.begin() as connection:
        result = connection.execute(
            text(f"DELETE FROM {TRACKER_TABLE} WHERE sender_id = :sender"), {"sender": sender_id}
        )
    return result.rowcount or 0
