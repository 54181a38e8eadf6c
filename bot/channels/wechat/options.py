"""Numbered replies ("1", "2", ...) back to the payload of the button shown under that number.

Nothing extra is stored: the options are the buttons of the bot's messages since the person's last
message, read from the conversation's tracker (the same messages ``render.py`` numbered, in the
same order, numbering on across messages). A number with no such option is passed on as typed
(an age, an eGFR value).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

ENDINGS = ".。、) "


def last_buttons(events: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The buttons of the bot events after the last user event, in order (events in tracker order)."""
    tail: list[Mapping[str, Any]] = []
    for event in reversed(events):
        if event.get("event") == "user":
            break
        if event.get("event") == "bot":
            tail.append(event)
    buttons: list[dict[str, Any]] = []
    for event in reversed(tail):
        data = event.get("data") or {}
        buttons.extend(b for b in data.get("buttons") or [] if isinstance(b, dict) and b.get("payload"))
    return buttons


def chosen_payload(text: str, buttons: Sequence[Mapping[str, Any]]) -> str | None:
    """The payload of option ``text`` ("2", "２", "2."), or None when ``text`` is not such a number."""
    stripped = text.strip().rstrip(ENDINGS)
    if not stripped or len(stripped) > 2 or not stripped.isdecimal():
        return None
    number = int(stripped)
    if 1 <= number <= len(buttons):
        return str(buttons[number - 1]["payload"])
    return None


def is_option_number(text: str) -> bool:
    """Worth reading the tracker for: one or two digits, nothing else."""
    stripped = text.strip().rstrip(ENDINGS)
    return 0 < len(stripped) <= 2 and stripped.isdecimal()
