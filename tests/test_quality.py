"""The generated packages, topapi's runtime source and the generator pass mypy --strict, ruff
and black."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURE_GENERATED, REPO

# The fixture's topapi is checked from its own folder, as a package: from the repository, the
# config's mypy_path (generated/) would lend it generated/'s API modules.
MYPY_TARGETS = {
    "generated/topapi": (REPO, ("generated/topapi",)),
    "generator": (REPO, ("generator",)),
    "runtime": (REPO, ("runtime",)),
    "tests/fixture/generated/topapi": (
        FIXTURE_GENERATED,
        ("--config-file", str(REPO / "pyproject.toml"), "-p", "topapi"),
    ),
}


def _run(*command: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize("target", sorted(MYPY_TARGETS))
def test_mypy_strict(target: str) -> None:
    """No type error anywhere, under --strict."""
    cwd, args = MYPY_TARGETS[target]
    result = _run("mypy", "--strict", *args, cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_check() -> None:
    """ruff finds nothing in the generated packages, the runtime, the generator or the tests."""
    result = _run("ruff", "check", "generated", "runtime", "generator", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("target", ["generated", "runtime", "tests/fixture/generated"])
def test_black_check(target: str) -> None:
    """The generated packages and the runtime source are exactly what black makes of them."""
    result = _run("black", "--check", target)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_check() -> None:
    """The hand-written Python (generator, tests, benchmarks) is in ruff's format."""
    result = _run("ruff", "format", "--check", "generator", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr
