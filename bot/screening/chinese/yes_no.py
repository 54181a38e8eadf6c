"""Yes, no or "don't know" in Chinese, and man or woman, with negation read FIRST.

Chinese has no spaces, and its no words hold its yes words: "没有" holds "有", "不是" holds "是", "没吃过"
holds "吃过". So a yes word counts only when no negation ends just before it (``negation_gap`` characters:
"没怎么用过") or over it; "没", "无", "否" say no wherever they stand, a bare "不" only alone or before a yes
word ("今天天气不错" says nothing). Idioms with a negation that say yes ("没错", "没问题", "没再吃") are read
first. A hesitation ("我再想想", "考虑一下") is never a yes or a no: the question is asked again.

Clauses are cut at punctuation and contrast words ("但是", "不过", "除了"); clauses about someone else
("我老伴有") and limiters ("别的没有") are dropped; then the first clause that says yes or no, or names the
topic, decides, unless a later contrast clause names the topic after a no, as in English (``yes_no.py``).
"""

from __future__ import annotations

import functools
import re
from datetime import date

from bot.screening.chinese.text import fold
from bot.screening.chinese.windows import inside_window
from bot.screening.reading import AMBIGUOUS, DONT_KNOW, INFERRED, UNREADABLE, Parsed, not_understood
from bot.screening.words import HAN, Lexicon
from bot.screening.yes_no import windows

#: How far before a topic word a negation may stand and still deny it ("没有得过冠心病").
_TOPIC_GAP = 4
_SPLIT = r"(?:[,，。;；:：!！?？、…\s]|\.(?!\d)|—|-(?!\d))+"

Answer = bool | str | None


@functools.cache
def _alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted((w for w in words if w), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered)) if ordered else r"(?!)")


def _pattern(lex: Lexicon, *keys: str) -> re.Pattern[str]:
    return _alternation(tuple(w for key in keys for w in lex.phrases(key)))


def _masked(text: str, lex: Lexicon, *keys: str) -> str:
    return _pattern(lex, *keys).sub(" ", text)


def _bare(text: str, lex: Lexicon) -> str:
    """The text without its particles, spaces and punctuation: what is left of "是的啊" is "是"."""
    return re.sub(_SPLIT, "", _masked(text, lex, "particles"))


def _negations(clause: str, lex: Lexicon) -> list[tuple[int, int]]:
    return [m.span() for m in _pattern(lex, "negators").finditer(clause)]


def _negated(span: tuple[int, int], negations: list[tuple[int, int]], gap: int) -> bool:
    """A negation over the words ("没有" over "有") or ending at most ``gap`` characters before them."""
    start, end = span
    return any((s < end and e > start) or 0 <= start - e <= gap for s, e in negations)


def polarity(clause: str, lex: Lexicon) -> Answer:
    """True, False, AMBIGUOUS (both) or None (neither) for one clause."""
    clause = _masked(clause, lex, "not_yes")
    if _pattern(lex, "yes_idioms").search(clause):
        return True
    negations, gap = _negations(clause, lex), int(lex.data["negation_gap"])
    yes = no = False
    for match in _pattern(lex, "yes_words", "yes_phrases").finditer(clause):
        if _negated(match.span(), negations, gap):
            no = True
        else:
            yes = True
    if _pattern(lex, "no_words", "no_phrases").search(clause) or _bare(clause, lex) in lex.phrases("no_alone"):
        no = True
    if yes and no:
        return AMBIGUOUS
    return True if yes else False if no else None


def names_topic(clause: str, words: list[str], lex: Lexicon) -> bool | None:
    """True when the clause names the topic, False when it names it denied ("没有冠心病", "冠心病没有"), else None."""
    negations, found = _negations(clause, lex), None
    for match in _alternation(tuple(words)).finditer(clause) if words else ():
        after = [(s, e) for s, e in negations if 0 <= s - match.end() <= 3 and len(_bare(clause[e:], lex)) <= 1]
        if not _negated(match.span(), negations, _TOPIC_GAP) and not after:
            return True
        found = False
    return found


def _contrast(word: str, lex: Lexicon) -> str:
    """A contrast word as a pattern, unless it starts a longer word (不过 "but" in 不过敏 "not allergic")."""
    tails = [m[len(word) :] for m in lex.data.get("contrast_masks", []) if m.startswith(word) and m != word]
    return re.escape(word) + (f"(?!{'|'.join(map(re.escape, tails))})" if tails else "")


def _clauses(text: str, lex: Lexicon) -> list[tuple[str, bool]]:
    """The answer cut at punctuation and contrast words, each with whether a contrast word opened it."""
    contrast = "|".join(_contrast(word, lex) for word in sorted(lex.phrases("contrast_words"), key=len, reverse=True))
    pieces: list[tuple[str, bool]] = []
    opened = False
    for i, part in enumerate(re.split(rf"{_SPLIT}|({contrast})", text)):
        if i % 2:
            opened = opened or bool(part)
            continue
        if part:
            pieces.append((part, opened))
            opened = False
    return pieces


def topic_words(name: str, lex: Lexicon) -> list[str]:
    return [str(w) for w in (lex.data.get("topics") or {}).get(name, [])]


def _about_something_else(clause: str, name: str, lex: Lexicon) -> bool:
    """ "我老伴有"; "打过普罗力" to the question about a drip: not this question's topic."""
    if _pattern(lex, "other_people").search(clause):
        return True
    for family in lex.data.get("families") or []:
        if name in family:
            others = [w for other in family if other != name for w in topic_words(other, lex)]
            mine = topic_words(name, lex)
            return names_topic(clause, others, lex) is True and names_topic(clause, mine, lex) is None
    return False


def _main_answer(text: str, name: str, lex: Lexicon) -> Answer:
    words = topic_words(name, lex)
    limiters = _pattern(lex, "limiters")
    clauses = [
        (c, opened)
        for c, opened in _clauses(text, lex)
        if not limiters.search(c) and not _about_something_else(c, name, lex)
    ]
    answer: Answer = None
    weak = False  # the no only denied a detail that is not the topic ("不是1型")
    for clause, opened in clauses:
        said = polarity(clause, lex)
        named = names_topic(clause, words, lex)
        if answer is not None and said is False and _denies_a_detail(clause, name, lex):
            continue  # "髋部骨折，不是车祸": the no is about the detail, the answer stands
        if answer is not None and said is True and named is not True and _copula(clause, lex):
            continue  # "我不是糖尿病，是血糖偏高": "是" says what it is, not yes
        two = isinstance(said, bool) and isinstance(answer, bool) and said != answer and not opened
        if said == AMBIGUOUS or (two and not (weak and named is True)):
            return AMBIGUOUS  # "是，没有": two answers
        if answer is None:
            answer = named if said is None else said
            if said is False and named is True and not opened:
                return AMBIGUOUS  # "没有，得过癌": a no and a yes in one breath
            weak = said is False and _denies_a_detail(clause, name, lex)
        elif answer is False and named is True and (opened or weak):
            return True  # "没有，但是打过普罗力", "不是1型，是2型"
    return answer


def _details(text: str, name: str, lex: Lexicon) -> list[bool]:
    """For each detail in the text that makes a yes a no ("从梯子上摔下来", "1型"), whether it is itself denied."""
    details = (lex.data.get("topic_denials") or {}).get(name, [])
    if not details:
        return []
    negations, gap = _negations(text, lex), int(lex.data["negation_gap"])
    return [_negated(m.span(), negations, gap) for m in _alternation(tuple(details)).finditer(text)]


def _copula(clause: str, lex: Lexicon) -> bool:
    """ "是血糖偏高": a clause whose only yes is "是" before words of its own."""
    rest = clause.replace("是", "", 1)
    if rest == clause or _pattern(lex, "yes_words", "yes_phrases").search(rest):
        return False
    return len(HAN.findall(_masked(rest, lex, "filler_words", "particles"))) >= 2


def _denies_a_detail(clause: str, name: str, lex: Lexicon) -> bool:
    """ "不是1型": the clause's no is about such a detail, not about the topic."""
    return any(_details(clause, name, lex))


def _after_self_correction(clean: str, lex: Lexicon) -> str:
    """ "有——不对，没有": the words after the person corrected themselves."""
    for word in sorted(lex.phrases("self_corrections"), key=len, reverse=True):
        at = clean.find(word)
        if at > 0 and isinstance(polarity(clean[at + len(word) :], lex), bool):
            return clean[at + len(word) :]
    return clean


def _denied_detail(clean: str, name: str, lex: Lexicon) -> bool:
    """A detail that makes a yes a no ("从梯子上摔下来", "是1型"), unless it is itself denied ("不是1型")."""
    return not all(_details(clean, name, lex))


def read_yes_no(text: str, name: str, as_of: date | None, lex: Lexicon, age: float | None = None) -> Parsed:
    """A yes/no answer in Chinese: True, False, "don't know", or a re-ask (unreadable words are never a yes).
    Without a question ``name`` (a consent, a check "对吗？"), only the words decide: no topic, no time window."""
    clean = fold(text)
    if lex.has(clean, "dont_know") or lex.has(clean, "dont_know_yes_no"):
        return DONT_KNOW
    if lex.has(clean, "hesitations"):
        return not_understood()
    clean = _after_self_correction(clean, lex)
    answer = _main_answer(clean, name, lex)
    if answer is True and _denied_detail(clean, name, lex):
        answer = False
    if answer == AMBIGUOUS:
        return not_understood(AMBIGUOUS)
    limits = windows().get(name) if as_of else None
    if as_of and limits and answer is True:  # a time alone is never a yes ("今天天气不错" names today)
        inside = inside_window(clean, limits, as_of, lex, age)
        if inside is not None:
            return Parsed(inside, evidence=clean)
    if answer is None:
        return not_understood()
    if answer is True and name and _yes_about_something_else(clean, name, lex):
        return Parsed(True, confirm=INFERRED, evidence=clean)
    return Parsed(bool(answer), evidence=clean)


def _yes_about_something_else(clean: str, name: str, lex: Lexicon) -> bool:
    """ "只有高血压" to "coronary heart disease?": a yes only by its "有", next to words that name something the
    question may not mean. Asked about, never taken. A plain "是的", "有" or the topic named is a yes."""
    pieces = [c for c, _ in _clauses(clean, lex)]
    if any(not _bare(_masked(c, lex, "not_yes", "yes_words", "yes_phrases"), lex) for c in pieces):
        return False
    if any(names_topic(c, topic_words(name, lex), lex) for c in pieces):
        return False
    rest = _masked(clean, lex, "not_yes", "yes_idioms", "yes_words", "yes_phrases", "filler_words", "particles")
    return len(HAN.findall(rest)) >= 2


def read_sex(text: str, lex: Lexicon) -> Parsed:
    """ "男", "女的", "我是男的", "女性", "先生", "阿姨"; a denied one does not count ("不是男的"); both or neither
    is asked again."""
    clean = _masked(fold(text), lex, "sex_masks", "other_people")
    negations, gap = _negations(clean, lex), int(lex.data["negation_gap"])
    said = {
        sex: any(not _negated(m.span(), negations, gap) for m in _pattern(lex, sex).finditer(clean))
        for sex in ("male", "female")
    }
    if said["male"] != said["female"]:
        return Parsed("male" if said["male"] else "female", evidence=clean)
    if lex.has(clean, "dont_know"):
        return DONT_KNOW
    return not_understood(AMBIGUOUS if said["male"] else UNREADABLE)
