"""Which language a message is in, and whether it asks to switch: pure functions over data (switch.yml).

The conversation's language has one owner, the ``language`` slot; these functions only say what one
message shows. Chinese characters mean Chinese (a person who types Chinese reads Chinese). Latin
letters alone mean nothing: "62", "eGFR 45" or "ok" are typed by Chinese speakers too, so only an
explicit request switches a conversation to English.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import yaml

SWITCH_FILE = Path(__file__).with_name("switch.yml")
LANGUAGES = ("en", "zh")
#: Han characters, as a regular-expression class body: CJK Unified Ideographs, their extension A, and
#: compatibility ideographs. The one definition every reader, the tokenizer and the NLU use.
HANZI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HANZI = re.compile(f"[{HANZI}]")
_END_PUNCTUATION = re.compile(r"[\s.!?。！？~～,，]+$")


def has_chinese(text: str) -> bool:
    return _HANZI.search(text or "") is not None


@functools.cache
def _switch_patterns() -> dict[str, re.Pattern[str]]:
    data = yaml.safe_load(SWITCH_FILE.read_text(encoding="utf-8"))
    return {language: re.compile("|".join(f"(?:{p})" for p in patterns)) for language, patterns in data.items()}


def switch_request(text: str) -> str | None:
    """The language the message asks for ("English please" -> "en", "说中文" -> "zh"), or None."""
    clean = _END_PUNCTUATION.sub("", " ".join(unicodedata.normalize("NFKC", text or "").lower().split()))
    for language, pattern in _switch_patterns().items():
        if pattern.fullmatch(clean):
            return language
    return None


def message_language(text: str) -> str | None:
    """The language this one message shows: a switch request's, else zh for Chinese text, else None."""
    return switch_request(text) or ("zh" if has_chinese(text) else None)
