"""A correction names the answer it changes, and what is left after its opening words parses to the new value."""

from __future__ import annotations

from datetime import date

import pytest

from bot.screening.corrections import read_correction
from bot.screening.parsing import parse_answer
from bot.screening.questions import load_questions, question

AS_OF = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "target", "value"),
    [
        ("actually I'm 63", "age", 63),
        ("sorry, I am 58", "age", 58),
        ("wait, I did take alendronate", "oral_bisphosphonate_ever", True),
        ("Wait I did take Fosamax", "oral_bisphosphonate_ever", True),
        ("i made a mistake, i'm a woman", "sex", "female"),
        ("wait, I am a man", "sex", "male"),
        ("no wait, i had a hip fracture", "hip_or_vertebral_fragility_fracture", True),
        ("correction: my t-score is -2.8", "lowest_t_score", -2.8),
        ("actually my T score is minus 3.1", "lowest_t_score", -3.1),
        ("change my answer about cancer to yes", "cancer_within_5_years", True),
        ("no wait, i have not had cancer", "cancer_within_5_years", False),
        ("actually my egfr is 45", "egfr", 45),
        ("actually my vitamin d is 50 nmol/L", "vitamin_d_ng_ml", pytest.approx(50 * 0.4006, abs=0.01)),
        ("oops, I have had diabetes for 12 years", "diabetes_years", 12),
        ("actually I had a stroke", "cerebrovascular_disease", True),
        ("actually i did have a wrist fracture", "other_fragility_fracture", True),
        ("wait, I had denosumab", "denosumab_ever", True),
    ],
)
def test_correction_target_and_value(text: str, target: str, value: object) -> None:
    correction = read_correction(text)
    assert correction.target == target
    parsed = parse_answer(question(target), correction.answer_text, as_of=AS_OF)
    assert parsed.understood and not parsed.dont_know, parsed
    assert parsed.value == value


@pytest.mark.parametrize(
    ("text", "opener"),
    [("actually I'm 63", "actually"), ("no wait, i had a hip fracture", "wait"), ("correction: 63", "correction"),
     ("i made a mistake, i'm a woman", "mistake")],
)
def test_opening_words_are_removed(text: str, opener: str) -> None:
    assert opener not in read_correction(text).answer_text


@pytest.mark.parametrize("text", ["actually, yes", "sorry, no", "wait, I meant no"])
def test_correction_without_a_topic_has_no_target(text: str) -> None:
    """The action then falls back to the last answered question."""
    assert read_correction(text).target is None


def test_every_target_is_a_question() -> None:
    names = {q.name for q in load_questions()}
    samples = ["I am 63", "I'm a woman", "hip", "t-score", "alendronate", "zoledronic", "prolia", "forteo",
               "evenity", "cancer", "cured", "egfr", "uacr", "vitamin d", "stroke", "eye", "jaw", "dentist",
               "calcitonin", "steroids", "infection", "heart failure", "arrhythmia", "liver", "calcium", "allergy",
               "another study", "parathyroid", "menopause", "diabetes"]
    for text in samples:
        target = read_correction(text).target
        assert target in names, (text, target)


def test_correction_to_never_taken() -> None:
    correction = read_correction("actually I never took alendronate")
    assert correction.target == "oral_bisphosphonate_ever"
    parsed = parse_answer(question(correction.target), correction.answer_text, as_of=AS_OF)
    assert parsed.value is False


@pytest.mark.parametrize("text", ["wait, I've had denosumab", "actually I've taken alendronate"])
def test_contracted_ive_had_is_yes(text: str) -> None:
    correction = read_correction(text)
    parsed = parse_answer(question(correction.target), correction.answer_text, as_of=AS_OF)
    assert parsed.value is True
