"""The TOP catalog imported as specs, for the benchmarks that run on the whole catalog."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from topgen.diagnostics import Diagnostic
from topgen.importing.importer import import_files

REPO = Path(__file__).resolve().parent.parent


def default_catalog() -> Path:
    """$TOPGEN_CATALOG, or the shared catalog beside the repository."""
    return Path(os.environ.get("TOPGEN_CATALOG") or REPO.parent / "shared" / "top-catalog")


def import_catalog(catalog: Path, specs: Path, jobs: int) -> tuple[int, int, list[Diagnostic]]:
    """Every catalog entry imported into `specs` (with the envelope): files, imported, problems."""
    entries = sorted(p for p in catalog.glob("*/*.json") if p.name != "catelog.json")
    total, problems = import_entries(entries, specs, jobs)
    return len(entries), total, problems


def import_entries(entries: list[Path], specs: Path, jobs: int) -> tuple[int, list[Diagnostic]]:
    """The entries imported into `specs` (with the envelope) over `jobs` processes: how many
    were, and the problems found."""
    (specs / "apis").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "specs" / "top.yaml", specs / "top.yaml")
    chunks = [entries[n :: jobs * 4] for n in range(jobs * 4)]
    total, problems = 0, []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for count, found in pool.map(_import_chunk, chunks, [specs / "apis"] * len(chunks)):
            total += count
            problems.extend(found)
    return total, problems


def _import_chunk(chunk: list[Path], out_dir: Path) -> tuple[int, list[Diagnostic]]:
    imported, found = import_files(chunk, out_dir, force=True)
    return len(imported), found
