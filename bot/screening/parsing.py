"""Read a person's free-text answer as the value the eligibility engine expects.

People answer "62", "I'm sixty-two", "about 12 years", "since 2010", "March 2026", "2 years ago",
"not sure". Each reader returns a ``Parsed``: a value, "don't know" (a valid answer: the field
stays unknown), or a problem that earns a polite re-ask.

Imprecise dates are read as the *latest* day they can mean ("March 2026" is 2026-03-31; "in
2019" is 2019-12-31): a washout then never looks over sooner than it really is.

Text is read by the readers of its script: Han text by ``chinese`` (in any conversation), Latin text by
these (in a Chinese conversation with the English words: "62", "eGFR 45", "I don't know"). Full-width
forms ("６２") are folded first.
"""

from __future__ import annotations

import calendar
import difflib
import functools
import re
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from bot.eligibility.fields import NEVER
from bot.screening import chinese, measures, yes_no
from bot.screening.numbers import DURATION, numbers
from bot.screening.questions import Question
from bot.screening.reading import (
    AMBIGUOUS,
    CONFIRM_REASONS,
    DONT_KNOW,
    FUTURE,
    IMPLAUSIBLE,
    INFERRED,
    OUT_OF_RANGE,
    POSITIVE,
    RESUME,
    SIGN,
    UNIT,
    UNREADABLE,
    Parsed,
    not_understood,
)
from bot.screening.words import (
    HAN_LANGUAGE,
    LATIN_LANGUAGE,
    Lexicon,
    contains_any,
    fold_width,
    has_han,
    lexicon,
    month_in,
    normalise,
    reading_language,
    words_to_digits,
)

#: The readers' result type and its constants are re-exported: callers read answers through this module.
__all__ = [
    "AMBIGUOUS", "CONFIRM_REASONS", "DONT_KNOW", "FUTURE", "IMPLAUSIBLE", "INFERRED", "OUT_OF_RANGE", "POSITIVE",
    "RESUME", "SIGN", "UNIT", "UNREADABLE", "Parsed", "lexicon", "normalise", "not_understood",
]


# --- yes / no / sex ------------------------------------------------------------------------


def parse_yes_no(text: str, language: str = "en", intent: str | None = None) -> Parsed:
    """Yes, no or don't know. The words decide; the NLU intent only settles what they leave open
    (a button's "/affirm"), so "no idea" is never read as "no".

    Single words ("yes", "never") decide first. Without them, a negation phrase ("I have not")
    wins over the affirmation it contains ("I have"). Chinese words are read by ``chinese``.
    """
    text = fold_width(text)
    if has_han(text):
        return chinese.read_yes_no(text, "", None, lexicon(HAN_LANGUAGE))
    clean = normalise(text)
    lex = lexicon(reading_language(text, language))
    if lex.has(clean, "dont_know"):
        return DONT_KNOW
    yes, no = lex.has(clean, "yes_words"), lex.has(clean, "no_words")
    if yes and no:
        return not_understood(AMBIGUOUS)
    if yes or no:
        return Parsed(yes)
    if lex.has(clean, "no_phrases"):
        return Parsed(False)
    if lex.has(clean, "yes_phrases"):
        return Parsed(True)
    if not is_payload(text):
        return not_understood()  # words nobody can read are never a yes (or a no), whatever the classifier guessed
    by_intent = {"affirm": Parsed(True), "deny": Parsed(False), "dont_know": DONT_KNOW}.get(intent or "")
    return by_intent or not_understood()


@functools.cache
def fix_opening(language: str = "en") -> re.Pattern[str]:
    """ "no, it was -1.5", "wrong, I said 63", "不对，是-1.5": the words that open a fix of the answer just said
    back. A Chinese conversation takes the English words too (a person may type either); a Chinese word needs
    no word boundary after it ("不对是63")."""
    lex = lexicon(language)
    openings, fillers = lex.phrases("fix_openings"), lex.phrases("fix_fillers")
    if lex.data.get("script") == "han":
        latin = lexicon(LATIN_LANGUAGE)
        openings, fillers = openings + latin.phrases("fix_openings"), fillers + latin.phrases("fix_fillers")
    if not any(has_han(w) for w in openings + fillers):
        words = "|".join(re.escape(w) for w in sorted(openings, key=len, reverse=True))
        return re.compile(rf"^(?:{words})\b[\s,.:-]*(?:(?:{'|'.join(re.escape(w) for w in fillers)})\s+)?")
    words = "|".join(re.escape(w) + ("" if has_han(w) else r"\b") for w in sorted(openings, key=len, reverse=True))
    fill = "|".join(re.escape(w) + (r"\s*" if has_han(w) else r"\s+") for w in sorted(fillers, key=len, reverse=True))
    return re.compile(rf"^(?:{words})[\s,.:-]*(?:{fill})?")


def for_someone_else(text: str, language: str = "en") -> bool:
    """ "I'm asking for my mother, can I answer for her?", "我帮我妈填的": a person answering for someone else."""
    text = fold_width(text)
    return lexicon(reading_language(text, language)).has(normalise(text), "for_someone_else")


def asks_something(text: str, language: str = "en") -> bool:
    """The message is a question ("does fosamax count?", "what is a t-score", "什么是T值", "这个药算吗"), not an
    answer."""
    stripped = fold_width(text).strip()
    if stripped.endswith("?") or stripped.endswith("\uff1f"):
        return True
    if has_han(stripped):
        lex = lexicon(HAN_LANGUAGE)
        bare = stripped.rstrip("。.!！~ ")
        return bare.startswith(tuple(lex.phrases("question_openers"))) or bare.endswith(
            tuple(lex.phrases("question_endings"))
        )
    first = normalise(stripped).split()[:1]
    return bool(first) and first[0] in lexicon(reading_language(stripped, language)).phrases("question_openers")


def is_payload(text: str) -> bool:
    """A button's payload ("/affirm"): the person pressed a button, so its intent is what they chose."""
    return text.strip().startswith("/")


def parse_sex(text: str, language: str = "en") -> Parsed:
    text = fold_width(text)
    if has_han(text):
        return chinese.read_sex(text, lexicon(HAN_LANGUAGE))
    language = reading_language(text, language)
    clean = normalise(text)
    lex = lexicon(language)
    male, female = lex.has(clean, "male"), lex.has(clean, "female")
    if male != female:
        return Parsed("male" if male else "female")
    if lex.has(clean, "dont_know"):
        return DONT_KNOW
    if not male:
        guess = _misspelt(text, language, {"female": "female", "male": "male"})
        if guess is not None:
            return guess
    return not_understood(AMBIGUOUS if male else UNREADABLE)


def _year_in(text: str, as_of: date) -> int | None:
    for match in re.finditer(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", text):
        year = int(match.group(1))
        if 1900 <= year <= as_of.year:
            return year
    return None



# --- dates ---------------------------------------------------------------------------------


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
    text = fold_width(text)
    if has_han(text):
        return chinese.read_date(text, as_of, lexicon(HAN_LANGUAGE))
    clean = normalise(text)
    lex = lexicon(reading_language(text, language))
    if lex.has(clean, "dont_know"):
        return DONT_KNOW
    found = _read_date(clean, as_of, lex)
    if found is None:
        if lex.has(clean, "never") or clean in ("no", "none", "nope"):
            return Parsed(NEVER)
        return not_understood()
    if found in (UNREADABLE, AMBIGUOUS):
        return not_understood(str(found))
    assert isinstance(found, date)
    if found > as_of:
        return not_understood(FUTURE)
    return Parsed(found.isoformat())


def _read_date(clean: str, as_of: date, lex: Lexicon) -> date | str | None:
    exact = _exact_date(clean)
    if exact is not None:
        return exact
    relative = lex.data["relative"]
    if contains_any(clean, relative["today"]):
        return as_of
    if contains_any(clean, relative["yesterday"]):
        return as_of - timedelta(days=1)
    if contains_any(clean, relative["last_week"]):
        return as_of - timedelta(days=7)
    if contains_any(clean, relative["this_month"]):
        return as_of
    if contains_any(clean, relative["last_month"]):
        previous = as_of - relativedelta(months=1)
        return _end_of_month(previous.year, previous.month)
    if contains_any(clean, relative["this_year"]):
        return as_of
    if contains_any(clean, relative["last_year"]):
        return date(as_of.year - 1, 12, 31)
    ago = _ago(clean, lex)
    if ago is not None:
        number, unit = ago
        whole = int(number)
        delta = {
            "year": relativedelta(years=whole, months=round((number - whole) * 12)),
            "month": relativedelta(months=whole),
            "week": relativedelta(weeks=whole),
            "day": relativedelta(days=whole),
        }[unit]
        try:
            return as_of - delta
        except (ValueError, OverflowError):
            return UNREADABLE  # "5000 years ago": before the calendar begins
    year = _year_in(clean, as_of) or _future_year(clean)
    season = _season(clean, as_of, year, lex)
    if season is not None:
        return season
    month = month_in(clean, lex)
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


def _ago(clean: str, lex: Lexicon) -> tuple[float, str] | None:
    """ "7 months ago", "a couple of years back": the amount and unit of the last duration followed by "ago"."""
    spans = [
        n
        for n in numbers(words_to_digits(clean, lex), lex)
        if n.role == DURATION and n.unit in ("year", "month", "week", "day")
    ]
    converted = words_to_digits(clean, lex)
    for n in reversed(spans):  # "12 injections altogether, the last one 7 months ago"
        after = converted[n.start + len(n.evidence) :].split()
        if len(after) > 1 and after[1] in lex.phrases("ago"):
            return n.value, str(n.unit)
    return None


def _season(clean: str, as_of: date, year: int | None, lex: Lexicon) -> date | None:
    """ "summer 2022" is its last day (2022-08-31); "last spring" the most recent spring that has ended."""
    words = clean.split()
    for name, end_month in lex.data.get("seasons", {}).items():
        if name not in words:
            continue
        end_month = int(end_month)
        if year is None:
            year = as_of.year if end_month <= as_of.month else as_of.year - 1
            ended = _end_of_month(year, end_month)
            return ended if ended <= as_of else _end_of_month(year - 1, end_month)
        return _clamp(_end_of_month(year + (end_month < 3 and False), end_month), as_of, date(year, 1, 1))
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
    ``age`` lets "since I was 50" become a number of years.

    The readers of the text's script read it (``reading_language``). Han text that the Chinese readers
    cannot read, and in which they find no number, is tried with the English ones ("我 don't know"); a
    number the Chinese readers would not take ("肌酐清除率 50" to the eGFR question) is never offered to them.
    """
    text = fold_width(text)
    reading = reading_language(text, language)
    parsed = _parse_in(question, text, as_of, reading, intent, age)
    unread = parsed.problem == UNREADABLE
    if reading == HAN_LANGUAGE and unread and not chinese.has_number(text, lexicon(reading), as_of):
        other = _parse_in(question, text, as_of, LATIN_LANGUAGE, intent, age)
        if other.understood:
            return other
    return parsed


def _parse_in(
    question: Question, text: str, as_of: date, language: str, intent: str | None, age: float | None
) -> Parsed:
    """``parse_answer`` with the readers of one language."""
    kind = question.kind
    han = language == HAN_LANGUAGE
    going_on = not is_payload(text) and lexicon(language).has(normalise(text), "resume_words")
    if going_on and kind in ("yes_no", "sex", "date"):
        return not_understood(RESUME)  # "ok, it's gone, let's continue" is not a yes
    if kind == "yes_no":
        if is_payload(text):
            return parse_yes_no(text, language, intent)
        if han:
            parsed = chinese.read_yes_no(text, question.name, as_of, lexicon(language), age)
        else:
            parsed = yes_no.read_yes_no(text, question.name, as_of, _read_date, language, age)
            if parsed.problem == UNREADABLE:
                parsed = _misspelt(text, language, {"yes_words": True, "no_words": False}) or parsed
        return _with_gate_date(question, text, parsed, as_of, language)
    readers = {
        "sex": lambda: parse_sex(text, language),
        "age": lambda: measures.read_age(text, as_of, language),
        "years": lambda: measures.read_years(text, question.name, as_of, language, age),
        "number": lambda: measures.read_lab(text, question.name, question.units, language),
        "t_score": lambda: measures.read_t_score(text, language),
        "date": lambda: parse_date(text, as_of, language),
    }
    parsed = chinese.reader(question, text, as_of, age)() if han else readers[kind]()
    if parsed.understood:
        return parsed
    if going_on:
        return not_understood(RESUME)
    if intent == "dont_know":
        return DONT_KNOW
    if kind in ("number", "t_score") and (intent == "deny" or parse_yes_no(text, language).value is False):
        return DONT_KNOW  # "Do you know your eGFR?" - "no"
    if kind == "date" and intent == "deny":
        return Parsed(NEVER)
    return parsed


def _with_gate_date(question: Question, text: str, parsed: Parsed, as_of: date, language: str) -> Parsed:
    """ "yes, the last one in March 2024" to a gate with one date behind it: that date too (``also``)."""
    if not question.is_gate or len(question.opens) != 1 or parsed.value is not True:
        return parsed
    when = parse_date(text, as_of, language)
    if not when.understood or when.dont_know or when.value in (None, NEVER):
        return parsed
    return Parsed(True, evidence=parsed.evidence, also={question.opens[0]: when.value})


def _misspelt(text: str, language: str, choices: dict[str, Any]) -> Parsed | None:
    """A one-word answer one typo away from a known word ("yse", "womna", "noo"): proposed, to confirm."""
    words = normalise(text).split()
    if len(words) != 1 or len(words[0]) < 3:
        return None
    word, lex = words[0], lexicon(language)
    squeezed = re.sub(r"(\w)\1+", r"\1", word)  # "noo", "yesss"
    for key, value in choices.items():
        known = [str(w) for w in lex.data[key] if " " not in str(w)]
        if squeezed in known:
            return Parsed(value, confirm=INFERRED, evidence=word)
        same_start = [w for w in known if len(w) >= 3 and w[0] == word[0]]
        if difflib.get_close_matches(word, same_start, n=1, cutoff=0.7):
            return Parsed(value, confirm=INFERRED, evidence=word)
    return None


def format_date(day: date, language: str = "en") -> str:
    """A date as people read it ("28 February 2027"), in their language."""
    lex = lexicon(language)
    month = lex.data["months"][day.month - 1].capitalize()
    return lex.data["date_format"].format(day=day.day, month=month, year=day.year)
