"""Kleene three-valued logic: ``True``, ``False`` and ``None`` (unknown).

``any3`` is true if any part is true, false if all are false, else unknown; ``all3`` likewise.
A known part that already decides the result makes the unknown parts irrelevant, which is how
a criterion stays "unknown" only when a missing answer could still change it.
"""

from __future__ import annotations

from collections.abc import Iterable

Truth = bool | None


def not3(value: Truth) -> Truth:
    return None if value is None else not value


def any3(values: Iterable[Truth]) -> Truth:
    unknown = False
    for value in values:
        if value is True:
            return True
        if value is None:
            unknown = True
    return None if unknown else False


def all3(values: Iterable[Truth]) -> Truth:
    unknown = False
    for value in values:
        if value is False:
            return False
        if value is None:
            unknown = True
    return None if unknown else True
