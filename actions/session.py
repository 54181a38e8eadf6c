"""A new session: carry the conversation's slots over, and take its language from the channel.

Rasa's default ``action_session_start`` carries slots over but knows nothing of the channel's
language. Here the channel's statement (the first message's metadata ``language``: the web page's
choice, WeChat's configured default) sets the ``language`` slot, unless the conversation already
has one: a person who switched to English keeps English in the next session.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.languages.detect import LANGUAGES

#: Rasa's own slot holding the metadata of the message that started the session.
SESSION_METADATA = "session_started_metadata"


def stated_language(metadata: Any) -> str | None:
    """The language a channel states in a message's metadata, if it is one of ours."""
    value = metadata.get("language") if isinstance(metadata, dict) else None
    return value if value in LANGUAGES else None


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        carried = [
            SlotSet(name, value)
            for name, value in tracker.current_slot_values().items()
            if value is not None and name != SESSION_METADATA
        ]
        events: list[EventType] = [SessionStarted(), *carried]
        stated = stated_language(tracker.get_slot(SESSION_METADATA))
        if stated and tracker.get_slot("language") is None:
            events.append(SlotSet("language", stated))
        events.append(ActionExecuted("action_listen"))
        return events
