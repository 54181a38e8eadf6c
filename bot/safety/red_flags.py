"""Recognise emergencies in a message, from patterns kept as data (``red_flags.yml``, by language)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

PATTERNS_FILE = Path(__file__).with_name("red_flags.yml")
NOT_EMERGENCIES_FILE = Path(__file__).with_name("not_emergencies.yml")
#: A denial right before the words ("no chest pain", "I don't have chest pain") is not an emergency.
_DENIED = re.compile(r"\b(no|never|without|not|n't|dont|don't) (have |had |any |got )?$", re.IGNORECASE)


@functools.cache
def _patterns() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    data = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    return {
        language: [(kind, re.compile(p, re.IGNORECASE)) for kind, patterns in kinds.items() for p in patterns]
        for language, kinds in data.items()
    }


def red_flag(text: str) -> str | None:
    """The kind of emergency the message describes (chest_pain, fall, stroke, self_harm, bleeding), or None.

    Every language's patterns are tried: a person may write in either.
    """
    text = " ".join((text or "").replace("\u2019", "'").split())
    for patterns in _patterns().values():
        for kind, pattern in patterns:
            for match in pattern.finditer(text):
                if not _DENIED.search(text[: match.start()]):
                    return kind
    return None


@functools.cache
def _not_emergencies() -> list[re.Pattern[str]]:
    data = yaml.safe_load(NOT_EMERGENCIES_FILE.read_text(encoding="utf-8"))
    return [re.compile(p, re.IGNORECASE) for patterns in data.values() for p in patterns]


def not_an_emergency(text: str) -> bool:
    """The message names a worry but describes no emergency now ("I had a chest infection")."""
    text = " ".join((text or "").replace("\u2019", "'").split())
    return any(p.search(text) for p in _not_emergencies())
