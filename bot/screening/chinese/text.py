"""A Chinese answer made readable: full-width forms folded, numbers in hanzi written as digits, and every
number found with its unit and what the words around it say ("十多年" is more than 10 years).

People write "六十二", "两年半", "一年半前", "十来年", "七十出头", "五六年", "一四年", "２０１９年", "负二点六".
``cn2an`` (a maintained library) turns hanzi numbers into digits; what it does not read, or reads wrongly,
is settled first, with words from the lexicon: "一直" is no number, "五六年" is a range (cn2an makes it 56),
"一四年" is the year 2014 (cn2an makes it 14), "半年" is 0.5 year, "俩" is 2.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import date

import cn2an

from bot.screening.words import Lexicon

_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_D = "零〇一二三四五六七八九"
#: After a two-hanzi-digit "年", these make "五六年" "5 or 6 years" rather than the year '56.
_RANGE_AFTER = re.compile(r"(?:前|以前|之前|了|多|左右|上下|以上|的时间|时间|\s*$|[,，。.;；!！?？、])")
_NUMBER = re.compile(
    r"(?:(?<![\da-z.])(?P<sign>[-+])\s?)?(?<![\d.])(?P<num>\d{1,9}(?:\.\d{1,6})?)(?:~(?P<high>\d{1,9}(?:\.\d{1,6})?))?"
)
_PRE_QUALIFIER = ("多", "几", "来", "余")


@dataclass(frozen=True)
class Number:
    """One number in a Chinese answer, as written."""

    value: float
    #: The upper end of a range ("五六年": 5 and 6); ``value`` when it is no range.
    high: float
    #: "-" or "+" when the person wrote a sign (负, 正, -, +), else "".
    sign: str
    #: The unit right after it, as the lexicon names it ("year", "month", "age", "nmol", "count"...), if any.
    unit: str | None
    #: "more" ("10多年", "超过10年", "70出头"), "less" ("不到2年", "快2年") or None ("10来年" is about 10).
    bound: str | None
    #: A label, not an amount: "2型", "3期", "第3次", "L1", "25羟".
    label: bool
    start: int
    end: int
    evidence: str

    @property
    def is_year(self) -> bool:
        """ "2014年", "2014": a calendar year (four digits, no sign, no other unit)."""
        whole = self.value == int(self.value) and self.value == self.high
        return whole and 1900 <= self.value <= 2099 and not self.sign and self.unit in (None, "year")

    @property
    def signed(self) -> float:
        return -self.value if self.sign == "-" else self.value


def fold(text: str) -> str:
    """NFKC (full-width digits, letters and punctuation to ASCII), lower case, minus signs as "-", "2,5" as 2.5
    (an ASCII comma between digits only: "62，12" stays two numbers), spaces collapsed."""
    text = re.sub(r"(\d),(\d{3})(?!\d)", r"\1\2", text or "")
    text = re.sub(r"(\d),(\d)", r"\1.\2", text)
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2212", "-").replace("\u2013", "-")
    return " ".join(text.split())


def to_digits(text: str, lex: Lexicon, as_of: date) -> str:
    """A folded text with its hanzi numbers as digits; ranges as "5~6"; halves as ".5"; "负", "minus", "正" as signs."""
    for word in sorted(lex.phrases("not_numbers"), key=len, reverse=True):
        text = text.replace(word, " ")
    text = text.replace("俩", "两个")
    text = re.sub(rf"(?<![{_D}十百千两])([{_D}])([{_D}])(?=年)", lambda m: _two_digit_year(m, text, as_of), text)
    text = re.sub(rf"(?<![{_D}十百千两])([{_D}]{{4}})(?=年)", lambda m: "".join(str(_DIGIT[c]) for c in m[1]), text)
    text = re.sub(rf"([一二三四五六七八])([二三四五六七八九])十(?![{_D}])", _tens_range, text)
    text = re.sub(r"((?:[二三四五六七八九])?十)([一二三四五六七八])([二三四五六七八九])", _teens_range, text)
    text = re.sub(rf"(?<![{_D}十百千两])([一二两三四五六七八])([两三四五六七八九])(?![{_D}十百千])", _units_range, text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            text = cn2an.transform(text, "cn2an")
        except Exception:  # a library failure leaves the hanzi as they are: the answer is re-asked
            pass
    text = re.sub(r"(\d{1,3})\s*(?:-|~|到|至|、|或)\s*(\d{1,3})(?=\s*(?:个)?多?\s*(?:年|月|周|星期|礼拜|天|岁|小时))",
                  _digit_range, text)
    text = re.sub(r"(\d+(?:\.\d+)?)个半(月|小时|钟头|星期|礼拜)", lambda m: f"{_half(m.group(1))}个{m.group(2)}", text)
    text = re.sub(r"(\d+(?:\.\d+)?)(年|天|周)半", lambda m: f"{_half(m.group(1))}{m.group(2)}", text)
    text = re.sub(r"(?<![上下\d.])半个?月", "0.5个月", text)
    text = re.sub(r"(?<![上下\d.])半(个)?(年|天|小时|钟头|星期|礼拜)", r"0.5\1\2", text)
    for sign, key in (("-", "negative_words"), ("+", "positive_signs")):
        words = "|".join(map(re.escape, sorted(lex.phrases(key), key=len, reverse=True)))
        text = re.sub(rf"(?:{words})\s*(?=\d)", sign, text)
    return " ".join(text.split())


def _two_digit_year(match: re.Match[str], text: str, as_of: date) -> str:
    """ "一四年" is 2014 and "六二年" 1962 (the century that puts it in the past); "五六年前", "两三年了" are ranges."""
    first, second = _DIGIT[match.group(1)], _DIGIT[match.group(2)]
    if second == first + 1 and first > 0 and _RANGE_AFTER.match(text, match.end() + 1):
        return f"{first}~{second}"
    two = first * 10 + second
    return str(2000 + two if two <= as_of.year % 100 else 1900 + two)


def _tens_range(match: re.Match[str]) -> str:
    first, second = _DIGIT[match.group(1)], _DIGIT[match.group(2)]
    return f"{first * 10}~{second * 10}" if second == first + 1 else match.group(0)


def _teens_range(match: re.Match[str]) -> str:
    tens = _DIGIT[match.group(1)[0]] * 10 if len(match.group(1)) == 2 else 10
    first, second = _DIGIT[match.group(2)], _DIGIT[match.group(3)]
    return f"{tens + first}~{tens + second}" if second == first + 1 else match.group(0)


def _units_range(match: re.Match[str]) -> str:
    first, second = _DIGIT[match.group(1)], _DIGIT[match.group(2)]
    return f"{first}~{second}" if second == first + 1 else match.group(0)


def _digit_range(match: re.Match[str]) -> str:
    low, high = int(match.group(1)), int(match.group(2))
    return f"{low}~{high}" if high > low else match.group(0)


def _half(number: str) -> str:
    value = float(number) + 0.5
    return f"{value:g}"


def numbers(text: str, lex: Lexicon) -> list[Number]:
    """Every number in a text from ``to_digits``, with its unit, its bound and whether it is a label."""
    found = []
    for match in _NUMBER.finditer(text):
        value = float(match.group("num"))
        high = float(match.group("high")) if match.group("high") else value
        before = text[: match.start()].rstrip()
        after, pre = text[match.end() :].lstrip(), ""
        if after.startswith(_PRE_QUALIFIER):
            pre, after = after[0], after[1:]
        unit, after = _unit_after(after, lex)
        post = next((w for w in _sorted(lex, "more_after") + _sorted(lex, "less_after") if after.startswith(w)), "")
        end = len(text) - len(after) + len(post)
        found.append(
            Number(
                value=value,
                high=high,
                sign=match.group("sign") or "",
                unit=unit,
                bound=_bound(before, pre, post, lex),
                label=_label(text, match, before, lex),
                start=match.start(),
                end=end,
                evidence=text[match.start() : end].strip(),
            )
        )
    return found


def _sorted(lex: Lexicon, key: str) -> list[str]:
    return sorted(lex.phrases(key), key=len, reverse=True)


def _unit_after(rest: str, lex: Lexicon) -> tuple[str | None, str]:
    """The unit right after a number ("年", "个月", "nmol/l"), and the text after it."""
    rest = rest.lstrip()
    for unit, word in lex.unit_table:
        # "ng" must not be the start of "ngx"; "年" may touch "6月".
        latin_end = re.match(r"[a-z0-9]", word[-1]) is not None
        if rest.startswith(word) and not (latin_end and re.match(r"[a-z0-9]", rest[len(word) : len(word) + 1])):
            return unit, rest[len(word) :]
    return None, rest


def _bound(before: str, pre: str, post: str, lex: Lexicon) -> str | None:
    more_before = tuple(lex.phrases("more_before"))
    if pre in ("多", "几", "余") or post in lex.phrases("more_after") or before.endswith(more_before):
        return "more"
    if post in lex.phrases("less_after") or before.endswith(tuple(lex.phrases("less_before"))):
        return "less"
    return None


def _label(text: str, match: re.Match[str], before: str, lex: Lexicon) -> bool:
    """ "2型", "3期", "25羟", "第3次", "L1": a name, not an amount."""
    roles = lex.roles
    if not match.group("sign") and text[: match.start("num")].endswith(tuple(roles["label_before"])):
        return True
    return text[match.end() :].startswith(tuple(roles["label_after"]))


def has_number(text: str, lex: Lexicon, as_of: date) -> bool:
    """Whether any number is written, in digits or hanzi (the answer is then read in Chinese only)."""
    return bool(re.search(r"\d", to_digits(fold(text), lex, as_of)))
