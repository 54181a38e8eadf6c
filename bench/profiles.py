"""Realistic screening profiles, and how each person answers a question (as a value and as typed text).

A profile holds eligibility answers as JSON values (what the form's slots hold); ``DONT_KNOW``
marks an answer the person does not know. Gate questions ("have you ever taken ...?") are
answered from the medicine dates. Dates are relative to the day the benchmark runs.

English answers are typed as below; another language's words and formats are data
(``bench/answers_<language>.yml``), so the same person can be screened in Chinese.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from dateutil.relativedelta import relativedelta

from bot.eligibility.fields import NEVER
from bot.screening.questions import Question

DONT_KNOW = "<dont know>"
NO_BONE_MEDICINE = {
    "last_oral_bisphosphonate": NEVER,
    "last_iv_bisphosphonate": NEVER,
    "last_denosumab": NEVER,
    "last_teriparatide": NEVER,
    "last_romosozumab": NEVER,
}
#: Exclusions answered "no" by someone who has none of them.
NO_EXCLUSIONS = {
    "secondary_osteoporosis": False,
    "cancer_within_5_years": False,
    "osteonecrosis_or_osteomyelitis_of_jaw": False,
    "dental_issue": False,
    "calcitonin_over_3_months_past_year": False,
    "glucocorticoid_high_dose_recent": False,
    "active_infection": False,
    "heart_failure_nyha3_plus": False,
    "severe_arrhythmia": False,
    "alt_ast_over_3x_uln": False,
    "calcium_disorder": False,
    "study_drug_allergy": False,
    "in_other_drug_trial": False,
    **NO_BONE_MEDICINE,
}


#: Lab values are typed with their unit, as a clear answer would be (a bare vitamin D of 30 is asked about).
TYPED_UNITS = {"vitamin_d_ng_ml": "ng/mL", "uacr_mg_g": "mg/g"}
ANSWERS_DIR = Path(__file__).resolve().parent


@functools.cache
def answer_words(language: str) -> Mapping[str, Any]:
    """How a person types answers in ``language`` (not English): ``bench/answers_<language>.yml``."""
    return yaml.safe_load((ANSWERS_DIR / f"answers_{language}.yml").read_text(encoding="utf-8"))


def consent_reply(language: str) -> str:
    """Agreeing to the data notice before the first question."""
    return "yes" if language == "en" else answer_words(language)["data_consent"]


def confirm_reply(confirming: str, language: str) -> str:
    """Yes to a confirming question ("Did you mean minus 2.5?"); a unit question gets the unit on the report."""
    if language == "en":
        return "ng/mL" if confirming == "confirm_unit" else "yes"
    words = answer_words(language)
    return words["confirm_unit"] if confirming == "confirm_unit" else words["confirm"]


@dataclass(frozen=True)
class Profile:
    name: str
    answers: Mapping[str, Any]
    #: The status the screening should end with (a sanity check of the profile itself).
    expected: str
    description: str = ""

    def value(self, q: Question) -> Any:
        """The person's answer to ``q`` as a JSON value, True/False for a gate, or DONT_KNOW."""
        if not q.is_gate:
            return self.answers.get(q.name, DONT_KNOW)
        dates = [self.answers.get(f, DONT_KNOW) for f in q.opens]
        if any(d not in (NEVER, DONT_KNOW) for d in dates):
            return True
        if all(d == NEVER for d in dates):
            return False
        return DONT_KNOW

    def text(self, q: Question, language: str = "en") -> str:
        """The answer as typed into the chat, in ``language``."""
        if language != "en":
            return self._typed(q, answer_words(language))
        value = self.value(q)
        if value == DONT_KNOW:
            return "I don't know"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if q.kind == "sex":
            return {"male": "man", "female": "woman"}[value]
        if q.kind == "years":
            return f"{value:g} years"
        if q.name in TYPED_UNITS:  # a lab value as it stands on a report, with its unit
            return f"{value:g} {TYPED_UNITS[q.name]}"
        if isinstance(value, float | int):
            return f"{value:g}"
        return str(value)  # an ISO date or "never"

    def _typed(self, q: Question, words: Mapping[str, Any]) -> str:
        """The answer in another language, from that language's answer words (the same values as English)."""
        value = self.value(q)
        if value == DONT_KNOW:
            return words["dont_know"]
        if isinstance(value, bool):
            return words["affirm" if value else "deny"]
        if q.kind == "sex":
            return words["sex"][value]
        if q.kind == "years":
            return words["years"].format(value=f"{value:g}")
        if q.name in words["lab"]:
            return words["lab"][q.name].format(value=f"{value:g}")
        if isinstance(value, float | int):
            return f"{value:g}"
        if value == NEVER:
            return words["never"]
        day = date.fromisoformat(value)
        return words["date"].format(year=day.year, month=day.month, day=day.day, iso=value)


def _months_ago(today: date, months: int) -> str:
    return (today - relativedelta(months=months)).isoformat()


def profiles(today: date | None = None) -> list[Profile]:
    """The benchmark's profiles: eligible, washouts, unknowns, early failures, needs review."""
    today = today or date.today()
    man = {"type2_diabetes": True, "sex": "male", "age": 62, "consent": True}
    woman = {"type2_diabetes": True, "sex": "female", "age": 58, "years_since_menopause": 6, "consent": True}
    labs = {"vitamin_d_ng_ml": 30, "egfr": 75}
    return [
        Profile(
            "eligible_man",
            {**man, "diabetes_years": 12, "hip_or_vertebral_fragility_fracture": True, **NO_EXCLUSIONS, **labs},
            "eligible",
            "12 years of diabetes, hip fracture",
        ),
        Profile(
            "eligible_woman",
            {
                **woman,
                "diabetes_years": 4,
                "coronary_heart_disease": False,
                "cerebrovascular_disease": False,
                "retinopathy_stage3_plus": False,
                "uacr_mg_g": 45,
                "hip_or_vertebral_fragility_fracture": False,
                "other_fragility_fracture": True,
                "lowest_t_score": -1.5,
                **NO_EXCLUSIONS,
                **labs,
            },
            "eligible",
            "UACR 45, wrist fracture, T -1.5",
        ),
        Profile(
            "eligible_kidney",
            {
                **man,
                "diabetes_years": 3,
                "coronary_heart_disease": False,
                "cerebrovascular_disease": False,
                "retinopathy_stage3_plus": False,
                "uacr_mg_g": 10,
                "hip_or_vertebral_fragility_fracture": False,
                "other_fragility_fracture": False,
                "lowest_t_score": -2.6,
                **NO_EXCLUSIONS,
                "vitamin_d_ng_ml": 25,
                "egfr": 50,
            },
            "eligible",
            "I3 only through eGFR 50 (asked last), T -2.6",
        ),
        Profile(
            "washout_alendronate",
            {
                **man,
                "diabetes_years": 15,
                "hip_or_vertebral_fragility_fracture": True,
                **NO_EXCLUSIONS,
                "last_oral_bisphosphonate": _months_ago(today, 4),
                **labs,
            },
            "ineligible",
            "alendronate 4 months ago: eligible from a date",
        ),
        Profile(
            "washout_denosumab",
            {
                **woman,
                "diabetes_years": 11,
                "hip_or_vertebral_fragility_fracture": True,
                **NO_EXCLUSIONS,
                "last_denosumab": _months_ago(today, 2),
                **labs,
            },
            "ineligible",
            "denosumab 2 months ago",
        ),
        Profile(
            "old_zoledronate",
            {
                **woman,
                "diabetes_years": 20,
                "hip_or_vertebral_fragility_fracture": True,
                **NO_EXCLUSIONS,
                "last_iv_bisphosphonate": _months_ago(today, 30),
                **labs,
            },
            "eligible",
            "zoledronic acid 30 months ago: washout over",
        ),
        Profile(
            "cancer_cured",
            {
                **man,
                "diabetes_years": 12,
                "hip_or_vertebral_fragility_fracture": True,
                **NO_EXCLUSIONS,
                "cancer_within_5_years": True,
                "cancer_curable_exception": True,
                **labs,
            },
            "eligible",
            "early skin cancer, removed",
        ),
        Profile(
            "unknown_labs",
            {
                **man,
                "diabetes_years": 6,
                "coronary_heart_disease": False,
                "cerebrovascular_disease": False,
                "retinopathy_stage3_plus": DONT_KNOW,
                "uacr_mg_g": DONT_KNOW,
                "hip_or_vertebral_fragility_fracture": True,
                **NO_EXCLUSIONS,
                "vitamin_d_ng_ml": DONT_KNOW,
                "egfr": DONT_KNOW,
            },
            "needs_review",
            "does not know retinopathy stage, UACR, vitamin D, eGFR",
        ),
        Profile(
            "unknown_t_score",
            {
                **woman,
                "diabetes_years": 14,
                "hip_or_vertebral_fragility_fracture": False,
                "other_fragility_fracture": False,
                "lowest_t_score": DONT_KNOW,
                **NO_EXCLUSIONS,
                **labs,
            },
            "needs_review",
            "no fracture, T-score unknown",
        ),
        Profile(
            "unsure_medicines",
            {
                **man,
                "diabetes_years": 12,
                "hip_or_vertebral_fragility_fracture": True,
                **{**NO_EXCLUSIONS, **dict.fromkeys(NO_BONE_MEDICINE, DONT_KNOW)},
                **labs,
            },
            "needs_review",
            "cannot say whether they took bone medicines",
        ),
        Profile(
            "consent_unsure",
            {
                **man,
                "diabetes_years": 12,
                "hip_or_vertebral_fragility_fracture": True,
                **NO_EXCLUSIONS,
                **labs,
                "consent": DONT_KNOW,
            },
            "needs_review",
            "not sure about signing a consent form",
        ),
        Profile("no_diabetes", {**man, "type2_diabetes": False}, "ineligible", "early stop after one question"),
        Profile("young_man", {**man, "age": 40}, "ineligible", "early stop: age 40"),
        Profile(
            "recent_menopause",
            {**woman, "age": 50, "years_since_menopause": 1},
            "ineligible",
            "early stop: menopause 1 year ago",
        ),
        Profile(
            "low_vitamin_d",
            {
                **man,
                "diabetes_years": 12,
                "hip_or_vertebral_fragility_fracture": True,
                **NO_EXCLUSIONS,
                "vitamin_d_ng_ml": 15,
                "egfr": 75,
            },
            "ineligible",
            "vitamin D 15 ng/mL (a late hard failure)",
        ),
    ]
