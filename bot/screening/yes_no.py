"""Reading a yes/no answer written as a sentence, with the scope of its negations and its time words.

"I was treated for lymphoma in 2023, nothing else though" is a yes to "cancer in the last 5 years?":
the answer names the topic, and "nothing else" limits what follows, it does not deny what came
before. "no problems except the implant next spring" is a yes: what follows "except" names the
topic. "a 3-week course of steroid tablets, finished in August" is a no to "in the last 6 weeks?":
the time it names falls outside the question's window (``answer_windows.yml``).

A clause is a stretch between commas or contrast words ("but", "except", "apart from"). Limiter
clauses ("nothing else") are dropped; then the first clause that says yes or no, or names the topic,
decides, unless a later contrast clause names the topic after a no.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from bot.screening.numbers import AGE, DURATION, numbers
from bot.screening.reading import AMBIGUOUS, DONT_KNOW, INFERRED, Parsed, not_understood
from bot.screening.words import Lexicon, lexicon, normalise, words_to_digits

WINDOWS_FILE = Path(__file__).with_name("answer_windows.yml")
DateReader = Callable[[str, date, Lexicon], Any]


@functools.cache
def windows() -> dict[str, dict[str, float]]:
    return yaml.safe_load(WINDOWS_FILE.read_text(encoding="utf-8"))


def topic_words(name: str, language: str) -> list[str]:
    """Words that name a question's topic ("lymphoma", "prolia"): not the question's own subject words
    ("calcium", "liver", "allergic"), which an answer names whether it says yes or no."""
    return [str(w) for w in (lexicon(language).data.get("topics") or {}).get(name, [])]


def _clauses(text: str, lex: Lexicon) -> list[tuple[str, bool]]:
    """The answer cut at punctuation and contrast words (before punctuation is cleaned away), each clause
    normalised, with whether a contrast word opened it."""
    contrast = sorted(lex.phrases("contrast_words"), key=len, reverse=True)
    words = "|".join(re.escape(w) for w in contrast)
    pattern = r"\s*(?:[,;:!\u3001\uff0c]|\.(?=\s|$)|\s[-\u2013\u2014]\s|\b(" + words + r")\b)\s*"
    pieces: list[tuple[str, bool]] = []
    opened = False
    for i, part in enumerate(re.split(pattern, text.lower())):
        if i % 2:  # a captured contrast word (or None for punctuation)
            opened = opened or bool(part)
            continue
        clean = words_to_digits(normalise(part or ""), lex)
        if clean:
            pieces.append((clean, opened))
            opened = False
    return pieces


def _polarity(clause: str, lex: Lexicon) -> bool | str | None:
    if lex.has(clause, "yes_idioms"):
        return True  # "I wouldn't say no"
    yes, no = lex.has(clause, "yes_words"), lex.has(clause, "no_words")
    if yes and no:
        return AMBIGUOUS
    if yes or no:
        return yes
    if lex.has(clause, "no_phrases"):
        return False
    if lex.has(clause, "yes_phrases"):
        return True
    return None


def _only_not(clause: str, lex: Lexicon) -> bool:
    """The clause denies only by a bare "not" before a word, with no no-word or fuller no-phrase."""
    rest = [p for p in lex.phrases("no_phrases") if p != "not"]
    if not clause.startswith("not ") or lex.has(clause, "no_words") or lex.has(clause[4:], "no_phrases"):
        return False
    return not any(re.search(rf"(?<![\w']){re.escape(p)}(?![\w'])", clause) for p in rest)


def _names_topic(clause: str, words: list[str], lex: Lexicon) -> bool | None:
    """True when the clause names the topic, False when it names it denied ("not cushing's"), else None."""
    for word in words:
        match = re.search(rf"(?<![\w']){re.escape(word)}", clause)
        if match:
            before = clause[: match.start()].split()[-3:]
            return not any(w in lex.phrases("negators") for w in before)
    return None


def _about_something_else(clause: str, name: str, language: str, lex: Lexicon) -> bool:
    """ "my husband had a stroke"; "I had Prolia" to the question about a drip: not this question's topic."""
    if lex.has(clause, "other_people"):
        return True
    for family in lex.data.get("families") or []:
        if name in family:
            others = [w for other in family if other != name for w in topic_words(other, language)]
            mine = topic_words(name, language)
            return _names_topic(clause, others, lex) is True and _names_topic(clause, mine, lex) is None
    return False


def _main_answer(text: str, name: str, language: str, lex: Lexicon) -> bool | str | None:
    words = topic_words(name, language)
    clauses = [
        (c, opened)
        for c, opened in _clauses(text, lex)
        if not lex.has(c, "limiters") and not _about_something_else(c, name, language, lex)
    ]
    answer: bool | str | None = None
    weak = False  # the no came from a bare "not" before something else ("not type 1")
    for clause, opened in clauses:
        said = _polarity(clause, lex)
        named = _names_topic(clause, words, lex)
        if said == AMBIGUOUS or (isinstance(said, bool) and isinstance(answer, bool) and said != answer and not opened):
            return AMBIGUOUS  # "yes, no": two answers
        if answer is None:
            answer = named if said is None else said
            if said is False and named is True and not opened:
                return AMBIGUOUS  # "no, I had cancer": a no and a yes in one breath
        elif answer is False and named is True and (opened or weak):
            return True  # "no problems except the implant", "no bisphosphonates, but Prolia", "not type 1, type 2"
        weak = weak if answer is not None and said is None else _only_not(clause, lex)
    return answer


def read_yes_no(
    text: str,
    name: str,
    as_of: date,
    read_date: DateReader,
    language: str = "en",
    age: float | None = None,
) -> Parsed:
    """A yes/no answer in words: True, False, "don't know", or a re-ask (unreadable words are never a yes)."""
    lex = lexicon(language)
    clean = words_to_digits(normalise(text), lex)
    if lex.has(clean, "dont_know") or lex.has(clean, "dont_know_yes_no"):
        return DONT_KNOW
    text = _after_self_correction(text, lex)
    clean = words_to_digits(normalise(text), lex)
    answer = _main_answer(text, name, language, lex)
    denials = (lex.data.get("topic_denials") or {}).get(name, [])
    if answer is True and any(re.search(rf"\b{re.escape(str(w))}\b", clean) for w in denials):
        answer = False  # "broke my hip coming off a ladder": not from a small fall
    if answer == AMBIGUOUS:
        return not_understood(AMBIGUOUS)
    if name in windows() and answer is not False:
        inside = _inside_window(clean, windows()[name], as_of, read_date, lex, age)
        if inside is not None and (answer is True or inside is True):
            return Parsed(inside, evidence=clean)
    if answer is None:
        return not_understood()
    if answer is True and _yes_about_something_else(clean, name, language, lex):
        return Parsed(True, confirm=INFERRED, evidence=clean)
    return Parsed(bool(answer), evidence=clean)


def _yes_about_something_else(clean: str, name: str, language: str, lex: Lexicon) -> bool:
    """ "I had a chest infection last month" to "another illness that weakens your bones?": a yes only by
    its "I had", about something the question may not mean. Asked about, never taken."""
    if lex.has(clean, "yes_words") or lex.has(clean, "yes_idioms"):
        return False
    if any(_names_topic(clean, [word], lex) is True for word in topic_words(name, language)):
        return False
    rest = clean
    for phrase in sorted(lex.phrases("yes_phrases"), key=len, reverse=True):
        rest = re.sub(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", " ", rest)
    fillers = set(lex.phrases("filler_words")) | set(lex.months)
    return any(len(w) > 2 and w not in fillers and not w[0].isdigit() for w in re.findall(r"[\w']+", rest))


def _after_self_correction(text: str, lex: Lexicon) -> str:
    """ "yes - sorry, misread that, no": the words after the person corrected themselves."""
    lowered = text.lower()
    for word in sorted(lex.phrases("self_corrections"), key=len, reverse=True):
        match = re.search(rf"\b{re.escape(word)}\b", lowered)
        if match and match.start() > 0:
            rest = text[match.end() :]
            if _polarity(normalise(rest), lex) in (True, False):
                return rest
    return text


#: Days in each unit of a length of use ("for 3 weeks").
PER_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def window_verdict(
    limits: dict[str, float],
    as_of: date,
    *,
    local_route: bool,
    dose_mg: float | None,
    ongoing: bool,
    length_days: float | None,
    last: Callable[[], date | None],
) -> bool | None:
    """Whether what an answer says of a use fits the question's limits (None: it names no time, length
    or dose). Every language's reader finds the facts in its own words; this rule is the same for all."""
    if local_route and "dose_above_mg" in limits:
        return False  # a steroid injection in a knee, an inhaler, a cream: not steroid medicine for the body
    if dose_mg is not None and "dose_above_mg" in limits and dose_mg <= limits["dose_above_mg"]:
        return False
    if length_days is not None and "longer_than_days" in limits and length_days <= limits["longer_than_days"]:
        return False
    when = as_of if ongoing else last()
    if when is None:
        return True if ongoing or length_days is not None else None
    return (as_of - when).days <= limits["within_days"]


def _inside_window(
    clean: str, limits: dict[str, float], as_of: date, read_date: DateReader, lex: Lexicon, age: float | None
) -> bool | None:
    """Whether the time, length and dose the answer names fit the question's limits (None: it names none)."""
    dose = re.search(r"(\d+(?:\.\d+)?) ?(?:mg|milligrams)\b", clean)
    return window_verdict(
        limits,
        as_of,
        local_route=lex.has(clean, "local_routes"),
        dose_mg=float(dose.group(1)) if dose else None,
        ongoing=lex.has(clean, "ongoing"),
        length_days=_length_days(clean, lex),
        last=lambda: _latest_date(clean, as_of, read_date, lex, age),
    )


def _length_days(clean: str, lex: Lexicon) -> float | None:
    """How long the use lasted: "for 3 weeks", "2 weeks of", or since "started 2 weeks ago"."""
    per_unit = PER_UNIT_DAYS
    for number in numbers(clean, lex):
        if number.role != DURATION or number.unit not in per_unit:
            continue
        after = clean[number.start + len(number.evidence) :]
        if not re.match(r"\s*\w+\s+(ago|back)\b", after):
            return number.value * per_unit[number.unit]
        if lex.has(clean, "started"):  # "started 4 days ago": it cannot have lasted longer
            return number.value * per_unit[number.unit]
    return None


def _latest_date(clean: str, as_of: date, read_date: DateReader, lex: Lexicon, age: float | None) -> date | None:
    """The latest time the answer names: a date, "2 years ago", "this summer", or "when I was 40"."""
    found: list[date] = []
    for clause in re.split(r"\s*(?:,|\band\b|;)\s*", clean):
        day = read_date(clause, as_of, lex)
        if isinstance(day, date) and day <= as_of:
            found.append(day)
    if age is not None:
        for number in numbers(clean, lex):
            if number.role == AGE and number.value <= age:
                found.append(as_of - timedelta(days=365.25 * (age - number.value)))
    return max(found) if found else None
