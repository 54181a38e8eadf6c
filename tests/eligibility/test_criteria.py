"""Each criterion against the spec: boundaries, three-valued logic, ``missing``, status and output shape."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from bot.eligibility import ANSWER_FIELDS, FIELDS, CriterionResult, Evaluation, screen
from bot.eligibility.logic import all3, any3, not3

Profile = Callable[[], dict[str, Any]]

TODAY = date(2025, 9, 1)


def run(profile: dict[str, Any]) -> Evaluation:
    return screen(profile, today=TODAY)


def criterion(evaluation: Evaluation, cid: str) -> CriterionResult:
    (found,) = [c for c in evaluation.criteria if c.id == cid]
    return found


def with_(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


# --- the shared profile --------------------------------------------------------------------


def test_shared_profile_answers_every_field_and_is_eligible(eligible_profile: Profile) -> None:
    profile = eligible_profile()
    assert set(profile) == set(FIELDS)
    assert set(ANSWER_FIELDS) == set(FIELDS) - {"as_of"}
    evaluation = run(profile)
    assert [c.result for c in evaluation.criteria] == ["pass"] * 18
    assert evaluation.status == "eligible"
    assert evaluation.eligible_from is None


# --- boundaries ----------------------------------------------------------------------------

# The profile's I3 and I4 hold for one reason each; these bases make them fail on every part so a
# single change shows which side of a boundary it is on.
I3_NONE = dict(
    diabetes_years=5,
    retinopathy_stage3_plus=False,
    uacr_mg_g=10.0,
    egfr=85.0,
    coronary_heart_disease=False,
    cerebrovascular_disease=False,
)
I4_NONE = dict(hip_or_vertebral_fragility_fracture=False, other_fragility_fracture=False, lowest_t_score=-0.5)

BOUNDARIES: list[tuple[str, dict[str, Any], str]] = [
    # I1
    ("I1", {"type2_diabetes": True}, "pass"),
    ("I1", {"type2_diabetes": False}, "fail"),
    # I2 men: age >= 50, menopause irrelevant
    ("I2", {"sex": "male", "age": 49, "years_since_menopause": 8}, "fail"),
    ("I2", {"sex": "male", "age": 49.9, "years_since_menopause": 8}, "fail"),
    ("I2", {"sex": "male", "age": 50, "years_since_menopause": 8}, "pass"),
    ("I2", {"sex": "male", "age": 60, "years_since_menopause": 0}, "pass"),
    ("I2", {"sex": "male", "age": 60, "years_since_menopause": None}, "pass"),
    # I2 women: age >= 45 and menopause > 2 years
    ("I2", {"sex": "female", "age": 44, "years_since_menopause": 8}, "fail"),
    ("I2", {"sex": "female", "age": 44.9, "years_since_menopause": 8}, "fail"),
    ("I2", {"sex": "female", "age": 45, "years_since_menopause": 8}, "pass"),
    ("I2", {"sex": "female", "age": 49, "years_since_menopause": 8}, "pass"),
    ("I2", {"sex": "female", "age": 60, "years_since_menopause": 2}, "fail"),
    ("I2", {"sex": "female", "age": 60, "years_since_menopause": 0}, "fail"),
    ("I2", {"sex": "female", "age": 60, "years_since_menopause": 2.1}, "pass"),
    ("I2", {"sex": "female", "age": 60, "years_since_menopause": 3}, "pass"),
    # I3: duration > 10, or any complication
    ("I3", I3_NONE, "fail"),
    ("I3", {**I3_NONE, "diabetes_years": 10}, "fail"),
    ("I3", {**I3_NONE, "diabetes_years": 10.5}, "pass"),
    ("I3", {**I3_NONE, "diabetes_years": 11}, "pass"),
    ("I3", {**I3_NONE, "retinopathy_stage3_plus": True}, "pass"),
    ("I3", {**I3_NONE, "uacr_mg_g": 29.9}, "fail"),
    ("I3", {**I3_NONE, "uacr_mg_g": 30}, "pass"),
    ("I3", {**I3_NONE, "egfr": 60}, "fail"),
    ("I3", {**I3_NONE, "egfr": 59.9}, "pass"),
    ("I3", {**I3_NONE, "coronary_heart_disease": True}, "pass"),
    ("I3", {**I3_NONE, "cerebrovascular_disease": True}, "pass"),
    # I4: hip/vertebral fracture; or other fracture with T < -1.0; or T < -2.0
    ("I4", I4_NONE, "fail"),
    ("I4", {**I4_NONE, "hip_or_vertebral_fragility_fracture": True, "lowest_t_score": 1.0}, "pass"),
    ("I4", {**I4_NONE, "other_fragility_fracture": True, "lowest_t_score": -1.0}, "fail"),
    ("I4", {**I4_NONE, "other_fragility_fracture": True, "lowest_t_score": -1.01}, "pass"),
    ("I4", {**I4_NONE, "other_fragility_fracture": False, "lowest_t_score": -1.5}, "fail"),
    ("I4", {**I4_NONE, "lowest_t_score": -2.0}, "fail"),
    ("I4", {**I4_NONE, "lowest_t_score": -2.01}, "pass"),
    ("I4", {**I4_NONE, "lowest_t_score": -10}, "pass"),
    # I5
    ("I5", {"consent": True}, "pass"),
    ("I5", {"consent": False}, "fail"),
    # E2: fails when cancer within 5 years and not the curable exception
    ("E2", {"cancer_within_5_years": True, "cancer_curable_exception": False}, "fail"),
    ("E2", {"cancer_within_5_years": True, "cancer_curable_exception": True}, "pass"),
    ("E2", {"cancer_within_5_years": False, "cancer_curable_exception": False}, "pass"),
    ("E2", {"cancer_within_5_years": False, "cancer_curable_exception": True}, "pass"),
    # E8: vitamin D < 20 fails
    ("E8", {"vitamin_d_ng_ml": 0}, "fail"),
    ("E8", {"vitamin_d_ng_ml": 19.9}, "fail"),
    ("E8", {"vitamin_d_ng_ml": 20}, "pass"),
    ("E8", {"vitamin_d_ng_ml": 200}, "pass"),
    # E10: any of the uncontrolled comorbidities, or eGFR < 30
    ("E10", {"heart_failure_nyha3_plus": True}, "fail"),
    ("E10", {"severe_arrhythmia": True}, "fail"),
    ("E10", {"alt_ast_over_3x_uln": True}, "fail"),
    ("E10", {"egfr": 29.9}, "fail"),
    ("E10", {"egfr": 0}, "fail"),
    ("E10", {"egfr": 30}, "pass"),
    # E7: a yes fails while the last dose is within 6 weeks, or with the date unknown
    # (the boundaries of the 6 weeks are in test_temporary.py)
    ("E7", {"glucocorticoid_high_dose_recent": True, "glucocorticoid_last_dose": "2025-08-15"}, "fail"),
    ("E7", {"glucocorticoid_high_dose_recent": True, "glucocorticoid_last_dose": None}, "fail"),
    ("E7", {"glucocorticoid_high_dose_recent": True, "glucocorticoid_last_dose": "2025-06-01"}, "pass"),
    ("E7", {"glucocorticoid_high_dose_recent": False, "glucocorticoid_last_dose": "2025-08-15"}, "pass"),
    ("E7", {"glucocorticoid_high_dose_recent": False, "glucocorticoid_last_dose": None}, "pass"),
]

# Exclusions that simply fail when their boolean is true.
BOOLEAN_EXCLUSIONS = [
    ("E1", "secondary_osteoporosis"),
    ("E4", "osteonecrosis_or_osteomyelitis_of_jaw"),
    ("E4", "dental_issue"),
    ("E6", "calcitonin_over_3_months_past_year"),
    ("E9", "active_infection"),
    ("E11", "calcium_disorder"),
    ("E12", "study_drug_allergy"),
    ("E13", "in_other_drug_trial"),
]
for _cid, _name in BOOLEAN_EXCLUSIONS:
    BOUNDARIES.append((_cid, {_name: True}, "fail"))
    BOUNDARIES.append((_cid, {_name: False}, "pass"))


def _case_id(index: int, case: tuple[str, dict[str, Any], str]) -> str:
    cid, changes, expected = case
    return f"{index:02d}-{cid}-{expected}"


@pytest.mark.parametrize("case", BOUNDARIES, ids=[_case_id(i, c) for i, c in enumerate(BOUNDARIES)])
def test_boundary(case: tuple[str, dict[str, Any], str], eligible_profile: Profile) -> None:
    cid, changes, expected = case
    evaluation = run(with_(eligible_profile(), **changes))
    assert criterion(evaluation, cid).result == expected
    # Only the targeted criterion moves away from the eligible profile's all-pass.
    others = {c.id: c.result for c in evaluation.criteria if c.id != cid}
    assert set(others.values()) == {"pass"}, others
    assert evaluation.status == {"pass": "eligible", "fail": "ineligible"}[expected]


def test_low_egfr_satisfies_i3_while_failing_e10(eligible_profile: Profile) -> None:
    evaluation = run(with_(eligible_profile(), **{**I3_NONE, "egfr": 25.0}))
    assert criterion(evaluation, "I3").result == "pass"
    assert criterion(evaluation, "E10").result == "fail"
    assert [c.id for c in evaluation.failing()] == ["E10"]


# --- three-valued logic --------------------------------------------------------------------

TRUTHS = (True, False, None)


def _ref_any(values: tuple[bool | None, ...]) -> bool | None:
    if True in values:
        return True
    return False if all(v is False for v in values) else None


def _ref_all(values: tuple[bool | None, ...]) -> bool | None:
    if False in values:
        return False
    return True if all(v is True for v in values) else None


@pytest.mark.parametrize("size", [1, 2, 3])
def test_any3_all3_truth_tables(size: int) -> None:
    for values in itertools.product(TRUTHS, repeat=size):
        assert any3(values) is _ref_any(values), values
        assert all3(values) is _ref_all(values), values
        assert any3(iter(values)) is _ref_any(values), values  # any iterable, consumed once


def test_not3() -> None:
    assert not3(True) is False
    assert not3(False) is True
    assert not3(None) is None


def test_empty_combinations_are_the_identities() -> None:
    assert any3([]) is False
    assert all3([]) is True


def test_de_morgan_holds_in_three_values() -> None:
    for a, b in itertools.product(TRUTHS, repeat=2):
        assert not3(any3([a, b])) is all3([not3(a), not3(b)])
        assert not3(all3([a, b])) is any3([not3(a), not3(b)])


# Criterion-level: (criterion, changes, expected result, expected `missing` when unknown).
# `missing` must name exactly the unknown answers that could still change the result.
UNKNOWNS: list[tuple[str, dict[str, Any], str, set[str]]] = [
    ("I1", {"type2_diabetes": None}, "unknown", {"type2_diabetes"}),
    ("I5", {"consent": None}, "unknown", {"consent"}),
    # I2
    ("I2", {"sex": "male", "age": 60, "years_since_menopause": None}, "pass", set()),
    ("I2", {"sex": None, "age": 40, "years_since_menopause": None}, "fail", set()),
    ("I2", {"sex": None, "age": 40, "years_since_menopause": 8}, "fail", set()),
    ("I2", {"sex": None, "age": 60, "years_since_menopause": None}, "unknown", {"sex", "years_since_menopause"}),
    ("I2", {"sex": None, "age": 60, "years_since_menopause": 8}, "pass", set()),
    ("I2", {"sex": None, "age": 60, "years_since_menopause": 1}, "unknown", {"sex"}),
    ("I2", {"sex": None, "age": 47, "years_since_menopause": 5}, "unknown", {"sex"}),
    ("I2", {"sex": None, "age": 47, "years_since_menopause": 1}, "fail", set()),
    ("I2", {"sex": None, "age": 47, "years_since_menopause": None}, "unknown", {"sex", "years_since_menopause"}),
    ("I2", {"sex": "female", "age": None, "years_since_menopause": 5}, "unknown", {"age"}),
    ("I2", {"sex": "female", "age": None, "years_since_menopause": 1}, "fail", set()),
    ("I2", {"sex": "female", "age": 40, "years_since_menopause": None}, "fail", set()),
    ("I2", {"sex": "female", "age": 60, "years_since_menopause": None}, "unknown", {"years_since_menopause"}),
    ("I2", {"sex": "male", "age": None, "years_since_menopause": None}, "unknown", {"age"}),
    ("I2", {"sex": None, "age": None, "years_since_menopause": 1}, "unknown", {"sex", "age"}),
    # I3: any one passing part decides; otherwise every unknown part matters
    ("I3", {**I3_NONE, "diabetes_years": None}, "unknown", {"diabetes_years"}),
    (
        "I3",
        {"diabetes_years": 5, **{k: None for k in I3_NONE if k != "diabetes_years"}},
        "unknown",
        set(I3_NONE) - {"diabetes_years"},
    ),
    ("I3", {**{k: None for k in I3_NONE}, "retinopathy_stage3_plus": True}, "pass", set()),
    ("I3", {**{k: None for k in I3_NONE}, "uacr_mg_g": 30}, "pass", set()),
    ("I3", {**I3_NONE, "egfr": None}, "unknown", {"egfr"}),
    # I4
    (
        "I4",
        {"hip_or_vertebral_fragility_fracture": None, "other_fragility_fracture": None, "lowest_t_score": -2.5},
        "pass",
        set(),
    ),
    (
        "I4",
        {"hip_or_vertebral_fragility_fracture": None, "other_fragility_fracture": True, "lowest_t_score": -1.5},
        "pass",
        set(),
    ),
    (
        "I4",
        {"hip_or_vertebral_fragility_fracture": True, "other_fragility_fracture": None, "lowest_t_score": None},
        "pass",
        set(),
    ),
    (
        "I4",
        {"hip_or_vertebral_fragility_fracture": False, "other_fragility_fracture": None, "lowest_t_score": -1.5},
        "unknown",
        {"other_fragility_fracture"},
    ),
    (
        "I4",
        {"hip_or_vertebral_fragility_fracture": None, "other_fragility_fracture": None, "lowest_t_score": -0.5},
        "unknown",
        {"hip_or_vertebral_fragility_fracture"},
    ),
    (
        "I4",
        {"hip_or_vertebral_fragility_fracture": False, "other_fragility_fracture": None, "lowest_t_score": -0.5},
        "fail",
        set(),
    ),
    (
        "I4",
        {"hip_or_vertebral_fragility_fracture": False, "other_fragility_fracture": None, "lowest_t_score": None},
        "unknown",
        {"other_fragility_fracture", "lowest_t_score"},
    ),
    (
        "I4",
        {"hip_or_vertebral_fragility_fracture": False, "other_fragility_fracture": False, "lowest_t_score": None},
        "unknown",
        {"lowest_t_score"},
    ),
    (
        "I4",
        {"hip_or_vertebral_fragility_fracture": False, "other_fragility_fracture": True, "lowest_t_score": None},
        "unknown",
        {"lowest_t_score"},
    ),
    # E2
    ("E2", {"cancer_within_5_years": None, "cancer_curable_exception": True}, "pass", set()),
    ("E2", {"cancer_within_5_years": None, "cancer_curable_exception": False}, "unknown", {"cancer_within_5_years"}),
    ("E2", {"cancer_within_5_years": True, "cancer_curable_exception": None}, "unknown", {"cancer_curable_exception"}),
    ("E2", {"cancer_within_5_years": False, "cancer_curable_exception": None}, "pass", set()),
    (
        "E2",
        {"cancer_within_5_years": None, "cancer_curable_exception": None},
        "unknown",
        {"cancer_within_5_years", "cancer_curable_exception"},
    ),
    # E3 / E5 washouts (as_of 2025-09-01)
    (
        "E3",
        {"last_iv_bisphosphonate": "never", "last_oral_bisphosphonate": None},
        "unknown",
        {"last_oral_bisphosphonate"},
    ),
    (
        "E3",
        {"last_iv_bisphosphonate": None, "last_oral_bisphosphonate": "never"},
        "unknown",
        {"last_iv_bisphosphonate"},
    ),
    ("E3", {"last_iv_bisphosphonate": "2024-09-01", "last_oral_bisphosphonate": None}, "fail", set()),
    (
        "E3",
        {"last_iv_bisphosphonate": "2020-01-01", "last_oral_bisphosphonate": None},
        "unknown",
        {"last_oral_bisphosphonate"},
    ),
    ("E5", {"last_denosumab": None}, "unknown", {"last_denosumab"}),
    (
        "E5",
        {"last_denosumab": None, "last_teriparatide": None, "last_romosozumab": None},
        "unknown",
        {"last_denosumab", "last_teriparatide", "last_romosozumab"},
    ),
    # A failing washout still misses the doses that could end it later: denosumab a month ago clears
    # on 2026-02-01, a teriparatide or romosozumab dose up to today would clear as late as 2026-03-01.
    (
        "E5",
        {"last_denosumab": "2025-08-01", "last_teriparatide": None, "last_romosozumab": None},
        "fail",
        {"last_teriparatide", "last_romosozumab"},
    ),
    # ... but a dose today already ends the 6 months as late as any can: nothing else matters.
    ("E5", {"last_denosumab": "2025-09-01", "last_teriparatide": None, "last_romosozumab": None}, "fail", set()),
    # oral tablets today (clears 2026-09-01) can end E3 later than a drip 13 months ago (2026-08-01)
    ("E3", {"last_iv_bisphosphonate": "2024-08-01", "last_oral_bisphosphonate": None}, "fail",
     {"last_oral_bisphosphonate"}),
    # E8
    ("E8", {"vitamin_d_ng_ml": None}, "unknown", {"vitamin_d_ng_ml"}),
    # E10
    (
        "E10",
        {"egfr": 25.0, "heart_failure_nyha3_plus": None, "severe_arrhythmia": None, "alt_ast_over_3x_uln": None},
        "fail",
        set(),
    ),
    ("E10", {"egfr": None, "heart_failure_nyha3_plus": True, "severe_arrhythmia": None}, "fail", set()),
    ("E10", {"egfr": None}, "unknown", {"egfr"}),
    ("E10", {"egfr": 45.0, "alt_ast_over_3x_uln": None}, "unknown", {"alt_ast_over_3x_uln"}),
    # a plain boolean exclusion
    ("E13", {"in_other_drug_trial": None}, "unknown", {"in_other_drug_trial"}),
]


@pytest.mark.parametrize(
    ("cid", "changes", "expected", "missing"),
    UNKNOWNS,
    ids=[f"{c}-{e}-{i}" for i, (c, _, e, _) in enumerate(UNKNOWNS)],
)
def test_three_valued_criterion(
    cid: str, changes: dict[str, Any], expected: str, missing: set[str], eligible_profile: Profile
) -> None:
    evaluation = run(with_(eligible_profile(), **changes))
    result = criterion(evaluation, cid)
    assert result.result == expected
    assert set(result.missing) == missing
    assert len(result.missing) == len(set(result.missing)), "no repeats"


def test_absent_and_null_are_both_unknown(eligible_profile: Profile) -> None:
    nulled = with_(eligible_profile(), vitamin_d_ng_ml=None, sex=None)
    absent = eligible_profile()
    del absent["vitamin_d_ng_ml"], absent["sex"]
    assert run(nulled).to_dict() == run(absent).to_dict()
    assert criterion(run(absent), "E8").result == "unknown"


def test_empty_answers_leave_every_criterion_unknown() -> None:
    evaluation = screen({}, today=TODAY)
    assert [c.result for c in evaluation.criteria] == ["unknown"] * 18
    assert all(c.missing for c in evaluation.criteria)
    assert evaluation.status == "needs_review"
    assert evaluation.eligible_from is None


def test_known_results_carry_no_missing(eligible_profile: Profile) -> None:
    # at 47 (8 years past menopause) a woman qualifies and a man does not, so sex still matters
    profile = with_(eligible_profile(), sex=None, age=47, type2_diabetes=False, vitamin_d_ng_ml=None)
    evaluation = run(profile)
    for result in evaluation.criteria:
        if result.result != "unknown":
            assert result.missing == (), result.id
    assert set(evaluation.missing_fields()) == {"sex", "vitamin_d_ng_ml"}


# --- status ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({}, "eligible"),
        ({"vitamin_d_ng_ml": None}, "needs_review"),
        ({"vitamin_d_ng_ml": None, "consent": None}, "needs_review"),
        ({"vitamin_d_ng_ml": 10}, "ineligible"),
        ({"vitamin_d_ng_ml": 10, "consent": None}, "ineligible"),  # a fail outweighs an unknown
        ({"consent": False, "vitamin_d_ng_ml": 10}, "ineligible"),
        ({"last_denosumab": "2025-08-01"}, "ineligible"),  # a washout is a fail too
    ],
)
def test_status_rules(changes: dict[str, Any], status: str, eligible_profile: Profile) -> None:
    evaluation = run(with_(eligible_profile(), **changes))
    assert evaluation.status == status
    assert evaluation.to_dict()["status"] == status


# --- output shape ------------------------------------------------------------------------

SHAPE_PROFILES = {
    "all-pass": {},
    "some-fail": {"consent": False, "vitamin_d_ng_ml": 5, "last_denosumab": "2025-08-01", "sex": None},
    "all-unknown": None,
}


@pytest.mark.parametrize("name", SHAPE_PROFILES)
def test_output_lists_18_criteria_in_order_with_explanations(
    name: str, eligible_profile: Profile, criteria_ids: tuple[str, ...]
) -> None:
    changes = SHAPE_PROFILES[name]
    evaluation = run({} if changes is None else with_(eligible_profile(), **changes))
    data = evaluation.to_dict()
    assert list(data) == ["status", "protocol_version", "eligible_from", "criteria"]
    assert data["protocol_version"] == "2025-07-22"
    assert [c["id"] for c in data["criteria"]] == list(criteria_ids)
    assert len(data["criteria"]) == 18
    assert "E14" not in {c["id"] for c in data["criteria"]}
    for item in data["criteria"]:
        assert set(item) == {"id", "result", "explanation"}
        assert item["result"] in {"pass", "fail", "unknown"}
        assert isinstance(item["explanation"], str) and item["explanation"].strip()
        assert "{" not in item["explanation"], "an unfilled placeholder"
    for result in evaluation.criteria:
        assert result.title.strip()


def test_every_criterion_explains_each_result(eligible_profile: Profile) -> None:
    failing = {
        "type2_diabetes": False,
        "age": 30,
        "diabetes_years": 5,
        "egfr": 25.0,
        "uacr_mg_g": 1.0,
        "hip_or_vertebral_fragility_fracture": False,
        "lowest_t_score": 0.0,
        "consent": False,
        "secondary_osteoporosis": True,
        "cancer_within_5_years": True,
        "last_oral_bisphosphonate": "2025-08-01",
        "dental_issue": True,
        "last_denosumab": "2025-08-01",
        "calcitonin_over_3_months_past_year": True,
        "glucocorticoid_high_dose_recent": True,
        "glucocorticoid_last_dose": "2025-08-15",
        "vitamin_d_ng_ml": 5.0,
        "active_infection": True,
        "calcium_disorder": True,
        "study_drug_allergy": True,
        "in_other_drug_trial": True,
    }
    # eGFR 25 fails E10 but satisfies I3, so I3's failure comes from a run of its own.
    runs = [
        run(eligible_profile()),
        run(with_(eligible_profile(), **failing)),
        run(with_(eligible_profile(), **I3_NONE)),
        screen({}, today=TODAY),
    ]
    texts: dict[str, dict[str, str]] = {}
    for evaluation in runs:
        for result in evaluation.criteria:
            texts.setdefault(result.id, {})[result.result] = result.explanation
    assert len(texts) == 18
    for cid, by_result in texts.items():
        assert set(by_result) == {"pass", "fail", "unknown"}, cid
        assert all(text.strip() and "{" not in text for text in by_result.values()), cid


@pytest.mark.parametrize(
    ("changes", "cid", "clears_on"),
    [
        ({"as_of": "2026-09-15", "last_denosumab": "2026-08-31"}, "E5", "2027-02-28"),
        ({"as_of": "2024-03-01", "last_oral_bisphosphonate": "2024-02-29"}, "E3", "2025-02-28"),
        ({"as_of": "2025-09-01", "last_iv_bisphosphonate": "2024-02-29"}, "E3", "2026-02-28"),
    ],
)
def test_washout_fail_explanation_names_the_clearing_date(
    changes: dict[str, Any], cid: str, clears_on: str, eligible_profile: Profile
) -> None:
    result = criterion(run(with_(eligible_profile(), **changes)), cid)
    assert result.result == "fail"
    assert result.washout is True
    assert result.clears_on == date.fromisoformat(clears_on)
    assert clears_on in result.explanation
