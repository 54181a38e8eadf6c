"""All user-facing strings of the web page, one JSON file per language (a new language is data).

Which language a request gets: the person's own choice (``?lang=`` or the ``lang`` cookie the app
sets), else the browser's ``Accept-Language`` in order of its q-values, else English. Language tags
are read by Babel (``zh-CN``, ``zh-Hans``, ``zh-TW`` and ``zh`` are all our ``zh``).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from babel.core import parse_locale

TRANSLATIONS_DIR = Path(__file__).with_name("translations")
DEFAULT_LANGUAGE = "en"
#: What ``<html lang>`` says per language, for screen readers and font selection (Chinese is Simplified).
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
#: An Accept-Language header longer than this is read only this far (nobody prefers 50 languages).
MAX_HEADER_CHARS = 1000


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
        nested = set(reference["payloads"]) ^ set(strings["payloads"])
        if nested:
            raise ValueError(f"translations/{language}.json: payloads differ from English: {sorted(nested)}")
    return strings


@functools.lru_cache(maxsize=1)
def available() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in TRANSLATIONS_DIR.glob("*.json")))


def html_lang(language: str) -> str:
    """The BCP 47 tag for ``<html lang>``."""
    return HTML_LANG.get(language, language)


def language_of(tag: str | None) -> str | None:
    """Our language for one language tag ("zh-Hans-CN" -> "zh"), or None when we do not have it."""
    if not tag:
        return None
    try:
        code = parse_locale(tag.strip().replace("_", "-"), sep="-")[0].lower()
    except ValueError:  # "*", "i-klingon" and other tags Babel cannot read
        return None
    return code if code in available() else None


def preferred_tags(accept_language: str | None) -> list[str]:
    """The header's language ranges, most preferred first (by q-value, then header order); q=0 left out."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "")[:MAX_HEADER_CHARS].split(",")):
        tag, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = -1.0
        if tag and 0 < quality <= 1:
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def from_accept_language(accept_language: str | None) -> str | None:
    """The browser's most preferred language that we have, or None."""
    for tag in preferred_tags(accept_language):
        found = language_of(tag)
        if found:
            return found
    return None


def negotiate(requested: str | None, accept_language: str | None, chosen: str | None = None) -> str:
    """``?lang=`` if we have it, else the person's kept choice (cookie), else Accept-Language, else English."""
    for explicit in (requested, chosen):
        found = language_of(explicit)
        if found:
            return found
    return from_accept_language(accept_language) or DEFAULT_LANGUAGE
