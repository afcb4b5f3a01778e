"""An input file that never ends (/dev/zero, a FIFO) or is far too big is refused at once, in a
located one-line error: the spec loader and the importer never read it."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from topgen.fileio import MAX_INPUT_BYTES

from ..conftest import FIRST_SPEC, REPO, SPECS

# A run reading /dev/zero would fill memory: capped, it fails fast instead of taking the machine.
MEMORY_CAP = 2 * 1024 * 1024 * 1024
SECONDS = 30


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def topgen(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The topgen command with its memory capped and a short timeout."""
    return capped([sys.executable, "-m", "topgen.cli", *args])


def capped(command: list[str | Path]) -> subprocess.CompletedProcess[str]:
    """A command run with its memory capped and a short timeout."""
    return subprocess.run(
        list(map(str, command)),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=SECONDS,
        check=False,
        preexec_fn=_capped,
    )


def endless(path: Path, kind: str) -> None:
    """Make `path` a file of the given kind that no reader should read to its end."""
    if kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        with path.open("wb") as stream:
            stream.truncate(MAX_INPUT_BYTES + 1)


PROBLEMS = {
    "dev-zero": "not a regular file (a character device)",
    "fifo": "not a regular file (a FIFO)",
    "too-big": "larger than 16 MiB",
}


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    """The envelope and one API spec."""
    folder = tmp_path / "specs"
    (folder / "apis").mkdir(parents=True)
    shutil.copy(SPECS / "top.yaml", folder / "top.yaml")
    shutil.copy(FIRST_SPEC, folder / "apis" / FIRST_SPEC.name)
    return folder


@pytest.mark.parametrize("kind", sorted(PROBLEMS))
def test_an_endless_spec_is_refused_in_one_located_line(specs: Path, kind: str) -> None:
    """validate: one error naming the spec file and what it is, exit 1."""
    bad = specs / "apis" / "taobao.endless.yaml"
    endless(bad, kind)
    result = topgen("validate", "--specs", specs)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{bad}: error: cannot read the file: {PROBLEMS[kind]}" in result.stderr


TIMED_READ = """
import sys, time
from pathlib import Path
from topgen.diagnostics import SpecError
from topgen.spec.load import read_spec
started = time.perf_counter()
try:
    read_spec(Path(sys.argv[1]))
except SpecError as exc:
    print(f"{time.perf_counter() - started:.3f}", exc)
"""


@pytest.mark.parametrize("kind", sorted(PROBLEMS))
def test_read_spec_refuses_at_once(tmp_path: Path, kind: str) -> None:
    """Refused in well under a second, whatever the file holds."""
    bad = tmp_path / "top.yaml"
    endless(bad, kind)
    result = capped([sys.executable, "-c", TIMED_READ, bad])
    seconds, _, message = result.stdout.partition(" ")
    assert PROBLEMS[kind] in message, result.stdout + result.stderr
    assert float(seconds) < 0.5


@pytest.mark.parametrize("kind", sorted(PROBLEMS))
def test_an_endless_doc_page_is_not_imported(tmp_path: Path, kind: str) -> None:
    """import: the doc page is named with what it is, exit 1, no spec written."""
    page = tmp_path / "page.txt"
    endless(page, kind)
    out = tmp_path / "apis"
    result = topgen("import", page, "--out", out)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert PROBLEMS[kind] in result.stderr and str(page) in result.stderr
    assert not out.exists() or not any(out.iterdir())
