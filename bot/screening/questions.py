"""The screening questions, loaded from ``questions.yml``."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.eligibility.fields import ANSWER_FIELDS

QUESTIONS_FILE = Path(__file__).with_name("questions.yml")
KINDS = ("yes_no", "sex", "age", "years", "number", "t_score", "date")


@dataclass(frozen=True)
class Question:
    #: The slot that holds the answer: an eligibility field, or a gate's own name.
    name: str
    kind: str
    #: For a gate: the fields a "no" answers as "never".
    opens: tuple[str, ...] = ()
    #: The gate that must be answered "yes" before this question is asked.
    after: str | None = None
    #: Other units (as written on reports) and the factor to this field's unit.
    units: tuple[tuple[str, float], ...] = ()

    @property
    def is_gate(self) -> bool:
        return bool(self.opens)


@functools.lru_cache(maxsize=1)
def load_questions() -> tuple[Question, ...]:
    data = yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))
    questions: list[Question] = []
    for item in data["questions"]:
        if "gate" in item:
            questions.append(Question(item["gate"], "yes_no", tuple(item["fields"]), item.get("after")))
        else:
            units = tuple((str(k), float(v)) for k, v in (item.get("units") or {}).items())
            questions.append(Question(item["field"], item["kind"], (), item.get("after"), units))
    names = [q.name for q in questions]
    fields = [q.name for q in questions if not q.is_gate]
    if sorted(fields) != sorted(ANSWER_FIELDS) or len(set(names)) != len(names):
        raise ValueError(f"{QUESTIONS_FILE}: every answer field must be asked exactly once")
    for q in questions:
        if q.kind not in KINDS or (q.after and q.after not in names):
            raise ValueError(f"{QUESTIONS_FILE}: bad question {q.name}")
    return tuple(questions)


def question(name: str) -> Question:
    for q in load_questions():
        if q.name == name:
            return q
    raise KeyError(name)


def gate_names() -> tuple[str, ...]:
    return tuple(q.name for q in load_questions() if q.is_gate)
