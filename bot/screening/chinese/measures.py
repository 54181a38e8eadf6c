"""Chinese answers that are numbers: an age, a duration in years, a lab value, a T-score.

The rules are the English readers' (``bot/screening/measures.py``), on Chinese words: only numbers whose
unit and neighbours fit the question are taken ("得糖尿病12年，今年62岁" holds a duration and an age; "血肌酐
80，eGFR 45" another test's value and the eGFR); what is possible but not sure is returned to confirm
(a T-score without its minus, vitamin D 20-50 without a unit, an age from a year of birth).

Decisions for Chinese (English does the same where it has the same words):
- "十来年" (about ten years) is 10: 来 means "about", a little under or over; the listing's limit is strict
  (> 10 years), and "about ten" does not show more than ten. "十多年", "十几年" (more than ten) are 10.5,
  as "more than 10 years" is in English.
- "五六年" (five or six years) is 6, as "5 or 6 years" reads 6; "四十五六岁" is 45, as "45 or 46" reads 45.
- "14年" alone, to "how many years?", is 14 years: a year is written "2014年", or "14年查出来的" (found in
  '14), "从14年开始" (since '14), which are read as years.
- "七十出头" (just over seventy), "六十多岁" are 70 and 60: an age is not bounded, as "over 70" is 70.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from bot.screening.chinese.text import Number, fold, numbers, to_digits
from bot.screening.measures import AGE_RANGE, T_SCORE_LIMIT, plausible_years, unknown
from bot.screening.reading import (
    DONT_KNOW,
    FUTURE,
    INFERRED,
    OUT_OF_RANGE,
    POSITIVE,
    SIGN,
    UNIT,
    Parsed,
    not_understood,
)
from bot.screening.words import Lexicon

#: How far before a number a test's name may stand and still name it ("eGFR是45", "维生素D大概 18").
_NAME_REACH = 12
_NOT_MEASURED = ("year", "month", "week", "day", "hour", "age", "count", "dose")


def _prepared(text: str, lex: Lexicon, as_of: date) -> tuple[str, list[Number]]:
    digits = to_digits(fold(text), lex, as_of)
    return digits, [n for n in numbers(digits, lex) if not n.label]


def _two_digit_year(number: Number) -> bool:
    return number.unit == "year" and re.match(r"\d\d年", number.evidence) is not None and not number.sign


def _century(two: int, as_of: date) -> int:
    return 2000 + two if two <= as_of.year % 100 else 1900 + two


def _window(text: str, number: Number) -> str:
    """The words right before a number, back to the previous number or punctuation."""
    before = text[max(0, number.start - _NAME_REACH) : number.start]
    return re.split(r"[\d,，。;；:：、!！?？]", before)[-1]


def _names(window: str, words: Iterable[str]) -> bool:
    return any(w in window for w in words)


def field_words(name: str, lex: Lexicon) -> list[str]:
    return next(([str(w) for w in words] for field, words in lex.data["corrections"] if field == name), [])


def _other_test(text: str, number: Number, lex: Lexicon, own: list[str]) -> bool:
    """ "血肌酐 80", "z值 -2.3": another test's value. The question's own words are taken out first:
    "尿白蛋白肌酐比" holds "肌酐" and is the UACR."""
    window = _window(text, number)
    for word in sorted(own, key=len, reverse=True):
        window = window.replace(word, " ")
    return _names(window, lex.roles["other_tests"])


# --- age ---------------------------------------------------------------------------------------


def read_age(text: str, as_of: date, lex: Lexicon) -> Parsed:
    """ "62", "62岁", "我今年六十二岁", "七十出头" (70), "1962年生的", "62年出生" (64, to confirm), "虚岁65"."""
    digits, found = _prepared(text, lex, as_of)
    if lex.has(digits, "dont_know"):
        return DONT_KNOW
    years = [n for n in found if n.is_year or _two_digit_year(n)]
    if years and lex.has(digits, "born"):
        return _age_from_birth(digits, years[0], as_of)
    plain = [n for n in found if n.unit is None and not n.sign and not n.is_year]
    ages = [n for n in found if n.unit == "age"] or plain
    if ages:
        return _stated_age(digits, ages[0], lex)
    if len(found) == 1 and found[0].is_year and len(re.sub(r"[\s年]", "", digits)) == 4:
        return _age_from_birth(digits, found[0], as_of)  # "1962年" alone: a year of birth
    return unknown(digits, lex)


def _stated_age(digits: str, number: Number, lex: Lexicon) -> Parsed:
    value, confirm = number.value, None
    soon = digits[max(0, number.start - 3) : number.start]
    if number.bound == "less" or _names(soon, lex.phrases("future_age")):
        value -= 1  # "快65了", "明年65": 64 now
    if _names(digits, lex.phrases("nominal_age")):
        value, confirm = value - 1, INFERRED  # "虚岁65": one more than the age in years
    if not AGE_RANGE[0] <= value <= AGE_RANGE[1]:
        return not_understood(OUT_OF_RANGE)
    return Parsed(value, confirm=confirm, evidence=number.evidence)


def _age_from_birth(digits: str, year: Number, as_of: date) -> Parsed:
    born = int(year.value) if year.value >= 100 else _century(int(year.value), as_of)
    day = re.search(rf"{int(year.value)}\s*(?:年|[-/.])\s*(\d{{1,2}})\s*(?:月|[-/.])\s*(\d{{1,2}})", digits)
    if day:
        try:
            birthday = date(born, int(day.group(1)), int(day.group(2)))
        except ValueError:
            return not_understood()
        age = as_of.year - born - ((as_of.month, as_of.day) < (birthday.month, birthday.day))
        in_range = AGE_RANGE[0] <= age <= AGE_RANGE[1]
        return Parsed(float(age), evidence=year.evidence) if in_range else not_understood(OUT_OF_RANGE)
    age = float(as_of.year - born)
    if not AGE_RANGE[0] <= age <= AGE_RANGE[1]:
        return not_understood(OUT_OF_RANGE)
    return Parsed(age, confirm=INFERRED, evidence=year.evidence)


# --- durations in years ---------------------------------------------------------------------------


def read_years(text: str, name: str, as_of: date, lex: Lexicon, age: float | None = None) -> Parsed:
    """ "十二年", "得糖尿病十二年了", "2014年查出来的" (since 2014), "五十岁绝经的" (age now minus 50), "半年",
    "一年半", "十来年", "十多年"; then checked against the person's age, as in English."""
    digits, found = _prepared(text, lex, as_of)
    if lex.has(digits, "dont_know"):
        return DONT_KNOW
    own = [n for n in found if n.unit in ("age", None) and _own_age(digits, n, lex)]
    stated = own[0].value if own else None
    age = stated if stated is not None else age
    parsed = _duration(digits, [n for n in found if n not in own], as_of, lex, age)
    return plausible_years(parsed, name, age)


def _own_age(digits: str, number: Number, lex: Lexicon) -> bool:
    """ "我今年62岁", "我62了": the person's age now, inside an answer about something else."""
    before = digits[max(0, number.start - 3) : number.start]
    return _names(before, lex.phrases("own_age_before")) or digits[number.end :].lstrip().startswith("了")


def _since(digits: str, number: Number, lex: Lexicon) -> bool:
    """ "从14年开始", "14年查出来的": a two-digit year, since when (not "14年", fourteen years)."""
    before = digits[max(0, number.start - 2) : number.start]
    after = digits[number.end : number.end + 4]
    return _names(before, lex.phrases("since_before")) or after.lstrip().startswith(tuple(lex.phrases("since_after")))


def _duration(digits: str, found: list[Number], as_of: date, lex: Lexicon, age: float | None) -> Parsed:
    years_named = [n for n in found if n.is_year or (_two_digit_year(n) and _since(digits, n, lex))]
    durations = [n for n in found if n.unit in lex.time_units and n not in years_named]
    if durations:
        ago = [n for n in durations if digits[n.end :].lstrip().startswith(tuple(lex.phrases("ago")))]
        n = ago[-1] if len(durations) > 1 and ago else durations[0]
        per_year = {"year": 1, "month": 12, "week": 52, "day": 365}.get(str(n.unit), 8760)
        return Parsed(round(max(_bounded(n.high / per_year, n), 0.0), 2), evidence=n.evidence)
    if years_named:
        return _since_year(digits, years_named[0], as_of)
    ages = [n for n in found if n.unit == "age"]
    if ages:
        if age is None:
            return not_understood()
        return Parsed(round(age - ages[0].value, 2), evidence=ages[0].evidence)
    plain = [n for n in found if n.unit is None and not n.sign]
    if plain:
        return Parsed(round(_bounded(plain[0].high, plain[0]), 2), evidence=plain[0].evidence)
    return unknown(digits, lex)


def _bounded(years: float, number: Number) -> float:
    """ "十多年" is not 10: the listing's limits are strict (> 10 years); as ``measures._bounded``."""
    step = 0.5 if number.unit in ("year", None) else 0.01
    return years + step if number.bound == "more" else years - step if number.bound == "less" else years


def _since_year(digits: str, number: Number, as_of: date) -> Parsed:
    start = int(number.value) if number.value >= 100 else _century(int(number.value), as_of)
    if start > as_of.year:
        return not_understood(FUTURE)
    month = re.match(r"\s*(\d{1,2})\s*月", digits[number.end :])
    if month is None or not 1 <= int(month.group(1)) <= 12:
        return Parsed(float(as_of.year - start), evidence=number.evidence)
    months = (as_of.year - start) * 12 + as_of.month - int(month.group(1))
    if months < 0:
        return not_understood(FUTURE)
    return Parsed(round(months / 12, 2), evidence=number.evidence)


# --- lab values and T-scores ------------------------------------------------------------------------


def read_t_score(text: str, lex: Lexicon, as_of: date) -> Parsed:
    """ "T值 -2.6", "负二点六", "腰椎-2.1，股骨颈-2.8" (-2.8); "2.5" is proposed as -2.5 (SIGN), "+0.5" confirmed."""
    digits, found = _prepared(text, lex, as_of)
    own = field_words("lowest_t_score", lex)
    scores = [
        n for n in found
        if n.unit is None and not n.is_year and n.value <= T_SCORE_LIMIT and not _other_test(digits, n, lex, own)
    ]
    if not scores:
        return unknown(digits, lex, measure=True)
    lowest = min(scores, key=lambda n: n.signed)
    value = lowest.signed
    if value <= 0:
        return Parsed(value, evidence=lowest.evidence)
    if lowest.sign == "+" or lex.has(digits, "positive_words"):
        return Parsed(value, confirm=POSITIVE, evidence=lowest.evidence)
    return Parsed(-value, confirm=SIGN, evidence=lowest.evidence)


def read_lab(text: str, name: str, units: Iterable[tuple[str, float]], lex: Lexicon, as_of: date) -> Parsed:
    """ "维生素D 18", "25羟维生素D 50 nmol/L" (converted), "eGFR是45", "尿微量白蛋白肌酐比 4 mg/mmol" (converted).
    A number named by the test, or with a unit, wins over bare ones; two different ones are not guessed between."""
    digits, found = _prepared(text, lex, as_of)
    if lex.has(digits, "dont_know") or lex.has(digits, "dont_know_measure"):
        return DONT_KNOW
    own = field_words(name, lex)
    candidates = [
        n for n in found
        if not n.sign and not n.is_year and n.unit not in _NOT_MEASURED and not _other_test(digits, n, lex, own)
    ]
    named = [n for n in candidates if n.unit or _names(_window(digits, n), own)]
    chosen = named or candidates
    if not chosen or len({n.value for n in chosen}) > 1:
        return unknown(digits, lex, measure=True) if not chosen else not_understood()
    number = chosen[0]
    for unit, factor in dict(units).items():
        if number.unit == unit or (number.unit is None and unit in digits):
            return Parsed(round(number.value * factor, 2), evidence=number.evidence)
    low, high = (lex.data.get("ask_unit_range") or {}).get(name, (None, None))
    if number.unit is None and low is not None and float(low) <= number.value <= float(high):
        return Parsed(number.value, confirm=UNIT, evidence=number.evidence)
    return Parsed(number.value, evidence=number.evidence)
