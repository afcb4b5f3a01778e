"""Shared fixtures: the repository's folders, copies of the specs, and the topgen command."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SPECS = REPO / "specs"
GENERATED = REPO / "generated"
FIRST_API = "alibaba.idle.tender.pre.pay.action"
# The feature-complete fixture: hand-written specs and their committed output (tests/fixture/).
FIXTURE = REPO / "tests" / "fixture"
FIXTURE_SPECS = FIXTURE / "specs"
FIXTURE_GENERATED = FIXTURE / "generated"
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


CATALOG_ENV, DOCS_ENV, TOPICS_ENV = "TOPGEN_CATALOG", "TOPGEN_DOCS", "TOPGEN_TOPICS"
CATALOG = Path(os.environ.get(CATALOG_ENV) or REPO.parent / "shared" / "top-catalog")
DOCS = Path(os.environ.get(DOCS_ENV) or REPO.parent / "shared" / "top-docs")
TOPICS = Path(os.environ.get(TOPICS_ENV) or REPO.parent / "shared" / "top-topics")


def _require(folder: Path, what: str, env: str) -> Path:
    """The folder, or a skip saying where it was looked for; on CI, where it must be, a failure."""
    if folder.is_dir():
        return folder
    reason = f"{what} not found at {folder} (or set ${env})"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run these tests")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def catalog() -> Path:
    """The TOP catalog (doc metadata of every API) from ../shared or $TOPGEN_CATALOG."""
    return _require(CATALOG, "the TOP catalog", CATALOG_ENV)


@pytest.fixture(scope="session")
def topic_catalog() -> Path:
    """The TMC topic catalog (one JSON file per topic) from ../shared or $TOPGEN_TOPICS."""
    return _require(TOPICS, "the TMC topic catalog", TOPICS_ENV)


@pytest.fixture(scope="session")
def docs() -> Path:
    """The real TOP doc pages from ../shared or $TOPGEN_DOCS."""
    return _require(DOCS, "the TOP doc pages", DOCS_ENV)


def run_python(script: str, generated: Path) -> subprocess.CompletedProcess[str]:
    """Run `script` in a fresh interpreter importing topapi from `generated` (an --out folder)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(generated), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=generated,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def succeeds(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
    """Run a command that must exit 0; its output is the failure message otherwise."""
    run = subprocess.run(command, capture_output=True, text=True, check=False, **options)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    return run


def topgen_wheel(folder: Path) -> Path:
    """topgen's wheel, built from a copy of this checkout's sources (no stale build/ folder)."""
    source = folder / "source"
    ignored = shutil.ignore_patterns(
        ".*", "build", "dist", "*.egg-info", "__pycache__", "generated"
    )
    shutil.copytree(REPO, source, ignore=ignored)
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    succeeds([*pip, "wheel", "--no-deps", "-w", str(folder), str(source)])
    (wheel,) = folder.glob("topgen-*.whl")
    return wheel


def api_index(files: dict[str, str]) -> list[str]:
    """The API modules topapi.apis lists in its `__all__`, from a run's files."""
    tree = ast.parse(files["topapi/apis/__init__.py"])
    for node in tree.body:
        if isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == ["__all__"]:
            names: list[str] = ast.literal_eval(node.value)
            return names
    raise AssertionError("topapi/apis/__init__.py has no __all__")


def client_methods(files: dict[str, str]) -> dict[str, list[str]]:
    """The API methods each client class of _client.pyi declares, by class name."""
    tree = ast.parse(files["topapi/_client.pyi"])
    return {
        cls.name: [ast.unparse(t) for s in cls.body if isinstance(s, ast.Assign) for t in s.targets]
        for cls in tree.body
        if isinstance(cls, ast.ClassDef)
    }
