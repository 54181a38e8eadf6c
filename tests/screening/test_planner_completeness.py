"""Brute force: when the planner is done, no question it could still ask would change the verdict.

The verdict is what the person is told overall: (status, eligible_from). Dialogues are simulated
against hidden profiles (the planner asks, the profile answers, "I don't know" included), over
one value from each class of answers the rules tell apart:

- every bone-medicine gate and dose date, and both E7 answers, exhaustively (on top of two fixed
  profiles for everything else);
- everything, for a fixed, seeded sample of whole profiles.

Two checks, on every simulated state:

1. done means done: when the planner asks nothing more, no unanswered question it could still ask
   (not skipped, its gate or yes/no answered yes) has an answer that changes the verdict;
2. nothing useless is asked, which does NOT hold in general: a question is useful when some answer
   to it, together with some answers still to come, changes the verdict. The planner asks by
   criterion, so three kinds of question are asked although the verdict cannot move
   (``EXPECTED_USELESS``; each still changes what its own criterion says). Any other useless
   question, or one that changes not even its own criteria, fails the test.

The verdict is recomputed here criterion by criterion (each criterion evaluated alone, the
listing's rule for combining them written out) and checked against the planner's at every end.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import random
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from bot.eligibility import Answers, CriterionResult, Evaluation, evaluate, load_protocol
from bot.eligibility.fields import FIELDS, NEVER, SEXES, Kind
from bot.eligibility.protocol import COMPARISONS, operator, rule_fields, rule_tests
from bot.screening.planner import ScreeningState, plan
from bot.screening.questions import Question, load_questions
from tests.profiles import DOSE_FIELDS, ELIGIBLE_ANSWERS

AS_OF = date(2026, 11, 25)
SEED = 20250722
SAMPLE_SIZE = 300

PROTOCOL = load_protocol()
CRITERIA = {c.id: c for c in PROTOCOL.criteria}
FIELDS_OF = {cid: tuple(dict.fromkeys(rule_fields(c.rule))) for cid, c in CRITERIA.items()}
CRITERIA_OF = {name: [cid for cid, names in FIELDS_OF.items() if name in names] for name in FIELDS}
SINGLE = {cid: dataclasses.replace(PROTOCOL, criteria=(c,)) for cid, c in CRITERIA.items()}
QUESTIONS = load_questions()
BY_NAME = {q.name: q for q in QUESTIONS}
FOLLOW_UPS = {q.name: [f for f in QUESTIONS if f.after == q.name] for q in QUESTIONS}
STEROIDS = {"glucocorticoid_high_dose_recent", "glucocorticoid_last_dose"}
ALL_TESTS = rule_tests({"all": [c.rule for c in PROTOCOL.criteria]})

Verdict = tuple[str, date | None]
#: (result, clears_on, washout) of one criterion.
Outcome = tuple[str, date | None, bool]


def _behind(name: str, gate: str) -> bool:
    q = BY_NAME[name]
    while q.after:
        if q.after == gate:
            return True
        q = BY_NAME[q.after]
    return False


MEDICINE = {"bone_medicine_any", *(q.name for q in QUESTIONS if _behind(q.name, "bone_medicine_any"))}


# --- one answer from each class the rules tell apart -------------------------------------------


def _windows(name: str) -> list[relativedelta | timedelta]:
    spans: list[relativedelta | timedelta] = []
    for test in ALL_TESTS:
        if test["field"] == name:
            op, n = operator(test)
            spans.append(relativedelta(months=n) if op == "within_months" else timedelta(weeks=n))
    return spans


def _classes(name: str) -> tuple[Any, ...]:
    """JSON answers: both sides of every limit in the rules; dose dates in, at the edges of, and out of
    each window, and never."""
    spec = FIELDS[name]
    if spec.kind is Kind.BOOL:
        return (True, False)
    if spec.kind is Kind.SEX:
        return SEXES
    if spec.kind is Kind.DOSE_DATE:
        days = {AS_OF}
        for span in _windows(name):
            last_inside, first_outside = AS_OF + timedelta(days=1) - span, AS_OF - span
            assert last_inside + span > AS_OF >= first_outside + span, name
            days |= {last_inside, first_outside}
        return (*sorted(day.isoformat() for day in days), NEVER)
    tests = [operator(test) for test in ALL_TESTS if test["field"] == name]
    limits = {float(operand) for op, operand in tests if op in COMPARISONS}
    assert limits, name
    around = {limit + step for limit in limits for step in (-1.0, 0.0, 1.0)}
    return tuple(sorted(v for v in around if spec.minimum <= v <= spec.maximum))  # type: ignore[operator]


CLASSES = {name: _classes(name) for name in FIELDS if name != "as_of"}


def _last_day_inside(name: str) -> str:
    (span,) = _windows(name)
    return (AS_OF + timedelta(days=1) - span).isoformat()


def _first_day_outside(name: str) -> str:
    (span,) = _windows(name)
    return (AS_OF - span).isoformat()


#: The exhaustive part: fewer dose dates but every gate. The last day inside a window ends it
#: tomorrow, a dose today ends it as late as any can: between them, every order of clearing dates.
EXHAUSTIVE_DATES = {name: (_last_day_inside(name), AS_OF.isoformat()) for name in DOSE_FIELDS}
EXHAUSTIVE_DATES["glucocorticoid_last_dose"] = (
    _first_day_outside("glucocorticoid_last_dose"), _last_day_inside("glucocorticoid_last_dose"), AS_OF.isoformat()
)


def _engine_value(name: str, value: Any) -> Any:
    if value is None or value == NEVER:
        return value
    kind = FIELDS[name].kind
    if kind is Kind.DOSE_DATE:
        return date.fromisoformat(value)
    return float(value) if kind is Kind.NUMBER else value


# --- the verdict, criterion by criterion (each criterion evaluated alone, remembered) ----------


@functools.cache
def _outcome(cid: str, values: tuple[Any, ...]) -> Outcome:
    answers = Answers(as_of=AS_OF, values=dict(zip(FIELDS_OF[cid], values, strict=True)))
    (result,) = evaluate(answers, protocol=SINGLE[cid]).criteria
    return result.result, result.clears_on, result.washout


def _outcomes(values: Mapping[str, Any], cids: list[str]) -> list[Outcome]:
    return [_outcome(cid, tuple(values.get(f) for f in FIELDS_OF[cid])) for cid in cids]


def combine(outcomes: list[Outcome]) -> Verdict:
    """The listing's rule: any failure is ineligible; a date only when every failure is a dated wait."""
    failing = [o for o in outcomes if o[0] == "fail"]
    status = "ineligible" if failing else "needs_review" if any(o[0] == "unknown" for o in outcomes) else "eligible"
    dated = failing and all(washout and clears for _, clears, washout in failing)
    return status, max(o[1] for o in failing) if dated else None  # type: ignore[type-var]


# --- simulated dialogues -------------------------------------------------------------------------


@dataclass
class Dialogue:
    answers: dict[str, Any] = field(default_factory=dict)  # JSON values, as the slots hold them
    gates: dict[str, bool] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)

    def state(self) -> ScreeningState:
        return ScreeningState(dict(self.answers), dict(self.gates), frozenset(self.skipped), as_of=AS_OF)

    def answer(self, name: str, value: Any) -> Dialogue:
        """As the form does: "no" to a gate answers its dates as never; None is "I don't know"."""
        new = Dialogue(dict(self.answers), dict(self.gates), set(self.skipped))
        q = BY_NAME[name]
        if value is None:
            new.skipped.add(name)
        elif q.is_gate:
            new.gates[name] = value
            if value is False:
                new.answers.update({f: NEVER for f in q.opens if new.answers.get(f) is None})
        else:
            new.answers[name] = value
        return new

    def values(self) -> dict[str, Any]:
        return {name: _engine_value(name, self.answers.get(name)) for name in CLASSES}

    def yes(self, name: str) -> bool:
        return name not in self.skipped and (self.gates.get(name) or self.answers.get(name)) is True

    def askable(self) -> list[Question]:
        """Questions not answered, not skipped, whose gate or yes/no answer said yes."""
        open_ = [q for q in QUESTIONS if q.name not in self.skipped and (not q.after or self.yes(q.after))]
        return [q for q in open_ if (self.gates if q.is_gate else self.answers).get(q.name) is None]

    def reachable(self, name: str) -> bool:
        """Could this answer still be given: not skipped, and no gate on its way closed."""
        q = BY_NAME[name]
        while True:
            if q.name in self.skipped:
                return False
            if not q.after:
                return True
            parent = BY_NAME[q.after]
            if (self.gates if parent.is_gate else self.answers).get(parent.name) is False:
                return False
            q = parent


def answered_fields(q: Question) -> list[str]:
    """The fields a question answers: itself, or for a gate the fields behind it."""
    return list(q.opens) if q.is_gate else [q.name]


def changes_now(q: Question, dialogue: Dialogue) -> Iterator[dict[str, Any]]:
    """The answers to ``q`` as changes to the engine's values; for a gate, "no", or "yes" and then
    one answer to one question it opens."""
    if not q.is_gate:
        for value in CLASSES[q.name]:
            yield {q.name: _engine_value(q.name, value)}
        return
    yield {f: NEVER for f in q.opens if dialogue.answers.get(f) is None}
    for follow in FOLLOW_UPS[q.name]:
        if follow.is_gate or dialogue.answers.get(follow.name) is None:
            yield from changes_now(follow, dialogue)


def final_answers(q: Question, unknown: list[str]) -> list[dict[str, Any]]:
    """Every way the ``unknown`` fields that ``q`` answers can end up, "I don't know" included."""
    if not q.is_gate:
        return [{q.name: _engine_value(q.name, v)} for v in (*CLASSES[q.name], None)]
    choices = [[_engine_value(f, v) for v in (*CLASSES[f], None)] for f in unknown]
    return [{f: NEVER for f in unknown}] + [dict(zip(unknown, c, strict=True)) for c in itertools.product(*choices)]


@dataclass
class Report:
    dialogues: int = 0
    states: int = 0
    hypotheses: int = 0
    not_done: list[str] = field(default_factory=list)
    useless: dict[str, int] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)


#: Useless questions the planner asks on purpose, by kind. Each still changes what its own
#: criterion says (its result, date or temporariness), which is what the planner asks by.
EXPECTED_USELESS = {
    # after a temporary failure (an infection, a dental problem) or a steroid "yes" with its date
    # unknown, no date can be given and nothing makes the person eligible today; the screening goes
    # on anyway so that the person (and the study team) know the rest when they come back
    "after-a-failure-with-no-date",
    # a dose whose waiting period cannot end later than one already known (a denosumab date when a
    # bisphosphonate drip already ends later)
    "an-earlier-waiting-period",
    # a criterion that can only pass or stay open, beside another left open for good by an
    # "I don't know": "needs review" either way
    "beside-an-answer-left-unknown",
}

#: What the other criteria can still add up to: (a failure, an open criterion, a failure with no
#: date, the latest end of the dated waiting periods).
Summary = tuple[bool, bool, bool, date | None]


def _add(summary: Summary, outcome: Outcome) -> Summary:
    fail, unknown, undated, latest = summary
    result, clears, washout = outcome
    if result == "unknown":
        unknown = True
    if result == "fail":
        fail = True
        if washout and clears:
            latest = clears if latest is None else max(latest, clears)
        else:
            undated = True
    return fail, unknown, undated, latest


def _verdict(summary: Summary, outcomes: list[Outcome]) -> Verdict:
    for outcome in outcomes:
        summary = _add(summary, outcome)
    fail, unknown, undated, latest = summary
    status = "ineligible" if fail else "needs_review" if unknown else "eligible"
    return status, latest if fail and not undated else None


def _open_key(cid: str, dialogue: Dialogue, values: Mapping[str, Any]) -> tuple[Any, ...]:
    """A criterion's answers, ``...`` where an answer may still come."""
    return tuple(... if values[f] is None and dialogue.reachable(f) else values[f] for f in FIELDS_OF[cid])


def _completions(names: tuple[str, ...], key: tuple[Any, ...]) -> Iterator[dict[str, Any]]:
    pending = [n for n, v in zip(names, key, strict=True) if v is ...]
    known = {n: v for n, v in zip(names, key, strict=True) if v is not ...}
    for rest in itertools.product(*[[_engine_value(f, v) for v in (*CLASSES[f], None)] for f in pending]):
        yield {**known, **dict(zip(pending, rest, strict=True))}


@functools.cache
def _possible(cid: str, key: tuple[Any, ...]) -> frozenset[Outcome]:
    """Every outcome a criterion can still end with."""
    return frozenset(_outcomes(values, [cid])[0] for values in _completions(FIELDS_OF[cid], key))


@functools.cache
def _summaries(possible: tuple[frozenset[Outcome], ...]) -> frozenset[Summary]:
    summaries: set[Summary] = {(False, False, False, None)}
    for outcomes in possible:
        summaries = {_add(s, o) for s in summaries for o in outcomes}
    return frozenset(summaries)


@functools.cache
def _moves(name: str, names: tuple[str, ...], key: tuple[Any, ...], summaries: frozenset[Summary] | None) -> bool:
    """Can some answer to ``name``, with some answers still to come, change the verdict (with the
    other criteria adding up to any of ``summaries``), or with ``summaries=None`` what its own
    criteria say?"""
    q = BY_NAME[name]
    mine = answered_fields(q)
    cids = sorted({cid for f in mine for cid in CRITERIA_OF[f]})
    others_key = tuple(... if n in mine else v for n, v in zip(names, key, strict=True))
    unknown = [f for f in mine if dict(zip(names, key, strict=True))[f] in (None, ...)]
    answers = final_answers(q, unknown)
    for filled in _completions(names, others_key):
        results = [_outcomes({**filled, **a}, cids) for a in answers]
        if summaries is None:
            if len({tuple(r) for r in results}) > 1:
                return True
        elif any(len({_verdict(s, r) for r in results}) > 1 for s in summaries):
            return True
    return False


def _kind_of_useless(dialogue: Dialogue, evaluation: Evaluation, cids: list[str]) -> str | None:
    def settled(c: CriterionResult) -> bool:  # no answer that could still come would change it
        return not [f for f in c.missing if dialogue.reachable(f)]

    if any(c.result == "fail" and c.clears_on is None and settled(c) for c in evaluation.criteria):
        return "after-a-failure-with-no-date"
    waiting = any(c.washout and c.result == "fail" for c in evaluation.criteria)
    if waiting and all(CRITERIA[cid].washout for cid in cids):
        return "an-earlier-waiting-period"
    if any(c.result == "unknown" and settled(c) for c in evaluation.criteria if c.id not in cids):
        return "beside-an-answer-left-unknown"
    return None


def check_asked(q: Question, dialogue: Dialogue, evaluation: Evaluation, report: Report) -> None:
    """The question asked can change the verdict, or is one of the expected useless kinds."""
    values = dialogue.values()
    cids = sorted({cid for f in answered_fields(q) for cid in CRITERIA_OF[f]})
    names = tuple(sorted({f for cid in cids for f in FIELDS_OF[cid]}))
    key = tuple(... if values[f] is None and dialogue.reachable(f) else values[f] for f in names)
    possible = tuple(_possible(cid, _open_key(cid, dialogue, values)) for cid in CRITERIA if cid not in cids)
    if _moves(q.name, names, key, _summaries(possible)):
        return
    kind = _kind_of_useless(dialogue, evaluation, cids)
    if kind is None or not _moves(q.name, names, key, None):
        report.unexpected.append(f"{q.name} asked uselessly ({kind}): {dialogue.answers} gates={dialogue.gates}")
    else:
        report.useless[kind] = report.useless.get(kind, 0) + 1


def check_done(dialogue: Dialogue, evaluation: Evaluation, report: Report) -> None:
    values = dialogue.values()
    outcomes = dict(zip(CRITERIA, _outcomes(values, list(CRITERIA)), strict=True))
    now = combine(list(outcomes.values()))
    assert now == (evaluation.status, evaluation.eligible_from), "the criterion-by-criterion verdict disagrees"
    for q in dialogue.askable():
        for change in changes_now(q, dialogue):
            report.hypotheses += 1
            touched = sorted({cid for f in change for cid in CRITERIA_OF[f]})
            changed = dict(zip(touched, _outcomes({**values, **change}, touched), strict=True))
            after = combine(list({**outcomes, **changed}.values()))
            if after != now:
                report.not_done.append(f"{q.name}={change} would make {now} {after}: {dialogue.answers}")


def simulate(dialogue: Dialogue, answer_for: Any, report: Report) -> None:
    """Follow the planner from ``dialogue``; ``answer_for(name)`` gives the hidden answers, a list of
    several for a branch point."""
    stack = [dialogue]
    while stack:
        current = stack.pop()
        result = plan(current.state())
        report.states += 1
        name = result.next_question
        if name is None:
            report.dialogues += 1
            check_done(current, result.evaluation, report)
            continue
        check_asked(BY_NAME[name], current, result.evaluation, report)
        stack.extend(current.answer(name, value) for value in answer_for(name))


# --- the two parts -------------------------------------------------------------------------------

#: Two profiles for everything but the medicines and steroids: the eligible man, and a woman
#: whose vitamin D is not known (so every medicine answer meets a "needs review").
BASES = [
    {k: v for k, v in ELIGIBLE_ANSWERS.items() if v is not None},
    {
        **{k: v for k, v in ELIGIBLE_ANSWERS.items() if v is not None},
        "sex": "female", "age": 60.0, "years_since_menopause": 10.0, "diabetes_years": 5.0,
        "coronary_heart_disease": True, "vitamin_d_ng_ml": None,
    },
]


def _exhaustive_answers(base: Mapping[str, Any]) -> Any:
    def answer_for(name: str) -> list[Any]:
        if name in DOSE_FIELDS or name == "glucocorticoid_last_dose":
            return [*EXHAUSTIVE_DATES[name], None]
        if name == "bone_medicine_any" or name == "glucocorticoid_high_dose_recent":
            return [True, False, None]
        if name in MEDICINE:  # a per-drug gate ("I don't know" there closes only its date, as a date's would)
            return [True, False]
        return [base.get(name)]

    return answer_for


def test_exhaustive_medicines_and_steroids() -> None:
    start, report = time.perf_counter(), Report()
    for base in BASES:
        # the questions after the medicines are answered from the start: each branch would ask them alike
        later = [q.name for q in QUESTIONS[[q.name for q in QUESTIONS].index("osteonecrosis_or_osteomyelitis_of_jaw"):]]
        first = Dialogue()
        for name in later:
            if name not in STEROIDS:
                first = first.answer(name, base.get(name)) if base.get(name) is not None else first
        simulate(first, _exhaustive_answers(base), report)
    _conclude(report, time.perf_counter() - start, "exhaustive")


def _random_profile(rng: random.Random) -> dict[str, Any]:
    profile: dict[str, Any] = {}
    for q in QUESTIONS:
        if rng.random() < 0.15:
            profile[q.name] = None  # "I don't know"
        elif q.is_gate:
            profile[q.name] = rng.random() < 0.5
        else:
            profile[q.name] = rng.choice(CLASSES[q.name])
    if rng.random() < 0.5:  # the other half are near-eligible: the later questions matter there
        for name, value in ELIGIBLE_ANSWERS.items():
            if name not in DOSE_FIELDS and value is not None and rng.random() < 0.8:
                profile[name] = value
    return profile


def test_seeded_sample_of_whole_screenings() -> None:
    start, report = time.perf_counter(), Report()
    rng = random.Random(SEED)
    for _ in range(SAMPLE_SIZE):
        profile = _random_profile(rng)
        simulate(Dialogue(), lambda name, p=profile: [p.get(name)], report)
    assert report.dialogues == SAMPLE_SIZE
    _conclude(report, time.perf_counter() - start, "sample")


FIGURES: dict[str, str] = {}


def _conclude(report: Report, seconds: float, part: str) -> None:
    FIGURES[part] = (
        f"{part}: {report.dialogues} screenings, {report.states} states, {report.hypotheses} answers tried "
        f"at the end, in {seconds:.1f}s; useless but expected: {report.useless}"
    )
    print(FIGURES[part])
    assert not report.not_done, f"{len(report.not_done)} cases, e.g.\n" + "\n".join(report.not_done[:5])
    assert not report.unexpected, f"{len(report.unexpected)} cases, e.g.\n" + "\n".join(report.unexpected[:5])
    assert set(report.useless) <= EXPECTED_USELESS
