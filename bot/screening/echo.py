"""What the bot says back about an answer: a yes/no question's topic, and values as people read them.

The sentences themselves are domain responses ("Noted: yes ({topic})."); this module only
fills their variables.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.screening.parsing import format_date

TOPICS_DIR = Path(__file__).with_name("topics")
MINUS = "\u2212"


@functools.cache
def topics(language: str = "en") -> dict[str, str]:
    """Field or gate name -> a short phrase naming what its yes/no question is about."""
    path = TOPICS_DIR / f"{language}.yml"
    if not path.is_file():
        path = TOPICS_DIR / "en.yml"
    # BaseLoader keeps every phrase a string (YAML 1.1 would read a bare "no" as false).
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return {str(name): str(phrase) for name, phrase in data.items()}


def topic(name: str, language: str = "en") -> str:
    return topics(language)[name]


def people_value(value: Any, language: str = "en") -> str:
    """A number without a trailing ".0" and with a real minus sign ("−2.5", "22", "8.81"); an ISO
    date as people read it ("31 March 2026"); anything else as it is."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        rounded = round(float(value), 2)
        text = f"{abs(rounded):.2f}".rstrip("0").rstrip(".")
        return f"{MINUS}{text}" if rounded < 0 else text
    if isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value), language)
        except ValueError:
            return value
    return str(value)
