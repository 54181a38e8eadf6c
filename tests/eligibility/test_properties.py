"""Property tests: whole families of answers, checked against the spec rather than examples."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.eligibility import ANSWER_FIELDS, FIELDS, Evaluation, load_protocol, screen
from bot.eligibility.fields import Kind
from bot.eligibility.protocol import rule_fields

AddMonths = Callable[[date, int], date]

FAST = settings(max_examples=150, deadline=None, database=None)

WASHOUT_MONTHS = {
    "last_iv_bisphosphonate": 24,
    "last_oral_bisphosphonate": 12,
    "last_denosumab": 6,
    "last_teriparatide": 6,
    "last_romosozumab": 6,
}
WASHOUT_CRITERION = {
    "last_iv_bisphosphonate": "E3",
    "last_oral_bisphosphonate": "E3",
    "last_denosumab": "E5",
    "last_teriparatide": "E5",
    "last_romosozumab": "E5",
}
BOOLEAN_EXCLUSIONS = {
    "E1": ["secondary_osteoporosis"],
    "E4": ["osteonecrosis_or_osteomyelitis_of_jaw", "dental_issue"],
    "E6": ["calcitonin_over_3_months_past_year"],
    "E9": ["active_infection"],
    "E11": ["calcium_disorder"],
    "E12": ["study_drug_allergy"],
    "E13": ["in_other_drug_trial"],
}
#: E7: a yes fails until 6 weeks (42 days) after the last dose of that steroid course.
STEROID_WEEKS = 6
WASHOUT_IDS = ("E3", "E5", "E7")
CRITERIA_IDS = ["I1", "I2", "I3", "I4", "I5", *(f"E{n}" for n in range(1, 14))]
#: Answers that a criterion depends on alone: unknown answer, unknown criterion.
SOLE_INPUT = {
    "type2_diabetes": "I1",
    "consent": "I5",
    "vitamin_d_ng_ml": "E8",
    **{name: cid for cid, names in BOOLEAN_EXCLUSIONS.items() if len(names) == 1 for name in names},
}

AS_OFS = st.dates(date(1990, 1, 1), date(2090, 12, 31))


def iso(day: date) -> str:
    return day.isoformat()


def results(evaluation: Evaluation) -> dict[str, str]:
    return {c.id: c.result for c in evaluation.criteria}


def floats(low: float, high: float, **kwargs: Any) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False, **kwargs)


def numbers(low: float, high: float, exclude_min: bool = False, exclude_max: bool = False) -> st.SearchStrategy[float]:
    """Floats in the range, or whole numbers in it as a JSON client would usually send them."""
    strategy = floats(low, high, exclude_min=exclude_min, exclude_max=exclude_max)
    whole = [
        n
        for n in range(math.ceil(low), math.floor(high) + 1)
        if (n > low or not exclude_min) and (n < high or not exclude_max)
    ]
    return strategy | st.sampled_from(whole) if whole else strategy


# --- strategies ----------------------------------------------------------------------------


@st.composite
def eligible_profiles(draw: st.DrawFn, ref_add_months: AddMonths) -> dict[str, Any]:
    """A complete answer dict that the spec says is eligible, varied over every passing route."""
    as_of = draw(AS_OFS)
    sex = draw(st.sampled_from(["male", "female"]))
    if sex == "male":
        age = draw(numbers(50, 120))
        menopause = draw(numbers(0, age))
    else:
        age = draw(numbers(45, 120))
        menopause = draw(numbers(2, age, exclude_min=True))
    profile: dict[str, Any] = {
        "as_of": iso(as_of),
        "sex": sex,
        "age": age,
        "years_since_menopause": menopause,
        "consent": True,
        "type2_diabetes": True,
        # I3: random parts, then one route forced to hold
        "diabetes_years": draw(numbers(0, age)),
        "retinopathy_stage3_plus": draw(st.booleans()),
        "uacr_mg_g": draw(numbers(0, 10000)),
        "egfr": draw(numbers(30, 200)),  # E10 needs eGFR >= 30
        "coronary_heart_disease": draw(st.booleans()),
        "cerebrovascular_disease": draw(st.booleans()),
        # I4: random parts, then one route forced to hold
        "hip_or_vertebral_fragility_fracture": draw(st.booleans()),
        "other_fragility_fracture": draw(st.booleans()),
        "lowest_t_score": draw(numbers(-10, 5)),
        "vitamin_d_ng_ml": draw(numbers(20, 200)),
    }
    i3 = draw(st.sampled_from(["years", "retinopathy", "uacr", "egfr", "chd", "cerebro"]))
    if i3 == "years":
        profile["diabetes_years"] = draw(numbers(10, age, exclude_min=True))
    elif i3 == "uacr":
        profile["uacr_mg_g"] = draw(numbers(30, 10000))
    elif i3 == "egfr":
        profile["egfr"] = draw(numbers(30, 60, exclude_max=True))
    else:
        profile[
            {
                "retinopathy": "retinopathy_stage3_plus",
                "chd": "coronary_heart_disease",
                "cerebro": "cerebrovascular_disease",
            }[i3]
        ] = True
    i4 = draw(st.sampled_from(["hip", "other", "t"]))
    if i4 == "hip":
        profile["hip_or_vertebral_fragility_fracture"] = True
    elif i4 == "other":
        profile["other_fragility_fracture"] = True
        profile["lowest_t_score"] = draw(numbers(-10, -1.0, exclude_max=True))
    else:
        profile["lowest_t_score"] = draw(numbers(-10, -2.0, exclude_max=True))
    for names in BOOLEAN_EXCLUSIONS.values():
        for name in names:
            profile[name] = False
    profile["glucocorticoid_high_dose_recent"] = False
    # after a "no" the date is not asked (None); typed in by hand, it can be any date outside the window
    steroid = draw(st.sampled_from(["unasked", "never", "just-cleared", "long-ago"]))
    profile["glucocorticoid_last_dose"] = {
        "unasked": None,
        "never": "never",
        "just-cleared": iso(as_of - timedelta(weeks=STEROID_WEEKS)),
        "long-ago": iso(as_of - timedelta(days=draw(st.integers(7 * STEROID_WEEKS + 1, 6000)))),
    }[steroid]
    cancer = draw(st.booleans())
    profile["cancer_within_5_years"] = cancer
    profile["cancer_curable_exception"] = True if cancer else draw(st.booleans())
    profile["heart_failure_nyha3_plus"] = False
    profile["severe_arrhythmia"] = False
    profile["alt_ast_over_3x_uln"] = False
    for name, months in WASHOUT_MONTHS.items():
        kind = draw(st.sampled_from(["never", "just-cleared", "long-ago"]))
        if kind == "never":
            profile[name] = "never"
        elif kind == "just-cleared":  # the latest dose that has cleared by as_of (clamping can make it earlier)
            profile[name] = iso(ref_add_months(as_of, -months))
        else:
            profile[name] = iso(as_of - timedelta(days=draw(st.integers(31 * months + 1, 6000))))
    assert set(profile) == set(FIELDS)
    return profile


@st.composite
def one_failure(draw: st.DrawFn, profile: dict[str, Any], cid: str, ref_add_months: AddMonths) -> dict[str, Any]:
    """Changes to an eligible profile that make exactly criterion ``cid`` fail (by the spec)."""
    age = profile["age"]
    as_of = date.fromisoformat(profile["as_of"])
    if cid == "I1":
        return {"type2_diabetes": False}
    if cid == "I5":
        return {"consent": False}
    if cid == "I2":
        route = draw(st.sampled_from(["young-man", "young-woman", "recent-menopause"]))
        if route == "young-man":
            changes: dict[str, Any] = {"sex": "male", "age": draw(numbers(0, 50, exclude_max=True))}
        elif route == "young-woman":
            changes = {"sex": "female", "age": draw(numbers(0, 45, exclude_max=True))}
        else:
            changes = {"sex": "female", "age": draw(numbers(45, 120)), "years_since_menopause": draw(numbers(0, 2))}
        new_age = changes["age"]
        # keep the answers consistent (years <= age) and keep I3 holding whatever diabetes_years becomes
        changes["diabetes_years"] = min(profile["diabetes_years"], new_age)
        changes["years_since_menopause"] = min(
            changes.get("years_since_menopause", profile["years_since_menopause"]), new_age
        )
        changes["coronary_heart_disease"] = True
        return changes
    if cid == "I3":
        return {
            "diabetes_years": draw(numbers(0, min(10, age))),
            "retinopathy_stage3_plus": False,
            "uacr_mg_g": draw(numbers(0, 30, exclude_max=True)),
            "egfr": draw(numbers(60, 200)),
            "coronary_heart_disease": False,
            "cerebrovascular_disease": False,
        }
    if cid == "I4":
        if draw(st.booleans()):
            return {
                "hip_or_vertebral_fragility_fracture": False,
                "other_fragility_fracture": False,
                "lowest_t_score": draw(numbers(-2.0, 5)),
            }
        return {
            "hip_or_vertebral_fragility_fracture": False,
            "other_fragility_fracture": True,
            "lowest_t_score": draw(numbers(-1.0, 5)),
        }
    if cid in BOOLEAN_EXCLUSIONS:
        return {draw(st.sampled_from(BOOLEAN_EXCLUSIONS[cid])): True}
    if cid == "E7":  # a yes, with the last dose inside the 6 weeks or not known
        days = draw(st.none() | st.integers(0, 7 * STEROID_WEEKS - 1))
        last = None if days is None else iso(as_of - timedelta(days=days))
        return {"glucocorticoid_high_dose_recent": True, "glucocorticoid_last_dose": last}
    if cid == "E2":
        return {"cancer_within_5_years": True, "cancer_curable_exception": False}
    if cid in ("E3", "E5"):
        name = draw(st.sampled_from([n for n, c in WASHOUT_CRITERION.items() if c == cid]))
        months = WASHOUT_MONTHS[name]
        dose = as_of - timedelta(days=draw(st.integers(0, 30 * months - 1)))
        assert ref_add_months(dose, months) > as_of, "strategy bug: dose outside the window"
        return {name: iso(dose)}
    if cid == "E8":
        return {"vitamin_d_ng_ml": draw(numbers(0, 20, exclude_max=True))}
    if cid == "E10":
        route = draw(st.sampled_from(["heart_failure_nyha3_plus", "severe_arrhythmia", "alt_ast_over_3x_uln", "egfr"]))
        return {"egfr": draw(numbers(0, 30, exclude_max=True))} if route == "egfr" else {route: True}
    raise AssertionError(cid)


@st.composite
def any_answers(draw: st.DrawFn) -> dict[str, Any]:
    """Any valid answer dict: every field absent, null or any plausible value."""
    as_of = draw(AS_OFS)
    answers: dict[str, Any] = {"as_of": iso(as_of)}
    age = draw(st.none() | numbers(0, 120))
    for name in ANSWER_FIELDS:
        field = FIELDS[name]
        if name == "age":
            value: Any = age
        elif field.kind is Kind.BOOL:
            value = draw(st.none() | st.booleans())
        elif field.kind is Kind.SEX:
            value = draw(st.none() | st.sampled_from(["male", "female"]))
        elif field.kind is Kind.NUMBER:
            assert field.minimum is not None and field.maximum is not None
            high = min(field.maximum, age) if field.years_of_life and age is not None else field.maximum
            value = draw(st.none() | numbers(field.minimum, high))
        else:
            value = draw(st.none() | st.just("never") | st.dates(as_of - timedelta(days=1200), as_of).map(iso))
        if value is not None or draw(st.booleans()):
            answers[name] = value
    return answers


# --- (a) one failing criterion ----------------------------------------------------------------


@FAST
@given(data=st.data(), cid=st.sampled_from(CRITERIA_IDS))
def test_one_failing_criterion_is_the_only_failure(data: st.DataObject, cid: str, ref_add_months: AddMonths) -> None:
    profile = data.draw(eligible_profiles(ref_add_months), label="profile")
    assert screen(profile).status == "eligible"
    changes = data.draw(one_failure(profile, cid, ref_add_months), label="changes")
    evaluation = screen({**profile, **changes})
    assert evaluation.status == "ineligible"
    assert [c.id for c in evaluation.failing()] == [cid]
    assert not evaluation.unknown()
    if cid in ("E3", "E5"):
        ((name, dose),) = changes.items()
        expected = ref_add_months(date.fromisoformat(dose), WASHOUT_MONTHS[name])
        assert evaluation.eligible_from == expected
        (failing,) = evaluation.failing()
        assert expected.isoformat() in failing.explanation
    elif cid == "E7" and changes["glucocorticoid_last_dose"] is not None:
        last = date.fromisoformat(changes["glucocorticoid_last_dose"])
        expected = last + timedelta(days=7 * STEROID_WEEKS)
        assert evaluation.eligible_from == expected
        assert expected.isoformat() in evaluation.failing()[0].explanation
    else:  # a lasting failure, a temporary one, or a waiting period with no known end
        assert evaluation.eligible_from is None


# --- (b) one answer missing -----------------------------------------------------------------------


@FAST
@given(data=st.data(), field=st.sampled_from(ANSWER_FIELDS), how=st.sampled_from(["absent", "null"]))
def test_one_missing_answer_never_makes_ineligible(
    data: st.DataObject, field: str, how: str, ref_add_months: AddMonths
) -> None:
    profile = data.draw(eligible_profiles(ref_add_months), label="profile")
    if how == "absent":
        del profile[field]
    else:
        profile[field] = None
    evaluation = screen(profile)
    assert evaluation.status in {"eligible", "needs_review"}
    assert evaluation.eligible_from is None
    assert not evaluation.failing()
    unknown = evaluation.unknown()
    assert (evaluation.status == "needs_review") == bool(unknown)
    # The steroid question's follow-up (the last dose) is unanswered after a "no": without the "no" it
    # matters too, since a yes with a dose more than 6 weeks ago passes. Nothing else may be missing.
    follow_up = field == "glucocorticoid_high_dose_recent" and profile.get("glucocorticoid_last_dose") is None
    expected_missing = (field, "glucocorticoid_last_dose") if follow_up else (field,)
    for result in unknown:
        assert result.missing == expected_missing, result.id
    if field in SOLE_INPUT:
        assert [c.id for c in unknown] == [SOLE_INPUT[field]]
    if field == "glucocorticoid_high_dose_recent":  # unknown unless the date alone rules the steroids out
        assert [c.id for c in unknown] == (["E7"] if profile["glucocorticoid_last_dose"] is None else [])


# --- (c) any valid answers ------------------------------------------------------------------------


@FAST
@given(answers=any_answers())
def test_output_is_json_and_consistent(answers: dict[str, Any]) -> None:
    evaluation = screen(answers)
    data = evaluation.to_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert list(data) == ["status", "protocol_version", "eligible_from", "criteria"]
    assert [c["id"] for c in data["criteria"]] == CRITERIA_IDS

    outcome = [c.result for c in evaluation.criteria]
    expected = "ineligible" if "fail" in outcome else "needs_review" if "unknown" in outcome else "eligible"
    assert evaluation.status == expected == data["status"]

    failing = evaluation.failing()
    if failing and all(c.id in WASHOUT_IDS and c.clears_on is not None for c in failing):
        clears = [c.clears_on for c in failing]
        assert all(day is not None and day > evaluation.as_of for day in clears)
        assert evaluation.eligible_from == max(clears)  # type: ignore[type-var]
        assert data["eligible_from"] == max(clears).isoformat()  # type: ignore[type-var, union-attr]
    else:
        assert evaluation.eligible_from is None and data["eligible_from"] is None

    unknown_inputs = {name for name in ANSWER_FIELDS if answers.get(name) is None}
    rules = {c.id: set(rule_fields(c.rule)) for c in load_protocol().criteria}
    for result in evaluation.criteria:
        if result.result == "unknown":
            assert result.missing, result.id
        if result.result == "pass":
            assert result.missing == (), result.id
        assert set(result.missing) <= unknown_inputs & rules[result.id], result.id
        if result.result == "fail" and result.id not in WASHOUT_IDS and result.id not in ("E4", "E9"):
            assert result.missing == (), f"{result.id}: a lasting failure cannot change"

    # absent and null mean the same
    nulled = {name: answers.get(name) for name in FIELDS}
    assert screen(nulled).to_dict() == data


# --- (d) washouts are monotonic in the screening date -------------------------------------------


@settings(max_examples=200, deadline=None, database=None)
@given(
    field=st.sampled_from(list(WASHOUT_MONTHS)),
    dose=st.dates(date(1990, 1, 1), date(2090, 12, 31)),
    days_later=st.integers(0, 1000),
)
def test_washout_fails_exactly_until_the_window_ends(
    field: str, dose: date, days_later: int, eligible_profile: Callable[[], dict[str, Any]], ref_add_months: AddMonths
) -> None:
    as_of = dose + timedelta(days=days_later)
    clears = ref_add_months(dose, WASHOUT_MONTHS[field])
    never = {name: "never" for name in WASHOUT_MONTHS}
    answers = {**eligible_profile(), **never, "as_of": iso(as_of), field: iso(dose)}
    evaluation = screen(answers)
    result = results(evaluation)[WASHOUT_CRITERION[field]]
    assert result == ("fail" if as_of < clears else "pass")
    assert evaluation.eligible_from == (clears if as_of < clears else None)
    assert evaluation.status == ("ineligible" if as_of < clears else "eligible")


# --- (e) unknown exactly when a missing answer could change the result ---------------------------
#
# Exhaustive rather than sampled: for each criterion, every mix of unknown and known answers to its
# questions, against every way of filling in the unknown ones. The value domains straddle every
# threshold in the spec, so trying them all decides whether an answer can change the criterion.
# What can change is the outcome a person is told: the result and, for a failure, from when it may
# clear and whether it is temporary (so a failing washout still misses a dose that could end later).

AS_OF_E = date(2025, 9, 1)
DOMAINS: dict[str, list[Any]] = {
    "sex": ["male", "female"],
    "age": [40, 47, 60],
    "years_since_menopause": [1, 3],
    "diabetes_years": [5, 11],
    "uacr_mg_g": [10, 40],
    "egfr": [20, 45, 90],
    "lowest_t_score": [-0.5, -1.5, -2.5],
    "vitamin_d_ng_ml": [10, 30],
    # never; on as_of; 13 months before (inside only the 24-month window); 30 months before (outside all)
    **{name: ["never", iso(AS_OF_E), "2024-08-01", "2023-03-01"] for name in WASHOUT_MONTHS},
    # never; on as_of; 41 days before (the last day inside 6 weeks); 42 days before (outside)
    "glucocorticoid_last_dose": ["never", iso(AS_OF_E), "2025-07-22", "2025-07-21"],
}
#: Answers whose staying unknown is an answer of its own: after a steroid "yes", E7 fails with no date.
UNKNOWN_IS_AN_ANSWER = {"glucocorticoid_last_dose"}

#: One-criterion protocols, so that each trial evaluates only the criterion at hand.
SINGLE = {c.id: dataclasses.replace(load_protocol(), criteria=(c,)) for c in load_protocol().criteria}

Outcome = tuple[str, "date | None", bool]


def domain(name: str) -> list[Any]:
    return DOMAINS.get(name, [True, False])


def final_values(name: str) -> list[Any]:
    """What an answer can end up as when the screening is over."""
    return [*domain(name), *([None] if name in UNKNOWN_IS_AN_ANSWER else [])]


@pytest.mark.parametrize("cid", CRITERIA_IDS)
def test_unknown_exactly_when_a_missing_answer_could_change_the_result(cid: str) -> None:
    protocol = SINGLE[cid]
    names = list(dict.fromkeys(rule_fields(protocol.criteria[0].rule)))

    def judge(values: tuple[Any, ...]) -> tuple[Outcome, tuple[str, ...]]:
        (result,) = screen(dict(zip(names, values, strict=True)), today=AS_OF_E, protocol=protocol).criteria
        return (result.result, result.clears_on, result.temporary), result.missing

    complete = {values: judge(values)[0] for values in itertools.product(*(final_values(n) for n in names))}
    assert {outcome[0] for outcome in complete.values()} <= {"pass", "fail"}

    def fits(known: Any, value: Any, name: str) -> bool:
        # an unknown answer may end as any value, except where "unknown" is itself a final answer
        return known == value or (known is None and name not in UNKNOWN_IS_AN_ANSWER)

    problems = []
    for partial in itertools.product(*([None, *domain(n)] for n in names)):
        (result, clears_on, temporary), missing = judge(partial)
        now = {
            values: outcome
            for values, outcome in complete.items()
            if all(fits(k, v, n) for k, v, n in zip(partial, values, names, strict=True))
        }
        results = {outcome[0] for outcome in now.values()}
        expected = results.pop() if len(results) == 1 else "unknown"
        could_change = {
            names[i]
            for i, known in enumerate(partial)
            if known is None
            and any(
                complete[values[:i] + (other,) + values[i + 1 :]] != outcome
                for values, outcome in now.items()
                for other in final_values(names[i])
            )
        }
        if expected == "fail":  # the earliest it may clear, and temporary if it may rest on temporary answers
            dates = [outcome[1] for outcome in now.values()]
            expected_clears = None if None in dates else min(dates)
            expected_temporary = any(outcome[2] for outcome in now.values())
        else:
            expected_clears, expected_temporary = None, False
        if (result, clears_on, temporary) != (expected, expected_clears, expected_temporary) or set(
            missing
        ) != could_change:
            shown = dict(zip(names, partial, strict=True))
            problems.append(
                f"{shown}: got {result} {clears_on} temporary={temporary} missing={sorted(missing)}, expected "
                f"{expected} {expected_clears} temporary={expected_temporary} missing={sorted(could_change)}"
            )
    assert not problems, f"{len(problems)} cases, e.g.\n" + "\n".join(problems[:8])


@pytest.mark.parametrize("field", ANSWER_FIELDS)
def test_every_answer_field_is_used_by_some_criterion(field: str) -> None:
    assert any(field in rule_fields(c.rule) for c in load_protocol().criteria)
