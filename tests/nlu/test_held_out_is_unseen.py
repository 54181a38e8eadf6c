"""The held-out NLU sets must hold no example the model was trained on (compared without case,
spaces or punctuation), or their figures would measure memory, not understanding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
#: The project's own held-out set and every set in tests/nlu_heldout/ (a new set is covered when added).
HELD_OUT = [
    "tests/nlu_test.yml",
    *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "tests" / "nlu_heldout").glob("*.yml")),
]


def key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def examples(path: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
        for line in (item.get("examples") or "").splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text:
                found[key(text)] = text
    return found


def training() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted((ROOT / "data" / "nlu").rglob("*.yml")):
        found.update(examples(path))
    return found


@pytest.mark.parametrize("held_out", HELD_OUT)
def test_no_held_out_example_is_in_the_training_data(held_out: str) -> None:
    seen = training()
    overlap = sorted(text for k, text in examples(ROOT / held_out).items() if k in seen)
    assert overlap == []
