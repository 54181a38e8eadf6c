"""Forget a person on request: their stored screenings and leads (through the core) and their slots."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import conversation, database, in_thread
from bot.store.forget import forget_conversation

logger = logging.getLogger(__name__)


class ActionForgetMe(Action):
    def name(self) -> str:
        return "action_forget_me"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        where = conversation(tracker)

        def forget() -> None:
            with database().transaction() as session:
                forget_conversation(session, where, actor=f"participant:{where.channel}", source="chat")

        try:
            await in_thread(forget)
        except Exception:
            logger.exception("forgetting a conversation failed")
            dispatcher.utter_message(response="technical_problem")
            return []
        dispatcher.utter_message(response="forgotten")
        return [ActiveLoop(None), AllSlotsReset()]
