"""Answers shared by the tests: the dose-date fields and one complete profile passing every criterion."""

from __future__ import annotations

from typing import Any

from bot.eligibility.fields import NEVER

DOSE_FIELDS = ("last_iv_bisphosphonate", "last_oral_bisphosphonate", "last_denosumab", "last_teriparatide",
               "last_romosozumab")

#: Everything answered and every criterion passing (male, 62, diabetes 12 years, hip fracture).
ELIGIBLE_ANSWERS: dict[str, Any] = {
    "type2_diabetes": True,
    "sex": "male",
    "age": 62.0,
    "years_since_menopause": None,
    "diabetes_years": 12.0,
    "hip_or_vertebral_fragility_fracture": True,
    "secondary_osteoporosis": False,
    "cancer_within_5_years": False,
    **{f: NEVER for f in DOSE_FIELDS},
    "osteonecrosis_or_osteomyelitis_of_jaw": False,
    "dental_issue": False,
    "calcitonin_over_3_months_past_year": False,
    "glucocorticoid_high_dose_recent": False,
    "vitamin_d_ng_ml": 30.0,
    "active_infection": False,
    "heart_failure_nyha3_plus": False,
    "severe_arrhythmia": False,
    "alt_ast_over_3x_uln": False,
    "egfr": 80.0,
    "calcium_disorder": False,
    "study_drug_allergy": False,
    "in_other_drug_trial": False,
    "consent": True,
}
