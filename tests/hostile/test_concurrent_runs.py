"""Runs on one output at the same time take turns: each succeeds, and the output is whole."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from topgen.codegen.render import OUTPUT_ENTRIES
from topgen.output.write import compare_tree, existing_files, write_tree
from topgen.pipeline import generate

from ..conftest import SPECS, run_topgen
from .trees import ENTRIES, NEW, OLD, leftovers

RUNS, ROUNDS = 4, 16
# Each run writes the old tree and the new one by turns: every write is a swap.
ALTERNATING = """
import json, sys
from pathlib import Path
from topgen.output.write import write_tree
out, trees = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())
for round in range(int(sys.argv[3])):
    write_tree(out, trees[round % 2])
"""


def test_parallel_writers_all_succeed_and_leave_a_whole_output(tmp_path: Path) -> None:
    """Four processes swapping the output sixteen times each: none fails, none leaves a mix."""
    out, trees = tmp_path / "out", tmp_path / "trees.json"
    trees.write_text(json.dumps([NEW, OLD]), encoding="utf-8")
    write_tree(out, OLD)
    command = [sys.executable, "-c", ALTERNATING, str(out), str(trees), str(ROUNDS)]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(RUNS)
    ]
    for run in runs:
        _, stderr = run.communicate(timeout=120)
        assert run.returncode == 0, stderr[-2000:]
    assert existing_files(out, ENTRIES) == OLD  # every run ended on the old tree
    assert leftovers(out) == []


def test_a_check_while_writers_run_sees_one_tree_or_the_other(tmp_path: Path) -> None:
    """compare_tree (generate --check) waits for a write to finish: it finds OLD or NEW, whole."""
    out, trees, new = tmp_path / "out", tmp_path / "trees.json", tmp_path / "new"
    trees.write_text(json.dumps([NEW, OLD]), encoding="utf-8")
    write_tree(out, OLD)
    write_tree(new, NEW)
    whole = ([], [str(d) for d in compare_tree(new, OLD)])
    command = [sys.executable, "-c", ALTERNATING, str(out), str(trees), str(ROUNDS * 4)]
    writers = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    seen, deadline = [], time.monotonic() + 60
    while any(w.poll() is None for w in writers) and time.monotonic() < deadline:
        seen.append([str(d) for d in compare_tree(out, OLD)])
    for writer in writers:
        _, stderr = writer.communicate(timeout=60)
        assert writer.returncode == 0, stderr[-2000:]
    assert len(seen) > 10
    assert [found for found in seen if found not in whole] == []


def test_parallel_generate_commands_all_succeed(tmp_path: Path) -> None:
    """Three `topgen generate` into one folder at once: all exit 0, the output is the specs'."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "topgen.cli", "generate", "--specs", str(SPECS)]
    command += ["--out", str(out), "--jobs", "1", "--no-cache"]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    for run in runs:
        _, stderr = run.communicate(timeout=120)
        assert run.returncode == 0, stderr[-2000:]
    assert existing_files(out, OUTPUT_ENTRIES) == generate(SPECS).files
    assert leftovers(out) == []
    check = run_topgen("generate", "--specs", SPECS, "--out", out, "--check", "--jobs", "1")
    assert check.returncode == 0, check.stderr
