"""Rasa's bot messages as WeChat text: buttons become numbered options; few, short messages.

WeChat text has no buttons, so each message's buttons become one line, "Reply 1 for Yes, 2 for No,
3 for I don't know." (wording from ``texts/<language>.yml``), numbered on across the turn's messages
so ``options.py`` can map a typed number back. A turn's messages are then merged into as few
texts as fit WeChat's limit of 2048 bytes each: one for a passive reply, at most 5 for
customer-service messages (WeChat's cap per user message).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

logger = logging.getLogger(__name__)

MAX_TEXT_BYTES = 2048
MAX_SERVICE_MESSAGES = 5
SEPARATOR = "\n\n"
ELLIPSIS = "…"


def options_line(titles: Sequence[str], first_number: int, texts: Mapping[str, str]) -> str:
    parts = []
    for offset, title in enumerate(titles):
        template = texts["options_first"] if offset == 0 else texts["options_next"]
        parts.append(template.format(number=first_number + offset, title=title))
    return texts["options_separator"].join(parts) + texts["options_end"]


def render(messages: Sequence[Mapping[str, Any]], texts: Mapping[str, str]) -> list[str]:
    """One text per bot message that has something to say (images and custom payloads are skipped)."""
    rendered: list[str] = []
    number = 1
    for message in messages:
        lines = [message["text"]] if isinstance(message.get("text"), str) and message["text"].strip() else []
        buttons = [b for b in message.get("buttons") or [] if isinstance(b, dict) and b.get("payload")]
        if buttons:
            titles = [str(b.get("title") or b["payload"]) for b in buttons]
            lines.append(options_line(titles, number, texts))
            number += len(buttons)
        if lines:
            rendered.append("\n".join(lines))
    return rendered


def _bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut(text: str, limit: int) -> tuple[str, str]:
    """The longest head of ``text`` within ``limit`` UTF-8 bytes (at a line or space if possible), and the rest."""
    head = text.encode("utf-8")[:limit].decode("utf-8", "ignore")
    for boundary in ("\n", " "):
        at = head.rfind(boundary)
        if at > len(head) // 2:
            head = head[:at]
            break
    return head, text[len(head):].lstrip()


def pack(parts: Sequence[str], max_messages: int = MAX_SERVICE_MESSAGES, limit: int = MAX_TEXT_BYTES) -> list[str]:
    """Merge ``parts`` in order into at most ``max_messages`` texts of at most ``limit`` bytes each.

    A part longer than ``limit`` is split; what does not fit in ``max_messages`` is cut off with an
    ellipsis (logged: the bot's own responses should never be that long).
    """
    pieces: list[str] = []
    for part in parts:
        while _bytes(part) > limit:
            head, part = _cut(part, limit)
            pieces.append(head)
        if part:
            pieces.append(part)
    texts: list[str] = []
    for piece in pieces:
        if texts and _bytes(texts[-1] + SEPARATOR + piece) <= limit:
            texts[-1] += SEPARATOR + piece
        else:
            texts.append(piece)
    if len(texts) > max_messages:
        logger.warning("a bot turn needs %d WeChat messages; sending %d", len(texts), max_messages)
        last, _ = _cut(texts[max_messages - 1], limit - _bytes(ELLIPSIS))
        texts = texts[: max_messages - 1] + [last + ELLIPSIS]
    return texts
