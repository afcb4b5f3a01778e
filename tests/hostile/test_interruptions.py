"""A run stopped at any line of the writing (Ctrl-C, SIGKILL) leaves each entry of the output
whole, old or new; Ctrl-C leaves all of it old or new and says so in one line."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from topgen.output import swap, write
from topgen.output.write import existing_files, write_tree

from ..conftest import REPO, run_python
from .trees import ENTRIES, NEW, OLD, entry, leftovers

# Far more lines than writing these four files runs: every one is a place to stop at.
MOST_LINES = 400
CHILD_SECONDS = 10


def stop_at(line: int, signum: int) -> Callable[[FrameType, str, Any], Any]:
    """A trace function that sends `signum` to this process at the `line`-th line of the output
    stage's code (generator/output/*) that runs."""
    folder = str(Path(write.__file__).parent)
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if not frame.f_code.co_filename.startswith(folder):
            return None
        if event == "line":
            count += 1
            if count == line:
                os.kill(os.getpid(), signum)
        return trace

    return trace


def run_stopped(out: Path, line: int, signum: int) -> int:
    """write_tree(out, NEW) in a forked child stopped at `line`; its exit status."""
    child = os.fork()
    if child == 0:  # pragma: no cover - the child never returns
        code = 0
        try:
            sys.settrace(stop_at(line, signum))
            write_tree(out, NEW)
        except BaseException:
            code = 130
        finally:
            sys.settrace(None)
            os._exit(code)
    deadline = time.monotonic() + CHILD_SECONDS
    while time.monotonic() < deadline:
        done, status = os.waitpid(child, os.WNOHANG)
        if done:
            return status
        time.sleep(0.002)
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    raise AssertionError(f"the run stopped at line {line} did not end in {CHILD_SECONDS} s")


SIGNALS = pytest.mark.parametrize(
    "signum", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"]
)


@SIGNALS
def test_a_run_stopped_at_any_line_leaves_each_entry_whole(tmp_path: Path, signum: int) -> None:
    """Stopped at each line in turn: every entry is old or new; Ctrl-C leaves no mix of them; the
    next run completes the output and removes what the stopped run staged."""
    assert (
        stop_everywhere(tmp_path, signum, [entry(t, n) for t in (OLD, NEW) for n in ENTRIES]) == 0
    )


@SIGNALS
def test_without_an_exchange_a_killed_run_is_completed_by_the_next(
    tmp_path: Path, signum: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where renameat2 is not offered, a folder is moved aside then replaced: a run killed
    between the two leaves it missing (Ctrl-C still cannot), until the next run puts it back."""
    monkeypatch.setattr(swap, "_renameat2", lambda: None)
    killed = signum == signal.SIGKILL
    missing = [{}] if killed else []
    whole = [entry(t, n) for t in (OLD, NEW) for n in ENTRIES] + missing
    # Killed between the two renames, a folder is missing: that is what this case reaches.
    assert bool(stop_everywhere(tmp_path, signum, whole)) == killed


def stop_everywhere(tmp_path: Path, signum: int, whole: list[dict[str, str]]) -> int:
    """Stop write_tree(OLD -> NEW) at each of its lines in turn: each entry must be one of
    `whole` then, all of the output old or new after Ctrl-C, and the next run must complete it.
    Returns at how many lines it left an entry missing."""
    stopped_in_time = missing = 0
    for line in range(1, MOST_LINES + 1):
        out = tmp_path / f"out{line}"
        write_tree(out, OLD)
        status = run_stopped(out, line, signum)
        found = existing_files(out, ENTRIES)
        for name in ENTRIES:
            assert entry(found, name) in whole, (line, found)
        missing += any(not entry(found, name) for name in ENTRIES)
        if signum == signal.SIGINT:
            assert found in (OLD, NEW), (line, found)
        write_tree(out, NEW)
        assert existing_files(out, ENTRIES) == NEW, line
        assert leftovers(out) == [], line
        shutil.rmtree(out)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
            break  # past the last line: the run finished before the signal
        stopped_in_time += 1
    else:
        raise AssertionError(f"writing ran more than {MOST_LINES} lines")
    assert stopped_in_time > 20  # the signal did land inside the writing, many times
    return missing


CTRL_C_IN_WRITE = """
import os, signal, sys
from pathlib import Path
from topgen.cli.main import main
from topgen.output import swap, write
folder = str(Path(write.__file__).parent)
def trace(frame, event, arg):
    if frame.f_code.co_name == "_replace" and frame.f_code.co_filename.startswith(folder):
        sys.settrace(None)
        os.kill(os.getpid(), signal.SIGINT)
    return None
sys.settrace(trace)
sys.exit(main(ARGS))
"""


def test_ctrl_c_prints_one_line_and_exits_130(tmp_path: Path) -> None:
    """Ctrl-C while `topgen generate` writes: one line on stderr, no traceback, exit 130, and
    the output left whole."""
    out = tmp_path / "out"
    write_tree(out, OLD)
    specs, cache = REPO / "specs", tmp_path / "cache"
    args = ["generate", "--specs", specs, "--out", out, "--jobs", "1", "--cache", cache]
    result = run_python(f"ARGS = {[str(a) for a in args]!r}\n{CTRL_C_IN_WRITE}", tmp_path)
    assert result.returncode == 130, result.stderr
    assert result.stderr == "topgen: interrupted\n"
    assert existing_files(out, ENTRIES) == OLD
