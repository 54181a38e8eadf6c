"""Emergencies in Simplified Chinese (``bot/safety/red_flags.yml``): every kind recognised, a denial right
before the words read first ("没有胸痛" is no emergency), histories left to the classifier's false-alarm
list, English unchanged; and every pattern of every language built so that it runs in linear time."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
import yaml

from bot.safety.red_flags import NOT_EMERGENCIES_FILE, PATTERNS_FILE, not_an_emergency, red_flag

try:  # Python 3.11 moved the parser; 3.10 has it public
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("胸口疼", "chest_pain"),
        ("我现在胸口痛得厉害", "chest_pain"),
        ("胸痛", "chest_pain"),
        ("突然胸闷", "chest_pain"),
        ("心口疼", "chest_pain"),
        ("喘不过气", "chest_pain"),
        ("我呼吸困难", "chest_pain"),
        ("心绞痛又犯了", "chest_pain"),
        ("我摔倒了，站不起来", "fall"),
        ("刚才摔了一跤，起不来了", "fall"),
        ("在卫生间跌倒，疼得厉害", "fall"),
        ("摔下来以后腿剧痛", "fall"),
        ("动不了了，刚才摔倒的", "fall"),
        ("嘴歪了", "stroke"),
        ("口角歪斜", "stroke"),
        ("一侧胳膊抬不起来", "stroke"),
        ("半边身子没力气", "stroke"),
        ("说不出话", "stroke"),
        ("他说话不清楚", "stroke"),
        ("突然看不见了", "stroke"),
        ("我好像中风了", "stroke"),
        ("我是不是心梗了", "chest_pain"),
        ("晕倒了，磕到头", "fall"),
        ("半边身子麻了", "stroke"),
        ("不想活了", "self_harm"),
        ("想自杀", "self_harm"),
        ("我想死", "self_harm"),
        ("活着没意思", "self_harm"),
        ("有轻生的念头", "self_harm"),
        ("大出血", "bleeding"),
        ("伤口血止不住", "bleeding"),
        ("一直流血", "bleeding"),
    ],
)
def test_chinese_red_flags(text: str, kind: str) -> None:
    assert red_flag(text) == kind


@pytest.mark.parametrize(
    "text",
    ["没有胸痛", "不胸闷", "没摔", "无胸痛", "没有胸口疼", "从来没有胸闷", "没什么胸痛", "我没想过自杀", "我不想死",
     "没有摔倒，只是腿有点站不起来", "胸口不疼", "我挺好的"],
)
def test_a_denial_read_first_is_no_emergency(text: str) -> None:
    assert red_flag(text) is None


@pytest.mark.parametrize("text", ["没有胸闷，但是现在胸口疼", "以前没有，现在胸痛", "胸不闷，可是喘不过气"])
def test_a_denial_covers_only_the_words_right_after_it(text: str) -> None:
    assert red_flag(text) == "chest_pain"


@pytest.mark.parametrize(
    "text",
    ["以前中过风", "十年前摔过", "2019年中风过", "我帮我妈填的", "去年得过肺部感染", "我妈三年前脑梗了", "以前晕倒过"],
)
def test_a_history_is_no_emergency(text: str) -> None:
    assert red_flag(text) is None
    assert not_an_emergency(text)


def test_a_history_of_chest_pain_still_errs_on_safety() -> None:
    """ "有过胸痛" names chest pain: like "I had chest pain" in English it gets the emergency answer (if it is
    happening now, call 120); the false-alarm list only keeps the classifier's guess from doing the same."""
    assert not_an_emergency("有过胸痛")
    assert red_flag("有过胸痛") == "chest_pain"


@pytest.mark.parametrize(
    ("text", "kind"),
    [("I am having chest pain", "chest_pain"), ("no chest pain", None), ("I don't have chest pain", None),
     ("she fell and can't get up", "fall"), ("my face is drooping", "stroke"), ("I want to die", "self_harm"),
     ("bleeding won't stop", "bleeding"), ("I had a stroke in 2019", None)],
)
def test_english_is_unchanged(text: str, kind: str | None) -> None:
    assert red_flag(text) == kind


# --- linear time -----------------------------------------------------------------------------------------------

_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", sre_parse.MAX_REPEAT)}


def _all_patterns() -> Iterator[str]:
    flags = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    for section in flags.values():
        for patterns in section.values():
            yield from patterns
    for patterns in yaml.safe_load(NOT_EMERGENCIES_FILE.read_text(encoding="utf-8")).values():
        yield from patterns


def _repeats(parsed: sre_parse.SubPattern, inside: bool = False) -> Iterator[tuple[int, bool]]:
    """Each repeat's upper bound, and whether it stands inside another repeat."""
    for op, av in parsed:
        if op in _REPEATS:
            low, high, sub = av
            yield high, inside
            yield from _repeats(sub, True)
        elif op == sre_parse.SUBPATTERN:
            yield from _repeats(av[-1], inside)
        elif op == sre_parse.BRANCH:
            for branch in av[1]:
                yield from _repeats(branch, inside)
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            yield from _repeats(av[1], inside)


PATTERNS = list(_all_patterns())


def test_every_language_and_kind_has_patterns() -> None:
    flags = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    assert set(flags["zh"]) == set(flags["en"]) == {"chest_pain", "fall", "stroke", "self_harm", "bleeding"}
    assert set(flags["denials"]) == {"en", "zh"}


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_pattern_runs_in_linear_time(pattern: str) -> None:
    """No repeat inside a repeat (the source of catastrophic backtracking) and no unbounded repeat (".*", "+"):
    a gap between two parts is bounded, so each match tries at most a fixed number of steps."""
    repeats = list(_repeats(sre_parse.parse(pattern)))
    assert not any(inside for _, inside in repeats), pattern
    assert all(high != sre_parse.MAXREPEAT and high <= 100 for high, _ in repeats), pattern
    re.compile(pattern)


@pytest.mark.parametrize(
    "text",
    ["啊" * 2000, "摔倒" * 1000, "胸" * 2000, "没有" * 1000, "fall " * 400, "没有胸痛，" * 400, "我" * 1995 + "胸口疼"],
)
def test_a_long_message_is_handled_quickly(text: str) -> None:
    started = time.perf_counter()
    kind, calm = red_flag(text), not_an_emergency(text)
    assert time.perf_counter() - started < 0.5, text[:20]
    assert kind == ("chest_pain" if text.endswith("胸口疼") else None)
    assert isinstance(calm, bool)
