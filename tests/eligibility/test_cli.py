"""The command line contract: ``python -m bot.eligibility FILE|-``.

Good input: exit 0 and the JSON result on stdout. Bad input: exit 2, nothing on stdout, and one
line on stderr naming the offending field (where there is one).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.eligibility import AnswerError, parse_json, validate

Profile = Callable[[], dict[str, Any]]

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTRACT_KEYS = ["status", "protocol_version", "eligible_from", "criteria"]


def cli(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode("utf-8", "surrogatepass") if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "bot.eligibility", *args],
        cwd=REPO_ROOT,
        input=data if data is not None else b"",
        capture_output=True,
        timeout=60,
        check=False,
    )


def assert_contract(output: dict[str, Any]) -> None:
    assert list(output) == CONTRACT_KEYS
    assert output["status"] in {"eligible", "ineligible", "needs_review"}
    assert output["protocol_version"] == "2025-07-22"
    assert output["eligible_from"] is None or date.fromisoformat(output["eligible_from"])
    assert len(output["criteria"]) == 18
    for item in output["criteria"]:
        assert list(item) == ["id", "result", "explanation"]
        assert item["result"] in {"pass", "fail", "unknown"}
        assert isinstance(item["explanation"], str) and item["explanation"]


# --- good input -----------------------------------------------------------------------------


def test_good_file(tmp_path: Path, eligible_profile: Profile) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(eligible_profile()), encoding="utf-8")
    done = cli(str(path))
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    output = json.loads(done.stdout)
    assert_contract(output)
    assert output["status"] == "eligible"
    assert output["eligible_from"] is None
    assert {c["result"] for c in output["criteria"]} == {"pass"}


def test_good_stdin_with_a_washout(eligible_profile: Profile) -> None:
    answers = {**eligible_profile(), "as_of": "2026-09-15", "last_denosumab": "2026-08-31", "egfr": None}
    done = cli("-", stdin=json.dumps(answers))
    assert done.returncode == 0, done.stderr
    output = json.loads(done.stdout)
    assert_contract(output)
    assert output["status"] == "ineligible"
    assert output["eligible_from"] == "2027-02-28"
    results = {c["id"]: c for c in output["criteria"]}
    assert results["E5"]["result"] == "fail"
    assert "2027-02-28" in results["E5"]["explanation"]
    assert results["E10"]["result"] == "unknown"


def test_empty_object_needs_review() -> None:
    done = cli("-", stdin="{}")
    assert done.returncode == 0, done.stderr
    output = json.loads(done.stdout)
    assert_contract(output)
    assert output["status"] == "needs_review"
    assert {c["result"] for c in output["criteria"]} == {"unknown"}


def test_as_of_defaults_to_the_real_today(eligible_profile: Profile) -> None:
    """Without as_of, a dose dated tomorrow is in the future, so it is rejected."""
    answers = eligible_profile()
    del answers["as_of"]
    answers["last_denosumab"] = (date.today() + timedelta(days=2)).isoformat()
    done = cli("-", stdin=json.dumps(answers))
    assert done.returncode == 2
    assert done.stdout == b""
    assert "last_denosumab" in done.stderr.decode()

    answers["last_denosumab"] = (date.today() - timedelta(days=2)).isoformat()
    done = cli("-", stdin=json.dumps(answers))
    assert done.returncode == 0, done.stderr
    assert {c["id"]: c["result"] for c in json.loads(done.stdout)["criteria"]}["E5"] == "fail"


# --- bad input ------------------------------------------------------------------------------

GOOD = '"as_of": "2025-09-01", "sex": "male", "age": 60'

# (name, stdin, field the message must name or None)
BAD: list[tuple[str, str, str | None]] = [
    # not JSON
    ("not-json-truncated", '{"age": 60', None),
    ("not-json-text", "hello", None),
    ("not-json-empty", "", None),
    ("not-json-single-quotes", "{'age': 60}", None),
    ("not-json-trailing-comma", '{"age": 60,}', None),
    ("not-json-two-documents", "{} {}", None),
    # not an object
    ("array", "[]", None),
    ("array-of-object", '[{"age": 60}]', None),
    ("number", "42", None),
    ("string", '"age"', None),
    ("null", "null", None),
    ("boolean", "true", None),
    # unknown field
    ("unknown-field-typo", '{"agee": 60}', "agee"),
    ("unknown-field-case", '{"Age": 60}', "Age"),
    ("unknown-field-e14", '{"investigator_unsuitable": true}', "investigator_unsuitable"),
    ("unknown-field-among-good", "{" + GOOD + ', "consnet": true}', "consnet"),
    # wrong type
    ("age-string", '{"age": "sixty"}', "age"),
    ("age-numeric-string", '{"age": "60"}', "age"),
    ("age-true", '{"age": true}', "age"),
    ("age-list", '{"age": [60]}', "age"),
    ("bool-yes", '{"consent": "yes"}', "consent"),
    ("bool-string-true", '{"consent": "true"}', "consent"),
    ("bool-one", '{"consent": 1}', "consent"),
    ("bool-zero", '{"type2_diabetes": 0}', "type2_diabetes"),
    ("bool-object", '{"dental_issue": {}}', "dental_issue"),
    ("sex-number", '{"sex": 1}', "sex"),
    ("date-number", '{"as_of": 20250901}', "as_of"),
    ("dose-true", '{"last_denosumab": true}', "last_denosumab"),
    # out of range
    ("age-negative", '{"age": -1}', "age"),
    ("age-121", '{"age": 121}', "age"),
    ("age-120.5", '{"age": 120.5}', "age"),
    ("t-score-low", '{"lowest_t_score": -10.1}', "lowest_t_score"),
    ("t-score-high", '{"lowest_t_score": 5.1}', "lowest_t_score"),
    ("egfr-negative", '{"egfr": -0.1}', "egfr"),
    ("egfr-high", '{"egfr": 200.1}', "egfr"),
    ("vitamin-d-negative", '{"vitamin_d_ng_ml": -1}', "vitamin_d_ng_ml"),
    ("vitamin-d-high", '{"vitamin_d_ng_ml": 201}', "vitamin_d_ng_ml"),
    ("uacr-negative", '{"uacr_mg_g": -1}', "uacr_mg_g"),
    ("uacr-high", '{"uacr_mg_g": 10000.5}', "uacr_mg_g"),
    ("diabetes-years-negative", '{"diabetes_years": -1}', "diabetes_years"),
    ("diabetes-years-over-age", '{"age": 40, "diabetes_years": 41}', "diabetes_years"),
    ("menopause-negative", '{"years_since_menopause": -0.5}', "years_since_menopause"),
    ("menopause-over-age", '{"sex": "female", "age": 50, "years_since_menopause": 50.5}', "years_since_menopause"),
    # unknown sex
    ("sex-m", '{"sex": "m"}', "sex"),
    ("sex-Male", '{"sex": "Male"}', "sex"),
    ("sex-FEMALE", '{"sex": "FEMALE"}', "sex"),
    ("sex-empty", '{"sex": ""}', "sex"),
    ("sex-padded", '{"sex": "male "}', "sex"),
    # unparseable dates
    ("date-month-13", '{"as_of": "2026-13-01"}', "as_of"),
    ("date-d-m-y", '{"as_of": "31/08/2026"}', "as_of"),
    ("as-of-never", '{"as_of": "never"}', "as_of"),
    ("date-feb-30", '{"last_denosumab": "2026-02-30"}', "last_denosumab"),
    ("date-unpadded", '{"last_teriparatide": "2026-8-31"}', "last_teriparatide"),
    ("date-with-time", '{"last_romosozumab": "2026-08-31T00:00"}', "last_romosozumab"),
    ("date-word", '{"last_oral_bisphosphonate": "yesterday"}', "last_oral_bisphosphonate"),
    ("date-never-capital", '{"last_iv_bisphosphonate": "Never"}', "last_iv_bisphosphonate"),
    # a dose after the screening date
    ("dose-after-as-of", '{"as_of": "2025-09-01", "last_denosumab": "2025-09-02"}', "last_denosumab"),
    ("iv-after-as-of", '{"as_of": "2025-09-01", "last_iv_bisphosphonate": "2030-01-01"}', "last_iv_bisphosphonate"),
    # NaN / Infinity
    ("nan", '{"age": NaN}', "age"),
    ("infinity", '{"egfr": Infinity}', "egfr"),
    ("minus-infinity", '{"lowest_t_score": -Infinity}', "lowest_t_score"),
    ("overflow-to-infinity", '{"age": 1e999}', "age"),
    # duplicate keys
    ("duplicate-key", '{"age": 60, "age": 60}', "age"),
    ("duplicate-key-different", "{" + GOOD + ', "sex": "female"}', "sex"),
    # robustness within the classes above
    ("huge-integer-age", '{"age": 1' + "0" * 400 + "}", "age"),  # out of range, exact integer
    ("overlong-integer", '{"age": ' + "9" * 5000 + "}", "age"),  # beyond Python's int-parsing limit
    ("deeply-nested-array", "[" * 100_000 + "]" * 100_000, None),  # not an object
    ("newline-in-unknown-field", '{"ag\\ne": 60}', None),  # the message must still be one line
]


def _one_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    lines = text.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}: {text[:500]!r}"
    assert lines[0].strip()
    return lines[0]


@pytest.mark.parametrize(("name", "stdin", "field"), BAD, ids=[case[0] for case in BAD])
def test_bad_input_on_stdin(name: str, stdin: str, field: str | None) -> None:
    done = cli("-", stdin=stdin)
    assert done.returncode == 2, done.stderr.decode("utf-8", "replace")[-500:]
    assert done.stdout == b""
    line = _one_line(done.stderr)
    if field is not None:
        assert field in line


@pytest.mark.parametrize(
    ("name", "stdin", "field"),
    [case for case in BAD if case[2] is not None],
    ids=[case[0] for case in BAD if case[2] is not None],
)
def test_bad_input_names_the_field_in_the_api(name: str, stdin: str, field: str) -> None:
    with pytest.raises(AnswerError) as caught:
        validate(parse_json(stdin), today=date(2025, 9, 1))
    assert caught.value.field == field
    assert field in str(caught.value)


def test_bad_input_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{"agee": 60}', encoding="utf-8")
    done = cli(str(path))
    assert done.returncode == 2
    assert done.stdout == b""
    assert "agee" in _one_line(done.stderr)


def test_missing_file(tmp_path: Path) -> None:
    done = cli(str(tmp_path / "no-such-file.json"))
    assert done.returncode == 2
    assert done.stdout == b""
    assert "no-such-file.json" in _one_line(done.stderr)


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"sex": "m\xe4le"}')
    done = cli(str(path))
    assert done.returncode == 2
    assert done.stdout == b""
    _one_line(done.stderr)


@pytest.mark.parametrize(
    "stdin",
    [
        '{"age": 0, "diabetes_years": 0, "years_since_menopause": 0}',
        '{"age": 120, "diabetes_years": 120, "years_since_menopause": 120}',
        '{"lowest_t_score": -10, "egfr": 0, "vitamin_d_ng_ml": 0, "uacr_mg_g": 0}',
        '{"lowest_t_score": 5, "egfr": 200, "vitamin_d_ng_ml": 200, "uacr_mg_g": 10000}',
        '{"as_of": "2025-09-01", "last_denosumab": "2025-09-01", "last_iv_bisphosphonate": "never"}',
        '{"sex": null, "age": null, "consent": null, "as_of": null}',
    ],
    ids=["ranges-low", "ranges-high", "scores-low", "scores-high", "dose-on-as-of", "nulls"],
)
def test_edge_values_are_accepted(stdin: str) -> None:
    done = cli("-", stdin=stdin)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert_contract(json.loads(done.stdout))
