"""The answer fields: the contract shared by the engine, the dialogue's slots and the tests.

Never rename a field: the form slots, stored screenings and the CLI all use these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    BOOL = "bool"
    NUMBER = "number"
    SEX = "sex"
    DATE = "date"  # "YYYY-MM-DD"
    DOSE_DATE = "dose_date"  # "YYYY-MM-DD" or "never"


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    minimum: float | None = None
    maximum: float | None = None
    #: A count of years that cannot exceed the person's age.
    years_of_life: bool = False


SEXES = ("male", "female")
NEVER = "never"

FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("as_of", Kind.DATE),
        Field("sex", Kind.SEX),
        Field("age", Kind.NUMBER, 0, 120),
        Field("years_since_menopause", Kind.NUMBER, 0, 120, years_of_life=True),
        Field("consent", Kind.BOOL),
        # I1
        Field("type2_diabetes", Kind.BOOL),
        # I3
        Field("diabetes_years", Kind.NUMBER, 0, 120, years_of_life=True),
        Field("retinopathy_stage3_plus", Kind.BOOL),
        Field("uacr_mg_g", Kind.NUMBER, 0, 10000),
        Field("egfr", Kind.NUMBER, 0, 200),
        Field("coronary_heart_disease", Kind.BOOL),
        Field("cerebrovascular_disease", Kind.BOOL),
        # I4
        Field("hip_or_vertebral_fragility_fracture", Kind.BOOL),
        Field("other_fragility_fracture", Kind.BOOL),
        Field("lowest_t_score", Kind.NUMBER, -10, 5),
        # E1, E2
        Field("secondary_osteoporosis", Kind.BOOL),
        Field("cancer_within_5_years", Kind.BOOL),
        Field("cancer_curable_exception", Kind.BOOL),
        # E3
        Field("last_iv_bisphosphonate", Kind.DOSE_DATE),
        Field("last_oral_bisphosphonate", Kind.DOSE_DATE),
        # E4
        Field("osteonecrosis_or_osteomyelitis_of_jaw", Kind.BOOL),
        Field("dental_issue", Kind.BOOL),
        # E5
        Field("last_denosumab", Kind.DOSE_DATE),
        Field("last_teriparatide", Kind.DOSE_DATE),
        Field("last_romosozumab", Kind.DOSE_DATE),
        # E6-E13
        Field("calcitonin_over_3_months_past_year", Kind.BOOL),
        Field("glucocorticoid_high_dose_recent", Kind.BOOL),
        Field("glucocorticoid_last_dose", Kind.DOSE_DATE),  # E7, asked after a yes
        Field("vitamin_d_ng_ml", Kind.NUMBER, 0, 200),
        Field("active_infection", Kind.BOOL),
        Field("heart_failure_nyha3_plus", Kind.BOOL),
        Field("severe_arrhythmia", Kind.BOOL),
        Field("alt_ast_over_3x_uln", Kind.BOOL),
        Field("calcium_disorder", Kind.BOOL),
        Field("study_drug_allergy", Kind.BOOL),
        Field("in_other_drug_trial", Kind.BOOL),
    )
}

#: Fields a person answers (everything but the screening date).
ANSWER_FIELDS: tuple[str, ...] = tuple(name for name in FIELDS if name != "as_of")
