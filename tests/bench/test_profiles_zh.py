"""Profile.text in Chinese: every question kind typed as a Chinese speaker would, English unchanged."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bench.profiles import (
    DONT_KNOW,
    TYPED_UNITS,
    Profile,
    answer_words,
    confirm_reply,
    consent_reply,
    profiles,
)
from bot.eligibility.fields import NEVER
from bot.screening.questions import KINDS, load_questions, question

CJK = re.compile(r"[\u4e00-\u9fff]")
PERSON = Profile(
    "zh_test",
    {
        "type2_diabetes": True,
        "coronary_heart_disease": False,
        "retinopathy_stage3_plus": DONT_KNOW,
        "sex": "female",
        "age": 62,
        "diabetes_years": 12,
        "years_since_menopause": 6.5,
        "uacr_mg_g": 45,
        "vitamin_d_ng_ml": 30,
        "egfr": 75,
        "lowest_t_score": -2.6,
        "last_oral_bisphosphonate": "2025-03-14",
        "last_iv_bisphosphonate": NEVER,
        "last_denosumab": NEVER,
        "last_teriparatide": NEVER,
        "last_romosozumab": NEVER,
        "glucocorticoid_last_dose": NEVER,
    },
    "ineligible",
)


#: (question, its answer typed in Chinese), at least one question of every kind.
CASES = [
    ("type2_diabetes", "是"),
    ("coronary_heart_disease", "没有"),
    ("retinopathy_stage3_plus", "不知道"),
    ("cancer_within_5_years", "不知道"),  # not in the profile: unknown
    ("sex", "女"),
    ("age", "62"),
    ("diabetes_years", "12年"),
    ("years_since_menopause", "6.5年"),
    ("uacr_mg_g", "45 mg/g"),
    ("vitamin_d_ng_ml", "30 ng/mL"),
    ("egfr", "75"),
    ("lowest_t_score", "-2.6"),
    ("last_oral_bisphosphonate", "2025年3月"),
    ("glucocorticoid_last_dose", "从来没用过"),
    ("bone_medicine_any", "是"),  # a gate: one medicine has a date
    ("iv_bisphosphonate_ever", "没有"),  # a gate whose medicine is never
]


@pytest.mark.parametrize(("name", "typed"), CASES)
def test_text_in_chinese(name: str, typed: str) -> None:
    assert PERSON.text(question(name), "zh") == typed


def test_male_and_unknown_gate() -> None:
    man = Profile("m", {"sex": "male", "last_denosumab": DONT_KNOW}, "needs_review")
    assert man.text(question("sex"), "zh") == "男"
    assert man.text(question("denosumab_ever"), "zh") == "不知道"


def test_every_kind_is_covered() -> None:
    assert {question(name).kind for name, _ in CASES} == set(KINDS)


def test_every_profile_answers_every_question_in_chinese() -> None:
    """No answer falls back to English words: each is Chinese, a number, a lab value with its unit."""
    allowed = re.compile(r"^-?\d+(\.\d+)?( (ng/mL|mg/g))?$")
    for profile in profiles(date(2025, 12, 1)):
        for q in load_questions():
            typed = profile.text(q, "zh")
            assert CJK.search(typed) or allowed.match(typed), (profile.name, q.name, typed)


def test_lab_units_match_english() -> None:
    assert set(answer_words("zh")["lab"]) == set(TYPED_UNITS)
    for name, unit in TYPED_UNITS.items():
        assert answer_words("zh")["lab"][name].endswith(unit)


def test_english_unchanged() -> None:
    assert PERSON.text(question("type2_diabetes")) == "yes"
    assert PERSON.text(question("coronary_heart_disease")) == "no"
    assert PERSON.text(question("retinopathy_stage3_plus")) == "I don't know"
    assert PERSON.text(question("sex")) == "woman"
    assert PERSON.text(question("diabetes_years")) == "12 years"
    assert PERSON.text(question("vitamin_d_ng_ml")) == "30 ng/mL"
    assert PERSON.text(question("last_oral_bisphosphonate")) == "2025-03-14"
    assert PERSON.text(question("age"), "en") == "62"


def test_replies_outside_questions() -> None:
    assert consent_reply("en") == "yes"
    assert consent_reply("zh") == "同意"
    assert confirm_reply("confirm_sign", "en") == "yes"
    assert confirm_reply("confirm_unit", "en") == "ng/mL"
    assert confirm_reply("confirm_sign", "zh") == "是"
    assert confirm_reply("confirm_unit", "zh") == "ng/mL"
