"""Shared fixtures: the repository's folders, copies of the specs, and the topgen command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SPECS = REPO / "specs"
GENERATED = REPO / "generated"
FIRST_API = "alibaba.idle.tender.pre.pay.action"
FIRST_SPEC = SPECS / "apis" / f"{FIRST_API}.yaml"


@pytest.fixture
def specs_copy(tmp_path: Path) -> Path:
    """A writable copy of the repository's specs folder."""
    target = tmp_path / "specs"
    shutil.copytree(SPECS, target)
    return target


def run_topgen(
    *args: str | Path, cwd: Path | None = None, seed: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the topgen command in a fresh interpreter, as a user would."""
    env = dict(os.environ)
    if seed is not None:
        env["PYTHONHASHSEED"] = seed
    return subprocess.run(
        [sys.executable, "-m", "topgen.cli", *map(str, args)],
        cwd=cwd or REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
