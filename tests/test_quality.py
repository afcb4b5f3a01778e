"""The generated package, topapi's runtime source and the generator pass mypy --strict, ruff
and black."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import REPO


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize("target", ["generated/topapi", "generator", "runtime"])
def test_mypy_strict(target: str) -> None:
    """No type error anywhere, under --strict."""
    result = _run("mypy", "--strict", target)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_check() -> None:
    """ruff finds nothing in the generated package, the runtime, the generator or the tests."""
    result = _run("ruff", "check", "generated", "runtime", "generator", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("target", ["generated", "runtime"])
def test_black_check(target: str) -> None:
    """The generated package and the runtime source are exactly what black makes of them."""
    result = _run("black", "--check", target)
    assert result.returncode == 0, result.stdout + result.stderr
