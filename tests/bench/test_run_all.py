"""The table and the environment block of `make bench`: the Chinese target beside English and stock."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import latency, run_all


def stats(p50: float, p95: float, errors: int = 0) -> dict[str, Any]:
    return {"p50_ms": p50, "p95_ms": p95, "turns": 200, "errors": errors, "turns_per_second": 50.0}


def rest(mean: float, differs: list[str]) -> dict[str, Any]:
    row = {"profile": "eligible_man", "questions": 20, "status": "eligible", "asked_again": []}
    return {
        "mean_questions": mean,
        "mean_confirmations": 0.0,
        "max_confirmations": 0,
        "differs_from_planner": differs,
        "per_profile": [row],
    }


def test_table_has_the_chinese_rows(capsys: pytest.CaptureFixture[str]) -> None:
    lat: dict[str, Any] = {
        "stock": {"c1": stats(10, 20), "c16": stats(100, 400)},
        "ours": {"c1": stats(11, 22), "c16": stats(90, 300)},
        "ours-zh": {"c1": stats(13, 30), "c16": stats(95, 420, errors=2)},
    }
    lat.update(latency.compare(lat))
    pure = {
        "mean_questions": 20.3,
        "needless_questions": {},
        "goal_met": True,
        "per_profile": [{"profile": "eligible_man", "questions": 20, "status": "eligible"}],
    }
    run_all.print_table(lat, pure, {"en": rest(20.3, []), "zh": rest(20.1, ["eligible_man"])})
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("metric"))
    assert header.split() == ["metric", "ours", "ours-zh", "stock", "ratio", "ratio-zh", "goal"]
    p95_c1 = next(line for line in out.splitlines() if line.startswith("turn p95 ms, concurrency 1"))
    assert p95_c1.split()[5:] == ["22.0", "30.0", "20.0", "1.10", "1.50", "<=", "1.2x", "ok/MISS"]
    p95_c16 = next(line for line in out.splitlines() if line.startswith("turn p95 ms, concurrency 16"))
    assert p95_c16.endswith("ok/MISS")  # the Chinese target had errors
    rest_row = next(line for line in out.splitlines() if line.startswith("questions/screening (REST"))
    assert "20.30" in rest_row and "20.10" in rest_row and rest_row.endswith("ok/DIFF")
    assert "eligible / eligible / eligible" in out


def test_environment_records_model_and_training(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = tmp_path / "assistant.tar.gz"
    model.write_bytes(b"x" * 1234)
    training = tmp_path / "training.json"
    monkeypatch.setattr(run_all, "MODEL", model)
    monkeypatch.setattr(run_all, "TRAINING", training)
    env = run_all.environment((0.0, 0.0, 0.0), False)
    assert env["model_bytes"] == 1234
    assert "training" not in env
    training.write_text(json.dumps({"seconds": 1800, "cpus": 2}), encoding="utf-8")
    assert run_all.environment((0.0, 0.0, 0.0), False)["training"] == {"seconds": 1800, "cpus": 2}
    training.write_text("{not json", encoding="utf-8")
    assert "unreadable" in run_all.environment((0.0, 0.0, 0.0), False)["training"]
    model.unlink()
    assert run_all.environment((0.0, 0.0, 0.0), False)["model_bytes"] is None
