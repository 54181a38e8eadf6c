"""Readers for answers that are numbers: an age, a duration in years, a lab value, a T-score.

Each takes only the numbers whose role fits the question (``numbers.py``): a duration or a date is
never a measurement, an age is never a T-score. When the reading is possible but not sure (a T-score
without its minus, a vitamin D value whose unit decides the criterion, a duration unlikely for the
person's age, an age worked out from a year of birth), it is returned with ``confirm`` set, and the
bot asks before it takes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from bot.screening.numbers import AGE, DURATION, PLAIN, YEAR, Number, numbers, signed
from bot.screening.reading import (
    DONT_KNOW,
    FUTURE,
    IMPLAUSIBLE,
    INFERRED,
    OUT_OF_RANGE,
    POSITIVE,
    SIGN,
    UNIT,
    Parsed,
    not_understood,
)
from bot.screening.words import Lexicon, lexicon, month_in, normalise, words_to_digits

#: People who may join are adults; an age outside this range is a typo or something else.
AGE_RANGE = (18.0, 110.0)
#: A T-score further from zero than this is not a T-score.
T_SCORE_LIMIT = 6.0
#: Menopause before this age, or type 2 diabetes before this age, is possible but rare: confirm.
EARLIEST_MENOPAUSE, EARLIEST_DIABETES = 35.0, 15.0


def _clean(text: str, lex: Lexicon) -> str:
    return words_to_digits(normalise(text), lex)


def unknown(clean: str, lex: Lexicon, *, measure: bool = False) -> Parsed:
    """What a reader that found no value returns: "don't know" (for a ``measure`` also "never
    measured"), else a re-ask. Shared by every language's readers."""
    keys = ("dont_know", "dont_know_measure") if measure else ("dont_know",)
    return DONT_KNOW if any(lex.has(clean, k) for k in keys) else not_understood()


def field_words(name: str, language: str) -> list[str]:
    """The words that name a question's topic ("egfr", "t-score"), from the lexicon's corrections list."""
    for field, words in lexicon(language).data["corrections"]:
        if field == name:
            return [str(w) for w in words]
    return []


def read_age(text: str, as_of: date, language: str = "en") -> Parsed:
    """ "62", "I'm sixty-two", "62 next birthday" (61), "born in 1956" (70, to confirm), "born 3 March 1960"."""
    lex = lexicon(language)
    soon = lex.has(normalise(text), "future_age")  # before "a few weeks" becomes "3 weeks"
    clean = _clean(text, lex)
    found = numbers(clean, lex)
    years = [n for n in found if n.role == YEAR]
    if years and lex.has(clean, "born"):
        return _age_from_birth(clean, years[0], as_of, lex)
    ages = [n for n in found if n.role in (AGE, PLAIN) and not n.sign]
    if ages:
        age = ages[-1] if len(ages) > 1 and lex.has(clean, "so_words") else ages[0]
        value = age.value - 1 if soon else age.value
        if not AGE_RANGE[0] <= value <= AGE_RANGE[1]:
            return not_understood(OUT_OF_RANGE)
        return Parsed(value, evidence=age.evidence)
    if years and len(clean.split()) == 1:
        return _age_from_birth(clean, years[0], as_of, lex)
    return unknown(clean, lex)


def _age_from_birth(clean: str, year: Number, as_of: date, lex: Lexicon) -> Parsed:
    born = int(year.value) if year.value >= 100 else 1900 + int(year.value)
    day = _birthday(clean, born, lex)
    if day is not None:
        age = as_of.year - born - ((as_of.month, as_of.day) < (day.month, day.day))
        in_range = AGE_RANGE[0] <= age <= AGE_RANGE[1]
        return Parsed(float(age), evidence=year.evidence) if in_range else not_understood(OUT_OF_RANGE)
    age = float(as_of.year - born)
    if not AGE_RANGE[0] <= age <= AGE_RANGE[1]:
        return not_understood(OUT_OF_RANGE)
    return Parsed(age, confirm=INFERRED, evidence=year.evidence)


def _birthday(clean: str, born: int, lex: Lexicon) -> date | None:
    """The day of a birth date written out ("3 march 1960", "1960-03-03"), if it is."""
    month = month_in(clean, lex)
    day = re.search(r"(?<![\d.])(\d{1,2})(?:st|nd|rd|th)?(?![\d.])", re.sub(r"\d{4}", " ", clean))
    iso = re.search(rf"{born}[-/.](\d{{1,2}})[-/.](\d{{1,2}})", clean)
    try:
        if iso:
            return date(born, int(iso.group(1)), int(iso.group(2)))
        if month and day:
            return date(born, month, int(day.group(1)))
    except ValueError:
        return None
    return None


def read_t_score(text: str, language: str = "en") -> Parsed:
    """The lowest T-score written: "-2.5", "minus two point five", "hip -1.8, spine -2.6" (-2.6).

    A positive number without a sign is proposed as negative (T-scores for weak bones are below
    zero); a positive one written with its sign is confirmed as written.
    """
    lex = lexicon(language)
    normal = normalise(text)
    if not re.search(r"\d", normal) and not lex.has(normal, "negative_words"):
        return unknown(normal, lex, measure=True)
    clean = words_to_digits(normal, lex)
    scores = [n for n in numbers(clean, lex, field_words("lowest_t_score", language)) if n.role == PLAIN]
    scores = [n for n in scores if n.value <= T_SCORE_LIMIT]
    if not scores:
        return unknown(clean, lex, measure=True)
    lowest = min(scores, key=signed)
    value = signed(lowest)
    if value < 0 or value == 0:
        return Parsed(value, evidence=lowest.evidence)
    if lowest.sign == "+" or lex.has(clean, "positive_words"):
        return Parsed(value, confirm=POSITIVE, evidence=lowest.evidence)
    return Parsed(-value, confirm=SIGN, evidence=lowest.evidence)


def read_lab(text: str, name: str, units: Iterable[tuple[str, float]], language: str = "en") -> Parsed:
    """A lab value ("eGFR 49", "25 ng/mL", "60 nmol/L"), converted from the other unit on reports.

    A number named by the test ("egfr was 41") wins over bare ones; two different bare numbers are
    not guessed between. ``ask_unit_range`` (per field, in the lexicon) lists values whose unit must
    be asked when none is written (vitamin D 20-50: ng/mL or nmol/L decides criterion E8).
    """
    lex = lexicon(language)
    clean = _clean(text, lex)
    candidates = [n for n in numbers(clean, lex, field_words(name, language)) if n.role == PLAIN and not n.sign]
    named = [n for n in candidates if n.named or n.unit]
    chosen = named or candidates
    if not chosen or len({n.value for n in chosen}) > 1:
        return unknown(clean, lex, measure=True) if not chosen else not_understood()
    number = chosen[0]
    factors = dict(units)
    for unit, factor in factors.items():
        if number.unit == unit or (number.unit is None and unit in clean):
            return Parsed(round(number.value * factor, 2), evidence=number.evidence)
    low, high = (lex.data.get("ask_unit_range") or {}).get(name, (None, None))
    if number.unit is None and low is not None and float(low) <= number.value <= float(high):
        return Parsed(number.value, confirm=UNIT, evidence=number.evidence)
    return Parsed(number.value, evidence=number.evidence)


def read_years(text: str, name: str, as_of: date, language: str = "en", age: float | None = None) -> Parsed:
    """A duration in years: "about 12 years", "since 2010", "6 months", "more than 10 years", "at 51"
    or "since I was 50" (age now minus that age), then checked against the person's age."""
    lex = lexicon(language)
    clean = _clean(text, lex)
    found = numbers(clean, lex)
    stated_age = next((n.value for n in found if n.role == AGE and _own_age(clean, n, lex)), None)
    age = stated_age if stated_age is not None else age
    parsed = _duration(clean, [n for n in found if n.value != stated_age], as_of, lex, age)
    return plausible_years(parsed, name, age)


def plausible_years(parsed: Parsed, name: str, age: float | None) -> Parsed:
    """A duration checked against the person's age (in every language): longer than the life so far is out of
    range; begun before the earliest likely age (menopause at 30, type 2 diabetes at 10) is confirmed first."""
    if not parsed.understood or parsed.dont_know or age is None:
        return parsed
    years = float(parsed.value)
    if years > age:
        return not_understood(OUT_OF_RANGE)
    earliest = EARLIEST_MENOPAUSE if name == "years_since_menopause" else EARLIEST_DIABETES
    if age - years < earliest and not parsed.confirm:
        return Parsed(years, confirm=IMPLAUSIBLE, evidence=parsed.evidence)
    return parsed


def _own_age(clean: str, number: Number, lex: Lexicon) -> bool:
    """ "I'm 62 now", "I am 67": the person's age now, inside an answer about something else."""
    before = clean[: number.start].split()[-2:]
    after = clean[number.start + len(number.evidence) :].split()[:1]
    return " ".join(before).endswith(tuple(lex.phrases("own_age_before"))) or after == ["now"]


def _duration(clean: str, found: list[Number], as_of: date, lex: Lexicon, age: float | None) -> Parsed:
    durations = [n for n in found if n.role == DURATION and n.unit in lex.time_units]
    if durations:
        n = durations[-1] if len(durations) > 1 and lex.has(clean, "ago") else durations[0]
        years = {"year": n.value, "month": n.value / 12, "week": n.value / 52, "day": n.value / 365}.get(
            n.unit or "year", n.value / 8760
        )
        return Parsed(round(max(_bounded(years, n.unit, clean, lex), 0.0), 2), evidence=n.evidence)
    years_found = [n for n in found if n.role == YEAR]
    if years_found:
        return _since_year(clean, years_found[0], as_of, lex)
    ages = [n for n in found if n.role == AGE]
    if ages:
        if age is None:
            return not_understood()
        return Parsed(round(age - ages[0].value, 2), evidence=ages[0].evidence)
    plain = [n for n in found if n.role == PLAIN and not n.sign]
    if plain:
        return Parsed(round(_bounded(plain[0].value, "year", clean, lex), 2), evidence=plain[0].evidence)
    return unknown(clean, lex)


def _bounded(years: float, unit: str | None, clean: str, lex: Lexicon) -> float:
    """ "more than 10 years" is not 10: the listing's limits are strict (> 10 years)."""
    if lex.has(clean, "more_than"):
        return years + (0.5 if unit == "year" else 0.01)
    if lex.has(clean, "less_than"):
        return years - (0.5 if unit == "year" else 0.01)
    return years


def _since_year(clean: str, year: Number, as_of: date, lex: Lexicon) -> Parsed:
    start_year = int(year.value)
    if start_year > as_of.year:
        return not_understood(FUTURE)
    month = month_in(clean, lex)
    if month is None:
        return Parsed(float(as_of.year - start_year), evidence=year.evidence)
    months = (as_of.year - start_year) * 12 + as_of.month - month
    if months < 0:
        return not_understood(FUTURE)
    return Parsed(round(months / 12, 2), evidence=year.evidence)
