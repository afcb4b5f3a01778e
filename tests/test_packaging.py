"""topgen installed from its wheel (not editable) carries its templates and generates the same."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from topgen.codegen.render import OUTPUT_ENTRIES
from topgen.output.write import existing_files

from .conftest import REPO, SPECS


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from this checkout, installed with --target into a folder of its own."""
    root = tmp_path_factory.mktemp("wheel")
    wheels, installed = root / "wheels", root / "installed"
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    _succeeds([*pip, "wheel", "--no-deps", "-w", str(wheels), str(REPO)])
    (wheel,) = wheels.glob("topgen-*.whl")
    _succeeds([*pip, "install", "--no-deps", "--target", str(installed), str(wheel)])
    return installed


def test_an_installed_topgen_finds_its_templates(installed: Path, tmp_path: Path) -> None:
    """The installed topgen regenerates the committed package."""
    out = tmp_path / "out"
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


def test_an_installed_topgen_imports_without_a_specs_folder(
    installed: Path, docs: Path, tmp_path: Path
) -> None:
    """`topgen import` in a project with no specs/top.yaml checks against the shipped envelope."""
    project, page = tmp_path / "project", docs / "alibaba.idle.tender.pre.pay.action.txt"
    project.mkdir()
    env = {**os.environ, "PYTHONPATH": str(installed)}
    command = [sys.executable, "-m", "topgen.cli", "import", str(page), "--out", "apis"]
    run = _succeeds(command, cwd=project, env=env)
    spec = project / "apis" / "alibaba.idle.tender.pre.pay.action.yaml"
    assert f"wrote {spec.relative_to(project)}" in run.stdout
    assert "x-top-method: alibaba.idle.tender.pre.pay.action" in spec.read_text(encoding="utf-8")


def _succeeds(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
    """Run a command that must exit 0; its stderr is the failure message otherwise."""
    run = subprocess.run(command, capture_output=True, text=True, check=False, **options)
    assert run.returncode == 0, run.stderr[-3000:]
    return run
