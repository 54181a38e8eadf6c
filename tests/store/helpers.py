"""Builders for store tests: a screened person and their contact details."""

from __future__ import annotations

from datetime import date

from bot.eligibility import Answers, Evaluation, evaluate, validate
from bot.leads.contact import Contact
from bot.store.screenings import Conversation

AS_OF = date(2026, 11, 25)


def screened(**answers: object) -> tuple[Answers, Evaluation]:
    """Validated answers (male, 62, with diabetes and a hip fracture unless overridden) and their evaluation."""
    raw = {"sex": "male", "age": 62, "type2_diabetes": True, "diabetes_years": 12,
           "hip_or_vertebral_fragility_fracture": True, "consent": True, "as_of": AS_OF.isoformat()}
    raw.update(answers)
    validated = validate(raw)
    return validated, evaluate(validated)


def contact(name: str = "Wang Li", phone: str = "138 0013 8000") -> Contact:
    return Contact.create(name=name, phone=phone, preferred_time="weekday mornings")


def conversation(cid: str = "conv-1", channel: str = "rest") -> Conversation:
    return Conversation(channel=channel, conversation_id=cid)
