"""One language's words for reading answers, and the text clean-up every reader starts with.

The words are data (``lexicon/<language>.yml``); this module compiles them into matchers, and turns
numbers written in words ("sixty-two", "two and a half", "a couple of") into digits, so that every
reader sees one form of a number.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.languages.detect import HANZI

LEXICON_DIR = Path(__file__).with_name("lexicon")


#: Han characters (CJK unified ideographs, extension A, compatibility): Chinese words have no spaces,
#: so a phrase holding one is found as a plain substring, never between word boundaries.
HAN = re.compile(f"[{HANZI}]")
#: Characters that NFKC folds into plain ASCII (full-width digits, letters and punctuation, the ideographic
#: space) or that only Chinese text holds: a text without any is left exactly as typed.
_WIDE = re.compile(f"[\u3000-\u303f{HANZI}\uff00-\uffef]")
#: The language whose lexicon reads Han text, and the one that reads Latin text in a conversation held in it.
HAN_LANGUAGE, LATIN_LANGUAGE = "zh", "en"


def has_han(text: str) -> bool:
    return HAN.search(text or "") is not None


def fold_width(text: str) -> str:
    """ "２０１９年", "ｅＧＦＲ　４５" as "2019年", "eGFR 45" (NFKC); text with no wide or Han character is returned
    unchanged (NFKC would also rewrite "µg/l", which the English unit table spells with the micro sign)."""
    return unicodedata.normalize("NFKC", text) if text and _WIDE.search(text) else text


def reading_language(text: str, language: str) -> str:
    """The lexicon that can read these words: Han text the Chinese one, in any conversation; Latin text
    ("62", "eGFR 45", "I don't know") the conversation's, or English when the conversation is in Chinese."""
    if has_han(text):
        return HAN_LANGUAGE
    return LATIN_LANGUAGE if lexicon(language).data.get("script") == "han" else language


def normalise(text: str) -> str:
    """Lower case; unicode minus and dashes to "-"; "1,000" to 1000 and "-2,5" to -2.5; "+" after a
    number to "more than"; other punctuation except - . / ' ? to spaces."""
    text = text.lower().replace("\u2212", "-").replace("\u2013", "-").replace("\u2019", "'")
    text = re.sub(r"(\d),(\d{3})(?!\d)", r"\1\2", text)
    text = re.sub(r"(\d),(\d)", r"\1.\2", text)
    text = re.sub(r"(\d)\s*\+", r"\1 more than", text)
    text = re.sub(r"\+\s?(?=\d)", "plus ", text)
    text = re.sub(r"[^\w\s\-./'?]", " ", text)
    return " ".join(text.split())


class Lexicon:
    """One language's words, compiled into matchers."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self._matchers: dict[str, tuple[frozenset[str], re.Pattern[str] | None]] = {}
        self.numbers: dict[str, float] = {str(k): float(v) for k, v in data["numbers"].items()}
        self.multipliers: dict[str, float] = {str(k): float(v) for k, v in data["multipliers"].items()}
        self.unit_table = sorted(
            ((str(unit), str(w)) for unit, words in data["number_units"].items() for w in words),
            key=lambda pair: len(pair[1]),
            reverse=True,
        )
        self.time_units = frozenset(data["time_units"])
        self.count_units = frozenset(data["count_units"])
        self.roles: dict[str, list[str]] = {str(k): [str(w) for w in v] for k, v in data["roles"].items()}
        months = data["months"]
        self.months = {name: i + 1 for i, name in enumerate(months)}
        self.months.update({name: i + 1 for i, name in enumerate(data.get("month_abbreviations", []))})

    def phrases(self, key: str) -> list[str]:
        return list(self.data[key])

    def has(self, text: str, key: str) -> bool:
        """Whether the text holds one of the phrases under ``key`` (as ``contains_any``, compiled once)."""
        matcher = self._matchers.get(key)
        if matcher is None:
            matcher = self._matchers[key] = _matcher([str(p) for p in self.data[key]])
        singles, pattern = matcher
        return text in singles or (pattern is not None and pattern.search(text) is not None)


def _matcher(phrases: list[str]) -> tuple[frozenset[str], re.Pattern[str] | None]:
    """One-character phrases match only the whole text ("n", "y"); the others as words, in one pattern.
    Phrases with a Han character ("没有", "有") match anywhere: Chinese has no word boundaries."""
    han = sorted((p for p in phrases if has_han(p)), key=len, reverse=True)
    latin = [p for p in phrases if not has_han(p)]
    longer = sorted((p for p in latin if len(p) > 1), key=len, reverse=True)
    parts = [rf"(?<![\w'])(?:{'|'.join(map(re.escape, longer))})(?![\w'])"] if longer else []
    if han:
        parts.append(f"(?:{'|'.join(map(re.escape, han))})")
    pattern = re.compile("|".join(parts)) if parts else None
    return frozenset(p for p in latin if len(p) == 1), pattern


def without(text: str, phrases: Iterable[str]) -> str:
    for phrase in sorted(phrases, key=len, reverse=True):
        if has_han(phrase):
            text = text.replace(phrase, " ")
        elif len(phrase) > 1:
            text = re.sub(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", " ", text)
    return " ".join(text.split())


def contains_any(text: str, phrases: Iterable[str], *, whole_single: bool = True) -> bool:
    for phrase in phrases:
        phrase = str(phrase)
        if has_han(phrase):
            if phrase in text:
                return True
        elif len(phrase) == 1 and whole_single:
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


def words_to_digits(text: str, lex: Lexicon) -> str:
    """ "sixty-two" -> "62", "two point five" -> "2.5", "a year and a half" -> "1.5 year", "half a year"
    -> "0.5 year", "a couple of months" -> "2 months". "a"/"an" count only before a unit."""
    text = re.sub(r"\bhalf an? (?=\w)", "0.5 ", text)
    text = re.sub(r"\ba (couple|few)( of)? ", lambda m: f"{m.group(1)} ", text)
    tokens = text.split(" ")
    unit_words = {w for _, w in lex.unit_table}
    out: list[str] = []
    i = 0
    while i < len(tokens):
        value, used = _number_run(tokens, i, lex, unit_words)
        if used:
            out.append(_digits(value))
            i += used
        else:
            out.append(tokens[i])
            i += 1
    text = " ".join(out)
    text = re.sub(r"(\d+(?:\.\d+)?) and (?:a )?0?\.?5\b|(\d+(?:\.\d+)?) and a half\b", _plus_half, text)
    text = re.sub(r"(\d+(?:\.\d+)?) (\w+) and a half\b", _unit_and_a_half, text)
    return text


def _unit_and_a_half(match: re.Match[str]) -> str:
    return f"{_digits(float(match.group(1)) + 0.5)} {match.group(2)}"


def _plus_half(match: re.Match[str]) -> str:
    return _digits(float(match.group(1) or match.group(2)) + 0.5)


def _digits(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _number_run(tokens: list[str], i: int, lex: Lexicon, unit_words: set[str]) -> tuple[float, int]:
    """The number written in words from ``tokens[i]``, and how many tokens it took (0: none)."""
    total: float | None = None
    j = i
    while j < len(tokens):
        token = tokens[j]
        parts = token.split("-")
        nxt = tokens[j + 1] if j + 1 < len(tokens) else ""
        if token in ("a", "an") and total is None:
            if nxt in unit_words and (i == 0 or tokens[i - 1] not in ("once", "twice", "times", "per", "every")):
                return 1.0, 1
            break
        if token == "point" and total is not None and lex.numbers.get(nxt) is not None:
            digits = []
            j += 1
            while j < len(tokens) and (d := lex.numbers.get(tokens[j])) is not None and d < 10 and d == int(d):
                digits.append(str(int(d)))
                j += 1
            return total + float("0." + "".join(digits)), j - i
        if token == "and" and total is not None and lex.numbers.get(nxt, 0) >= 1 and total >= 100:
            j += 1
            continue
        if token in lex.multipliers and total is not None:
            total *= lex.multipliers[token]
            j += 1
            continue
        if token == "one" and total is None and len(tokens) > 1 and nxt not in unit_words | {"point", *lex.multipliers}:
            break  # "the worst one", "the last one": a pronoun, not a number
        if all(p in lex.numbers and lex.numbers[p] >= 1 for p in parts) and token not in ("a", "an"):
            value = sum(lex.numbers[p] for p in parts)
            if total is not None and (value >= total or total % 10 != 0 or total < 20):
                break
            total = value if total is None else total + value
            j += 1
            continue
        if token in ("couple", "few", "several") and total is None:
            return lex.numbers[token], 1 + (nxt == "of")
        if token == "half" and total is None and nxt in unit_words:
            return 0.5, 1
        break
    return (total, j - i) if total is not None else (0.0, 0)


def month_in(text: str, lex: Lexicon) -> int | None:
    for word in re.sub(r"\b(mid|early|late|end)-", " ", text).replace(".", " ").split():
        if word in lex.months:
            return lex.months[word]
    return None
