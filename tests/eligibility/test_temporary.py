"""Exclusions that do not last: the steroid waiting period (E7), an infection (E9), a dental problem (E4)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.eligibility import CriterionResult, Evaluation, ProtocolError, load_protocol, screen
from bot.eligibility.dates import add_weeks
from bot.eligibility.protocol import _parse

Profile = Callable[[], dict[str, Any]]

STEROID_YES = {"glucocorticoid_high_dose_recent": True}
BONE_DOSES = ("last_iv_bisphosphonate", "last_oral_bisphosphonate", "last_denosumab", "last_teriparatide",
              "last_romosozumab")


def d(text: str) -> date:
    return date.fromisoformat(text)


def criterion(evaluation: Evaluation, cid: str) -> CriterionResult:
    (found,) = [c for c in evaluation.criteria if c.id == cid]
    return found


def at(profile: dict[str, Any], as_of: str, **changes: Any) -> Evaluation:
    """The profile on another day, with no bone medicine (its own old doses would fall inside some windows)."""
    return screen({**profile, **dict.fromkeys(BONE_DOSES, "never"), "as_of": as_of, **changes})


# --- within_weeks: E7 fails until 6 weeks after the last dose ----------------------------------

# (last dose, first day E7 passes), counted by hand: 42 days later
STEROID_WINDOWS = [
    ("2025-08-01", "2025-09-12"),
    ("2025-12-31", "2026-02-11"),  # across a year end
    ("2024-01-31", "2024-03-13"),  # across a leap February
    ("2023-01-31", "2023-03-14"),  # and a common one
    ("2026-11-20", "2027-01-01"),
]


@pytest.mark.parametrize(("dose", "clears"), STEROID_WINDOWS)
def test_steroid_window_boundary(dose: str, clears: str, eligible_profile: Profile) -> None:
    day_before = (d(clears) - timedelta(days=1)).isoformat()
    inside = at(eligible_profile(), day_before, **STEROID_YES, glucocorticoid_last_dose=dose)
    e7 = criterion(inside, "E7")
    assert e7.result == "fail"
    assert e7.washout and not e7.temporary
    assert e7.clears_on == d(clears)
    assert clears in e7.explanation
    assert inside.status == "ineligible"
    assert inside.eligible_from == d(clears)
    assert inside.to_dict()["eligible_from"] == clears

    cleared = at(eligible_profile(), clears, **STEROID_YES, glucocorticoid_last_dose=dose)
    assert criterion(cleared, "E7").result == "pass"
    assert cleared.status == "eligible"
    assert cleared.eligible_from is None


def test_add_weeks_counts_seven_days_a_week() -> None:
    assert add_weeks(d("2024-02-22"), 1) == d("2024-02-29")
    assert add_weeks(d("2025-12-31"), 6) == d("2026-02-11")


def test_a_dose_on_the_screening_day_fails(eligible_profile: Profile) -> None:
    evaluation = at(eligible_profile(), "2025-09-01", **STEROID_YES, glucocorticoid_last_dose="2025-09-01")
    assert criterion(evaluation, "E7").clears_on == d("2025-10-13")


@pytest.mark.parametrize("last", ["never", "2025-07-21", "2020-01-01"])
def test_a_last_dose_outside_the_window_passes_despite_the_yes(last: str, eligible_profile: Profile) -> None:
    evaluation = at(eligible_profile(), "2025-09-01", **STEROID_YES, glucocorticoid_last_dose=last)
    assert criterion(evaluation, "E7").result == "pass"
    assert evaluation.status == "eligible"


@pytest.mark.parametrize("last", [None, "2025-08-20", "never"])
def test_no_steroids_pass_whatever_the_date(last: str | None, eligible_profile: Profile) -> None:
    evaluation = at(
        eligible_profile(), "2025-09-01", glucocorticoid_high_dose_recent=False, glucocorticoid_last_dose=last
    )
    e7 = criterion(evaluation, "E7")
    assert e7.result == "pass"
    assert e7.missing == ()


# --- a yes with the date unknown -----------------------------------------------------------------


def test_a_yes_with_the_date_unknown_fails_with_no_date(eligible_profile: Profile) -> None:
    evaluation = at(eligible_profile(), "2025-09-01", **STEROID_YES, glucocorticoid_last_dose=None)
    e7 = criterion(evaluation, "E7")
    assert e7.result == "fail"
    assert e7.clears_on is None
    assert e7.missing == ("glucocorticoid_last_dose",)  # the date could give a date, or a pass
    assert evaluation.status == "ineligible"
    assert evaluation.eligible_from is None
    assert evaluation.to_dict()["eligible_from"] is None
    assert e7.explanation == load_protocol().explanations()["E7"]["fail_no_date"]
    assert "{" not in e7.explanation and "join from" not in e7.explanation


def test_a_dateless_steroid_failure_gives_no_date_beside_a_dated_washout(eligible_profile: Profile) -> None:
    evaluation = at(
        eligible_profile(), "2025-09-01", **STEROID_YES, glucocorticoid_last_dose=None, last_denosumab="2025-08-01"
    )
    assert {c.id for c in evaluation.failing()} == {"E5", "E7"}
    assert criterion(evaluation, "E5").clears_on == d("2026-02-01")
    assert evaluation.eligible_from is None


def test_steroids_and_bone_medicines_clear_with_the_later_date(eligible_profile: Profile) -> None:
    later_steroid = at(
        eligible_profile(), "2025-09-01", **STEROID_YES, glucocorticoid_last_dose="2025-08-25",
        last_denosumab="2025-03-10",
    )
    assert later_steroid.eligible_from == d("2025-10-06")  # steroid + 6 weeks, after denosumab's 2025-09-10
    later_bone = at(
        eligible_profile(), "2025-09-01", **STEROID_YES, glucocorticoid_last_dose="2025-08-25",
        last_oral_bisphosphonate="2025-02-01",
    )
    assert later_bone.eligible_from == d("2026-02-01")


def test_steroid_unknown_is_asked_first_and_the_date_only_after(eligible_profile: Profile) -> None:
    evaluation = at(
        eligible_profile(), "2025-09-01", glucocorticoid_high_dose_recent=None, glucocorticoid_last_dose=None
    )
    e7 = criterion(evaluation, "E7")
    assert e7.result == "unknown"
    # "never" as the last dose would pass E7 whatever the yes: the date could decide it too
    assert set(e7.missing) == {"glucocorticoid_high_dose_recent", "glucocorticoid_last_dose"}


def test_forty_one_days_ago_is_still_inside_six_weeks(eligible_profile: Profile) -> None:
    evaluation = at(eligible_profile(), "2025-09-01", **STEROID_YES, glucocorticoid_last_dose="2025-07-22")
    assert criterion(evaluation, "E7").clears_on == d("2025-09-02")


# --- temporary failures: E9 and E4's dental part ------------------------------------------------


def test_an_infection_is_a_temporary_failure(eligible_profile: Profile) -> None:
    evaluation = at(eligible_profile(), "2025-09-01", active_infection=True)
    e9 = criterion(evaluation, "E9")
    assert e9.result == "fail"
    assert e9.temporary and not e9.washout
    assert e9.clears_on is None and e9.missing == ()
    assert "check again" in e9.explanation
    assert evaluation.status == "ineligible"
    assert evaluation.eligible_from is None


def test_a_dental_issue_is_a_temporary_failure(eligible_profile: Profile) -> None:
    evaluation = at(eligible_profile(), "2025-09-01", dental_issue=True)
    e4 = criterion(evaluation, "E4")
    assert e4.result == "fail" and e4.temporary
    assert "healed" in e4.explanation and "check again" in e4.explanation
    assert evaluation.eligible_from is None


@pytest.mark.parametrize("dental", [True, False, None])
def test_jaw_bone_disease_is_not_temporary(dental: bool | None, eligible_profile: Profile) -> None:
    evaluation = at(eligible_profile(), "2025-09-01", osteonecrosis_or_osteomyelitis_of_jaw=True, dental_issue=dental)
    e4 = criterion(evaluation, "E4")
    assert e4.result == "fail"
    assert not e4.temporary
    assert e4.missing == ()
    assert "check again" not in e4.explanation
    assert e4.explanation == load_protocol().explanations()["E4"]["fail"]


def test_a_dental_issue_with_the_jaw_unknown_is_temporary_until_the_jaw_is_answered(eligible_profile: Profile) -> None:
    evaluation = at(eligible_profile(), "2025-09-01", osteonecrosis_or_osteomyelitis_of_jaw=None, dental_issue=True)
    e4 = criterion(evaluation, "E4")
    assert e4.result == "fail" and e4.temporary
    assert e4.missing == ("osteonecrosis_or_osteomyelitis_of_jaw",)  # a yes would make it last


@pytest.mark.parametrize("changes", [{"secondary_osteoporosis": True}, {"in_other_drug_trial": True},
                                     {"last_denosumab": "2025-08-01"}, {"vitamin_d_ng_ml": 10}])
def test_other_failures_are_not_temporary(changes: dict[str, Any], eligible_profile: Profile) -> None:
    evaluation = at(eligible_profile(), "2025-09-01", **changes)
    (failing,) = evaluation.failing()
    assert not failing.temporary


def test_a_temporary_failure_beside_a_washout_gives_no_date(eligible_profile: Profile) -> None:
    evaluation = at(eligible_profile(), "2025-09-01", active_infection=True, last_denosumab="2025-08-01")
    assert {c.id for c in evaluation.failing()} == {"E5", "E9"}
    assert evaluation.eligible_from is None


def test_the_command_line_contract_keeps_its_keys(eligible_profile: Profile) -> None:
    evaluation = at(eligible_profile(), "2025-09-01", active_infection=True, **STEROID_YES,
                    glucocorticoid_last_dose="2025-08-20")
    data = evaluation.to_dict()
    assert list(data) == ["status", "protocol_version", "eligible_from", "criteria"]
    assert all(list(item) == ["id", "result", "explanation"] for item in data["criteria"])


# --- the rule language ---------------------------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    source = load_protocol().directory
    target = tmp_path / source.name
    shutil.copytree(source, target)
    return target


def _edit(directory: Path, cid: str, **changes: Any) -> None:
    path = directory / "criteria.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    (item,) = [c for c in data["criteria"] if c["id"] == cid]
    item.update(changes)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("cid", "changes", "message"),
    [
        ("E7", {"fails_if": {"field": "glucocorticoid_high_dose_recent", "within_weeks": 6}}, "does not apply"),
        ("E7", {"fails_if": {"field": "glucocorticoid_last_dose", "within_weeks": 0}}, "positive whole number"),
        ("E7", {"fails_if": {"field": "glucocorticoid_last_dose", "within_weeks": 6, "if_unknown": "yes"}},
         "if_unknown"),
        ("E9", {"temporary": ["dental_issue"]}, "temporary"),
        ("E8", {"temporary": True}, "yes/no"),
        ("E9", {"temporary": True, "washout": True}, "waiting period"),
    ],
)
def test_bad_rules_fail_at_load(cid: str, changes: dict[str, Any], message: str, tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    _edit(directory, cid, **changes)
    with pytest.raises(ProtocolError, match=message):
        _parse(directory)


@pytest.mark.parametrize(("cid", "key"), [("E4", "temporary"), ("E9", "temporary"), ("E7", "fail_no_date")])
def test_a_missing_explanation_for_a_way_to_fail_is_caught(cid: str, key: str, tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / "explanations" / "en.yml"
    texts = yaml.safe_load(path.read_text(encoding="utf-8"))
    del texts[cid][key]
    path.write_text(yaml.safe_dump(texts), encoding="utf-8")
    with pytest.raises(ProtocolError, match=f"{cid} lacks {key}"):
        _parse(directory).explanations()


def test_an_unanswered_steroid_question_needs_its_last_dose_too() -> None:
    """With the steroid question unanswered, the last dose matters as well (a yes more than 6 weeks ago passes)."""
    from tests.profiles import ELIGIBLE_ANSWERS

    answers = {k: v for k, v in ELIGIBLE_ANSWERS.items() if k not in ("glucocorticoid_high_dose_recent",
                                                                       "glucocorticoid_last_dose")}
    e7 = criterion(screen({**answers, "as_of": "2026-12-01"}), "E7")
    assert e7.result == "unknown"
    assert e7.missing == ("glucocorticoid_high_dose_recent", "glucocorticoid_last_dose")
