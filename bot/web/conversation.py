"""What the page shows, read from Rasa's tracker: the history, the progress, the last answer.

Pure functions over the tracker JSON of Rasa's HTTP API, so they are tested without Rasa.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.screening.questions import load_questions
from bot.web import translations

SCREENING_FORM = "screening_form"
ASK_PREFIX = "ask_"
FORGET_INTENT = "forget_me"
EMPTY_STATE: dict[str, Any] = {"progress": None, "can_change": False, "forget_asked": False, "language": None}


def question_names() -> frozenset[str]:
    return frozenset(q.name for q in load_questions())


def buttons_of(event: Mapping[str, Any]) -> list[dict[str, str]]:
    """A bot event's or REST reply's buttons, as plain ``{"title", "payload"}`` strings."""
    raw = event.get("buttons") or (event.get("data") or {}).get("buttons") or []
    return [
        {"title": str(b["title"]), "payload": str(b["payload"])}
        for b in raw
        if isinstance(b, Mapping) and b.get("title") and b.get("payload")
    ]


def bot_messages(replies: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rasa REST replies (``[{"text", "buttons"}]``) as page messages; anything else (images, custom) is dropped."""
    messages = []
    for reply in replies:
        text = reply.get("text")
        buttons = buttons_of(reply)
        if isinstance(text, str) and text or buttons:
            messages.append({"from": "bot", "text": text or "", "buttons": buttons})
    return messages


def user_label(text: str, offered: list[dict[str, str]], strings: Mapping[str, Any]) -> str:
    """What the person sees for their own message: a button's title instead of its payload."""
    for button in offered:
        if button["payload"] == text:
            return button["title"]
    if text in strings["payloads"]:
        return strings["payloads"][text]
    # A correction sent while the page was in another language carries that language's prefix.
    prefixes = {strings["correction_prefix"]} | {translations.load(code)["correction_prefix"]
                                                  for code in translations.available()}
    for prefix in sorted(filter(None, prefixes), key=len, reverse=True):
        if text.startswith(prefix):
            return f"{strings['changed_answer']} {text[len(prefix) :]}"
    return text


def history(events: Iterable[Mapping[str, Any]], strings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The conversation as the page shows it; only the bot's messages after the last user message keep buttons."""
    messages: list[dict[str, Any]] = []
    offered: list[dict[str, str]] = []
    for event in events:
        kind = event.get("event")
        if kind == "bot":
            text = event.get("text") or ""
            buttons = buttons_of(event)
            if text or buttons:
                messages.append({"from": "bot", "text": text, "buttons": buttons})
                offered += buttons
        elif kind == "user" and event.get("text"):
            messages.append({"from": "user", "text": user_label(event["text"], offered, strings)})
            offered = []
    last_user = max((i for i, m in enumerate(messages) if m["from"] == "user"), default=-1)
    for message in messages[:last_user]:
        if message["from"] == "bot":
            message["buttons"] = []
    return messages


def state(tracker: Mapping[str, Any]) -> dict[str, Any]:
    """Progress during the screening, whether there is an answer the person can change, and the language.

    ``language`` is the conversation's ``language`` slot (Rasa decides it), or None while it is unset.
    """
    slots = tracker.get("slots") or {}
    loop = (tracker.get("active_loop") or {}).get("name")
    names = question_names()
    consented = slots.get("data_consent") is True
    asking = loop == SCREENING_FORM and consented and slots.get("requested_slot") in names
    remaining = slots.get("screening_remaining")
    progress = None
    if asking and isinstance(remaining, (int, float)) and remaining > 0:
        progress = {"remaining": max(1, round(remaining))}
    answered = consented and any(slots.get(name) is not None for name in names)
    # Typed "forget my answers": the bot deleted the answers; the page offers to delete the conversation too.
    intent = ((tracker.get("latest_message") or {}).get("intent") or {}).get("name")
    language = slots.get("language")
    return {
        "progress": progress,
        "can_change": answered and loop in (None, SCREENING_FORM),
        "forget_asked": intent == FORGET_INTENT,
        "language": language if language in translations.available() else None,
    }


def last_answer(events: Iterable[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The question the person answered last (asked by ``ask_<slot>``, then set), with its text and buttons.

    Buttons carry their titles as payloads: a correction is sent as words ("correction: Yes"),
    since an intent payload such as ``/affirm`` would not be read as a correction.
    """
    names = question_names()
    asked: dict[str, Mapping[str, Any]] = {}
    last: str | None = None
    for event in events:
        kind = event.get("event")
        if kind == "bot":
            action = str((event.get("metadata") or {}).get("utter_action") or "")
            name = action[len(ASK_PREFIX) :] if action.startswith(ASK_PREFIX) else ""
            if name in names:
                asked[name] = event
        elif kind == "slot" and event.get("name") in names:
            if event.get("value") is not None and event["name"] in asked:
                last = event["name"]
            elif event.get("value") is None and event.get("name") == last:
                last = None
        elif kind in ("reset_slots", "restart"):
            asked, last = {}, None
    if last is None:
        return None
    prompt = asked[last]
    buttons = [{"title": b["title"], "payload": b["title"]} for b in buttons_of(prompt) if b["payload"] != "/dont_know"]
    return {"name": last, "question": prompt.get("text") or "", "buttons": buttons}
