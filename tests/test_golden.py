"""The committed generated/ (and the fixture's tests/fixture/generated/) is exactly what the specs
and templates produce, on any hash seed."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from topgen.codegen.render import OUTPUT_ENTRIES
from topgen.output.write import compare_tree, existing_files
from topgen.pipeline import generate

from .conftest import FIXTURE_GENERATED, FIXTURE_SPECS, GENERATED, REPO, SPECS, run_topgen

# Each committed output tree with the specs it is generated from.
TREES = pytest.mark.parametrize(
    ("specs", "committed"),
    [(SPECS, GENERATED), (FIXTURE_SPECS, FIXTURE_GENERATED)],
    ids=["generated", "fixture"],
)


@TREES
def test_committed_output_equals_a_fresh_generation(specs: Path, committed: Path) -> None:
    """Every file, byte for byte; a mismatch shows a unified diff per file."""
    differences = compare_tree(committed, generate(specs).files)
    report = "\n".join(f"{d}\n{d.diff}" for d in differences)
    folders = f"--specs {specs.relative_to(REPO)} --out {committed.relative_to(REPO)}"
    hint = f"{committed.relative_to(REPO)}/ is stale: run `topgen generate {folders}` and commit it"
    assert not differences, f"{hint}\n{report}"


def output_bytes(out: Path) -> dict[str, bytes]:
    """Every generated file of the output folder `out`, by relative path, with its bytes."""
    return {path: (out / path).read_bytes() for path in existing_files(out, OUTPUT_ENTRIES)}


@TREES
def test_generation_is_identical_under_different_hash_seeds(
    specs: Path, committed: Path, tmp_path: Path
) -> None:
    """Fresh processes under different PYTHONHASHSEED, with no cache, write byte-identical trees.

    Each run has a folder of its own as working directory, so no cache (the default is
    `.topgen-cache` there) can serve one seed what another wrote.
    """
    trees = {}
    for seed in ("0", "1", "4242"):
        work = tmp_path / f"seed-{seed}"
        work.mkdir()
        result = run_topgen(
            "generate", "--specs", specs, "--out", "out", "--no-cache", cwd=work, seed=seed
        )
        assert result.returncode == 0, result.stderr
        assert sorted(p.name for p in work.iterdir()) == ["out"], "a cache was written"
        trees[seed] = output_bytes(work / "out")
    assert trees["1"] == trees["0"] and trees["4242"] == trees["0"]
    assert trees["0"] == output_bytes(committed)
    topics = [path for path in trees["0"] if path.startswith("topapi/topics/")]
    assert len(topics) == len(list((specs / "topics").glob("*.yaml"))) + 2  # the index and stub


@TREES
def test_output_holds_no_absolute_paths_or_timestamps(specs: Path, committed: Path) -> None:
    """Nothing machine- or moment-specific leaks into the output."""
    today = date.today().isoformat()
    for path, text in generate(specs).files.items():
        assert str(REPO) not in text, path
        assert not re.search(r"#\s*timestamp", text), path
        assert today not in text, path


@TREES
def test_check_passes_on_a_fresh_copy(specs: Path, committed: Path, tmp_path: Path) -> None:
    """`generate --check` exits 0 when the output is current, and writes nothing."""
    out = tmp_path / "out"
    shutil.copytree(committed, out)
    before = existing_files(out, OUTPUT_ENTRIES)
    result = run_topgen("generate", "--check", "--specs", specs, "--out", out)
    assert result.returncode == 0, result.stderr
    assert existing_files(out, OUTPUT_ENTRIES) == before


def test_check_names_an_edited_generated_file(tmp_path: Path) -> None:
    """An edited output file makes `--check` fail and name that file; nothing is rewritten."""
    out = tmp_path / "out"
    shutil.copytree(GENERATED, out)
    edited = out / "topapi" / "_codec.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    result = run_topgen("generate", "--check", "--out", out)
    assert result.returncode == 1
    assert f"{edited}: stale" in result.stderr
    assert edited.read_text(encoding="utf-8").endswith("# edited by hand\n")


def test_check_names_missing_and_extra_files(tmp_path: Path) -> None:
    """A deleted output file is reported missing, a stray one extra."""
    out = tmp_path / "out"
    shutil.copytree(GENERATED, out)
    (out / "topapi" / "apis" / "alibaba_idle_tender_pre_pay_action.py").unlink()
    (out / "topapi" / "apis" / "stray.py").write_text("", encoding="utf-8")
    result = run_topgen("generate", "--check", "--out", out)
    assert result.returncode == 1
    assert "alibaba_idle_tender_pre_pay_action.py: missing" in result.stderr
    assert "stray.py: extra" in result.stderr


def test_check_fails_after_a_template_changes(tmp_path: Path) -> None:
    """A changed template makes the committed output stale."""
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    client = templates / "client.pyi.jinja"
    text = client.read_text(encoding="utf-8")
    assert "A synchronous client of the TOP gateway" in text
    client.write_text(
        text.replace("A synchronous client of the TOP gateway", "A changed docstring"),
        encoding="utf-8",
    )
    result = run_topgen("generate", "--check", "--templates", templates, "--out", GENERATED)
    assert result.returncode == 1
    assert "topapi/_client.pyi: stale" in result.stderr


def test_generate_replaces_stale_output(tmp_path: Path) -> None:
    """`generate` rewrites an edited file, removes a stray one and then `--check` passes."""
    out = tmp_path / "out"
    shutil.copytree(GENERATED, out)
    (out / "topapi" / "apis" / "stray.py").write_text("", encoding="utf-8")
    (out / "topapi" / "_errors.py").write_text("broken", encoding="utf-8")
    assert run_topgen("generate", "--out", out).returncode == 0
    assert existing_files(out, OUTPUT_ENTRIES) == existing_files(GENERATED, OUTPUT_ENTRIES)
