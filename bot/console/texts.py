"""Every string a coordinator sees, from translations/<language>.json (a new language is data)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

TRANSLATIONS_DIR = Path(__file__).with_name("translations")
DEFAULT_LANGUAGE = "en"


@functools.cache
def load(language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    path = TRANSLATIONS_DIR / f"{language}.json"
    if not path.is_file():
        raise KeyError(language)
    return json.loads(path.read_text(encoding="utf-8"))


def text(key: str, language: str = DEFAULT_LANGUAGE, **values: Any) -> str:
    """The string for ``key`` with ``{name}`` placeholders filled; a missing key fails loudly."""
    found = load(language)[key]
    return found.format(**values) if values else found
