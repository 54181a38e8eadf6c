"""Translation between Rasa trackers and the core: answers, language, conversation, database."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.forms import REQUESTED_SLOT

from bot.eligibility import AnswerError, validate
from bot.eligibility.fields import ANSWER_FIELDS
from bot.screening.planner import ScreeningState
from bot.screening.questions import gate_names, load_questions
from bot.store import prepare
from bot.store.db import Database
from bot.store.screenings import Conversation

logger = logging.getLogger(__name__)
T = TypeVar("T")

#: Intents that are not an answer to the open question: the form lets rules handle them.
DIGRESSION_INTENTS = frozenset(
    {
        "faq",
        "why_ask",
        "stop",
        "goodbye",
        "human_handoff",
        "bot_challenge",
        "red_flag",
        "start_over",
        "forget_me",
        "medical_advice",
        "correction",
        "learn_more",
        "switch_language",
    }
)
#: Slots the screening owns besides the answers (reset on restart and on forget).
SCREENING_BOOKKEEPING = (
    "screening_skipped",
    "screening_misreads",
    "screening_pending",
    "go_on_after_fail",
    "screening_status",
)


def language(tracker: Tracker) -> str:
    return tracker.get_slot("language") or "en"


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def latest_metadata(tracker: Tracker) -> dict[str, Any]:
    """What the channel said about the person's latest message (e.g. which answer its control changes)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            metadata = event.get("metadata")
            return metadata if isinstance(metadata, dict) else {}
    return {}


def last_answered(tracker: Tracker) -> str | None:
    """The question asked before the open one (or the last one, once the form ended).

    Read from the history of ``requested_slot``, not from the last slot set: a "no" to a gate
    also fills the dates behind it, which were never asked.
    """
    names = {q.name for q in load_questions()}
    current = tracker.get_slot(REQUESTED_SLOT)
    asked = [
        e.get("value") for e in tracker.events if e.get("event") == "slot" and e.get("name") == REQUESTED_SLOT
    ]
    for value in reversed(asked):
        if value in names and value != current:
            return value
    return None


def read_value(name: str, value: Any) -> Any:
    """The slot's value if it is a read answer; None while it still holds the person's raw words."""
    if value is None:
        return None
    if name in gate_names():
        return value if isinstance(value, bool) else None
    try:
        validate({name: value})
    except AnswerError:
        return None
    return value


def plausible(name: str, value: Any, tracker: Tracker) -> bool:
    """The value fits the other answers (e.g. no longer with diabetes than alive).

    The other answers as read: the open question's slot still holds the person's words this turn.
    """
    read = {f: read_value(f, tracker.get_slot(f)) for f in ANSWER_FIELDS}
    answers = {f: v for f, v in read.items() if v is not None}
    try:
        validate({**answers, name: value, "as_of": date.today().isoformat()})
    except AnswerError:
        return False
    return True


def screening_state(tracker: Tracker, today: date | None = None) -> ScreeningState:
    """The answers so far, as the planner and the engine read them (unread raw text counts as unknown)."""
    return ScreeningState(
        answers={name: read_value(name, tracker.get_slot(name)) for name in ANSWER_FIELDS},
        gates={name: read_value(name, tracker.get_slot(name)) for name in gate_names()},
        skipped=frozenset(tracker.get_slot("screening_skipped") or []),
        as_of=today or date.today(),
        go_on_after_fail=bool(tracker.get_slot("go_on_after_fail")),
    )


def conversation(tracker: Tracker) -> Conversation:
    """Channel and sender id; the channel issues the id (never trust one chosen by a page)."""
    channel = tracker.get_latest_input_channel() or "rest"
    return Conversation(channel=channel[:32], conversation_id=tracker.sender_id[:128])


_database: Database | None = None
_database_lock = threading.Lock()


def database() -> Database:
    """The store, created and migrated on first use (not at import: the action server must start without it)."""
    global _database
    with _database_lock:
        if _database is None:
            candidate = Database()
            prepare(candidate)
            _database = candidate
        return _database


async def in_thread(work: Callable[[], T]) -> T:
    """Run blocking work (the database) off the action server's event loop."""
    return await asyncio.to_thread(work)
