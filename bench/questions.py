"""Questions asked per completed screening (goal: none whose answer can no longer change the result).

Each profile is screened with the pure planner (``bot.screening.planner.plan``), answering as the
dialogue would (a gate's "no" answers its medicines as never; "I don't know" skips a question).
Every question, when it is asked, is checked two ways:

* ``in_missing``: the engine says so: its field (or, for a gate, a field it opens) is in
  ``Evaluation.missing_fields()``;
* ``can_change``: an independent brute force: no criterion has already failed for good, and some
  criterion that reads the field changes its result when only that answer changes (every other
  unknown answer of that criterion set to one value of each class its rule tells apart).

``python -m bench.questions`` runs this part alone (no servers).
"""

from __future__ import annotations

import itertools
import json
import statistics
import sys
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from typing import Any

from dateutil.relativedelta import relativedelta

from bench.profiles import DONT_KNOW, Profile, profiles
from bot.eligibility import load_protocol, screen
from bot.eligibility.fields import FIELDS, NEVER, SEXES, Kind
from bot.eligibility.protocol import rule_fields
from bot.screening.planner import ScreeningState, hard_failures, plan
from bot.screening.questions import question

MAX_QUESTIONS = 100


@dataclass
class Asked:
    name: str
    in_missing: bool
    can_change: bool


@dataclass
class Simulation:
    profile: str
    expected: str
    status: str
    stopped_early: bool
    asked: list[Asked] = field(default_factory=list)
    #: Answers that could still change the result but were never asked (nor answered "don't know").
    left_open: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.asked]

    @property
    def needless(self) -> list[str]:
        return [a.name for a in self.asked if not (a.in_missing and a.can_change)]


def _raw(answers: Mapping[str, Any], today: date) -> dict[str, Any]:
    return {**{k: v for k, v in answers.items() if v is not None}, "as_of": today.isoformat()}


@cache
def _rules_reading(name: str) -> tuple[tuple[Mapping[str, Any], tuple[str, ...]], ...]:
    """(rule, its fields) of each criterion that reads ``name``."""
    out = []
    for criterion in load_protocol().criteria:
        fields = tuple(dict.fromkeys(rule_fields(criterion.rule)))
        if name in fields:
            out.append((criterion.rule, fields))
    return tuple(out)


def _leaves(rule: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    if "field" in rule:
        yield rule
    for key in ("any", "all"):
        for part in rule.get(key, ()):
            yield from _leaves(part)
    if "not" in rule:
        yield from _leaves(rule["not"])


def _values(name: str, rule: Mapping[str, Any], today: date) -> tuple[Any, ...]:
    """Values on every side of every boundary ``rule`` draws for ``name``."""
    kind = FIELDS[name].kind
    if kind is Kind.BOOL:
        return (True, False)
    if kind is Kind.SEX:
        return SEXES
    leaves = [leaf for leaf in _leaves(rule) if leaf["field"] == name]
    if kind is Kind.DOSE_DATE:
        just_outside = {today - _window(leaf) - relativedelta(days=1) for leaf in leaves if _window(leaf)}
        return (NEVER, today, *sorted(just_outside))
    limits = {float(v) for leaf in leaves for k, v in leaf.items() if k in ("lt", "le", "gt", "ge")}
    return tuple(sorted({v for limit in limits for v in (limit - 0.5, limit, limit + 0.5)}))


def _window(leaf: Mapping[str, Any]) -> relativedelta | None:
    """A dose-date test's waiting period (``within_months`` or ``within_weeks``), if it is one."""
    if "within_months" in leaf:
        return relativedelta(months=int(leaf["within_months"]))
    if "within_weeks" in leaf:
        return relativedelta(weeks=int(leaf["within_weeks"]))
    return None


def _clears(rule: Mapping[str, Any], values: Mapping[str, Any], today: date) -> date | None:
    """When a rule that holds stops holding because its waiting periods end (None: it holds for good or not)."""
    if not _holds(rule, values, today):
        return None
    ends = [
        _as_date(values[leaf["field"]]) + _window(leaf)
        for leaf in _leaves(rule)
        if _window(leaf) and values[leaf["field"]] != NEVER and _holds(leaf, values, today)
    ]
    return max(ends) if ends else None


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _holds(rule: Mapping[str, Any], values: Mapping[str, Any], today: date) -> bool:
    """Two-valued evaluation of a rule on complete answers (written apart from the engine on purpose)."""
    if "any" in rule:
        return any(_holds(part, values, today) for part in rule["any"])
    if "all" in rule:
        return all(_holds(part, values, today) for part in rule["all"])
    if "not" in rule:
        return not _holds(rule["not"], values, today)
    value = values[rule["field"]]
    if "is" in rule:
        return value is rule["is"]
    if "eq" in rule:
        return value == rule["eq"]
    if _window(rule):
        if value == NEVER:
            return False
        return today < _as_date(value) + _window(rule)
    ((op, limit),) = ((k, v) for k, v in rule.items() if k not in ("field", "if_unknown"))
    return {"lt": value < limit, "le": value <= limit, "gt": value > limit, "ge": value >= limit}[op]


def _possible(values: Mapping[str, Any]) -> bool:
    """False for answers no person can give (more years of diabetes or menopause than of life)."""
    age = values.get("age")
    return age is None or all(
        values.get(f) is None or values[f] <= age for f in FIELDS if FIELDS[f].years_of_life and f in values
    )


def can_change(state: ScreeningState, fields: Iterable[str], today: date) -> bool:
    """True if one of ``fields`` (unknown, not skipped) can still flip a criterion or move the day its waiting
    period ends (the "may join from" date), and nothing failed for good."""
    if hard_failures(screen(_raw(state.answers, today))) and not state.go_on_after_fail:
        return False
    for name in fields:
        if state.answers.get(name) is not None or name in state.skipped:
            continue
        for rule, rule_fields_ in _rules_reading(name):
            known = {f: state.answers[f] for f in rule_fields_ if state.answers.get(f) is not None}
            others = [f for f in rule_fields_ if f != name and f not in known]
            mine = _values(name, rule, today)
            for combo in itertools.product(*(_values(f, rule, today) for f in others)):
                base = {**known, **dict(zip(others, combo, strict=True))}
                outcomes = {
                    (_holds(rule, {**base, name: v}, today), _clears(rule, {**base, name: v}, today))
                    for v in mine
                    if _possible({**base, name: v})
                }
                if len(outcomes) > 1:
                    return True
    return False


def simulate(profile: Profile, today: date) -> Simulation:
    """Screen ``profile`` with the planner, one question at a time, checking each question as it is asked."""
    answers: dict[str, Any] = {}
    gates: dict[str, bool | None] = {}
    skipped: set[str] = set()
    asked: list[Asked] = []
    for _ in range(MAX_QUESTIONS):
        state = ScreeningState(answers=dict(answers), gates=dict(gates), skipped=frozenset(skipped), as_of=today)
        step = plan(state)
        if step.next_question is None:
            break
        q = question(step.next_question)
        fields = q.opens or (q.name,)
        missing = set(step.evaluation.missing_fields())
        asked.append(Asked(q.name, any(f in missing for f in fields), can_change(state, fields, today)))
        value = profile.value(q)
        if value == DONT_KNOW:
            skipped.update((q.name, *q.opens))
        elif q.is_gate:
            gates[q.name] = value
            if value is False:
                answers.update({f: NEVER for f in q.opens if answers.get(f) is None})
        else:
            answers[q.name] = value
    else:
        raise RuntimeError(f"{profile.name}: more than {MAX_QUESTIONS} questions")
    final = plan(ScreeningState(answers=answers, gates=gates, skipped=frozenset(skipped), as_of=today))
    open_fields = [f for f in final.evaluation.missing_fields() if f not in skipped]
    return Simulation(
        profile=profile.name,
        expected=profile.expected,
        status=final.evaluation.status,
        stopped_early=final.stopped_early,
        asked=asked,
        left_open=[] if final.stopped_early else open_fields,
    )


def summarise(simulations: list[Simulation]) -> dict[str, Any]:
    counts = [len(s.asked) for s in simulations]
    needless = {s.profile: s.needless for s in simulations if s.needless}
    return {
        "profiles": len(simulations),
        "mean_questions": statistics.fmean(counts),
        "min_questions": min(counts),
        "max_questions": max(counts),
        "questions_total": sum(counts),
        "needless_questions": needless,
        "status_mismatches": {s.profile: [s.expected, s.status] for s in simulations if s.status != s.expected},
        "left_open": {s.profile: s.left_open for s in simulations if s.left_open},
        "goal_met": not needless,
        "per_profile": [
            {**{k: v for k, v in asdict(s).items() if k != "asked"}, "questions": len(s.asked), "asked": s.names}
            for s in simulations
        ],
    }


def run(today: date | None = None) -> dict[str, Any]:
    today = today or date.today()
    return summarise([simulate(p, today) for p in profiles(today)])


def print_table(result: dict[str, Any]) -> None:
    print(f"{'profile':<22}{'status':<14}{'questions':>10}  needless")
    for row in result["per_profile"]:
        needless = result["needless_questions"].get(row["profile"], [])
        print(f"{row['profile']:<22}{row['status']:<14}{row['questions']:>10}  {', '.join(needless) or '-'}")
    print(f"{'mean':<36}{result['mean_questions']:>10.2f}")


def main() -> int:
    result = run()
    print_table(result)
    print(json.dumps({k: result[k] for k in ("needless_questions", "status_mismatches", "left_open")}))
    return 0 if result["goal_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
