"""Builders for the action tests: trackers as Rasa serialises them, and readers of what an action did."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

SENDER = "test-sender-1"

#: A screened man (diabetes 12 years, hip fracture) who chose a site, gave contact details and confirmed.
HANDOFF_READY: dict[str, Any] = {
    "data_consent": True,
    "contact_consent": True,
    "type2_diabetes": True,
    "sex": "male",
    "age": 62.0,
    "diabetes_years": 12.0,
    "hip_or_vertebral_fragility_fracture": True,
    "handoff_site": "huaian",
    "handoff_name": "Wang Li",
    "handoff_contact": "+8613800138000",
    "handoff_time": "weekday mornings",
    "handoff_confirm": True,
}


def initial_slots(domain: dict[str, Any]) -> dict[str, Any]:
    """Every domain slot at its initial value, plus ``requested_slot``, as in a fresh Rasa tracker."""
    slots = {name: spec.get("initial_value") for name, spec in domain["slots"].items()}
    slots["requested_slot"] = None
    return slots


def user_event(text: str, intent: str | None, confidence: float = 0.98) -> dict[str, Any]:
    parse_data = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "entities": [],
        "message_id": "m1",
    }
    return {"event": "user", "text": text, "parse_data": parse_data, "input_channel": "rest"}


def build_tracker(
    domain: dict[str, Any],
    *,
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str | None = "inform",
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    form_turn: bool = False,
    sender_id: str = SENDER,
) -> Tracker:
    """A ``rasa_sdk.Tracker`` built with ``Tracker.from_dict`` from a dump like the one Rasa sends.

    By default the events end with the person's message. ``form_turn=True`` appends what Rasa
    adds before it calls a form's validation action on an answer turn: ``requested_slot`` and
    the form's own ``ActionExecuted``.
    """
    all_slots = initial_slots(domain)
    all_slots.update(slots or {})
    message = user_event(text, intent)
    if events is None:
        events = [{"event": "action", "name": "action_listen"}, message]
        if form_turn:
            assert active_loop, "a form turn needs the active form"
            events += [
                {"event": "slot", "name": "requested_slot", "value": all_slots["requested_slot"]},
                {"event": "action", "name": active_loop},
            ]
    last = events[-1] if events else {}
    return Tracker.from_dict(
        {
            "sender_id": sender_id,
            "slots": all_slots,
            "latest_message": message["parse_data"],
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action_name": last.get("name") if last.get("event") == "action" else None,
        }
    )


def run(action: Action, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[Any]:
    return asyncio.run(action.run(dispatcher, tracker, domain))


def responses(dispatcher: CollectingDispatcher) -> list[str | None]:
    return [m.get("response") for m in dispatcher.messages]


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The last value each ``SlotSet`` in ``events`` gives its slot."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def unfilled(dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> list[tuple[str, str]]:
    """(response, placeholder) pairs a message leaves empty: its domain text needs a variable it was not given."""
    gaps = []
    for message in dispatcher.messages:
        name = message.get("response")
        for variation in domain["responses"].get(name) or []:
            for placeholder in re.findall(r"{(\w+)}", variation.get("text") or ""):
                if placeholder not in message:
                    gaps.append((name, placeholder))
    return gaps
