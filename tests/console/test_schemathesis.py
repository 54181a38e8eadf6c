"""Schemathesis (4.x CLI) against /api/openapi.json of a live, seeded server with an admin token:
no server error, and every response matches the document (status, content type, headers, schema)."""

from __future__ import annotations

import subprocess

import pytest

from tests.console.conftest import Seeded
from tests.e2e.servers import ROOT, VENV_BIN


def test_api_matches_its_openapi_document(seeded: Seeded, tmp_path_factory: pytest.TempPathFactory) -> None:
    """All checks; the stateful phase follows the document's links (list -> lead -> PATCH / forget)."""
    token = seeded.console.client().token("admin")
    report = tmp_path_factory.mktemp("schemathesis")
    # Real ids for the path parameters, so GET/PATCH/DELETE reach their logic instead of 404 every time.
    config = report / "schemathesis.toml"
    config.write_text(
        "[[operations]]\n"
        'include-path = "/api/leads/{lead_id}"\n'
        f'parameters = {{ lead_id = "{seeded.kunshan_lead}" }}\n\n'
        "[[operations]]\n"
        'include-path = "/api/people/{screening_id}"\n'
        f'parameters = {{ screening_id = "{seeded.beijing_screening}" }}\n'
    )
    result = subprocess.run(
        [
            str(VENV_BIN / "schemathesis"), "--config-file", str(config),
            "run", f"{seeded.console.url}/api/openapi.json",
            "--url", seeded.console.url,
            "-H", f"Authorization: Bearer {token}",
            "--checks", "all",
            "--max-examples", "20",
            "--seed", "20261125",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--workers", "1",
            "--request-timeout", "30",
            "--report", "junit", "--report-dir", str(report),
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "Failures:" not in output and "✅ Stateful" in output and "✅ Fuzzing" in output, output[-3000:]
    warnings = output.split("WARNINGS")[-1].split("=====")[0]
    assert "- GET /api/leads/{lead_id}" not in warnings  # it was reached with a real id, not only 404s
