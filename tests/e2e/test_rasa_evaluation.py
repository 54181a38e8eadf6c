"""Rasa's own evaluations inside the test run: conversation stories and the held-out NLU set."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from scripts.check_nlu import main as check_nlu
from tests.e2e.servers import MODEL, ROOT, VENV_BIN, Servers

RESULTS = ROOT / "results"
MIN_STORIES = 40


def _tail(text: str, lines: int = 60) -> str:
    return "\n".join(text.splitlines()[-lines:])


def test_conversation_stories_pass_without_prediction_errors(servers: Servers) -> None:
    stories = yaml.safe_load((ROOT / "tests" / "test_stories.yml").read_text(encoding="utf-8"))["stories"]
    assert len(stories) >= MIN_STORIES
    out = RESULTS / "stories"
    result = subprocess.run(
        [
            str(VENV_BIN / "rasa"),
            "test",
            "core",
            "--model",
            str(MODEL),
            "--stories",
            "tests/test_stories.yml",
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


def test_held_out_nlu_meets_the_goals() -> None:
    out = RESULTS / "nlu"
    result = subprocess.run(
        [
            str(VENV_BIN / "rasa"),
            "test",
            "nlu",
            "--model",
            str(MODEL),
            "--nlu",
            "tests/nlu_test.yml",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, _tail(result.stdout + result.stderr)
    assert check_nlu([str(out)]) == 0
    assert Path(out / "summary.json").exists()
