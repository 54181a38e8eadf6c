"""Evaluate validated answers against a protocol, criterion by criterion."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.eligibility.answers import Answers, Value
from bot.eligibility.dates import add_months
from bot.eligibility.fields import FIELDS, NEVER, SEXES, Kind
from bot.eligibility.logic import Truth, all3, any3, not3
from bot.eligibility.protocol import DEFAULT_LANGUAGE, Protocol, load_protocol

ELIGIBLE, INELIGIBLE, NEEDS_REVIEW = "eligible", "ineligible", "needs_review"


@dataclass(frozen=True)
class CriterionResult:
    id: str
    result: str  # "pass" | "fail" | "unknown"
    explanation: str
    title: str
    #: Unknown answers that could still change this result.
    missing: tuple[str, ...] = ()
    #: For a failing washout criterion: the first day it passes.
    clears_on: date | None = None
    washout: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "result": self.result, "explanation": self.explanation}


@dataclass(frozen=True)
class Evaluation:
    status: str
    protocol_version: str
    eligible_from: date | None
    criteria: tuple[CriterionResult, ...]
    language: str = DEFAULT_LANGUAGE
    as_of: date = field(default_factory=date.today)

    def to_dict(self) -> dict[str, Any]:
        """The command-line contract: exactly these keys."""
        return {
            "status": self.status,
            "protocol_version": self.protocol_version,
            "eligible_from": self.eligible_from.isoformat() if self.eligible_from else None,
            "criteria": [c.to_dict() for c in self.criteria],
        }

    def failing(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.result == "fail"]

    def unknown(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.result == "unknown"]

    def missing_fields(self) -> list[str]:
        """Unknown answers that could change the outcome, in question order, without repeats."""
        return list(dict.fromkeys(f for c in self.criteria for f in c.missing))


@dataclass
class _Trace:
    """What evaluating a rule learnt besides its value, from the parts that decided it."""

    #: Unknown answers under the parts left open.
    missing: list[str] = field(default_factory=list)
    #: Clearing dates of the washout windows that made the rule true.
    clears_on: list[date] = field(default_factory=list)


def _test(rule: Mapping[str, Any], values: Mapping[str, Value], as_of: date, trace: _Trace) -> Truth:
    value = values[rule["field"]]
    if value is None:
        trace.missing.append(rule["field"])
        return None
    if "is" in rule:
        return value is rule["is"]
    if "eq" in rule:
        return value == rule["eq"]
    if "within_months" in rule:
        if value == NEVER:
            return False
        assert isinstance(value, date)
        clears = add_months(value, rule["within_months"])
        if as_of < clears:
            trace.clears_on.append(clears)
            return True
        return False
    ((op, limit),) = ((k, v) for k, v in rule.items() if k != "field")
    number = float(value)  # type: ignore[arg-type]
    return {"lt": number < limit, "le": number <= limit, "gt": number > limit, "ge": number >= limit}[op]


def _eval(rule: Mapping[str, Any], values: Mapping[str, Value], as_of: date, trace: _Trace) -> Truth:
    """Kleene evaluation; keeps only the traces of the parts that decide the result."""
    if "not" in rule:
        return not3(_eval(rule["not"], values, as_of, trace))
    if "field" in rule:
        return _test(rule, values, as_of, trace)
    combine, decisive = (any3, True) if "any" in rule else (all3, False)
    parts = rule["any"] if "any" in rule else rule["all"]
    traces = [_Trace() for _ in parts]
    results = [_eval(part, values, as_of, t) for part, t in zip(parts, traces, strict=True)]
    result = combine(results)
    if result is None or result is decisive:
        traces = [t for v, t in zip(results, traces, strict=True) if v is result]
    for t in traces:
        trace.missing.extend(t.missing)
        trace.clears_on.extend(t.clears_on)
    return result


def _leaves(rule: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    if "field" in rule:
        yield rule
    elif "not" in rule:
        yield from _leaves(rule["not"])
    else:
        for part in rule.get("any") or rule["all"]:
            yield from _leaves(part)


def _representatives(rule: Mapping[str, Any], name: str, as_of: date) -> tuple[Value, ...]:
    """One value from each class of answers that the rule cannot tell apart."""
    kind = FIELDS[name].kind
    if kind is Kind.BOOL:
        return (True, False)
    if kind is Kind.SEX:
        return SEXES
    if kind is Kind.DOSE_DATE:
        return (NEVER, as_of)  # outside every window / inside every window
    tests = (leaf for leaf in _leaves(rule) if leaf["field"] == name)
    limits = sorted({float(v) for leaf in tests for k, v in leaf.items() if k != "field"})
    middles = [(a + b) / 2 for a, b in zip(limits, limits[1:], strict=False)]
    return tuple(sorted({limits[0] - 1, limits[-1] + 1, *limits, *middles}))


def _settle(rule: Mapping[str, Any], answers: Answers, trace: _Trace) -> tuple[Truth, tuple[str, ...]]:
    """Decide a rule Kleene logic left open: unknown only if some possible answers would change it.

    When every field appears once in the rule, Kleene logic is exact and its trace names the
    answers that matter. When a field appears twice (sex and age in I2, the T-score in I4) it can
    leave open what every possible answer decides alike; then one value from each class of every
    unknown answer is tried (a few dozen cases at most), which also names exactly the answers that
    could change the result.
    """
    fields = [leaf["field"] for leaf in _leaves(rule)]
    if len(set(fields)) == len(fields):
        return None, tuple(dict.fromkeys(trace.missing))
    unknown = [f for f in dict.fromkeys(fields) if answers.get(f) is None]
    choices = [_representatives(rule, f, answers.as_of) for f in unknown]
    outcomes: dict[tuple[Value, ...], Truth] = {}
    for combo in itertools.product(*choices):
        values = {**answers.values, **dict(zip(unknown, combo, strict=True))}
        outcomes[combo] = _eval(rule, values, answers.as_of, _Trace())
    if len(set(outcomes.values())) == 1:
        return next(iter(outcomes.values())), ()

    def matters(i: int) -> bool:
        return any(outcomes[c] != outcomes[(*c[:i], other, *c[i + 1 :])] for c in outcomes for other in choices[i])

    return None, tuple(name for i, name in enumerate(unknown) if matters(i))


def evaluate(answers: Answers, *, protocol: Protocol | None = None, language: str = DEFAULT_LANGUAGE) -> Evaluation:
    protocol = protocol or load_protocol()
    texts = protocol.explanations(language)
    results = []
    for criterion in protocol.criteria:
        trace = _Trace()
        holds = _eval(criterion.rule, answers.values, answers.as_of, trace)
        missing: tuple[str, ...] = ()
        if holds is None:
            holds, missing = _settle(criterion.rule, answers, trace)
        truth = holds if criterion.inclusion else not3(holds)
        result = {True: "pass", False: "fail", None: "unknown"}[truth]
        clears_on = max(trace.clears_on) if criterion.washout and result == "fail" else None
        text = texts[criterion.id][result]
        if clears_on is not None:
            text = text.format(clears_on=clears_on.isoformat())
        results.append(
            CriterionResult(
                id=criterion.id,
                result=result,
                explanation=text,
                title=texts[criterion.id]["title"],
                missing=missing,
                clears_on=clears_on,
                washout=criterion.washout,
            )
        )
    failing = [r for r in results if r.result == "fail"]
    if failing:
        status = INELIGIBLE
    elif any(r.result == "unknown" for r in results):
        status = NEEDS_REVIEW
    else:
        status = ELIGIBLE
    eligible_from = None
    if failing and all(r.washout for r in failing):
        eligible_from = max(r.clears_on for r in failing if r.clears_on)
    return Evaluation(
        status=status,
        protocol_version=protocol.version,
        eligible_from=eligible_from,
        criteria=tuple(results),
        language=language,
        as_of=answers.as_of,
    )
