"""A Chinese-speaking person's answers, shared by the Chinese web and WeChat end-to-end tests.

The same person as ``ELIGIBLE_MAN`` (tests/e2e/test_rest_screenings.py), typed as an older
Chinese reader would: "是"/"否" (the titles of the bot's Chinese yes/no buttons, so the tests press
them where they are offered), a Chinese numeral for the age, and units as people write them.
"""

from __future__ import annotations

import re

from bot.languages.detect import has_chinese

YES = "是"
NO = "否"

ELIGIBLE_MAN: dict[str, str] = {
    "type2_diabetes": YES,
    "sex": "男",
    "age": "我今年六十二岁",
    "diabetes_years": "大概12年了",
    "hip_or_vertebral_fragility_fracture": "有，2019年摔断过髋部",
    "secondary_osteoporosis": NO,
    "cancer_within_5_years": NO,
    "bone_medicine_any": NO,
    "osteonecrosis_or_osteomyelitis_of_jaw": NO,
    "dental_issue": NO,
    "calcitonin_over_3_months_past_year": NO,
    "glucocorticoid_high_dose_recent": NO,
    "vitamin_d_ng_ml": "25 ng/mL",
    "active_infection": NO,
    "heart_failure_nyha3_plus": NO,
    "severe_arrhythmia": NO,
    "alt_ast_over_3x_uln": NO,
    "egfr": "75",
    "calcium_disorder": NO,
    "study_drug_allergy": NO,
    "in_other_drug_trial": NO,
    "consent": YES,
}
NO_DIABETES = {**ELIGIBLE_MAN, "type2_diabetes": NO}

#: The lead's details in Chinese: site, name, phone, when to call.
HANDOFF = ("北京", "王丽", "138 0013 8000", "工作日上午")

#: Latin words allowed in a Chinese reply: units, test names and the names of the languages.
_LATIN_ALLOWED = re.compile(
    r"ng/mL|nmol/L|mg/g|mg/mmol|eGFR|UACR|NYHA|DXA|ALT|AST|L1|L4|III|T|Paget|li_wei88|English|JavaScript", re.I
)
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def reads_as_chinese(text: str) -> bool:
    """Chinese characters, and no English words besides the units and test names a Chinese text uses."""
    return has_chinese(text) and not _LATIN_WORD.search(_LATIN_ALLOWED.sub("", text))
