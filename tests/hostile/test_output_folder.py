"""An output folder holding what no run wrote (bytes that are not UTF-8, a killed run's staging)
or being no folder at all: generate and --check answer in one line, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from topgen.codegen.render import OUTPUT_ENTRIES
from topgen.output.write import existing_files, write_tree
from topgen.pipeline import generate

from ..conftest import FIRST_SPEC, SPECS, run_topgen
from .trees import NEW, OLD

NOT_UTF8 = b"\xff\xfe\x00 not text \xc3\x28\n"


@pytest.fixture
def one_api(tmp_path: Path) -> Path:
    """A specs folder with the envelope and one API: quick to generate."""
    specs = tmp_path / "specs"
    (specs / "apis").mkdir(parents=True)
    shutil.copy(SPECS / "top.yaml", specs / "top.yaml")
    shutil.copy(FIRST_SPEC, specs / "apis" / FIRST_SPEC.name)
    return specs


def topgen(specs: Path, out: Path, *options: str) -> tuple[int, str]:
    """`topgen generate` of `specs` into `out`: its exit code and stderr."""
    result = run_topgen("generate", "--specs", specs, "--out", out, "--jobs", "1", *options)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr


def test_a_stray_file_that_is_not_utf8_is_an_extra_then_removed(
    one_api: Path, tmp_path: Path
) -> None:
    """--check names the stray file an extra; generate replaces the package without it."""
    out = tmp_path / "out"
    files = generate(one_api).files
    write_tree(out, files)
    (out / "topapi" / "stray.bin").write_bytes(NOT_UTF8)
    code, stderr = topgen(one_api, out, "--check")
    assert code == 1
    assert f"{out / 'topapi' / 'stray.bin'}: extra (no spec generates it)" in stderr
    assert topgen(one_api, out, "--no-cache")[0] == 0
    assert not (out / "topapi" / "stray.bin").exists()
    assert existing_files(out, OUTPUT_ENTRIES) == files


def test_a_generated_file_overwritten_with_bytes_is_stale_then_rewritten(
    one_api: Path, tmp_path: Path
) -> None:
    """A generated module whose bytes are not UTF-8 is stale for --check and rewritten."""
    out = tmp_path / "out"
    files = generate(one_api).files
    write_tree(out, files)
    (out / "topapi" / "__init__.py").write_bytes(NOT_UTF8)
    code, stderr = topgen(one_api, out, "--check")
    assert code == 1
    assert f"{out / 'topapi' / '__init__.py'}: stale" in stderr
    assert topgen(one_api, out, "--no-cache")[0] == 0
    assert existing_files(out, OUTPUT_ENTRIES) == files


def test_a_run_that_keeps_files_keeps_their_bytes(tmp_path: Path) -> None:
    """Without pruning (generate --only), a file that is not UTF-8 is kept byte for byte."""
    out = tmp_path / "out"
    write_tree(out, OLD)
    (out / "topapi" / "stray.bin").write_bytes(NOT_UTF8)
    write_tree(out, NEW, prune=False)
    assert (out / "topapi" / "stray.bin").read_bytes() == NOT_UTF8
    assert (out / "topapi" / "apis" / "c.py").read_text(encoding="utf-8") == NEW["topapi/apis/c.py"]


@pytest.mark.parametrize("check", [False, True], ids=["generate", "check"])
def test_out_naming_a_file_is_one_line(one_api: Path, tmp_path: Path, check: bool) -> None:
    """`--out` naming a file: one line naming it, exit 1, the file untouched."""
    out = tmp_path / "out.txt"
    out.write_text("not a folder\n", encoding="utf-8")
    code, stderr = topgen(one_api, out, *(["--check"] if check else []))
    assert code == 1
    assert stderr.splitlines() == [f"topgen: error: --out {out} is a file, not a folder"]
    assert out.read_text(encoding="utf-8") == "not a folder\n"
    with pytest.raises(NotADirectoryError, match="must be a folder"):
        write_tree(out, OLD)


def test_what_killed_runs_staged_is_removed_by_the_next(tmp_path: Path) -> None:
    """Staging folders and a journal left by killed runs go at the next run; a cache stays."""
    out = tmp_path / "out"
    write_tree(out, OLD)
    for stale in (".topgen-abcd1234", ".topgen-q_9xk2mz"):
        (out / stale / "new" / "topapi").mkdir(parents=True)
        (out / stale / "new" / "topapi" / "x.py").write_text("X = 1\n", encoding="utf-8")
    (out / ".topgen.journal").write_text('{"staging": "../../elsewhere"}', encoding="utf-8")
    (out / ".topgen-cache").mkdir()
    write_tree(out, OLD)  # nothing to write, still tidied
    assert sorted(p.name for p in out.iterdir()) == [
        ".topgen-cache",
        ".topgen.lock",
        "pyproject.toml",
        "topapi",
    ]
    assert existing_files(out, OUTPUT_ENTRIES) == OLD
