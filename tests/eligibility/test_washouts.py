"""Washout windows (E3, E5): calendar months clamped to month end, and ``eligible_from``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.eligibility import CriterionResult, Evaluation, screen
from bot.eligibility.dates import add_months

Profile = Callable[[], dict[str, Any]]

WASHOUTS = {  # field: (criterion, months)
    "last_iv_bisphosphonate": ("E3", 24),
    "last_oral_bisphosphonate": ("E3", 12),
    "last_denosumab": ("E5", 6),
    "last_teriparatide": ("E5", 6),
    "last_romosozumab": ("E5", 6),
}
DOSE_FIELDS = tuple(WASHOUTS)


def d(text: str) -> date:
    return date.fromisoformat(text)


def criterion(evaluation: Evaluation, cid: str) -> CriterionResult:
    (found,) = [c for c in evaluation.criteria if c.id == cid]
    return found


def no_doses(profile: dict[str, Any]) -> dict[str, Any]:
    return {**profile, **{name: "never" for name in DOSE_FIELDS}}


def at(profile: dict[str, Any], as_of: str, **changes: Any) -> Evaluation:
    return screen({**no_doses(profile), "as_of": as_of, **changes})


# --- calendar arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2026-08-31", 6, "2027-02-28"),  # the spec's example
        ("2024-02-29", 12, "2025-02-28"),  # leap day, the spec's example
        ("2024-02-29", 24, "2026-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2023-08-31", 6, "2024-02-29"),  # clamps to a leap February
        ("2025-01-31", 1, "2025-02-28"),
        ("2025-03-31", 1, "2025-04-30"),
        ("2025-05-31", 6, "2025-11-30"),
        ("2025-07-15", 6, "2026-01-15"),  # across a year end
        ("2025-12-31", 6, "2026-06-30"),
        ("2025-06-30", 6, "2025-12-30"),  # a short month's end does not jump to the long month's end
        ("2025-01-01", 24, "2027-01-01"),
    ],
)
def test_add_months(start: str, months: int, expected: str) -> None:
    assert add_months(d(start), months) == d(expected)


@settings(max_examples=200, deadline=None, database=None)
@given(start=st.dates(date(1950, 1, 1), date(2150, 12, 31)), months=st.sampled_from([1, 6, 12, 24]))
def test_add_months_matches_a_reference(start: date, months: int, ref_add_months: Callable[[date, int], date]) -> None:
    assert add_months(start, months) == ref_add_months(start, months)


# --- each window on both sides ---------------------------------------------------------------

# (field, last dose, first day the criterion passes), computed by hand from the windows above
WINDOWS = [
    ("last_iv_bisphosphonate", "2024-02-29", "2026-02-28"),
    ("last_iv_bisphosphonate", "2023-06-30", "2025-06-30"),
    ("last_oral_bisphosphonate", "2024-02-29", "2025-02-28"),
    ("last_oral_bisphosphonate", "2025-01-10", "2026-01-10"),
    ("last_denosumab", "2026-08-31", "2027-02-28"),
    ("last_denosumab", "2025-01-15", "2025-07-15"),
    ("last_teriparatide", "2025-03-31", "2025-09-30"),
    ("last_teriparatide", "2025-08-31", "2026-02-28"),
    ("last_romosozumab", "2025-05-15", "2025-11-15"),
    ("last_romosozumab", "2023-08-31", "2024-02-29"),
]


@pytest.mark.parametrize(("field", "dose", "clears"), WINDOWS)
def test_window_boundary(field: str, dose: str, clears: str, eligible_profile: Profile) -> None:
    cid, _ = WASHOUTS[field]
    day_before = (d(clears) - timedelta(days=1)).isoformat()

    inside = at(eligible_profile(), day_before, **{field: dose})
    result = criterion(inside, cid)
    assert result.result == "fail"
    assert result.clears_on == d(clears)
    assert clears in result.explanation
    assert inside.status == "ineligible"
    assert inside.eligible_from == d(clears)

    cleared = at(eligible_profile(), clears, **{field: dose})
    assert criterion(cleared, cid).result == "pass"
    assert cleared.status == "eligible"
    assert cleared.eligible_from is None


@pytest.mark.parametrize("field", DOSE_FIELDS)
def test_dose_on_the_screening_day_fails(field: str, eligible_profile: Profile) -> None:
    evaluation = at(eligible_profile(), "2025-09-01", **{field: "2025-09-01"})
    assert criterion(evaluation, WASHOUTS[field][0]).result == "fail"


@pytest.mark.parametrize("field", DOSE_FIELDS)
def test_never_passes(field: str, eligible_profile: Profile) -> None:
    evaluation = at(eligible_profile(), "2025-09-01", **{field: "never"})
    assert criterion(evaluation, WASHOUTS[field][0]).result == "pass"


def test_iv_and_oral_windows_are_not_mixed_up(eligible_profile: Profile) -> None:
    # 13 months before as_of: inside the 24-month IV window, outside the 12-month oral window
    iv = at(eligible_profile(), "2025-09-01", last_iv_bisphosphonate="2024-08-01")
    oral = at(eligible_profile(), "2025-09-01", last_oral_bisphosphonate="2024-08-01")
    assert criterion(iv, "E3").result == "fail"
    assert criterion(oral, "E3").result == "pass"


@pytest.mark.parametrize("field", ["last_denosumab", "last_teriparatide", "last_romosozumab"])
def test_e5_seven_months_ago_passes_five_months_ago_fails(field: str, eligible_profile: Profile) -> None:
    assert criterion(at(eligible_profile(), "2025-09-01", **{field: "2025-02-01"}), "E5").result == "pass"
    assert criterion(at(eligible_profile(), "2025-09-01", **{field: "2025-04-01"}), "E5").result == "fail"


def test_as_of_defaults_to_today(eligible_profile: Profile) -> None:
    profile = no_doses(eligible_profile())
    del profile["as_of"]
    profile["last_denosumab"] = "2026-08-31"
    before = screen(profile, today=date(2027, 2, 27))
    assert criterion(before, "E5").result == "fail"
    assert before.eligible_from == date(2027, 2, 28)
    assert criterion(screen(profile, today=date(2027, 2, 28)), "E5").result == "pass"


def test_explicit_as_of_wins_over_today(eligible_profile: Profile) -> None:
    profile = {**no_doses(eligible_profile()), "as_of": "2027-02-27", "last_denosumab": "2026-08-31"}
    assert criterion(screen(profile, today=date(2030, 1, 1)), "E5").result == "fail"


# --- eligible_from ----------------------------------------------------------------------------


def test_eligible_from_single_washout(eligible_profile: Profile) -> None:
    evaluation = at(eligible_profile(), "2026-09-15", last_denosumab="2026-08-31")
    assert evaluation.status == "ineligible"
    assert [c.id for c in evaluation.failing()] == ["E5"]
    assert evaluation.eligible_from == d("2027-02-28")
    assert evaluation.to_dict()["eligible_from"] == "2027-02-28"


@pytest.mark.parametrize(
    ("doses", "expected"),
    [
        # one in E3 and one in E5: the later clearing date
        ({"last_oral_bisphosphonate": "2026-06-01", "last_denosumab": "2026-08-31"}, "2027-06-01"),
        ({"last_oral_bisphosphonate": "2026-01-10", "last_denosumab": "2026-08-31"}, "2027-02-28"),
        # two in the same criterion: that criterion clears with its later date
        ({"last_denosumab": "2026-08-31", "last_teriparatide": "2026-09-10"}, "2027-03-10"),
        ({"last_denosumab": "2026-09-10", "last_romosozumab": "2026-08-31"}, "2027-03-10"),
        ({"last_iv_bisphosphonate": "2025-01-01", "last_oral_bisphosphonate": "2026-06-01"}, "2027-06-01"),
        ({"last_iv_bisphosphonate": "2026-01-01", "last_oral_bisphosphonate": "2026-06-01"}, "2028-01-01"),
        # all five at once
        (
            {
                "last_iv_bisphosphonate": "2025-01-01",
                "last_oral_bisphosphonate": "2026-06-01",
                "last_denosumab": "2026-08-31",
                "last_teriparatide": "2026-09-10",
                "last_romosozumab": "2026-04-01",
            },
            "2027-06-01",
        ),
    ],
)
def test_eligible_from_is_the_latest_clearing_date(
    doses: dict[str, str], expected: str, eligible_profile: Profile
) -> None:
    evaluation = at(eligible_profile(), "2026-09-15", **doses)
    assert evaluation.status == "ineligible"
    assert {c.id for c in evaluation.failing()} <= {"E3", "E5"}
    assert evaluation.eligible_from == d(expected)
    # and on that date (nothing else changing) the washouts are over
    assert at(eligible_profile(), expected, **doses).status == "eligible"
    day_before = (d(expected) - timedelta(days=1)).isoformat()
    assert at(eligible_profile(), day_before, **doses).status == "ineligible"


@pytest.mark.parametrize(
    "other_failure",
    [{"vitamin_d_ng_ml": 10}, {"consent": False}, {"sex": "male", "age": 45}, {"in_other_drug_trial": True}],
)
def test_no_eligible_from_when_a_non_washout_also_fails(
    other_failure: dict[str, Any], eligible_profile: Profile
) -> None:
    evaluation = at(eligible_profile(), "2026-09-15", last_denosumab="2026-08-31", **other_failure)
    assert evaluation.status == "ineligible"
    assert len(evaluation.failing()) == 2
    assert evaluation.eligible_from is None
    assert evaluation.to_dict()["eligible_from"] is None


def test_unknowns_do_not_prevent_eligible_from(eligible_profile: Profile) -> None:
    evaluation = at(
        eligible_profile(),
        "2026-09-15",
        last_denosumab="2026-08-31",
        vitamin_d_ng_ml=None,
        consent=None,
        last_oral_bisphosphonate=None,
    )
    assert evaluation.status == "ineligible"
    assert {c.id for c in evaluation.unknown()} == {"E8", "I5", "E3"}
    assert evaluation.eligible_from == d("2027-02-28")


@pytest.mark.parametrize(
    "changes",
    [
        {},  # eligible
        {"vitamin_d_ng_ml": None},  # needs_review
        {"last_denosumab": None},  # a washout that is only unknown
        {"vitamin_d_ng_ml": 10},  # a non-washout fail alone
    ],
)
def test_no_eligible_from_without_a_washout_fail(changes: dict[str, Any], eligible_profile: Profile) -> None:
    evaluation = at(eligible_profile(), "2025-09-01", **changes)
    assert not [c for c in evaluation.failing() if c.washout]
    assert evaluation.eligible_from is None
    assert evaluation.to_dict()["eligible_from"] is None


def test_only_e3_e5_and_e7_are_washouts(eligible_profile: Profile) -> None:
    evaluation = at(eligible_profile(), "2025-09-01")
    assert {c.id for c in evaluation.criteria if c.washout} == {"E3", "E5", "E7"}
