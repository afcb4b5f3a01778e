"""topgen installed from its wheel (not editable) carries its templates and generates the same."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from topgen.codegen.render import OUTPUT_ENTRIES
from topgen.output.write import existing_files

from .conftest import REPO, SPECS


def test_an_installed_topgen_finds_its_templates(tmp_path: Path) -> None:
    """A wheel built from this checkout, installed apart, regenerates the committed package."""
    wheels, installed, out = tmp_path / "wheels", tmp_path / "installed", tmp_path / "out"
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    _succeeds([*pip, "wheel", "--no-deps", "-w", str(wheels), str(REPO)])
    (wheel,) = wheels.glob("topgen-*.whl")
    _succeeds([*pip, "install", "--no-deps", "--target", str(installed), str(wheel)])
    env = {**os.environ, "PYTHONPATH": str(installed)}
    probe = "import topgen.resources as r; print(r.TEMPLATES_DIR, r.RUNTIME_DIR, r.ENVELOPE_FILE)"
    where = _succeeds([sys.executable, "-c", probe], env=env)
    shipped = [
        installed / "topgen" / name for name in ("templates", "runtime", "envelope/top.yaml")
    ]
    assert where.stdout.split() == [str(path) for path in shipped]
    command = [sys.executable, "-m", "topgen.cli", "generate", "--specs", str(SPECS)]
    _succeeds([*command, "--out", str(out), "--no-cache"], cwd=tmp_path, env=env)
    assert existing_files(out, OUTPUT_ENTRIES) == existing_files(REPO / "generated", OUTPUT_ENTRIES)


def _succeeds(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
    """Run a command that must exit 0; its stderr is the failure message otherwise."""
    run = subprocess.run(command, capture_output=True, text=True, check=False, **options)
    assert run.returncode == 0, run.stderr[-3000:]
    return run
