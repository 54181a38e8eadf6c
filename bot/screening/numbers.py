"""Numbers in an answer, each with the role its neighbours give it.

"they scanned my hips 3 years ago" holds a duration, not a T-score; "I'm 68 and it came back at 24
nmol/L" holds an age and a measurement; "stage 3 kidneys, egfr was 41" a label and an eGFR. A reader
takes a number as a measurement only when nothing around it says it is something else: a time unit
or "ago" after it (a duration), a year (a date), "I'm"/"at" before it (an age), a dose or count word
after it, a label word before it ("stage", "type", "L"), or another test's name before it.
The words that decide each role are data (``roles`` in the lexicon of each language).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.screening.words import Lexicon

YEAR, DURATION, AGE, COUNT, LABEL, OTHER, PLAIN = "year", "duration", "age", "count", "label", "other", "plain"
#: Roles that can be a measurement of the question asked.
MEASURABLE = (PLAIN,)

_NUMBER = re.compile(r"(?<![\w.'])(?:(-|plus |minus |negative |positive )\s?)?(\d{1,9}(?:\.\d{1,6})?)(?![\d])")
_SHORT_YEAR = re.compile(r"(?<![\w])'(\d\d)(?!\d)")


@dataclass(frozen=True)
class Number:
    value: float
    #: The role its neighbours give it (YEAR, DURATION, AGE, COUNT, LABEL, OTHER, PLAIN).
    role: str
    #: "-" or "+" when the person wrote a sign (or minus / plus), else "".
    sign: str
    #: The unit written right after it, as the lexicon names it ("nmol", "mg/g", "year"...), if any.
    unit: str | None
    #: Named by the question's own words just before it ("egfr was 41").
    named: bool
    #: The words it was read from.
    evidence: str
    start: int


def _words_before(text: str, start: int, n: int = 3) -> list[str]:
    return text[:start].replace(":", " ").split()[-n:]


def _unit_after(rest: str, lex: Lexicon) -> tuple[str | None, str]:
    """The unit that follows a number ("ng/ml", "years"), and the words after it."""
    rest = rest.lstrip()
    for unit, word in lex.unit_table:
        if rest.startswith(word) and not re.match(r"[a-z0-9]", rest[len(word) : len(word) + 1]):
            return unit, rest[len(word) :].lstrip()
    return None, rest


def _role(text: str, match: re.Match[str], unit: str | None, after: str, lex: Lexicon, field_words: list[str]) -> str:
    value = match.group(2)
    before = _words_before(text, match.start())
    last = before[-1] if before else ""
    roles = lex.roles
    if unit in lex.time_units:
        if after.startswith("old"):
            return AGE
        return DURATION
    if unit in lex.count_units:
        return COUNT
    if unit is not None:
        return PLAIN  # a measurement unit names it
    if re.fullmatch(r"(19|20)\d\d", value) and not match.group(1):
        return YEAR
    if text[match.end() :].startswith(tuple(roles["label_after"])):
        return LABEL  # "25-oh vitamin d"
    if last in roles["label_before"]:
        return LABEL  # "stage 3", "type 2"
    joined = " ".join(before)
    other = [w for w in roles["other_tests"] if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", joined)]
    if other and not _named(joined.split(other[-1])[-1], field_words):
        return OTHER  # "creatinine 1.4", "z-score -2.3"
    signed_number = bool(match.group(1))
    if not signed_number and (
        any(re.search(rf"(?<![\w']){re.escape(w)}$", joined) for w in roles["age_before"])
        or after.startswith(tuple(roles["age_after"]))
    ):
        return AGE
    return PLAIN


def _named(before: str, field_words: list[str]) -> bool:
    return any(re.search(rf"(?<![\w]){re.escape(w)}\b[\w\s]{{0,12}}$", before) for w in field_words)


def numbers(text: str, lex: Lexicon, field_words: list[str] = ()) -> list[Number]:  # type: ignore[assignment]
    """Every number in a normalised text (digits; words were turned into digits first), with its role."""
    found = []
    for match in _NUMBER.finditer(text):
        unit, after = _unit_after(text[match.end() :], lex)
        role = _role(text, match, unit, after, lex, list(field_words))
        sign_word = (match.group(1) or "").strip()
        sign = "-" if sign_word in ("-", "minus", "negative") else "+" if sign_word else ""
        if not sign and _words_before(text, match.start(), 1) in (["minus"], ["negative"]):
            sign = "-"
        before = " ".join(_words_before(text, match.start(), 4))
        found.append(
            Number(
                value=float(match.group(2)),
                role=role,
                sign=sign,
                unit=unit,
                named=_named(before, list(field_words)),
                evidence=match.group(0).strip(),
                start=match.start(),
            )
        )
    for match in _SHORT_YEAR.finditer(text):  # "born '49"
        found.append(Number(float(match.group(1)), YEAR, "", None, False, match.group(0), match.start()))
    return sorted(found, key=lambda n: n.start)


def signed(number: Number) -> float:
    return -number.value if number.sign == "-" else number.value
