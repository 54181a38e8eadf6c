"""The planner asks only questions whose answer can still change the result, in the order of questions.yml."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.eligibility import ELIGIBLE, INELIGIBLE, AnswerError
from bot.eligibility.fields import ANSWER_FIELDS, FIELDS, NEVER, Kind
from bot.screening.planner import Plan, ScreeningState, plan
from bot.screening.questions import gate_names, load_questions, question
from tests.profiles import DOSE_FIELDS, ELIGIBLE_ANSWERS

AS_OF = date(2026, 11, 25)
PER_DRUG_GATES = ("oral_bisphosphonate_ever", "iv_bisphosphonate_ever", "denosumab_ever", "teriparatide_ever",
                  "romosozumab_ever")



def planned(answers: dict[str, Any], gates: dict[str, bool | None] | None = None, skipped: tuple[str, ...] = (),
            go_on: bool = False) -> Plan:
    state = ScreeningState(answers=answers, gates=gates or {}, skipped=frozenset(skipped), as_of=AS_OF,
                           go_on_after_fail=go_on)
    return plan(state)


def walk(answer_for: dict[str, Any], gates: dict[str, bool] | None = None, limit: int = 60) -> list[str]:
    """Answer every question the planner asks from ``answer_for`` (gates from ``gates``); the questions asked."""
    answers: dict[str, Any] = {}
    gate_answers: dict[str, bool | None] = {}
    skipped: set[str] = set()
    asked: list[str] = []
    for _ in range(limit):
        result = planned(answers, gate_answers, tuple(skipped))
        name = result.next_question
        if name is None:
            return asked
        assert name not in asked, f"{name} asked twice"
        asked.append(name)
        if name in gate_names():
            value = (gates or {}).get(name)
            gate_answers[name] = value
            if value is False:
                answers.update({f: NEVER for f in question(name).opens if answers.get(f) is None})
            elif value is None:
                skipped.add(name)
        elif answer_for.get(name) is None:
            skipped.add(name)  # "I don't know"
        else:
            answers[name] = answer_for[name]
    raise AssertionError("the screening never ended")


# --- the first question, and a whole screening ------------------------------------------------


def test_first_question_on_empty_answers_is_type2_diabetes() -> None:
    result = planned({})
    assert result.next_question == "type2_diabetes"
    assert not result.stopped_early
    assert result.remaining > 0


def test_complete_eligible_profile_ends_eligible() -> None:
    result = planned(ELIGIBLE_ANSWERS, {"bone_medicine_any": False})
    assert result.next_question is None
    assert result.evaluation.status == ELIGIBLE
    assert not result.stopped_early
    assert result.remaining == 0


def test_walk_through_an_eligible_man_asks_each_question_once_and_ends_eligible() -> None:
    asked = walk(ELIGIBLE_ANSWERS, {"bone_medicine_any": False})
    assert asked[0] == "type2_diabetes"
    assert "years_since_menopause" not in asked
    assert asked[-1] == "consent"
    order = [q.name for q in load_questions()]
    assert asked == sorted(asked, key=order.index), "questions must come in questions.yml order"


# --- questions that cannot change the result are not asked -----------------------------------


@pytest.mark.parametrize("age", [None, 49.0, 62.0])
def test_men_are_never_asked_years_since_menopause(age: float | None) -> None:
    answers = {"type2_diabetes": True, "sex": "male", "age": age}
    assert "years_since_menopause" not in planned(answers).evaluation.missing_fields()
    asked = walk({**ELIGIBLE_ANSWERS, "age": age}, {"bone_medicine_any": False})
    assert "years_since_menopause" not in asked


def test_women_are_asked_years_since_menopause() -> None:
    answers = {"type2_diabetes": True, "sex": "female", "age": 60.0}
    assert planned(answers).next_question == "years_since_menopause"


@pytest.mark.parametrize("years", [10.5, 12.0, 30.0])
def test_long_diabetes_skips_the_complication_questions(years: float) -> None:
    answers = {"type2_diabetes": True, "sex": "male", "age": 62.0, "diabetes_years": years}
    result = planned(answers)
    skipped = {"coronary_heart_disease", "cerebrovascular_disease", "retinopathy_stage3_plus", "uacr_mg_g"}
    assert result.next_question not in skipped
    assert not skipped & set(result.evaluation.missing_fields())
    assert not skipped & set(walk({**ELIGIBLE_ANSWERS, "diabetes_years": years}, {"bone_medicine_any": False}))


@pytest.mark.parametrize("years", [10.0, 5.0])
def test_diabetes_of_ten_years_or_less_asks_about_complications(years: float) -> None:
    answers = {"type2_diabetes": True, "sex": "male", "age": 62.0, "diabetes_years": years}
    assert planned(answers).next_question == "coronary_heart_disease"


def test_hip_or_vertebral_fracture_skips_other_fracture_and_t_score() -> None:
    answers = {**{k: ELIGIBLE_ANSWERS[k] for k in ("type2_diabetes", "sex", "age", "diabetes_years")},
               "hip_or_vertebral_fragility_fracture": True}
    result = planned(answers)
    assert result.next_question == "secondary_osteoporosis"
    missing = set(result.evaluation.missing_fields())
    assert "other_fragility_fracture" not in missing and "lowest_t_score" not in missing
    asked = walk(ELIGIBLE_ANSWERS, {"bone_medicine_any": False})
    assert "other_fragility_fracture" not in asked and "lowest_t_score" not in asked


def test_no_hip_fracture_asks_other_fracture_then_t_score() -> None:
    answers = {**{k: ELIGIBLE_ANSWERS[k] for k in ("type2_diabetes", "sex", "age", "diabetes_years")},
               "hip_or_vertebral_fragility_fracture": False}
    assert planned(answers).next_question == "other_fragility_fracture"
    assert planned({**answers, "other_fragility_fracture": True}).next_question == "lowest_t_score"


def test_cancer_curable_exception_only_after_cancer_within_5_years_is_true() -> None:
    base = {k: ELIGIBLE_ANSWERS[k] for k in ("type2_diabetes", "sex", "age", "diabetes_years",
                                              "hip_or_vertebral_fragility_fracture", "secondary_osteoporosis")}
    assert planned(base).next_question == "cancer_within_5_years"
    assert planned({**base, "cancer_within_5_years": True}).next_question == "cancer_curable_exception"
    no_cancer = planned({**base, "cancer_within_5_years": False})
    assert no_cancer.next_question != "cancer_curable_exception"
    assert "cancer_curable_exception" not in no_cancer.evaluation.missing_fields()
    assert "cancer_curable_exception" not in walk(ELIGIBLE_ANSWERS, {"bone_medicine_any": False})


def test_cancer_unknown_does_not_ask_the_exception() -> None:
    base = {k: ELIGIBLE_ANSWERS[k] for k in ("type2_diabetes", "sex", "age", "diabetes_years",
                                              "hip_or_vertebral_fragility_fracture", "secondary_osteoporosis")}
    result = planned(base, skipped=("cancer_within_5_years",))
    assert result.next_question not in ("cancer_within_5_years", "cancer_curable_exception")


# --- gates -----------------------------------------------------------------------------------


def _before_medicines() -> dict[str, Any]:
    names = ("type2_diabetes", "sex", "age", "diabetes_years", "hip_or_vertebral_fragility_fracture",
             "secondary_osteoporosis", "cancer_within_5_years")
    return {k: ELIGIBLE_ANSWERS[k] for k in names}


def test_bone_medicine_gate_comes_before_the_per_drug_questions() -> None:
    assert planned(_before_medicines()).next_question == "bone_medicine_any"


def test_gate_no_skips_every_per_drug_gate_and_date() -> None:
    answers = {**_before_medicines(), **{f: NEVER for f in DOSE_FIELDS}}
    result = planned(answers, {"bone_medicine_any": False})
    assert result.next_question == "osteonecrosis_or_osteomyelitis_of_jaw"
    asked = walk(ELIGIBLE_ANSWERS, {"bone_medicine_any": False})
    assert not set(asked) & {*PER_DRUG_GATES, *DOSE_FIELDS}


def test_gate_yes_asks_per_drug_gates_then_their_dates() -> None:
    gates = {"bone_medicine_any": True}
    assert planned(_before_medicines(), gates).next_question == "oral_bisphosphonate_ever"
    gates["oral_bisphosphonate_ever"] = True
    assert planned(_before_medicines(), gates).next_question == "last_oral_bisphosphonate"


def test_per_drug_gate_no_skips_its_date() -> None:
    answers = {**_before_medicines(), "last_oral_bisphosphonate": NEVER}
    gates = {"bone_medicine_any": True, "oral_bisphosphonate_ever": False}
    assert planned(answers, gates).next_question == "iv_bisphosphonate_ever"


def test_date_behind_an_unanswered_gate_is_not_asked() -> None:
    result = planned(_before_medicines(), {"bone_medicine_any": True})
    assert result.next_question not in DOSE_FIELDS


def test_gate_answered_dont_know_closes_the_questions_behind_it() -> None:
    result = planned(_before_medicines(), {}, skipped=("bone_medicine_any",))
    assert result.next_question not in {"bone_medicine_any", *PER_DRUG_GATES, *DOSE_FIELDS}


# --- early stop ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        {"type2_diabetes": False},
        {"type2_diabetes": True, "sex": "male", "age": 40.0},
        {**_before_medicines(), "secondary_osteoporosis": True},
        {"type2_diabetes": True, "in_other_drug_trial": True},
        {"type2_diabetes": True, "egfr": 20.0},
    ],
)
def test_definite_non_washout_fail_stops_early(answers: dict[str, Any]) -> None:
    result = planned(answers)
    assert result.stopped_early
    assert result.next_question is None
    assert result.remaining == 0
    assert result.evaluation.status == INELIGIBLE


def test_go_on_after_fail_keeps_asking() -> None:
    result = planned({"type2_diabetes": False}, go_on=True)
    assert not result.stopped_early
    assert result.next_question == "sex"


def test_washout_fail_does_not_stop_early() -> None:
    answers = {**_before_medicines(), "last_denosumab": "2026-10-01"}
    gates = {"bone_medicine_any": True, "denosumab_ever": True}
    result = planned(answers, gates)
    assert result.evaluation.status == INELIGIBLE
    assert result.evaluation.eligible_from is not None
    assert not result.stopped_early
    assert result.next_question is not None


# --- skipped questions -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["type2_diabetes", "sex", "age", "diabetes_years", "lowest_t_score"])
def test_skipped_questions_are_never_asked_again(name: str) -> None:
    answers = dict.fromkeys(ANSWER_FIELDS)
    asked = []
    skipped = {name}
    for _ in range(60):
        result = planned(answers, {"bone_medicine_any": False}, tuple(skipped))
        if result.next_question is None:
            break
        asked.append(result.next_question)
        skipped.add(result.next_question)  # "I don't know" to everything
    assert name not in asked
    assert len(asked) == len(set(asked))


# --- property: the next question can always change the result --------------------------------

NUMBER_VALUES: dict[str, list[float]] = {
    "age": [40.0, 47.0, 50.0, 62.0, 80.0],
    "years_since_menopause": [0.0, 2.0, 3.0, 20.0],
    "diabetes_years": [1.0, 10.0, 10.5, 30.0],
    "uacr_mg_g": [10.0, 30.0, 300.0],
    "egfr": [20.0, 45.0, 60.0, 90.0],
    "lowest_t_score": [-3.0, -2.0, -1.5, -1.0, 0.5],
    "vitamin_d_ng_ml": [10.0, 20.0, 35.0],
}


def value_strategy(name: str) -> st.SearchStrategy[Any]:
    kind = FIELDS[name].kind
    if kind is Kind.BOOL:
        return st.booleans()
    if kind is Kind.SEX:
        return st.sampled_from(["male", "female"])
    if kind is Kind.DOSE_DATE:
        return st.sampled_from([NEVER, "2026-10-01", "2025-01-15", "2019-12-31"])
    return st.sampled_from(NUMBER_VALUES[name])


@st.composite
def partial_states(draw: st.DrawFn) -> ScreeningState:
    answers: dict[str, Any] = {}
    for name in ANSWER_FIELDS:
        if draw(st.booleans()):
            answers[name] = draw(value_strategy(name))
    if answers.get("age") is not None:  # years of life cannot exceed the age
        for name in ("years_since_menopause", "diabetes_years"):
            if answers.get(name) is not None and answers[name] > answers["age"]:
                answers[name] = answers["age"]
    gates = {g: draw(st.sampled_from([None, True, False])) for g in gate_names()}
    names = [q.name for q in load_questions()]
    skipped = frozenset(draw(st.lists(st.sampled_from(names), max_size=6)))
    return ScreeningState(answers=answers, gates=gates, skipped=skipped, as_of=AS_OF,
                          go_on_after_fail=draw(st.booleans()))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partial_states())
def test_next_question_can_change_the_result(state: ScreeningState) -> None:
    result = plan(state)
    if result.stopped_early:
        assert result.next_question is None
        return
    missing = set(result.evaluation.missing_fields())
    name = result.next_question
    if name is None:
        return
    assert name not in state.skipped
    q = question(name)
    if q.is_gate:
        assert state.gates.get(name) is None
        assert set(q.opens) & missing, f"gate {name} opens nothing still missing"
    else:
        assert state.answers.get(name) is None
        assert name in missing
    if q.after:  # a gate ("bone_medicine_any") or a yes/no field ("cancer_within_5_years") answered yes
        assert (state.gates.get(q.after) or state.answers.get(q.after)) is True


def test_a_repeated_plan_is_remembered_and_any_change_plans_afresh() -> None:
    answers = {"type2_diabetes": True, "sex": "female", "age": 67}
    first = planned(dict(answers))
    assert planned(dict(answers)) is first  # equal answers in a new dict: from memory
    assert planned({**answers, "age": 40}).evaluation.status == INELIGIBLE
    assert planned({**answers, "age": 40}) is not first
    assert planned(dict(answers), skipped=("years_since_menopause",)).next_question != first.next_question
    other_day = plan(ScreeningState(answers=dict(answers), as_of=date(2030, 1, 1)))
    assert other_day is not first and other_day.evaluation.as_of == date(2030, 1, 1)
    chinese = plan(ScreeningState(answers=dict(answers), as_of=AS_OF), language="zh")
    assert chinese is not first


def test_an_answer_that_cannot_be_remembered_is_still_planned() -> None:
    unhashable = {"type2_diabetes": True, "sex": "female", "age": 67, "egfr": [50]}
    with pytest.raises(AnswerError, match="egfr"):  # the engine's own verdict on the value, not the memo's
        planned(unhashable)


# --- waiting periods and temporary failures: the screening goes on ----------------------------


def _before_steroids() -> dict[str, Any]:
    names = ("osteonecrosis_or_osteomyelitis_of_jaw", "dental_issue", "calcitonin_over_3_months_past_year")
    return {**_before_medicines(), **{f: NEVER for f in DOSE_FIELDS}, **{k: ELIGIBLE_ANSWERS[k] for k in names}}


@pytest.mark.parametrize(
    "changes", [{"active_infection": True}, {"dental_issue": True}, {"glucocorticoid_high_dose_recent": True}]
)
def test_temporary_or_washout_fail_does_not_stop_early(changes: dict[str, Any]) -> None:
    result = planned({**_before_steroids(), **changes}, {"bone_medicine_any": False})
    assert result.evaluation.status == INELIGIBLE
    assert not result.stopped_early
    assert result.next_question is not None
    assert result.remaining > 0


def test_jaw_bone_disease_still_stops_early() -> None:
    answers = {**_before_steroids(), "osteonecrosis_or_osteomyelitis_of_jaw": True}
    result = planned(answers, {"bone_medicine_any": False})
    assert result.stopped_early
    assert result.next_question is None


def test_steroid_yes_asks_for_the_last_dose_and_a_no_does_not() -> None:
    answers = _before_steroids()
    gates = {"bone_medicine_any": False}
    assert planned({**answers, "glucocorticoid_high_dose_recent": True}, gates).next_question == (
        "glucocorticoid_last_dose"
    )
    assert planned({**answers, "glucocorticoid_high_dose_recent": False}, gates).next_question == "vitamin_d_ng_ml"
    unsure = planned(answers, gates, skipped=("glucocorticoid_high_dose_recent",))
    assert unsure.next_question == "vitamin_d_ng_ml"


def test_steroid_course_ends_the_walk_with_its_clearing_date() -> None:
    profile = {**ELIGIBLE_ANSWERS, "glucocorticoid_high_dose_recent": True, "glucocorticoid_last_dose": "2026-11-01"}
    asked = walk(profile, {"bone_medicine_any": False})
    assert asked[asked.index("glucocorticoid_high_dose_recent") + 1] == "glucocorticoid_last_dose"
    assert asked[-1] == "consent"  # the rest is still asked
    final = planned({k: v for k, v in profile.items() if k in asked or k in DOSE_FIELDS}, {"bone_medicine_any": False})
    assert final.next_question is None
    assert final.evaluation.eligible_from == date(2026, 12, 13)  # 2026-11-01 + 6 weeks


def test_steroid_date_unknown_fails_with_no_date_and_goes_on() -> None:
    answers = {**_before_steroids(), "glucocorticoid_high_dose_recent": True}
    result = planned(answers, {"bone_medicine_any": False}, skipped=("glucocorticoid_last_dose",))
    assert result.evaluation.status == INELIGIBLE
    assert result.evaluation.eligible_from is None
    assert not result.stopped_early
    assert result.next_question == "vitamin_d_ng_ml"


def _medicine_walk(doses: dict[str, str], yes: tuple[str, ...]) -> tuple[list[str], Plan]:
    """A whole screening of an eligible man who took the bone medicines behind the ``yes`` gates."""
    profile = {**ELIGIBLE_ANSWERS, **dict.fromkeys(DOSE_FIELDS), **doses}
    gates = {"bone_medicine_any": True, **{g: g in yes for g in PER_DRUG_GATES}}
    asked = walk(profile, gates)
    answers = {k: v for k, v in profile.items() if k in asked}
    for gate in asked:
        if gate in PER_DRUG_GATES and not gates[gate]:
            answers.update(dict.fromkeys(question(gate).opens, NEVER))
    final = planned(answers, {g: gates[g] for g in asked if g in gates})
    assert final.next_question is None
    return asked, final


def test_a_failing_oral_bisphosphonate_still_asks_about_the_drip() -> None:
    # tablets 2 months ago end E3 on 2027-09-25; a drip 5 months ago ends it later, on 2028-06-25
    asked, final = _medicine_walk(
        {"last_oral_bisphosphonate": "2026-09-25", "last_iv_bisphosphonate": "2026-06-25"},
        ("oral_bisphosphonate_ever", "iv_bisphosphonate_ever"),
    )
    assert {"iv_bisphosphonate_ever", "last_iv_bisphosphonate"} <= set(asked)
    assert final.evaluation.eligible_from == date(2028, 6, 25)


def test_a_failing_denosumab_still_asks_about_teriparatide_and_romosozumab() -> None:
    # denosumab 3 months ago ends E5 on 2027-02-25; romosozumab 2 weeks ago ends it on 2027-05-11
    asked, final = _medicine_walk(
        {"last_denosumab": "2026-08-25", "last_teriparatide": "2026-09-01", "last_romosozumab": "2026-11-11"},
        ("denosumab_ever", "teriparatide_ever", "romosozumab_ever"),
    )
    assert {"teriparatide_ever", "last_teriparatide", "romosozumab_ever", "last_romosozumab"} <= set(asked)
    assert final.evaluation.eligible_from == date(2027, 5, 11)


def test_a_dose_that_cannot_end_the_wait_later_is_not_asked() -> None:
    # denosumab today already ends E5 as late as any dose could: teriparatide cannot change it
    answers = {**_before_medicines(), "last_oral_bisphosphonate": NEVER, "last_iv_bisphosphonate": NEVER,
               "last_denosumab": AS_OF.isoformat()}
    gates = {"bone_medicine_any": True, "oral_bisphosphonate_ever": False, "iv_bisphosphonate_ever": False,
             "denosumab_ever": True}
    result = planned(answers, gates)
    assert result.next_question == "osteonecrosis_or_osteomyelitis_of_jaw"
    assert not {"last_teriparatide", "last_romosozumab"} & set(result.evaluation.missing_fields())
