"""Whether a Chinese yes/no answer fits the time, length and dose its question names (``answer_windows.yml``).

"2015年得过乳腺癌" is a no to "cancer in the last 5 years?"; "吃了一周泼尼松" is a no to "steroids for more than
10 days?"; "每天5毫克" is not above 5 mg; "膝盖打了封闭针" is no steroid medicine for the whole body. The rules
are the English ones (``yes_no._inside_window``), on Chinese words.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.screening.chinese.dates import find_date
from bot.screening.chinese.text import numbers, to_digits
from bot.screening.words import Lexicon
from bot.screening.yes_no import PER_UNIT_DAYS, window_verdict


def inside_window(clean: str, limits: dict[str, float], as_of: date, lex: Lexicon, age: float | None) -> bool | None:
    """True or False when the answer names a time, length or dose (None: it names none)."""
    digits = to_digits(clean, lex, as_of)
    dose = re.search(r"(\d+(?:\.\d+)?)\s*(?:mg|毫克)", digits)
    return window_verdict(
        limits,
        as_of,
        local_route=lex.has(digits, "local_routes"),
        dose_mg=float(dose.group(1)) if dose else None,
        ongoing=lex.has(digits, "ongoing"),
        length_days=_length_days(digits, lex),
        last=lambda: _latest_date(clean, digits, as_of, lex, age),
    )


def _length_days(digits: str, lex: Lexicon) -> float | None:
    """How long the use lasted: "吃了3周", "用了10天"; or since "3天前开始" (it cannot have lasted longer)."""
    for number in numbers(digits, lex):
        if number.unit not in PER_UNIT_DAYS or number.is_year or number.label:
            continue
        after = digits[number.end :].lstrip()
        if not after.startswith(tuple(lex.phrases("ago"))) or lex.has(after, "started"):
            return number.high * PER_UNIT_DAYS[str(number.unit)]
    return None


def _latest_date(clean: str, digits: str, as_of: date, lex: Lexicon, age: float | None) -> date | None:
    """The latest time the answer names: a date, "两年前", "去年冬天", or "五十岁的时候"."""
    found: list[date] = []
    for clause in re.split(r"[,，;；。、和]", clean):
        day = find_date(clause, as_of, lex)
        if isinstance(day, date) and day <= as_of:
            found.append(day)
    if age is not None:
        for number in numbers(digits, lex):
            if number.unit == "age" and number.value <= age:
                found.append(as_of - timedelta(days=365.25 * (age - number.value)))
    return max(found) if found else None
