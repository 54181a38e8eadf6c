"""Turn a raw JSON object into validated answers, or say exactly which field is wrong.

Absent and ``null`` both mean "unknown". Anything else that is not a plausible value is an
error, because a typo silently becoming "unknown" would change a screening's outcome.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.eligibility.fields import FIELDS, NEVER, SEXES, Field, Kind

Value = bool | float | str | date | None


def _one_line(name: str) -> str:
    """A field name as typed, or JSON-quoted when it holds anything that would break the line."""
    return name if name.isprintable() and len(name) <= 60 else json.dumps(name)[:60]


class AnswerError(ValueError):
    """One bad field (or a bad document), with a message fit for one line on stderr."""

    def __init__(self, field: str | None, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{_one_line(field)}: {problem}" if field else problem)


@dataclass(frozen=True)
class Answers:
    """Validated answers. ``values`` holds every field; ``None`` means unknown.

    Dose dates are ``date`` objects or the string ``"never"``.
    """

    as_of: date
    values: Mapping[str, Value]

    def get(self, name: str) -> Value:
        return self.values[name]

    def known(self) -> dict[str, Value]:
        return {k: v for k, v in self.values.items() if v is not None}

    def to_json(self) -> dict[str, Any]:
        """The known answers and ``as_of`` as JSON values; ``validate()`` reads it back."""
        data: dict[str, Any] = {"as_of": self.as_of.isoformat()}
        for key, value in self.known().items():
            data[key] = value.isoformat() if isinstance(value, date) else value
        return data


def _parse_int(digits: str) -> int | float:
    return int(digits) if len(digits) <= 20 else float(digits)


def parse_json(text: str) -> Any:
    """Parse JSON strictly: no duplicate keys; NaN/Infinity are kept so validation can name their field."""

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                raise AnswerError(key, "appears twice in the object")
            seen[key] = value
        return seen

    try:
        # Integers too long to be plausible become infinite floats, so validation names their field.
        return json.loads(text, parse_constant=float, parse_int=_parse_int, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise AnswerError(None, f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except AnswerError:
        raise
    except RecursionError:
        raise AnswerError(None, "not valid input: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer literal with thousands of digits
        raise AnswerError(None, f"not valid JSON ({exc})") from None


def _describe(value: Any) -> str:
    """A short one-line rendering of a value for an error message."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (ValueError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _parse_date(field: Field, raw: Any) -> date | str:
    if not isinstance(raw, str):
        raise AnswerError(field.name, f'expected a date as "YYYY-MM-DD", got {_describe(raw)}')
    if field.kind is Kind.DOSE_DATE and raw == NEVER:
        return NEVER
    try:
        if len(raw) != 10:
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        allowed = '"YYYY-MM-DD" or "never"' if field.kind is Kind.DOSE_DATE else '"YYYY-MM-DD"'
        raise AnswerError(field.name, f"expected a date as {allowed}, got {_describe(raw)}") from None


def _parse_value(field: Field, raw: Any) -> Value:
    if field.kind is Kind.BOOL:
        if not isinstance(raw, bool):
            raise AnswerError(field.name, f"expected true or false, got {_describe(raw)}")
        return raw
    if field.kind is Kind.NUMBER:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise AnswerError(field.name, f"expected a number, got {_describe(raw)}")
        value = float(raw)
        if not math.isfinite(value) or not (field.minimum <= value <= field.maximum):  # type: ignore[operator]
            raise AnswerError(
                field.name, f"{_describe(raw)} is outside the plausible range {field.minimum:g} to {field.maximum:g}"
            )
        return value
    if field.kind is Kind.SEX:
        if raw not in SEXES:
            raise AnswerError(field.name, f'expected "male" or "female", got {_describe(raw)}')
        return raw
    return _parse_date(field, raw)


def validate(raw: Any, *, today: date | None = None) -> Answers:
    """Validate one participant's answers (a JSON-decoded object)."""
    if not isinstance(raw, dict):
        raise AnswerError(None, f"expected a JSON object of answers, got {type(raw).__name__}")
    values: dict[str, Value] = {name: None for name in FIELDS}
    for key, item in raw.items():
        field = FIELDS.get(key)
        if field is None:
            close = difflib.get_close_matches(key, FIELDS, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise AnswerError(key, f"unknown field{hint}")
        if item is not None:
            values[key] = _parse_value(field, item)

    as_of = values.pop("as_of") or today or date.today()
    assert isinstance(as_of, date)
    age = values["age"]
    for name, value in values.items():
        field = FIELDS[name]
        if field.years_of_life and value is not None and age is not None and value > age:  # type: ignore[operator]
            raise AnswerError(name, f"{value:g} years is more than the person's age ({age:g})")
        if field.kind is Kind.DOSE_DATE and isinstance(value, date) and value > as_of:
            raise AnswerError(
                name, f"last dose {value.isoformat()} is after the screening date as_of {as_of.isoformat()}"
            )
    return Answers(as_of=as_of, values=values)
