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

from .conftest import REPO, SPECS, topgen_wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from this checkout, installed with --target into a folder of its own."""
    root = tmp_path_factory.mktemp("wheel")
    installed = root / "installed"
    # From a copy of the sources: a build/ folder left in the checkout would slip into the wheel.
    wheel = topgen_wheel(root / "wheels")
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
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


def test_an_installed_topgen_adds_generates_and_searches_with_no_catalog_beside_it(
    installed: Path, tmp_path: Path
) -> None:
    """In an empty folder, with no ../shared and no $TOPGEN_*: add, generate, a working module."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TOPGEN_")}
    env["PYTHONPATH"] = str(installed)
    project = tmp_path / "project"
    project.mkdir()
    topgen = [sys.executable, "-m", "topgen.cli"]
    _succeeds([*topgen, "add", "taobao.tmc.user.get"], cwd=project, env=env)
    again = _succeeds([*topgen, "generate"], cwd=project, env=env)
    assert "1 APIs" in again.stdout and "0 file(s) written" in again.stdout
    check = (
        "from topapi.apis.taobao_tmc_user_get import TaobaoTmcUserGetRequest as Request\n"
        "print(Request(fields='topics', nick='tb_user').nick)\n"
    )
    generated = {**env, "PYTHONPATH": str(project / "generated")}
    assert (
        _succeeds([sys.executable, "-c", check], cwd=project, env=generated).stdout == "tb_user\n"
    )
    found = _succeeds([*topgen, "search", "退款", "--limit", "0"], cwd=project, env=env)
    assert "taobao.refund.get\t获取单笔退款详情\n" in found.stdout
    assert all("退款" in line for line in found.stdout.splitlines()[:20])


def test_the_wheel_carries_the_packed_catalogs_and_their_licences(installed: Path) -> None:
    """Both packs, their licence texts and the attribution are in the wheel, as committed."""
    shipped, committed = installed / "topgen" / "catalogs", REPO / "generator" / "catalogs"
    names = ["top-catalog.tsv.gz", "top-topics.tsv.gz", "LICENSE-top-catalog.txt"]
    names += ["LICENSE-top-topics.txt", "README.md", "top-topic-examples.json"]
    for name in names:
        assert (shipped / name).read_bytes() == (committed / name).read_bytes(), name
    assert "Apache License" in (shipped / "LICENSE-top-catalog.txt").read_text(encoding="utf-8")
    mit = (shipped / "LICENSE-top-topics.txt").read_text(encoding="utf-8")
    assert mit.startswith("Copyright (c) 2022-2024 James ZHANG(TheNorthMemory)")
    attribution = (shipped / "README.md").read_text(encoding="utf-8")
    assert "bububa/opentaobao" in attribution and "TheNorthMemory/tmc.js" in attribution


def _succeeds(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
    """Run a command that must exit 0; its stderr is the failure message otherwise."""
    run = subprocess.run(command, capture_output=True, text=True, check=False, **options)
    assert run.returncode == 0, run.stderr[-3000:]
    return run
