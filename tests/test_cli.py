"""The topgen command's help and usage errors."""

from __future__ import annotations

import pytest

from .conftest import run_topgen


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), ["generate", "validate"]),
        (("generate",), ["--specs", "--out", "--check", "--templates"]),
        (("validate",), ["--specs"]),
    ],
    ids=["topgen", "generate", "validate"],
)
def test_help_everywhere(args: tuple[str, ...], expected: list[str]) -> None:
    """Every command answers --help with its options and exits 0."""
    result = run_topgen(*args, "--help")
    assert result.returncode == 0, result.stderr
    for option in expected:
        assert option in result.stdout


def test_unknown_command_is_a_usage_error() -> None:
    """A wrong command exits 2 with argparse's usage message, not a traceback."""
    result = run_topgen("generat")
    assert result.returncode == 2
    assert "usage: topgen" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_specs_folder_is_reported(tmp_path: object) -> None:
    """A specs folder that does not exist is named in a one-line error, exit 1."""
    result = run_topgen("validate", "--specs", "no/such/specs")
    assert result.returncode == 1
    assert "no/such/specs: error: the specs folder does not exist" in result.stderr
    assert "Traceback" not in result.stderr
