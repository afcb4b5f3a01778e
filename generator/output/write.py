"""Stage 6, write: put the generated package in place atomically, or compare it with the output."""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

IGNORED_PARTS = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache"})


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
        path.relative_to(out_dir).as_posix(): path.read_text(encoding="utf-8")
        for path in existing_paths(out_dir, packages)
    }


def compare_tree(out_dir: Path, files: dict[str, str], *, prune: bool = True) -> list[Difference]:
    """Every stale, missing or extra file, with a unified diff for the stale ones.

    Without `prune`, a file of the output that `files` does not hold is no difference: it is
    what a run that never deletes (generate --only) leaves as it is.
    """
    present = existing_files(out_dir, _packages(files))
    found = []
    for path in sorted(set(files) | set(present)):
        if path not in present:
            found.append(Difference(path, "missing"))
        elif path not in files:
            if prune:
                found.append(Difference(path, "extra (no spec generates it)"))
        elif present[path] != files[path]:
            diff = difflib.unified_diff(
                present[path].splitlines(keepends=True),
                files[path].splitlines(keepends=True),
                fromfile=f"committed/{path}",
                tofile=f"generated/{path}",
            )
            found.append(Difference(path, "stale", "".join(diff)))
    return found


def write_tree(out_dir: Path, files: dict[str, str], *, prune: bool = True) -> Written:
    """Replace the generated packages under `out_dir` with `files`, all at once.

    Everything is written to a temporary folder beside the output first (an unchanged file is
    hard-linked there rather than written again); only when that has succeeded is each package
    swapped into place, so a failure leaves the old output as it was. Without `prune`, the
    output's files that `files` does not hold are kept as they are instead of removed.
    """
    present = existing_files(out_dir, _packages(files)) if out_dir.is_dir() else {}
    kept = {} if prune else {p: t for p, t in present.items() if p not in files}
    wanted = {**kept, **files}
    report = Written(
        written=tuple(sorted(p for p in files if present.get(p) != files[p])),
        unchanged=tuple(sorted(p for p in wanted if present.get(p) == wanted[p])),
        removed=tuple(sorted(p for p in present if p not in wanted)),
    )
    if not report.changed:
        return report
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".topgen-", dir=out_dir))
    try:
        for path, text in wanted.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if present.get(path) != text or not _linked(out_dir / path, target):
                target.write_text(text, encoding="utf-8", newline="\n")
        for package in sorted(_packages(files)):
            _swap(staging / package, out_dir / package, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def _linked(source: Path, target: Path) -> bool:
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def _swap(new: Path, current: Path, staging: Path) -> None:
    retired = staging / f"{current.name}.old"
    if current.exists():
        current.rename(retired)
    new.rename(current)


def _packages(files: dict[str, str]) -> set[str]:
    return {path.split("/", 1)[0] for path in files}
