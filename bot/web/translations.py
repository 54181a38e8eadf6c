"""All user-facing strings of the web page, one JSON file per language (a new language is data)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

TRANSLATIONS_DIR = Path(__file__).with_name("translations")
DEFAULT_LANGUAGE = "en"


@functools.cache
def load(language: str) -> dict[str, Any]:
    """One language's strings; every file must have exactly the keys of the default language."""
    if language not in available():
        raise KeyError(language)
    strings = json.loads((TRANSLATIONS_DIR / f"{language}.json").read_text(encoding="utf-8"))
    if language != DEFAULT_LANGUAGE:
        reference = load(DEFAULT_LANGUAGE)
        missing = set(reference) - set(strings)
        extra = set(strings) - set(reference)
        if missing or extra:
            raise ValueError(f"translations/{language}.json: missing {sorted(missing)}, unknown {sorted(extra)}")
    return strings


@functools.lru_cache(maxsize=1)
def available() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in TRANSLATIONS_DIR.glob("*.json")))


def negotiate(requested: str | None, accept_language: str | None) -> str:
    """``?lang=`` if we have it, else the first Accept-Language we have, else English."""
    languages = available()
    if requested and requested in languages:
        return requested
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        for candidate in (tag, tag.split("-")[0]):
            if candidate in languages:
                return candidate
    return DEFAULT_LANGUAGE
