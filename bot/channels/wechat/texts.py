"""What the channel itself says, per language, from ``texts/<language>.yml`` (never from Python)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

TEXTS_DIR = Path(__file__).with_name("texts")
KEYS = ("options_first", "options_next", "options_separator", "options_end", "only_text")
FALLBACK = "en"


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """The languages the channel can speak: one file each."""
    return tuple(sorted(path.stem for path in TEXTS_DIR.glob("*.yml")))


@lru_cache(maxsize=8)
def channel_texts(language: str = FALLBACK) -> dict[str, str]:
    """The texts of ``language``, falling back to English for a language without a file."""
    path = TEXTS_DIR / f"{language if language in languages() else FALLBACK}.yml"
    texts = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    missing = [key for key in KEYS if not isinstance(texts.get(key), str)]
    if missing:
        raise ValueError(f"{path} lacks {', '.join(missing)}")
    return {key: texts[key] for key in KEYS}
