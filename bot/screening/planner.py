"""Choose the next screening question: the first, in the set order, whose answer could change the result.

A question is worth asking when its field is among the engine's ``missing`` answers: those an
unknown criterion still depends on, and those that could still change what a failure says (a
later end of a waiting period, so ``eligible_from``; a failure that lasts instead of a temporary
one). A definite failure that neither a waiting period nor time clears ends the screening early,
unless the person chose to go on anyway; after a washout or temporary failure the person may
come back, so the screening goes on.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.eligibility import Evaluation, screen
from bot.screening.questions import Question, load_questions


@dataclass(frozen=True)
class ScreeningState:
    #: Eligibility answers as JSON values (what the dialogue's slots hold); None = unknown.
    answers: Mapping[str, Any]
    #: Gate answers (True / False / None).
    gates: Mapping[str, bool | None] = field(default_factory=dict)
    #: Questions answered "I don't know" (or not understood twice): never asked again.
    skipped: frozenset[str] = frozenset()
    as_of: date | None = None
    #: The person chose to answer the rest after a definite failure.
    go_on_after_fail: bool = False


@dataclass(frozen=True)
class Plan:
    evaluation: Evaluation
    #: The next question's name, or None when the screening is over.
    next_question: str | None
    #: Ended early on a failure no waiting period can clear.
    stopped_early: bool
    #: Questions that could still be asked after this one (an estimate for a progress bar).
    remaining: int


def _raw_answers(state: ScreeningState) -> dict[str, Any]:
    raw = {k: v for k, v in state.answers.items() if v is not None}
    if state.as_of:
        raw["as_of"] = state.as_of.isoformat()
    return raw


def _askable(q: Question, state: ScreeningState, relevant: set[str]) -> bool:
    if q.name in state.skipped:
        return False
    if q.after and (q.after in state.skipped or (state.gates.get(q.after) or state.answers.get(q.after)) is not True):
        return False
    if q.is_gate:
        return state.gates.get(q.name) is None and any(f in relevant and f not in state.skipped for f in q.opens)
    return state.answers.get(q.name) is None and q.name in relevant


def hard_failures(evaluation: Evaluation) -> list[str]:
    """Criteria that fail for good (not only until a washout ends, nor a temporary one)."""
    return [c.id for c in evaluation.criteria if c.result == "fail" and not c.washout and not c.temporary]


@dataclass(frozen=True)
class _Call:
    """One ``plan`` call, compared and hashed by its answers only (a state holds unhashable mappings)."""

    key: Hashable
    state: ScreeningState = field(compare=False)
    language: str = field(compare=False)


def _key(state: ScreeningState, language: str) -> Hashable:
    key = (
        tuple(sorted(state.answers.items())),
        tuple(sorted(state.gates.items())),
        state.skipped,
        state.as_of,
        state.go_on_after_fail,
        language,
    )
    hash(key)  # TypeError for an unhashable answer: such a call is simply not remembered
    return key


def plan(state: ScreeningState, *, language: str = "en") -> Plan:
    """Evaluate the answers so far and pick the next question (raises AnswerError on bad answers).

    Pure, so a repeat with the same answers is answered from memory: rasa-sdk asks a form for its
    required slots three times a turn, and the progress count plans once more.
    """
    if state.as_of is None:  # "today" would be read inside: not the same answers tomorrow
        return _plan(state, language)
    try:
        call = _Call(_key(state, language), state, language)
    except TypeError:
        return _plan(state, language)
    return _remembered(call)


@functools.lru_cache(maxsize=256)
def _remembered(call: _Call) -> Plan:
    return _plan(call.state, call.language)


def _plan(state: ScreeningState, language: str) -> Plan:
    evaluation = screen(_raw_answers(state), language=language)
    if hard_failures(evaluation) and not state.go_on_after_fail:
        return Plan(evaluation, None, stopped_early=True, remaining=0)
    relevant = set(evaluation.missing_fields())
    askable = [q.name for q in load_questions() if _askable(q, state, relevant)]
    return Plan(
        evaluation=evaluation,
        next_question=askable[0] if askable else None,
        stopped_early=False,
        remaining=max(len(askable) - 1, 0),
    )
