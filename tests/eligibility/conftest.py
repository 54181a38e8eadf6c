"""Shared fixtures for the eligibility engine tests.

Fixtures are session-scoped factories (not plain dicts) so that hypothesis tests can use them
and every test gets a fresh, unshared answer dict.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

#: The screening date of the shared profile (its "as_of").
AS_OF = "2025-09-01"

#: The criteria the output must list, in order (E14 is never self-screenable).
CRITERIA_IDS = ("I1", "I2", "I3", "I4", "I5", *(f"E{n}" for n in range(1, 14)))


def _eligible_profile() -> dict[str, Any]:
    """Every field answered; by the spec each criterion passes, so the status is "eligible"."""
    return {
        "as_of": AS_OF,
        "sex": "female",
        "age": 60,
        "years_since_menopause": 8,
        "consent": True,
        "type2_diabetes": True,
        "diabetes_years": 12,  # I3 holds by duration alone: every complication answer is negative
        "retinopathy_stage3_plus": False,
        "uacr_mg_g": 12.0,
        "egfr": 85.0,
        "coronary_heart_disease": False,
        "cerebrovascular_disease": False,
        "hip_or_vertebral_fragility_fracture": True,
        "other_fragility_fracture": False,
        "lowest_t_score": -2.5,
        "secondary_osteoporosis": False,
        "cancer_within_5_years": False,
        "cancer_curable_exception": False,
        "last_iv_bisphosphonate": "never",
        "last_oral_bisphosphonate": "2022-03-15",  # long outside the 12-month window
        "osteonecrosis_or_osteomyelitis_of_jaw": False,
        "dental_issue": False,
        "last_denosumab": "never",
        "last_teriparatide": "2023-01-10",  # long outside the 6-month window
        "last_romosozumab": "never",
        "calcitonin_over_3_months_past_year": False,
        "glucocorticoid_high_dose_recent": False,
        "glucocorticoid_last_dose": "never",  # only asked after a yes
        "vitamin_d_ng_ml": 32.0,
        "active_infection": False,
        "heart_failure_nyha3_plus": False,
        "severe_arrhythmia": False,
        "alt_ast_over_3x_uln": False,
        "calcium_disorder": False,
        "study_drug_allergy": False,
        "in_other_drug_trial": False,
    }


def _ref_add_months(start: date, months: int) -> date:
    """Reference calendar arithmetic, written independently of the engine: clamp to month end."""
    years, month0 = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, month0 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@pytest.fixture(scope="session")
def eligible_profile() -> Callable[[], dict[str, Any]]:
    """Factory: each call returns a fresh, complete answer dict that evaluates to "eligible"."""
    return _eligible_profile


@pytest.fixture(scope="session")
def ref_add_months() -> Callable[[date, int], date]:
    """Independent month arithmetic to check the engine's washout dates against."""
    return _ref_add_months


@pytest.fixture(scope="session")
def criteria_ids() -> tuple[str, ...]:
    return CRITERIA_IDS
