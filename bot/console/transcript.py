"""A conversation's words, read from Rasa's SQL tracker store (table ``events``, one row per event).

The sender id there is the conversation id our channels store with the lead (bot/web/forget.py
deletes the same rows). Only user and bot texts are returned; slots and actions are not. A button the
person pressed is shown by its title, as the participant saw it, not as its payload ("/affirm"), in the
conversation's language (the screening's), not the coordinator's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from bot.web import translations
from bot.web.conversation import buttons_of, user_label
from bot.web.forget import TRACKER_TABLE

MAX_EVENTS = 5000


@dataclass(frozen=True)
class Line:
    speaker: str  # "user" | "bot"
    text: str
    at: datetime | None


def _strings(language: str | None) -> dict[str, Any]:
    """The participant page's strings in the conversation's language (English if the page lacks it)."""
    chosen = language if language in translations.available() else translations.DEFAULT_LANGUAGE
    return translations.load(chosen)


def transcript(tracker_engine: Engine, sender_id: str, language: str | None = None) -> list[Line]:
    if not inspect(tracker_engine).has_table(TRACKER_TABLE):
        return []
    query = text(
        f"SELECT type_name, timestamp, data FROM {TRACKER_TABLE} "
        "WHERE sender_id = :sender AND type_name IN ('user', 'bot') ORDER BY id LIMIT :limit"
    )
    with tracker_engine.connect() as connection:
        rows = connection.execute(query, {"sender": sender_id, "limit": MAX_EVENTS}).all()
    strings = _strings(language)
    lines: list[Line] = []
    offered: list[dict[str, str]] = []
    for type_name, timestamp, data in rows:
        try:
            event = json.loads(data) if isinstance(data, str) else dict(data or {})
        except ValueError:
            continue
        words = event.get("text")
        if type_name == "bot":
            offered += buttons_of(event)
        if not isinstance(words, str) or not words.strip():
            continue
        if type_name == "user":
            words, offered = user_label(words, offered, strings), []
        at = datetime.fromtimestamp(float(timestamp), timezone.utc) if timestamp is not None else None
        lines.append(Line(speaker=str(type_name), text=words, at=at))
    return lines
