"""Evaluate validated answers against a protocol, criterion by criterion."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from bot.eligibility.answers import Answers, Value
from bot.eligibility.dates import add_months, add_weeks
from bot.eligibility.fields import FIELDS, NEVER, SEXES, Kind
from bot.eligibility.logic import Truth, all3, any3, not3
from bot.eligibility.protocol import (
    DEFAULT_LANGUAGE,
    Criterion,
    Protocol,
    load_protocol,
    operator,
    rule_fields,
    rule_tests,
)

ELIGIBLE, INELIGIBLE, NEEDS_REVIEW = "eligible", "ineligible", "needs_review"


@dataclass(frozen=True)
class CriterionResult:
    id: str
    result: str  # "pass" | "fail" | "unknown"
    explanation: str
    title: str
    #: Unknown answers that could still change this result (for a failure: its clearing date, or
    #: whether it is temporary, too).
    missing: tuple[str, ...] = ()
    #: For a failing washout criterion: the first day it passes (None when no date can be given).
    clears_on: date | None = None
    washout: bool = False
    #: A failure resting only on answers that do not last (an infection, an unhealed wound): once
    #: it is over the person can be checked again.
    temporary: bool = False

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


WINDOW_END = {"within_months": add_months, "within_weeks": add_weeks}


def _test(rule: Mapping[str, Any], values: Mapping[str, Value], as_of: date, trace: _Trace) -> Truth:
    value = values[rule["field"]]
    if value is None:
        trace.missing.append(rule["field"])
        return rule.get("if_unknown")  # what an unanswered field counts as; unknown unless the rule says
    if "is" in rule:
        return value is rule["is"]
    if "eq" in rule:
        return value == rule["eq"]
    for window, end in WINDOW_END.items():
        if window in rule:
            if value == NEVER:
                return False
            assert isinstance(value, date)
            clears = end(value, rule[window])
            if as_of < clears:
                trace.clears_on.append(clears)
                return True
            return False
    op, operand = operator(rule)
    number = float(value)  # type: ignore[arg-type]
    return {"lt": number < operand, "le": number <= operand, "gt": number > operand, "ge": number >= operand}[op]


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


def _representatives(rule: Mapping[str, Any], name: str, as_of: date) -> tuple[Value, ...]:
    """One value from each class of answers that the rule cannot tell apart.

    For a dose date, "on as_of" is inside every window and ends each one as late as any date can,
    so it also stands for every clearing date the field could still push later.
    """
    kind = FIELDS[name].kind
    if kind is Kind.BOOL:
        return (True, False)
    if kind is Kind.SEX:
        return SEXES
    if kind is Kind.DOSE_DATE:
        return (NEVER, as_of)  # outside every window / inside every window, ending it last
    limits = sorted({float(operator(leaf)[1]) for leaf in rule_tests(rule) if leaf["field"] == name})
    middles = [(a + b) / 2 for a, b in zip(limits, limits[1:], strict=False)]
    return tuple(sorted({limits[0] - 1, limits[-1] + 1, *limits, *middles}))


def _settle(
    rule: Mapping[str, Any], values: Mapping[str, Value], as_of: date, trace: _Trace
) -> tuple[Truth, tuple[str, ...]]:
    """Decide a rule Kleene logic left open: unknown only if some possible answers would change it.

    When every field appears once in the rule, Kleene logic is exact and its trace names the
    answers that matter. When a field appears twice (sex and age in I2, the T-score in I4) it can
    leave open what every possible answer decides alike; then one value from each class of every
    unknown answer is tried (a few dozen cases at most), which also names exactly the answers that
    could change the result. So it is when a test says what an unanswered field counts as
    (``if_unknown``): Kleene logic does not see that answering it could still change the result.
    """
    fields = rule_fields(rule)
    soft = _soft_fields(rule)
    if len(set(fields)) == len(fields) and not soft:
        return None, tuple(dict.fromkeys(trace.missing))
    unknown = [f for f in dict.fromkeys(fields) if values[f] is None]
    choices = [_choices(rule, f, as_of, soft) for f in unknown]
    outcomes: dict[tuple[Value, ...], Truth] = {}
    for combo in itertools.product(*choices):
        filled = {**values, **dict(zip(unknown, combo, strict=True))}
        outcomes[combo] = _eval(rule, filled, as_of, _Trace())
    if len(set(outcomes.values())) == 1:
        return next(iter(outcomes.values())), ()
    return None, _mattering(unknown, choices, outcomes)


def _soft_fields(rule: Mapping[str, Any]) -> frozenset[str]:
    """Fields tested with ``if_unknown``: for them, staying unknown is an answer of its own."""
    return frozenset(t["field"] for t in rule_tests(rule) if "if_unknown" in t)


def _choices(rule: Mapping[str, Any], name: str, as_of: date, soft: frozenset[str]) -> tuple[Value, ...]:
    """The values an unknown answer can still end up as."""
    return (*_representatives(rule, name, as_of), *((None,) if name in soft else ()))


def _mattering(
    unknown: list[str], choices: list[tuple[Value, ...]], outcomes: Mapping[tuple[Value, ...], Any]
) -> tuple[str, ...]:
    """The unknown answers for which changing that answer alone changes the outcome in some case."""

    def matters(i: int) -> bool:
        return any(outcomes[c] != outcomes[(*c[:i], other, *c[i + 1 :])] for c in outcomes for other in choices[i])

    return tuple(name for i, name in enumerate(unknown) if matters(i))


class _Verdict(NamedTuple):
    """What one criterion says about one set of answers."""

    result: str
    #: For an unknown result: the answers that could decide it.
    missing: tuple[str, ...] = ()
    clears_on: date | None = None
    temporary: bool = False


def _verdict(criterion: Criterion, values: Mapping[str, Value], as_of: date) -> _Verdict:
    """The result, and for a failing washout its clearing date (None when no window gives one)."""
    trace = _Trace()
    holds = _eval(criterion.rule, values, as_of, trace)
    missing: tuple[str, ...] = ()
    if holds is None:
        holds, missing = _settle(criterion.rule, values, as_of, trace)
    truth = holds if criterion.inclusion else not3(holds)
    result = {True: "pass", False: "fail", None: "unknown"}[truth]
    if result != "fail":
        return _Verdict(result, missing)
    return _Verdict(result, clears_on=max(trace.clears_on) if criterion.washout and trace.clears_on else None)


def _outcome(criterion: Criterion, values: Mapping[str, Value], as_of: date) -> _Verdict:
    """``_verdict`` plus whether a failure is temporary."""
    verdict = _verdict(criterion, values, as_of)
    if verdict.result == "fail" and _rests_on_temporary(criterion, values, as_of):
        verdict = verdict._replace(temporary=True)
    return verdict


def _rests_on_temporary(criterion: Criterion, values: Mapping[str, Value], as_of: date) -> bool:
    """A failure is temporary when other answers to its temporary questions alone would undo it."""
    known = [name for name in sorted(criterion.temporary) if values[name] is not None]
    if not known:
        return False
    choices = [_representatives(criterion.rule, name, as_of) for name in known]
    return any(
        _verdict(criterion, {**values, **dict(zip(known, combo, strict=True))}, as_of).result != "fail"
        for combo in itertools.product(*choices)
    )


def _missing_in_failure(criterion: Criterion, values: Mapping[str, Value], as_of: date) -> tuple[str, ...]:
    """The unknown answers that could still change what a failure says: its clearing date (a dose
    that ends later), whether it is temporary, or (with an ``if_unknown`` test) the failure itself.

    Every way of filling in the criterion's unknown answers is tried, one value from each class
    (a few dozen cases at most). An ``if_unknown`` answer can also stay unknown: that is a
    verdict of its own (a failure with no date).
    """
    soft = _soft_fields(criterion.rule)
    unknown = [f for f in dict.fromkeys(rule_fields(criterion.rule)) if values[f] is None]
    choices = [_choices(criterion.rule, f, as_of, soft) for f in unknown]
    outcomes: dict[tuple[Value, ...], tuple[str, date | None, bool]] = {}
    for combo in itertools.product(*choices):
        verdict = _outcome(criterion, {**values, **dict(zip(unknown, combo, strict=True))}, as_of)
        outcomes[combo] = (verdict.result, verdict.clears_on, verdict.temporary)
    return _mattering(unknown, choices, outcomes)


def _judge(criterion: Criterion, values: Mapping[str, Value], as_of: date) -> _Verdict:
    """The full verdict: for a failure, also the unknown answers that could change what it says."""
    verdict = _outcome(criterion, values, as_of)
    if verdict.result != "fail":
        return verdict
    return verdict._replace(missing=_missing_in_failure(criterion, values, as_of))


def _text_key(criterion: Criterion, verdict: _Verdict) -> str:
    if verdict.result != "fail":
        return verdict.result
    if verdict.temporary:
        return "temporary"
    if criterion.washout and verdict.clears_on is None:
        return "fail_no_date"
    return "fail"


def evaluate(answers: Answers, *, protocol: Protocol | None = None, language: str = DEFAULT_LANGUAGE) -> Evaluation:
    protocol = protocol or load_protocol()
    texts = protocol.explanations(language)
    results = []
    for criterion in protocol.criteria:
        verdict = _judge(criterion, answers.values, answers.as_of)
        text = texts[criterion.id][_text_key(criterion, verdict)]
        if verdict.clears_on is not None:
            text = text.format(clears_on=verdict.clears_on.isoformat())
        results.append(
            CriterionResult(
                id=criterion.id,
                result=verdict.result,
                explanation=text,
                title=texts[criterion.id]["title"],
                missing=verdict.missing,
                clears_on=verdict.clears_on,
                washout=criterion.washout,
                temporary=verdict.temporary,
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
    if failing and all(r.washout and r.clears_on for r in failing):
        # only waiting periods, each with its end known; a failure with no date gives no date
        eligible_from = max(r.clears_on for r in failing if r.clears_on)
    return Evaluation(
        status=status,
        protocol_version=protocol.version,
        eligible_from=eligible_from,
        criteria=tuple(results),
        language=language,
        as_of=answers.as_of,
    )
