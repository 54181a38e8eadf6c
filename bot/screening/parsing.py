"""Read a person's free-text answer as the value the eligibility engine expects.

People answer "62", "I'm sixty-two", "about 12 years", "since 2010", "March 2026", "2 years ago",
"not sure". Each reader returns a ``Parsed``: a value, "don't know" (a valid answer: the field
stays unknown), or a problem that earns a polite re-ask.

Imprecise dates are read as the *latest* day they can mean ("March 2026" is 2026-03-31; "in
2019" is 2019-12-31): a washout then never looks over sooner than it really is.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from dateutil.relativedelta import relativedelta

from bot.eligibility.fields import NEVER
from bot.screening.questions import Question

LEXICON_DIR = Path(__file__).with_name("lexicon")
UNREADABLE, FUTURE, AMBIGUOUS = "unreadable", "future", "ambiguous"


@dataclass(frozen=True)
class Parsed:
    value: Any = None
    dont_know: bool = False
    #: Why the answer could not be used (UNREADABLE, FUTURE, AMBIGUOUS), if it could not.
    problem: str | None = None

    @property
    def understood(self) -> bool:
        return self.problem is None


DONT_KNOW = Parsed(dont_know=True)


def _not_understood(problem: str = UNREADABLE) -> Parsed:
    return Parsed(problem=problem)


def normalise(text: str) -> str:
    """Lower case; unicode minus and dashes to "-"; "1,000" to 1000 and "-2,5" to -2.5; "+" after a
    number to "more than"; other punctuation except - . / ' ? to spaces."""
    text = text.lower().replace("\u2212", "-").replace("\u2013", "-").replace("\u2019", "'")
    text = re.sub(r"(\d),(\d{3})(?!\d)", r"\1\2", text)
    text = re.sub(r"(\d),(\d)", r"\1.\2", text)
    text = re.sub(r"(\d)\s*\+", r"\1 more than", text)
    text = re.sub(r"[^\w\s\-./'?]", " ", text)
    return " ".join(text.split())


class Lexicon:
    """One language's words, compiled into matchers."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.numbers: dict[str, float] = {str(k): float(v) for k, v in data["numbers"].items()}
        self.multipliers: dict[str, float] = {str(k): float(v) for k, v in data["multipliers"].items()}
        self.unit_words = {str(w) for words in data["units"].values() for w in words}
        months = data["months"]
        self.months = {name: i + 1 for i, name in enumerate(months)}
        self.months.update({name: i + 1 for i, name in enumerate(data.get("month_abbreviations", []))})

    def phrases(self, key: str) -> list[str]:
        return list(self.data[key])

    def has(self, text: str, key: str) -> bool:
        return _contains_any(text, self.data[key])

    def unit(self, text: str) -> str | None:
        for unit, words in self.data["units"].items():
            if _contains_any(text, words, whole_single=False):
                return unit
        return None


def _without(text: str, phrases: Iterable[str]) -> str:
    for phrase in sorted(phrases, key=len, reverse=True):
        if len(phrase) > 1:
            text = re.sub(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", " ", text)
    return " ".join(text.split())


def _contains_any(text: str, phrases: Iterable[str], *, whole_single: bool = True) -> bool:
    for phrase in phrases:
        phrase = str(phrase)
        if len(phrase) == 1 and whole_single:
            if text == phrase:
                return True
        elif re.search(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", text):
            return True
    return False


@functools.cache
def lexicon(language: str = "en") -> Lexicon:
    path = LEXICON_DIR / f"{language}.yml"
    if not path.is_file():
        path = LEXICON_DIR / "en.yml"
    # BaseLoader keeps every word a string: YAML 1.1 would read yes/no/y/n as booleans.
    return Lexicon(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader))


# --- numbers -------------------------------------------------------------------------------

# A minus sign may stand apart from its number ("- 2.5"), but only where a number starts.
_NUMBER = re.compile(r"(?<![\w.])(-\s?)?(\d+(?:\.\d+)?)(?![\d])")


def _word_number(text: str, lex: Lexicon) -> float | None:
    """The first number written in words: "sixty-two", "a hundred", "two decades", "two point five".

    "a"/"an" count as one only before a unit ("a year ago"); "and a half" is handled by the caller.
    """
    tokens = re.split(r"[\s-]+", text)
    total: float | None = None
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in ("a", "an"):
            if total is None and following in lex.unit_words:
                return 1.0
            continue
        if token == "point" and total is not None:
            digits = _takewhile_digits([lex.numbers.get(t) for t in tokens[i + 1 :]])
            return total + float("0." + "".join(str(int(d)) for d in digits)) if digits else total
        if token in lex.multipliers:
            total = (total or 1) * lex.multipliers[token]
            continue
        value = lex.numbers.get(token)
        if value is None or (value < 1 and total is not None):
            if total is not None and token != "and":
                break
            continue
        total = value if total is None else total + value
    return total


def _takewhile_digits(values: list[float | None]) -> list[float]:
    out = []
    for value in values:
        if value is None or value >= 10 or value != int(value):
            break
        out.append(value)
    return out


def find_number(text: str, language: str = "en", *, negative_words: bool = False) -> float | None:
    """The first number in the text, in digits or words; "minus 2.5" only where asked for."""
    lex = lexicon(language)
    match = _NUMBER.search(text)
    if match:
        value = float(match.group(2))
        before = text[: match.start()].split()
        if match.group(1) or (negative_words and before and before[-1] in lex.phrases("negative_words")):
            value = -value
    else:
        word_value = _word_number(text, lex)
        if word_value is None:
            return None
        value = -word_value if negative_words and lex.has(text, "negative_words") else word_value
    if re.search(r"\band a half\b", text):
        value += 0.5 if value >= 0 else -0.5
    return value


# --- yes / no / sex ------------------------------------------------------------------------


def parse_yes_no(text: str, language: str = "en", intent: str | None = None) -> Parsed:
    """Yes, no or don't know. The words decide; the NLU intent only settles what they leave open
    (a button's "/affirm"), so "no idea" is never read as "no".

    Single words ("yes", "never") decide first. Without them, a negation phrase ("I have not")
    wins over the affirmation it contains ("I have").
    """
    clean = normalise(text)
    lex = lexicon(language)
    if lex.has(clean, "dont_know"):
        return DONT_KNOW
    yes, no = lex.has(clean, "yes_words"), lex.has(clean, "no_words")
    if yes and no:
        return _not_understood(AMBIGUOUS)
    if yes or no:
        return Parsed(yes)
    if lex.has(clean, "no_phrases"):
        return Parsed(False)
    if lex.has(clean, "yes_phrases"):
        return Parsed(True)
    by_intent = {"affirm": Parsed(True), "deny": Parsed(False), "dont_know": DONT_KNOW}.get(intent or "")
    return by_intent or _not_understood()


def parse_sex(text: str, language: str = "en") -> Parsed:
    clean = normalise(text)
    lex = lexicon(language)
    male, female = lex.has(clean, "male"), lex.has(clean, "female")
    if male != female:
        return Parsed("male" if male else "female")
    if lex.has(clean, "dont_know"):
        return DONT_KNOW
    return _not_understood(AMBIGUOUS if male else UNREADABLE)


# --- ages, durations and lab numbers --------------------------------------------------------


def parse_age(text: str, language: str = "en") -> Parsed:
    clean = normalise(text)
    number = find_number(clean, language)
    if number is None:
        return DONT_KNOW if lexicon(language).has(clean, "dont_know") else _not_understood()
    return Parsed(number)


def _year_in(text: str, as_of: date) -> int | None:
    for match in re.finditer(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", text):
        year = int(match.group(1))
        if 1900 <= year <= as_of.year:
            return year
    return None


def parse_years(text: str, as_of: date, language: str = "en", age: float | None = None) -> Parsed:
    """A duration in years: "about 12 years", "since 2010", "6 months", "more than 10 years",
    "since I was 50" (needs the person's ``age``)."""
    clean = normalise(text)
    lex = lexicon(language)
    if lex.has(clean, "since_age"):
        started = find_number(_without(clean, lex.phrases("since_age")), language)
        if age is None or started is None or started > age:
            return _not_understood()
        return Parsed(round(age - started, 2))
    future = _future_year(clean)
    if future is not None and future > as_of.year:
        return _not_understood(FUTURE)
    year = _year_in(clean, as_of)
    if year is not None:
        month = _month_in(clean, lex)
        start = date(year, month or 1, 1)
        if start > as_of:
            return _not_understood(FUTURE)
        months = (as_of.year - start.year) * 12 + as_of.month - start.month
        return Parsed(round(months / 12, 2) if month else float(as_of.year - year))
    number = find_number(clean, language)
    if number is None:
        return DONT_KNOW if lex.has(clean, "dont_know") else _not_understood()
    unit = lex.unit(clean) or "year"
    years = {"year": number, "month": number / 12, "week": number / 52, "day": number / 365}[unit]
    if lex.has(clean, "more_than"):
        years += 0.5 if unit == "year" else 0.01
    elif lex.has(clean, "less_than"):
        years -= 0.5 if unit == "year" else 0.01
    return Parsed(round(max(years, 0.0), 2))


def parse_number(text: str, language: str = "en", units: Iterable[tuple[str, float]] = ()) -> Parsed:
    """A number from a test report, converted when the person gives another unit (e.g. nmol/L)."""
    clean = normalise(text)
    number = find_number(clean, language)
    if number is None:
        return DONT_KNOW if lexicon(language).has(clean, "dont_know") else _not_understood()
    for unit, factor in units:
        if unit in clean:
            number = round(number * factor, 2)
            break
    return Parsed(number)


def parse_t_score(text: str, language: str = "en") -> Parsed:
    """A T-score is read only from digits or a signed number in words ("minus two point five"):
    "the femoral neck one" is not +1."""
    clean = normalise(text)
    lex = lexicon(language)
    if not re.search(r"\d", clean) and not lex.has(clean, "negative_words"):
        return DONT_KNOW if lex.has(clean, "dont_know") else _not_understood()
    number = find_number(clean, language, negative_words=True)
    if number is None:
        return DONT_KNOW if lexicon(language).has(clean, "dont_know") else _not_understood()
    return Parsed(number)


# --- dates ---------------------------------------------------------------------------------


def _month_in(text: str, lex: Lexicon) -> int | None:
    for word in text.replace(".", " ").split():
        if word in lex.months:
            return lex.months[word]
    return None


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _exact_date(text: str) -> date | None | str:
    """2026-03-15, 2026/3/15, and 15/03/2026 when the day cannot be the month (else AMBIGUOUS)."""
    try:
        if match := re.search(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)", text):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match := re.search(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)", text):
            first, second, year = (int(g) for g in match.groups())
            if first > 12 >= second:
                return date(year, second, first)
            if second > 12 >= first:
                return date(year, first, second)
            return AMBIGUOUS
    except ValueError:
        return UNREADABLE
    return None


def parse_date(text: str, as_of: date, language: str = "en") -> Parsed:
    """When something last happened: a date, "never", or "don't know"."""
    clean = normalise(text)
    lex = lexicon(language)
    if lex.has(clean, "dont_know"):
        return DONT_KNOW
    found = _read_date(clean, as_of, lex)
    if found is None:
        if lex.has(clean, "never") or clean in ("no", "none", "nope"):
            return Parsed(NEVER)
        return _not_understood()
    if found in (UNREADABLE, AMBIGUOUS):
        return _not_understood(str(found))
    assert isinstance(found, date)
    if found > as_of:
        return _not_understood(FUTURE)
    return Parsed(found.isoformat())


def _read_date(clean: str, as_of: date, lex: Lexicon) -> date | str | None:
    exact = _exact_date(clean)
    if exact is not None:
        return exact
    relative = lex.data["relative"]
    if _contains_any(clean, relative["today"]):
        return as_of
    if _contains_any(clean, relative["yesterday"]):
        return as_of - timedelta(days=1)
    if _contains_any(clean, relative["last_week"]):
        return as_of - timedelta(days=7)
    if _contains_any(clean, relative["this_month"]):
        return as_of
    if _contains_any(clean, relative["last_month"]):
        previous = as_of - relativedelta(months=1)
        return _end_of_month(previous.year, previous.month)
    if _contains_any(clean, relative["this_year"]):
        return as_of
    if _contains_any(clean, relative["last_year"]):
        return date(as_of.year - 1, 12, 31)
    if lex.has(clean, "ago"):
        number = find_number(clean, "en") if not any(w in lex.numbers for w in clean.split()) else None
        number = number if number is not None else _word_number(clean, lex)
        unit = lex.unit(clean)
        if number is None or unit is None:
            return UNREADABLE
        whole = int(number)
        delta = {
            "year": relativedelta(years=whole, months=round((number - whole) * 12)),
            "month": relativedelta(months=whole),
            "week": relativedelta(weeks=whole),
            "day": relativedelta(days=whole),
        }[unit]
        return as_of - delta
    year = _year_in(clean, as_of) or _future_year(clean)
    month = _month_in(clean, lex)
    day_match = re.search(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?(?!\d)", re.sub(r"\d{4}", " ", clean))
    if month and year:
        if day_match:
            try:
                return date(year, month, int(day_match.group(1)))
            except ValueError:
                return UNREADABLE
        return _clamp(_end_of_month(year, month), as_of, date(year, month, 1))
    if month:  # "in March": the most recent March that has begun
        year = as_of.year if month <= as_of.month else as_of.year - 1
        return min(_end_of_month(year, month), as_of)
    if year:
        return _clamp(date(year, 12, 31), as_of, date(year, 1, 1))
    return None


def _future_year(text: str) -> int | None:
    match = re.search(r"(?<!\d)(20\d\d)(?!\d)", text)
    return int(match.group(1)) if match else None


def _clamp(day: date, as_of: date, start: date) -> date:
    """The latest day meant, but not after today; a period that has not begun stays in the future."""
    return start if start > as_of else min(day, as_of)


def parse_answer(
    question: Question,
    text: str,
    *,
    as_of: date,
    language: str = "en",
    intent: str | None = None,
    age: float | None = None,
) -> Parsed:
    """Read ``text`` as the answer to ``question``; ``intent`` (the NLU's reading) only fills gaps;
    ``age`` lets "since I was 50" become a number of years."""
    kind = question.kind
    if kind == "yes_no":
        return parse_yes_no(text, language, intent)
    readers = {
        "sex": lambda: parse_sex(text, language),
        "age": lambda: parse_age(text, language),
        "years": lambda: parse_years(text, as_of, language, age),
        "number": lambda: parse_number(text, language, question.units),
        "t_score": lambda: parse_t_score(text, language),
        "date": lambda: parse_date(text, as_of, language),
    }
    parsed = readers[kind]()
    if parsed.understood:
        return parsed
    if intent == "dont_know":
        return DONT_KNOW
    if kind in ("number", "t_score") and (intent == "deny" or parse_yes_no(text, language).value is False):
        return DONT_KNOW  # "Do you know your eGFR?" - "no"
    if kind == "date" and intent == "deny":
        return Parsed(NEVER)
    return parsed


def format_date(day: date, language: str = "en") -> str:
    """A date as people read it ("28 February 2027"), in their language."""
    lex = lexicon(language)
    month = lex.data["months"][day.month - 1].capitalize()
    return lex.data["date_format"].format(day=day.day, month=month, year=day.year)
