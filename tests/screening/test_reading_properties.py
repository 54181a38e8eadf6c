"""Properties of the answer readers, over generated answers (hypothesis).

- A date or a duration is never read as a measurement (a T-score, a lab value) or as an age.
- Trailing "nothing else"-style words never change a yes.
- No text of any kind makes a reader raise.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.screening.parsing import parse_answer
from bot.screening.questions import load_questions, question

AS_OF = date(2026, 12, 1)
MONTHS = ["january", "march", "June", "Sept", "october", "December"]
UNITS = ["years", "yrs", "year", "months", "month", "weeks", "wks", "days"]
MEASURED = ["lowest_t_score", "egfr", "uacr_mg_g", "vitamin_d_ng_ml", "age"]
settings.register_profile("readers", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def time_phrases(draw: st.DrawFn) -> str:
    n = draw(st.integers(1, 60))
    year = draw(st.integers(1950, 2026))
    templates = [
        f"{n} {draw(st.sampled_from(UNITS))} ago",
        f"about {n} {draw(st.sampled_from(UNITS))} back",
        f"in {year}",
        f"since {year}",
        f"{draw(st.sampled_from(MONTHS))} {year}",
        f"for {n} {draw(st.sampled_from(UNITS))}",
        f"the scan was {n} {draw(st.sampled_from(UNITS))} ago",
        f"tested in {draw(st.sampled_from(MONTHS))} {year}, can't remember the result",
        f"had it done {n} {draw(st.sampled_from(UNITS))} ago, no idea what it said",
        f"{year}",
    ]
    return draw(st.sampled_from(templates))


@settings(settings.get_profile("readers"))
@given(st.sampled_from(MEASURED), time_phrases())
def test_a_date_or_a_duration_is_never_a_measurement(name: str, phrase: str) -> None:
    parsed = parse_answer(question(name), phrase, as_of=AS_OF)
    taken = parsed.understood and not parsed.dont_know and parsed.value is not None and not parsed.confirm
    assert not taken, (phrase, parsed)


YES_ANSWERS = {
    "cancer_within_5_years": ["yes", "yes I have", "I was treated for lymphoma in 2023", "breast cancer last year"],
    "coronary_heart_disease": ["yes", "yes, 2 stents", "I had a heart attack in 2015"],
    "bone_medicine_any": ["yes", "yes fosamax once a week", "I had Prolia injections"],
    "active_infection": ["yes", "yes, a chest infection, on antibiotics"],
    "dental_issue": ["yes", "an implant is planned for next spring"],
    "secondary_osteoporosis": ["yes", "they found Paget's in my pelvis"],
}
LIMITERS = [", nothing else", ", nothing else though", " - nothing else", ", that's all", ", nothing since",
            ". Nothing else.", ", nothing else wrong with me", ", nothing more to it", " but nothing else"]


@settings(settings.get_profile("readers"))
@given(st.sampled_from(sorted(YES_ANSWERS)).flatmap(lambda n: st.tuples(st.just(n), st.sampled_from(YES_ANSWERS[n]))),
       st.sampled_from(LIMITERS))
def test_trailing_nothing_else_never_changes_a_yes(case: tuple[str, str], limiter: str) -> None:
    name, answer = case
    assert parse_answer(question(name), answer, as_of=AS_OF).value is True, answer
    assert parse_answer(question(name), answer + limiter, as_of=AS_OF).value is True, answer + limiter


@settings(settings.get_profile("readers"))
@given(st.sampled_from([q.name for q in load_questions()]), st.text(max_size=300), st.none() | st.floats(0, 130))
def test_no_text_makes_a_reader_raise(name: str, text: str, age: float | None) -> None:
    parsed = parse_answer(question(name), text, as_of=AS_OF, age=age)
    assert parsed.understood or parsed.value is None


@settings(settings.get_profile("readers"))
@given(st.sampled_from([q.name for q in load_questions()]),
       st.sampled_from(["5000 years ago", "99999999 days ago", "9" * 400, "-" * 50 + "1", "1e308", "0.0000001",
                        "born in 0001", "in 9999", "31/02/2026", "2026-13-45", "minus minus 3"]))
def test_extreme_numbers_are_reasked_not_crashed(name: str, text: str) -> None:
    parsed = parse_answer(question(name), text, as_of=AS_OF, age=62.0)
    assert parsed.understood or parsed.value is None
