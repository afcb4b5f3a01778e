"""`topgen demo` against a sandbox answering an error or a body that does not fit: one line naming
the method and the error, exit 1, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import FIRST_API, run_topgen

RESPONSE_KEY = FIRST_API.replace(".", "_") + "_response"
ANSWERS = {
    "error_response": (
        {"error_response": {"code": 15, "msg": "Remote service error", "sub_code": "isv.gone"}},
        "InvalidArgumentError: TOP error 15: Remote service error (isv.gone)",
    ),
    "body that does not fit": (
        {RESPONSE_KEY: {"result": "oops"}},
        "ResponseError: the response does not fit",
    ),
}


@pytest.mark.parametrize("answer", sorted(ANSWERS))
def test_a_failed_demo_call_is_one_line(tmp_path: Path, answer: str) -> None:
    """The sandbox answers the fixture: the demo names the method and the error, exit 1."""
    body, problem = ANSWERS[answer]
    (tmp_path / f"{FIRST_API}.json").write_text(json.dumps(body), encoding="utf-8")
    result = run_topgen("demo", "--fixtures", tmp_path, FIRST_API)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"topgen: error: {FIRST_API} failed: {problem}"), line
    assert result.stdout == ""


def test_a_missing_fixtures_folder_is_one_line(tmp_path: Path) -> None:
    """--fixtures naming no folder: one line naming it, exit 1."""
    missing = tmp_path / "no-such-fixtures"
    result = run_topgen("demo", "--fixtures", missing, FIRST_API)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("topgen: error: ") and str(missing) in line
