"""Rasa's own evaluations inside the test run: conversation stories and the held-out NLU set."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from scripts.check_nlu import main as check_nlu
from tests.e2e.servers import MODEL, ROOT, VENV_BIN, Servers

RESULTS = ROOT / "results"
MIN_STORIES = 40
MIN_STORIES_ZH = 30


def _tail(text: str, lines: int = 60) -> str:
    return "\n".join(text.splitlines()[-lines:])


#: Conversation stories per language, and how many each file must hold at least.
STORIES = {"en": ("tests/test_stories.yml", MIN_STORIES), "zh": ("tests/test_stories_zh.yml", MIN_STORIES_ZH)}


@pytest.mark.parametrize("language", sorted(STORIES))
def test_conversation_stories_pass_without_prediction_errors(servers: Servers, language: str) -> None:
    path, minimum = STORIES[language]
    stories = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))["stories"]
    assert len(stories) >= minimum
    out = RESULTS / "stories" / language
    result = subprocess.run(
        [
            str(VENV_BIN / "rasa"),
            "test",
            "core",
            "--model",
            str(MODEL),
            "--stories",
            path,
            "--endpoints",
            "endpoints.yml",
            "--fail-on-prediction-errors",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env=servers.env(),  # the custom actions run on the session's action server
        capture_output=True,
        text=True,
        timeout=1200,
    )
    failed = out / "failed_test_stories.yml"
    detail = failed.read_text(encoding="utf-8") if failed.exists() else ""
    assert result.returncode == 0, _tail(result.stdout + result.stderr) + "\n" + detail[:5000]


#: Held-out NLU sets: the project's own (English, written beside the training data), and four written
#: by helpers that never saw the training data, from the topic descriptions alone (tests/nlu_heldout/):
#: the first pair, and set B (en_b, zh_b), written later by another helper.
#: Each with the floor below which the run fails (both figures). The goal is 0.95 on all of them; the
#: floors sit under the figures measured when the sets were added or last improved (README, "Chinese and
#: English") by about the spread seen between models trained on nearly the same data (2-3 points), so a
#: regression fails while the goal still shows as missed in the report; 0.90 for the Chinese set at least.
HELD_OUT = {
    "en-project": ("tests/nlu_test.yml", 0.85),
    "en-independent": ("tests/nlu_heldout/en.yml", 0.90),
    "zh-independent": ("tests/nlu_heldout/zh.yml", 0.90),
    "en-b": ("tests/nlu_heldout/en_b.yml", 0.88),
    "zh-b": ("tests/nlu_heldout/zh_b.yml", 0.85),
}


@pytest.mark.parametrize("name", sorted(HELD_OUT))
def test_held_out_nlu_meets_the_goals(name: str) -> None:
    path, floor = HELD_OUT[name]
    out = RESULTS / "nlu" / name
    result = subprocess.run(
        [str(VENV_BIN / "rasa"), "test", "nlu", "--model", str(MODEL), "--nlu", path, "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, _tail(result.stdout + result.stderr)
    assert check_nlu([str(out), "--name", name, "--floor", str(floor)]) == 0
    assert Path(out / "summary.json").exists()
