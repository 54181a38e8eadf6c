"""Every string a coordinator sees, from translations/<language>.json (a new language is data).

``en.json`` is the reference: every other file must have exactly its keys with the same ``{placeholders}``,
so a missing translation fails when the file is loaded (and in tests/console/test_languages.py), never
half-way through a page. Which language a request gets is decided in bot/console/web.py (language_of).
"""

from __future__ import annotations

import functools
import json
import string
from pathlib import Path
from typing import Any

TRANSLATIONS_DIR = Path(__file__).with_name("translations")
#: The reference file, and what render() uses when no language is given.
DEFAULT_LANGUAGE = "en"
#: The console's language when CONSOLE_LANGUAGE is not set: the coordinators are Chinese site staff.
CONSOLE_DEFAULT = "zh"


@functools.lru_cache(maxsize=1)
def available() -> tuple[str, ...]:
    """The console's languages: one translations/<code>.json each."""
    return tuple(sorted(path.stem for path in TRANSLATIONS_DIR.glob("*.json")))


def placeholders(value: str) -> frozenset[str]:
    """The ``{name}`` fields of a string; a JSON example in braces counts too, so it must match as well."""
    try:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(value) if name)
    except ValueError:  # an unbalanced brace: the string is never formatted, compare it whole
        return frozenset({value})


def mismatches(language: str, strings: dict[str, Any], reference: dict[str, Any]) -> list[str]:
    """What keeps ``strings`` from being a full translation of ``reference`` (empty when it is one)."""
    problems = [f"missing {key}" for key in sorted(set(reference) - set(strings))]
    problems += [f"unknown {key}" for key in sorted(set(strings) - set(reference))]
    for key in sorted(set(reference) & set(strings)):
        if not isinstance(strings[key], str) or not strings[key].strip():
            problems.append(f"empty {key}")
        elif placeholders(strings[key]) != placeholders(reference[key]):
            problems.append(f"placeholders of {key} differ")
    return [f"translations/{language}.json: {p}" for p in problems]


@functools.cache
def load(language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    path = TRANSLATIONS_DIR / f"{language}.json"
    if language not in available() or not path.is_file():
        raise KeyError(language)
    strings = json.loads(path.read_text(encoding="utf-8"))
    if language != DEFAULT_LANGUAGE:
        problems = mismatches(language, strings, load(DEFAULT_LANGUAGE))
        if problems:
            raise ValueError("; ".join(problems))
    return strings


def known(language: str | None) -> str | None:
    """``language`` if the console has it, else None (a stored choice whose file was removed)."""
    return language if language in available() else None


def text(key: str, language: str = DEFAULT_LANGUAGE, **values: Any) -> str:
    """The string for ``key`` with ``{name}`` placeholders filled; a missing key fails loudly."""
    found = load(language)[key]
    return found.format(**values) if values else found


def optional(key: str, language: str, fallback: str) -> str:
    """For labels of open-ended codes (audit actions, languages): the label, or the code itself."""
    return load(language).get(key, fallback)
