"""The p95 ratios and goals of every "ours*" target against the stock assistant."""

from __future__ import annotations

from typing import Any

import pytest

from bench import latency


def figures(c1: float, c16: float, errors: int = 0) -> dict[str, Any]:
    return {"c1": {"p95_ms": c1, "errors": 0}, "c16": {"p95_ms": c16, "errors": errors}}


def test_two_ours_targets() -> None:
    results = {
        "goal_ratio": latency.GOAL_RATIO,
        "stock": figures(20.0, 400.0),
        "ours": figures(22.0, 300.0),
        "ours-zh": figures(30.0, 440.0),
    }
    compared = latency.compare(results)
    assert compared["ratio_p95"] == {"ours": {"c1": 1.1, "c16": 0.75}, "ours-zh": {"c1": 1.5, "c16": 1.1}}
    assert compared["goal_met"] == {"ours": {"c1": True, "c16": True}, "ours-zh": {"c1": False, "c16": True}}


def test_errors_miss_the_goal() -> None:
    results = {"stock": figures(20.0, 400.0), "ours": figures(20.0, 400.0), "ours-zh": figures(10.0, 100.0, errors=1)}
    compared = latency.compare(results)
    assert compared["ratio_p95"]["ours-zh"] == {"c1": 0.5, "c16": 0.25}
    assert compared["goal_met"]["ours-zh"] == {"c1": True, "c16": False}
    assert compared["goal_met"]["ours"] == {"c1": True, "c16": True}  # exactly 1.0x


def test_the_goal_boundary() -> None:
    compared = latency.compare({"stock": figures(10.0, 100.0), "ours-zh": figures(12.0, 120.1)})
    assert compared["goal_met"]["ours-zh"] == {"c1": True, "c16": False}


def test_nothing_to_compare() -> None:
    assert latency.compare({"goal_ratio": 1.2, "ours": figures(1.0, 1.0)}) == {}
    assert latency.compare({"goal_ratio": 1.2, "stock": figures(1.0, 1.0)}) == {}


@pytest.mark.parametrize(("language", "name"), [("en", "ours"), ("zh", "ours-zh")])
def test_target_names(language: str, name: str) -> None:
    assert latency.ours_name(language) == name
    assert latency.ours("http://127.0.0.1:1", [], language).name == name
