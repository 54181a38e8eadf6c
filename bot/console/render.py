"""A very small HTML renderer: ``{{ t.key }}`` is a translated string, ``{{ name }}`` an escaped value,
``{{{ name }}}`` an already rendered fragment. Loops are fragments rendered per row and joined.

Deliberately tiny (no logic in templates): the console's pages are a handful of tables and forms,
and escaping happens in exactly one place.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.console import texts

TEMPLATES = Path(__file__).with_name("templates")
# One pass over the template text only: what a value contains is never read as a placeholder.
_PLACEHOLDER = re.compile(r"\{\{\{\s*([a-z0-9_]+)\s*\}\}\}|\{\{\s*(t\.)?([a-z0-9_]+)\s*\}\}")


class Html(str):
    """Markup that is already safe (escaped or rendered by us)."""


@functools.cache
def _template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def escape(value: Any) -> str:
    if isinstance(value, Html):
        return value
    return html.escape("" if value is None else str(value), quote=True)


def render(template: str, /, **values: Any) -> Html:
    """Fill ``template``; a placeholder without a value or translation raises KeyError.

    ``{{ t.key }}`` comes from the language in ``lang`` (the console's reference language without it).
    """
    strings = texts.load(str(values.get("lang") or texts.DEFAULT_LANGUAGE))

    def fill(match: re.Match[str]) -> str:
        if match.group(1):
            raw = values[match.group(1)]
            if not isinstance(raw, Html):
                raise TypeError(f"{{{{{{ {match.group(1)} }}}}}} needs rendered Html, not {type(raw).__name__}")
            return raw
        if match.group(2):
            return escape(strings[match.group(3)])
        return escape(values[match.group(3)])

    return Html(_PLACEHOLDER.sub(fill, _template(template)))


def join(fragments: list[Html]) -> Html:
    return Html("".join(fragments))


@dataclass(frozen=True)
class Words:
    """One request's language: its strings and its templates, so no page can mix two languages."""

    language: str

    def __call__(self, key: str, **values: Any) -> str:
        return texts.text(key, self.language, **values)

    def optional(self, key: str, fallback: str) -> str:
        return texts.optional(key, self.language, fallback)

    def render(self, template: str, /, **values: Any) -> Html:
        return render(template, lang=self.language, **values)
