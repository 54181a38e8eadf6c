"""Words for stored codes, in the coordinator's language: answer fields by their question, answer values,
criterion titles, site names, conversation languages and audit actions.

The codes stay what they are in the database and the API (field names are a contract); only what a
person reads is translated. Field labels live in the console's translation files ("field.<name>");
criterion titles come from the protocol's own explanations (``explanations/<language>.yml``), English
where a language file or a title is missing.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.console.render import Words
from bot.eligibility.fields import NEVER, SEXES
from bot.eligibility.protocol import DEFAULT_LANGUAGE, PROTOCOLS_DIR, available_versions
from bot.screening.questions import load_questions
from bot.sites import load_sites

#: Answer values that are codes, not numbers or dates: shown as words.
WORD_VALUES = (*SEXES, NEVER)


def question_names() -> tuple[str, ...]:
    """Every question of the screening (answer fields and gates), in the order it is asked."""
    return tuple(q.name for q in load_questions())


def field_label(words: Words, name: str) -> str:
    """The question behind an answer field ("是否确诊2型糖尿病"); the field name if a label is missing."""
    return words.optional(f"field.{name}", name)


def answer_value(words: Words, value: Any) -> str:
    if value is True:
        return words("yes")
    if value is False:
        return words("no")
    if value is None:
        return words("not_given")
    if isinstance(value, str) and value in WORD_VALUES:
        return words(f"value.{value}")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # "62", not "62.0" (answers are stored as JSON numbers)
    return str(value)


def ordered_answers(answers: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The answers in the order the questions are asked; anything else (``as_of``) after them."""
    order = {name: n for n, name in enumerate(question_names())}
    return sorted(answers.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def _explanation_file(version: str, language: str) -> Path | None:
    if version not in available_versions():  # a stored value: never a path of its own
        return None
    path = PROTOCOLS_DIR / version / "explanations" / f"{language}.yml"
    return path if path.is_file() else None


@functools.lru_cache(maxsize=32)
def _titles_in(path: Path, mtime: float) -> dict[str, str]:
    """One explanations file's titles (re-read when it changes: a translation may still be being written)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return {str(cid): str(texts["title"]) for cid, texts in data.items()
            if isinstance(texts, dict) and isinstance(texts.get("title"), str) and texts["title"].strip()}


def _titles(version: str, language: str) -> dict[str, str]:
    path = _explanation_file(version, language)
    if path is None:
        return {}
    try:
        return _titles_in(path, path.stat().st_mtime)
    except OSError:
        return {}


def criterion_titles(version: str, language: str) -> dict[str, str]:
    """Criterion id -> title in ``language``, each missing one from the English file."""
    return {**_titles(version, DEFAULT_LANGUAGE), **_titles(version, language)}


def site_name(words: Words, code: str) -> str:
    """The site's name in the coordinator's language from the sites file, or its code if no longer listed."""
    site = load_sites().get(code)
    return site.name(words.language) if site else code


def conversation_language(words: Words, code: str | None) -> str:
    """The language the person screened in ("中文"), as a word in the coordinator's language."""
    if not code:
        return words("not_given")
    return words.optional(f"language.{code}", code)


def audit_action(words: Words, action: str) -> str:
    return words.optional(f"audit.{action}", action)


def entity_type(words: Words, kind: str | None) -> str:
    return words.optional(f"entity.{kind}", kind) if kind else ""
