"""When something last happened, in Chinese: "2014年", "14年", "去年三月", "前年", "今年年初", "2025年6月1日",
"2025.6.1", "三年前", "两个月前", "上个月", "上周", "半年前", "还在吃" (today), "从来没用过" (never).

As in English (``parsing.py``), an imprecise date is the LATEST day it can mean ("2019年" is 2019-12-31,
"五六年前" is five years ago), never after today; a time that has not come is a future date, re-asked.
"五六年" without "前" (five or six years, or the year '56?) and "3月前" (three months ago, or before
March?) are re-asked as ambiguous.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from bot.eligibility.fields import NEVER
from bot.screening.chinese.text import Number, fold, numbers, to_digits
from bot.screening.reading import AMBIGUOUS, DONT_KNOW, FUTURE, UNREADABLE, Parsed, not_understood
from bot.screening.words import Lexicon

Found = date | str | None
_MONTH = re.compile(r"(?<![个\d.])(\d{1,2})\s*月(?:份)?(?:\s*(\d{1,2})\s*[日号])?")


def read_date(text: str, as_of: date, lex: Lexicon) -> Parsed:
    """A last dose: a date, NEVER, "don't know", or a re-ask (FUTURE for a time that has not come)."""
    clean = fold(text)
    if lex.has(clean, "dont_know"):
        return DONT_KNOW
    found = find_date(clean, as_of, lex)
    if found is None:
        return Parsed(NEVER, evidence=clean) if lex.has(clean, "never") else not_understood()
    if isinstance(found, str):
        return not_understood(found)
    if found > as_of:
        return not_understood(FUTURE)
    return Parsed(found.isoformat(), evidence=clean)


def find_date(clean: str, as_of: date, lex: Lexicon) -> Found:
    """The latest day a folded answer means, UNREADABLE or AMBIGUOUS when it cannot be one, None if it names none."""
    text = to_digits(clean, lex, as_of)
    if lex.has(text, "ongoing"):
        return as_of  # "还在吃": the last dose is today
    for reader in (_numeric, _relative_day, _relative_week, _relative_month, _ago, _in_year, _in_month):
        found = reader(text, as_of, lex)
        if found is not None:
            return found
    return None


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _clamp(day: date, as_of: date, start: date) -> date:
    """The latest day meant, but not after today; a period that has not begun stays in the future."""
    return start if start > as_of else min(day, as_of)


def _numeric(text: str, as_of: date, lex: Lexicon) -> Found:
    """ "2025.6.1", "2025-06-01", "2025/6", "2025-06": a day, or the last day of a month."""
    match = re.search(r"(?<![\d.])(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?![\d.])", text)
    if not match:
        return None
    try:
        year, month = int(match.group(1)), int(match.group(2))
        if match.group(3):
            return date(year, month, int(match.group(3)))
        return _clamp(_end_of_month(year, month), as_of, date(year, month, 1))
    except ValueError:
        return UNREADABLE


def _first(text: str, table: dict[str, str]) -> int | None:
    """The count of the longest word of ``table`` in the text ("前天": 2), if one is there."""
    for word in sorted(table, key=len, reverse=True):
        if word in text:
            return int(table[word])
    return None


def _relative_day(text: str, as_of: date, lex: Lexicon) -> Found:
    days = _first(text, lex.data["relative_days"])
    return None if days is None else as_of - timedelta(days=days)


def _relative_week(text: str, as_of: date, lex: Lexicon) -> Found:
    weeks = _first(text, lex.data["relative_weeks"])
    return None if weeks is None else (as_of if weeks == 0 else as_of - timedelta(weeks=weeks))


def _relative_month(text: str, as_of: date, lex: Lexicon) -> Found:
    """ "上个月" is its last day; "上个月3号" that day; "这个月" today; "下个月" has not come."""
    months = _first(text, lex.data["relative_months"])
    if months is None:
        return None
    if months == 0:
        return as_of
    month = as_of - relativedelta(months=months)
    day = re.search(r"(?<![\d.])(\d{1,2})\s*[日号]", text)
    try:
        if day:
            return date(month.year, month.month, int(day.group(1)))
    except ValueError:
        return UNREADABLE
    return _end_of_month(month.year, month.month) if months > 0 else date(month.year, month.month, 1)


def _ago(text: str, as_of: date, lex: Lexicon) -> Found:
    """ "两个月前", "三年前", "半年前", "一年半前", "五六年前" (five: the latest day): the last such span."""
    if re.search(r"(?<![个\d.])\d{1,2}\s*月(?:以|之)?前", text):
        return AMBIGUOUS  # "3月前": three months ago, or before March?
    spans = [n for n in numbers(text, lex) if n.unit in ("year", "month", "week", "day", "hour") and not n.label]
    ago = [n for n in spans if text[n.end :].lstrip().startswith(tuple(lex.phrases("ago")))]
    if not ago:
        return None
    return _back(ago[-1], as_of)


def _back(number: Number, as_of: date) -> Found:
    value, whole = number.value, int(number.value)
    part = value - whole
    delta = {
        "year": relativedelta(years=whole, months=round(part * 12)),
        "month": relativedelta(months=whole, days=round(part * 30)),
        "week": relativedelta(days=round(value * 7)),
        "day": relativedelta(days=whole),
        "hour": relativedelta(),
    }[str(number.unit)]
    try:
        return as_of - delta
    except (ValueError, OverflowError):
        return UNREADABLE  # "5000年前": before the calendar begins


def _year_of(text: str, as_of: date, lex: Lexicon) -> int | str | None:
    """The year named: "2014年", "2014", "14年" (2014), "去年", "前年"; AMBIGUOUS for "五六年"."""
    relative = _first(text, lex.data["relative_years"])
    if relative is not None:
        return as_of.year - relative
    found = numbers(text, lex)
    years = [int(n.value) for n in found if n.is_year]
    if years:
        past = [y for y in years if y <= as_of.year]
        return max(past) if past else min(years)
    for n in found:
        if n.unit != "year" or n.label or n.sign or n.bound or text[n.end :].lstrip().startswith(("了", "多")):
            continue
        if n.high != n.value:
            return AMBIGUOUS  # "五六年": five or six years, or the year '56?
        spent = text[: n.start].rstrip().endswith(("了", "用", "吃", "打", "共"))  # "吃了12年": how long, not when
        if re.match(r"\d\d年", n.evidence) and not spent:
            two = int(n.value)
            return 2000 + two if two <= as_of.year % 100 else 1900 + two
    return None


def _in_year(text: str, as_of: date, lex: Lexicon) -> Found:
    """A year, with its month, day, part ("年初") or season if named: the latest day it means."""
    year = _year_of(text, as_of, lex)
    if year is None or isinstance(year, str):
        return year
    month = _MONTH.search(text)
    if month:
        number = int(month.group(1))
        if not 1 <= number <= 12:
            return UNREADABLE
        try:
            if month.group(2):
                return date(year, number, int(month.group(2)))
        except ValueError:
            return UNREADABLE
        return _clamp(_end_of_month(year, number), as_of, date(year, number, 1))
    part = _part(text, lex)
    if part is not None:
        first, last = part
        return _clamp(_end_of_month(year, last), as_of, date(year, first, 1))
    season = _season_end(text, lex)
    if season is not None:  # "去年冬天": the winter that began in last December, ending in February
        ends = _end_of_month(year + 1, 2) if season == 2 else _end_of_month(year, season)
        start = date(year, 12, 1) if season == 2 else date(year, max(season - 2, 1), 1)
        return _clamp(ends, as_of, start)
    return _clamp(date(year, 12, 31), as_of, date(year, 1, 1))


def _part(text: str, lex: Lexicon) -> tuple[int, int] | None:
    for word in sorted(lex.data["year_parts"], key=len, reverse=True):
        if word in text:
            first, last = lex.data["year_parts"][word]
            return int(first), int(last)
    return None


def _season_end(text: str, lex: Lexicon) -> int | None:
    return next((int(m) for name, m in lex.data["seasons"].items() if name in text), None)


def _in_month(text: str, as_of: date, lex: Lexicon) -> Found:
    """ "3月", "三月份", "6月1号", "年初", "冬天" without a year: the most recent one that has begun."""
    month = _MONTH.search(text)
    if month:
        number = int(month.group(1))
        if not 1 <= number <= 12:
            return UNREADABLE
        year = as_of.year if number <= as_of.month else as_of.year - 1
        if not month.group(2):
            return min(_end_of_month(year, number), as_of)
        try:
            day = date(year, number, int(month.group(2)))
            return day if day <= as_of else date(year - 1, number, int(month.group(2)))
        except ValueError:
            return UNREADABLE
    part = _part(text, lex)
    if part is not None:
        first, last = part
        year = as_of.year if date(as_of.year, first, 1) <= as_of else as_of.year - 1
        return min(_end_of_month(year, last), as_of)
    season = _season_end(text, lex)
    if season is not None:
        year = as_of.year if season <= as_of.month else as_of.year - 1
        ended = _end_of_month(year, season)
        return ended if ended <= as_of else _end_of_month(year - 1, season)
    return None
