"""Eligibility for the trial: answers in, a criterion-by-criterion verdict out.

Typical use::

    from bot.eligibility import screen
    evaluation = screen({"sex": "male", "age": 62, ...})
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.eligibility.answers import AnswerError, Answers, parse_json, validate
from bot.eligibility.engine import ELIGIBLE, INELIGIBLE, NEEDS_REVIEW, CriterionResult, Evaluation, evaluate
from bot.eligibility.fields import ANSWER_FIELDS, FIELDS
from bot.eligibility.protocol import Protocol, ProtocolError, load_protocol

__all__ = [
    "ANSWER_FIELDS",
    "ELIGIBLE",
    "FIELDS",
    "INELIGIBLE",
    "NEEDS_REVIEW",
    "AnswerError",
    "Answers",
    "CriterionResult",
    "Evaluation",
    "Protocol",
    "ProtocolError",
    "evaluate",
    "load_protocol",
    "parse_json",
    "screen",
    "validate",
]


def screen(
    raw: Any, *, today: date | None = None, language: str = "en", protocol: Protocol | None = None
) -> Evaluation:
    """Validate raw answers and evaluate them (raises ``AnswerError`` on bad input)."""
    return evaluate(validate(raw, today=today), protocol=protocol, language=language)
