"""Reading answers written in Chinese (``bot/screening/parsing.py`` calls these for text with Han characters).

Chinese has no spaces and writes numbers in hanzi, so the English readers' word-by-word rules do not
apply; the rules themselves (what is a value, what is confirmed, what is re-asked) are the same. The
words are in ``lexicon/zh.yml``. Latin text in a Chinese conversation ("62", "eGFR 45") is read in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from bot.screening.chinese.dates import read_date
from bot.screening.chinese.measures import read_age, read_lab, read_t_score, read_years
from bot.screening.chinese.text import fold, has_number
from bot.screening.chinese.yes_no import read_sex, read_yes_no
from bot.screening.questions import Question
from bot.screening.reading import Parsed
from bot.screening.words import HAN_LANGUAGE, Lexicon, lexicon

__all__ = ["has_number", "read_date", "read_sex", "read_yes_no", "reader"]

#: "不是62，是63", "不对，应该是-1.5": the answer after the person corrected themselves.
_CORRECTED = re.compile(r"(?:不是|不对|说错了|错了|写错了)[^,，\s]*[,，\s]+(?:而是|应该是|是)?(?P<rest>\S.*)$")


def reader(question: Question, text: str, as_of: date, age: float | None) -> Callable[[], Parsed]:
    """The reader of a Chinese answer to ``question`` (not a yes/no one), as a call to make."""
    lex = lexicon(HAN_LANGUAGE)
    read: dict[str, Callable[[str], Parsed]] = {
        "sex": lambda t: read_sex(t, lex),
        "age": lambda t: read_age(t, as_of, lex),
        "years": lambda t: read_years(t, question.name, as_of, lex, age),
        "number": lambda t: read_lab(t, question.name, question.units, lex, as_of),
        "t_score": lambda t: read_t_score(t, lex, as_of),
        "date": lambda t: read_date(t, as_of, lex),
    }
    kind_reader = read[question.kind]
    return lambda: _focused_first(text, question.name, lex, lambda t: _corrected_first(t, kind_reader))


def _corrected_first(text: str, read: Callable[[str], Parsed]) -> Parsed:
    """The words after a self-correction, when they answer; else the whole answer."""
    match = _CORRECTED.search(text)
    if match:
        parsed = read(match.group("rest"))
        if parsed.understood and not parsed.dont_know:
            return parsed
    return read(text)


def _focused_first(text: str, name: str, lex: Lexicon, read: Callable[[str], Parsed]) -> Parsed:
    """The clauses about the person ("我老伴65，我62": 62) and, among them, those that name the question's subject
    ("高血压20年，糖尿病12年": 12), when they answer (a "don't know" too); else the whole answer."""
    clauses = [c for c in re.split(r"[,，。;；!！?？\n]", text) if c.strip()]
    own = [c for c in clauses if not lex.has(c, "other_people")] or clauses
    subject = [str(w) for w in (lex.data.get("subject_words") or {}).get(name, [])]
    named = [c for c in own if any(w in fold(c) for w in subject)]
    focus = "，".join(named or own)
    if focus != "，".join(clauses):
        parsed = read(focus)
        if parsed.understood:
            return parsed
    return read(text)
