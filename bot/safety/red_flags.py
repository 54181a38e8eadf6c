"""Recognise emergencies in a message, from patterns kept as data (``red_flags.yml``, by language).

Each language's patterns are tried, whatever the conversation's language: a person may write in either.
A match is not an emergency when the words right before it deny it ("no chest pain", "没有胸痛", "不胸闷"):
the denials are data too, per language (``denials`` in ``red_flags.yml``), and each match is checked only
against its own language's. Every pattern runs in linear time (no nested or unbounded repeats).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

PATTERNS_FILE = Path(__file__).with_name("red_flags.yml")
NOT_EMERGENCIES_FILE = Path(__file__).with_name("not_emergencies.yml")
#: The key of ``red_flags.yml`` that holds the denials; every other key is a language.
DENIALS = "denials"
#: How far back from a match a denial is looked for: longer than any denial, so the search stays short.
DENIAL_REACH = 40


@functools.cache
def _data() -> dict[str, dict[str, list[str]]]:
    return yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))


@functools.cache
def _patterns() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    return {
        language: [(kind, re.compile(p, re.IGNORECASE)) for kind, patterns in kinds.items() for p in patterns]
        for language, kinds in _data().items()
        if language != DENIALS
    }


@functools.cache
def _denials() -> dict[str, list[re.Pattern[str]]]:
    denials = _data()[DENIALS]
    return {language: [re.compile(p, re.IGNORECASE) for p in patterns] for language, patterns in denials.items()}


def _denied(before: str, language: str) -> bool:
    tail = before[-DENIAL_REACH:]
    return any(p.search(tail) for p in _denials().get(language, []))


def red_flag(text: str) -> str | None:
    """The kind of emergency the message describes (chest_pain, fall, stroke, self_harm, bleeding), or None."""
    text = " ".join((text or "").replace("\u2019", "'").split())
    for language, patterns in _patterns().items():
        for kind, pattern in patterns:
            for match in pattern.finditer(text):
                if not _denied(text[: match.start()], language):
                    return kind
    return None


@functools.cache
def _not_emergencies() -> list[re.Pattern[str]]:
    data = yaml.safe_load(NOT_EMERGENCIES_FILE.read_text(encoding="utf-8"))
    return [re.compile(p, re.IGNORECASE) for patterns in data.values() for p in patterns]


def not_an_emergency(text: str) -> bool:
    """The message names a worry but describes no emergency now ("I had a chest infection", "以前中过风")."""
    text = " ".join((text or "").replace("\u2019", "'").split())
    return any(p.search(text) for p in _not_emergencies())
