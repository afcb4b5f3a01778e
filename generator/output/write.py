"""Stage 6, write: put the generated package in place atomically, or compare it with the output."""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .swap import NEW, STAGING_PREFIX, held_signals, locked, recover, swap_entries

IGNORED_PARTS = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache"})
# A file of the output that is not UTF-8 still reads, as text no generator writes, and writes back
# byte for byte (--only keeps it).
ENCODING, ERRORS = "utf-8", "surrogateescape"


@dataclass(frozen=True)
class Difference:
    """A file of the output folder that is not what generation produces."""

    path: str
    problem: str
    diff: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


@dataclass(frozen=True)
class Written:
    """What write_tree did to the output: each file written (new or changed), left, removed."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """Whether the output is any different now."""
        return bool(self.written or self.removed)


def existing_paths(out_dir: Path, packages: Iterable[str]) -> list[Path]:
    """The files of `out_dir`'s generated entries (packages, top-level files), sorted."""
    found = []
    for package in sorted(packages):
        top = out_dir / package
        for path in [top] if top.is_file() else sorted(top.rglob("*")):
            relative = path.relative_to(out_dir)
            if path.is_file() and not IGNORED_PARTS.intersection(relative.parts):
                found.append(path)
    return found


def existing_files(out_dir: Path, packages: Iterable[str]) -> dict[str, str]:
    """The text of `out_dir`'s generated entries (packages, top-level files), by relative path."""
    return {
        path.relative_to(out_dir).as_posix(): path.read_bytes().decode(ENCODING, ERRORS)
        for path in existing_paths(out_dir, packages)
    }


def compare_tree(out_dir: Path, files: dict[str, str], *, prune: bool = True) -> list[Difference]:
    """Every stale, missing or extra file, with a unified diff for the stale ones.

    Without `prune`, a file of the output that `files` does not hold is no difference: it is
    what a run that never deletes (generate --only) leaves as it is.
    """
    present = _present(out_dir, files, shared=True)
    found = []
    for path in sorted(set(files) | set(present)):
        if path not in present:
            found.append(Difference(path, "missing"))
        elif path not in files:
            if prune:
                found.append(Difference(path, "extra (no spec generates it)"))
        elif present[path] != files[path]:
            diff = difflib.unified_diff(
                _shown(present[path]).splitlines(keepends=True),
                files[path].splitlines(keepends=True),
                fromfile=f"committed/{path}",
                tofile=f"generated/{path}",
            )
            found.append(Difference(path, "stale", "".join(diff)))
    return found


def write_tree(out_dir: Path, files: dict[str, str], *, prune: bool = True) -> Written:
    """Replace the generated entries under `out_dir` with `files`, so that a reader or a failed,
    interrupted or killed run only ever finds each entry whole, old or new.

    Runs on one output take turns (a lock file in it). Every file is written to a staging folder
    beside the entries first (an unchanged file is hard-linked there rather than written again);
    only then is each changed entry (`topapi/`, `pyproject.toml`) swapped into place in one step,
    with Ctrl-C held off until all are. A run killed during the swaps may leave some entries new
    and the others old, each whole; the next run on the output finishes those swaps first (from
    the journal they left) and removes what killed runs staged. Without `prune`, the output's
    files that `files` does not hold are kept as they are instead of removed.
    """
    _folder(out_dir).mkdir(parents=True, exist_ok=True)
    with locked(out_dir):
        recover(out_dir)
        present = _present(out_dir, files)
        kept = {} if prune else {p: t for p, t in present.items() if p not in files}
        wanted = {**kept, **files}
        report = Written(
            written=tuple(sorted(p for p in files if present.get(p) != files[p])),
            unchanged=tuple(sorted(p for p in wanted if present.get(p) == wanted[p])),
            removed=tuple(sorted(p for p in present if p not in wanted)),
        )
        if report.changed:
            _replace(out_dir, wanted, present, _packages(set(report.written + report.removed)))
    return report


def _replace(
    out_dir: Path, wanted: dict[str, str], present: dict[str, str], entries: set[str]
) -> None:
    """Stage the changed entries' files, then swap those entries into place."""
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    try:
        for path, text in wanted.items():
            if path.split("/", 1)[0] in entries:
                _stage(out_dir / path, staging / NEW / path, text, present.get(path) == text)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # A failure from here on leaves the journal and the staging folder for the next run.
    with held_signals():
        swap_entries(out_dir, staging, sorted(entries))
        shutil.rmtree(staging, ignore_errors=True)


def _stage(current: Path, target: Path, text: str, unchanged: bool) -> None:
    """Put `text` at `target`: a link to the output's file when that holds it already."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not unchanged or not _linked(current, target):
        target.write_bytes(text.encode(ENCODING, ERRORS))


def _present(out_dir: Path, files: dict[str, str], *, shared: bool = False) -> dict[str, str]:
    """The output's files of the entries `files` makes; nothing when there is no output yet."""
    if not _folder(out_dir).is_dir():
        return {}
    if not shared:
        return existing_files(out_dir, _packages(set(files)))
    with locked(out_dir, shared=True):
        return existing_files(out_dir, _packages(set(files)))


def _folder(out_dir: Path) -> Path:
    """`out_dir`, unless it is something other than a folder."""
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(f"{out_dir}: the output must be a folder, and this is a file")
    return out_dir


def _shown(text: str) -> str:
    """Text read from the output, bytes that are not UTF-8 shown as replacement characters."""
    return text.encode(ENCODING, ERRORS).decode(ENCODING, "replace")


def _linked(source: Path, target: Path) -> bool:
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def _packages(paths: Iterable[str]) -> set[str]:
    return {path.split("/", 1)[0] for path in paths}
