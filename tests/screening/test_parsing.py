"""Every answer parser, with answers people really type: what must be understood, and what must be re-asked.

Dates and durations are read against a fixed screening date (AS_OF), never against today.
Expected values come from the spec (and the eligibility field contract), not from running the code.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.eligibility.fields import NEVER
from bot.screening.parsing import (
    AMBIGUOUS,
    FUTURE,
    INFERRED,
    POSITIVE,
    RESUME,
    SIGN,
    UNREADABLE,
    Parsed,
    parse_answer,
    parse_yes_no,
)
from bot.screening.questions import question

AS_OF = date(2026, 11, 25)


def read(name: str, text: str, intent: str | None = None) -> Parsed:
    return parse_answer(question(name), text, as_of=AS_OF, intent=intent)


def assert_value(parsed: Parsed, expected: object) -> None:
    assert parsed.understood, parsed
    assert not parsed.dont_know, parsed
    assert parsed.value == expected, parsed


def assert_dont_know(parsed: Parsed) -> None:
    assert parsed.understood, parsed
    assert parsed.dont_know, parsed
    assert parsed.value is None, parsed


def assert_reask(parsed: Parsed, problem: str | None = None) -> None:
    assert not parsed.understood, parsed
    assert parsed.value is None and not parsed.dont_know, parsed
    if problem:
        assert parsed.problem == problem, parsed


# --- age -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("62", 62),
        ("I'm sixty-two", 62),
        ("sixty two years old", 62),
        ("63 years old", 63),
        ("I am 58", 58),
        ("seventy", 70),
        ("fifty-five", 55),
        ("  47 ", 47),
        ("I'M SIXTY-TWO", 62),
    ],
)
def test_age_is_understood(text: str, expected: float) -> None:
    assert_value(read("age", text), expected)


@pytest.mark.parametrize("text", ["dunno", "I don't know", "not sure", "can't remember"])
def test_age_dont_know(text: str) -> None:
    assert_dont_know(read("age", text))


@pytest.mark.parametrize("text", ["old enough", "banana", "", "?!"])
def test_age_is_reasked(text: str) -> None:
    parsed = read("age", text)
    assert not parsed.understood or parsed.dont_know  # never a made-up number
    assert parsed.value is None


# --- durations in years ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("about 12 years", 12),
        ("12 years", 12),
        ("12", 12),
        ("since 2010", 16),  # 2010 -> 2026-11-25: 16 whole years
        ("6 months", 0.5),
        ("six months", 0.5),
        ("twelve and a half years", 12.5),
        ("about 12 yrs", 12),
    ],
)
def test_years_are_understood(text: str, expected: float) -> None:
    assert_value(read("diabetes_years", text), expected)


def test_since_month_and_year_counts_the_months() -> None:
    # March 2010 -> November 2026: 16 years and 8 months.
    parsed = read("diabetes_years", "since March 2010")
    assert parsed.understood and not parsed.dont_know
    assert parsed.value == pytest.approx(16 + 8 / 12, abs=0.01)


@pytest.mark.parametrize("text", ["more than 10 years", "over 10 years", "more than ten years"])
def test_more_than_is_strictly_more(text: str) -> None:
    """The listing's boundary is strict (> 10 years): "more than 10" must not become exactly 10."""
    parsed = read("diabetes_years", text)
    assert parsed.understood and not parsed.dont_know
    assert parsed.value > 10
    assert parsed.value < 11.5  # still about ten years, not something else


@pytest.mark.parametrize("text", ["less than 2 years", "under 2 years", "almost 2 years"])
def test_less_than_is_strictly_less(text: str) -> None:
    parsed = read("years_since_menopause", text)
    assert parsed.understood and not parsed.dont_know
    assert 0 <= parsed.value < 2


def test_years_never_negative() -> None:
    parsed = read("diabetes_years", "less than 3 months")
    assert parsed.understood and parsed.value is not None and parsed.value >= 0


@pytest.mark.parametrize("text", ["not sure", "dunno", "I can't remember"])
def test_years_dont_know(text: str) -> None:
    assert_dont_know(read("diabetes_years", text))


@pytest.mark.parametrize("text", ["ages", "banana", "long"])
def test_years_are_reasked(text: str) -> None:
    assert_reask(read("diabetes_years", text), UNREADABLE)


def test_since_a_future_year_is_not_a_duration() -> None:
    assert_reask(read("diabetes_years", "since 2030"), FUTURE)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("diabetes_years", "a long time"),
        ("diabetes_years", "for a while"),
        ("lowest_t_score", "never had a scan"),
        ("lowest_t_score", "I had a scan but can't remember the number"),
        ("egfr", "I had a test but don't know the result"),  # eGFR 1 -> E10 fails -> early stop
        ("age", "a good age"),
    ],
)
def test_an_article_is_not_the_number_one(name: str, text: str) -> None:
    parsed = read(name, text)
    assert parsed.value is None, parsed


def test_a_couple_of_years_is_two() -> None:
    assert_value(read("diabetes_years", "a couple of years"), 2)


@pytest.mark.parametrize(("text", "expected"), [("2 and a half years", 2.5), ("a year and a half", 1.5)])
def test_and_a_half_after_digits(text: str, expected: float) -> None:
    assert_value(read("diabetes_years", text), expected)


# --- dates (last dose) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("never", NEVER),
        ("Never taken it", NEVER),
        ("March 2026", "2026-03-31"),  # the latest day meant: a washout never clears early
        ("in 2019", "2019-12-31"),
        ("2019", "2019-12-31"),
        ("2 years ago", "2024-11-25"),
        ("six months ago", "2026-05-25"),
        ("a year ago", "2025-11-25"),
        ("last month", "2026-10-31"),
        ("yesterday", "2026-11-24"),
        ("today", "2026-11-25"),
        ("2025-08-31", "2025-08-31"),
        ("15 March 2026", "2026-03-15"),
        ("March 15, 2026", "2026-03-15"),
        ("jan 2026", "2026-01-31"),
        ("in June", "2026-06-30"),  # the most recent June
        ("in December", "2025-12-31"),  # December 2026 has not begun: the one before
        ("last year", "2025-12-31"),
        ("3 weeks ago", "2026-11-04"),
    ],
)
def test_dates_are_understood(text: str, expected: str) -> None:
    assert_value(read("last_denosumab", text), expected)


def test_imprecise_date_in_the_current_month_is_not_after_today() -> None:
    assert_value(read("last_denosumab", "November 2026"), "2026-11-25")


@pytest.mark.parametrize("text", ["2027-01-10", "March 2027", "2027", "2026-12-01", "1 January 2027"])
def test_future_dates_are_reasked_as_future(text: str) -> None:
    assert_reask(read("last_teriparatide", text), FUTURE)


def test_future_month_of_the_current_year_is_future() -> None:
    assert_reask(read("last_teriparatide", "December 2026"), FUTURE)


def test_day_first_numeric_date_is_never_read_as_today() -> None:
    parsed = read("last_oral_bisphosphonate", "15/03/2026")
    assert parsed.value in ("2026-03-15", None)  # read right, or re-asked; never 2026-11-25
    assert parsed.value != AS_OF.isoformat()


def test_a_couple_of_months_ago_is_two_months() -> None:
    assert_value(read("last_denosumab", "a couple of months ago"), "2026-09-25")


@pytest.mark.parametrize("text", ["not sure", "I don't know", "can't remember"])
def test_dates_dont_know(text: str) -> None:
    assert_dont_know(read("last_denosumab", text))


@pytest.mark.parametrize("text", ["banana", "some time", "31 February 2026", "2026-02-30"])
def test_dates_are_reasked(text: str) -> None:
    assert_reask(read("last_denosumab", text), UNREADABLE)


def test_date_question_denied_by_button_is_never() -> None:
    assert_value(read("last_denosumab", "/deny", intent="deny"), NEVER)


def test_date_question_dont_know_button() -> None:
    assert_dont_know(read("last_denosumab", "/dont_know", intent="dont_know"))


# --- yes / no --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["yes", "Yes!", "yeah", "yep", "y", "of course", "I have", "I did", "yes I had a hip fracture in 2019",
     "I had one in 2019"],
)
def test_yes(text: str) -> None:
    assert_value(read("hip_or_vertebral_fragility_fracture", text), True)


@pytest.mark.parametrize(
    "text",
    ["no", "No.", "nope", "n", "no i haven't", "I have not", "I didn't", "not really", "no, never", "i am not",
     "no i have not", "I've never had cancer"],
)
def test_no(text: str) -> None:
    assert_value(read("hip_or_vertebral_fragility_fracture", text), False)


@pytest.mark.parametrize(
    "text", ["i don't know", "not sure", "no idea", "I do not know", "I am not sure", "maybe", "dunno", "no clue"]
)
def test_dont_know_is_never_no(text: str) -> None:
    assert_dont_know(read("hip_or_vertebral_fragility_fracture", text))


@pytest.mark.parametrize("text", ["yes and no", "yes, no"])
def test_yes_and_no_is_reasked(text: str) -> None:
    assert_reask(read("cancer_within_5_years", text), AMBIGUOUS)


@pytest.mark.parametrize("text", ["hmm", "banana", ""])
def test_neither_is_reasked(text: str) -> None:
    assert_reask(read("cancer_within_5_years", text), UNREADABLE)


@pytest.mark.parametrize(
    ("text", "intent", "expected"), [("/affirm", "affirm", True), ("/deny", "deny", False)]
)
def test_buttons(text: str, intent: str, expected: bool) -> None:
    assert_value(read("type2_diabetes", text, intent=intent), expected)


def test_dont_know_button() -> None:
    assert_dont_know(read("type2_diabetes", "/dont_know", intent="dont_know"))


def test_intent_does_not_override_words() -> None:
    """The NLU intent only settles what the words leave open."""
    assert_dont_know(read("type2_diabetes", "no idea", intent="deny"))
    assert_reask(read("type2_diabetes", "yes and no", intent="affirm"), AMBIGUOUS)


def test_i_do_not_is_no() -> None:
    assert_value(parse_yes_no("I do not"), False)


@pytest.mark.parametrize("text", ["I have never had a hip fracture", "never had one", "I never took it"])
def test_never_sentences_are_no(text: str) -> None:
    assert_value(parse_yes_no(text), False)


# --- sex -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("man", "male"), ("Male", "male"), ("I'm a man", "male"), ("m", "male"), ("woman", "female"),
     ("Female", "female"), ("I am a woman", "female"), ("f", "female"), ("a lady", "female")],
)
def test_sex(text: str, expected: str) -> None:
    assert_value(read("sex", text), expected)


def test_sex_dont_know() -> None:
    assert_dont_know(read("sex", "not sure"))


@pytest.mark.parametrize(("text", "problem"), [("human", UNREADABLE), ("woman not man", AMBIGUOUS)])
def test_sex_reasked(text: str, problem: str) -> None:
    assert_reask(read("sex", text), problem)


# --- T-score ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-2.5", -2.5),
        ("minus 2.7", -2.7),
        ("t score -1.8", -1.8),
        ("T-score: -2.8", -2.8),
        ("\u22122.1", -2.1),  # unicode minus
        ("\u20132.3", -2.3),  # en dash typed as minus
        ("negative two point five", -2.5),
        ("minus two", -2.0),
        ("-1", -1.0),
    ],
)
def test_t_score(text: str, expected: float) -> None:
    parsed = read("lowest_t_score", text)
    assert_value(parsed, expected)
    assert parsed.confirm is None  # a signed T-score is taken as written


@pytest.mark.parametrize(
    ("text", "proposal", "reason"),
    [("0.5", -0.5, SIGN), ("2.5", -2.5, SIGN), ("plus 0.5", 0.5, POSITIVE), ("+1.2", 1.2, POSITIVE)],
)
def test_a_positive_t_score_is_confirmed_first(text: str, proposal: float, reason: str) -> None:
    """T-scores for weak bones are below zero: "2.5" is most likely -2.5, and is asked about, never taken."""
    parsed = read("lowest_t_score", text)
    assert (parsed.value, parsed.confirm) == (proposal, reason)
    assert parsed.confidence < 1


@pytest.mark.parametrize("text", ["I don't know", "no", "no idea"])
def test_t_score_dont_know(text: str) -> None:
    assert_dont_know(read("lowest_t_score", text))


def test_t_score_reasked() -> None:
    assert_reask(read("lowest_t_score", "low"), UNREADABLE)


@pytest.mark.parametrize("text", ["- 2.5", "\u2212 2.5"])
def test_t_score_minus_with_space(text: str) -> None:
    assert_value(read("lowest_t_score", text), -2.5)


def test_t_score_decimal_comma() -> None:
    assert_value(read("lowest_t_score", "-2,5"), -2.5)


# --- lab numbers and units -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("vitamin_d_ng_ml", "50 nmol/L", 50 * 0.4006),
        ("vitamin_d_ng_ml", "60 nmol/l", 60 * 0.4006),
        ("vitamin_d_ng_ml", "25 ng/mL", 25),
        ("vitamin_d_ng_ml", "about 30", 30),
        ("uacr_mg_g", "4 mg/mmol", 4 * 8.84),
        ("uacr_mg_g", "45 mg/g", 45),
        ("uacr_mg_g", "45", 45),
        ("egfr", "75", 75),
        ("egfr", "my egfr was 58", 58),
    ],
)
def test_numbers_with_units(name: str, text: str, expected: float) -> None:
    parsed = read(name, text)
    assert parsed.understood and not parsed.dont_know
    assert parsed.value == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("name", ["vitamin_d_ng_ml", "uacr_mg_g", "egfr"])
@pytest.mark.parametrize("text", ["no", "nope", "no i don't", "I don't know", "not tested"])
def test_no_to_do_you_know_your_number_is_dont_know(name: str, text: str) -> None:
    """ "Do you know your eGFR?" - "no" means the number is unknown, not zero or a failure."""
    assert_dont_know(read(name, text))


def test_number_deny_button_is_dont_know() -> None:
    assert_dont_know(read("egfr", "/deny", intent="deny"))


def test_number_reasked() -> None:
    assert_reask(read("egfr", "normal I think"), UNREADABLE)


@pytest.mark.parametrize("text", ["ok, it's gone, let's continue", "OK I'm fine now", "carry on", "yes let's continue"])
def test_going_on_after_an_interruption_is_not_an_answer(text: str) -> None:
    """After an emergency answer, "ok, let's continue" must not be read as a yes to the open question."""
    for name in ("hip_or_vertebral_fragility_fracture", "cancer_within_5_years", "age", "last_denosumab"):
        parsed = read(name, text)
        assert parsed.problem == RESUME and parsed.value is None, (name, parsed)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("secondary_osteoporosis", "I had a chest infection last month, they gave me antibiotics"),
        ("heart_failure_nyha3_plus", "I had a heart attack"),
        ("severe_arrhythmia", "I have high blood pressure"),
    ],
)
def test_a_yes_about_something_the_question_may_not_mean_is_confirmed_first(name: str, text: str) -> None:
    """Only "I had" makes these a yes, and what was had is not the question's topic: asked, never taken."""
    parsed = read(name, text)
    assert (parsed.value, parsed.confirm) == (True, INFERRED), parsed


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("hip_or_vertebral_fragility_fracture", "I had one in 2019"),
        ("cancer_within_5_years", "I had lymphoma in 2023"),
        ("secondary_osteoporosis", "they did find Paget's in my pelvis"),
        ("hip_or_vertebral_fragility_fracture", "yes I had a hip fracture in 2019"),
    ],
)
def test_a_yes_that_names_the_topic_is_taken(name: str, text: str) -> None:
    parsed = read(name, text)
    assert (parsed.value, parsed.confirm) == (True, None), parsed
