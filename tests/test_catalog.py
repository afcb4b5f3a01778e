"""A deterministic sample of the real TOP catalog imports, generates and imports in Python.

`benchmarks/catalog_all.py` runs the same over every API of the catalog.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from topgen.importer import import_files
from topgen.pipeline import generate
from topgen.write import write_tree

from .conftest import SPECS, run_python

SAMPLE = 300


def catalog_entries(catalog: Path) -> list[Path]:
    """Every API file of the catalog, sorted (group indexes and packages.json left out)."""
    return sorted(p for p in catalog.glob("*/*.json") if p.name != "catelog.json" and p.stem)


def test_a_sample_of_the_catalog_imports_generates_and_imports(
    tmp_path: Path, catalog: Path
) -> None:
    """Every n-th API of the catalog: a spec, a module, and an import that works."""
    entries = catalog_entries(catalog)
    assert len(entries) > 5000
    sample = entries[:: len(entries) // SAMPLE][:SAMPLE]
    specs = tmp_path / "specs"
    (specs / "apis").mkdir(parents=True)
    shutil.copy(SPECS / "top.yaml", specs / "top.yaml")
    imported, found = import_files(sample, specs / "apis")
    assert [str(d) for d in found if d.level == "error"] == []
    assert len(imported) == SAMPLE
    result = generate(specs, jobs=2)
    out = tmp_path / "out"
    write_tree(out, result.files)
    modules = sorted(p.stem for p in (out / "topapi" / "apis").glob("*.py") if p.stem != "__init__")
    assert len(modules) == SAMPLE
    script = (
        "import importlib, topapi\n"
        f"names = {modules!r}\n"
        "for name in names:\n"
        "    module = importlib.import_module('topapi.apis.' + name)\n"
        "    assert module.__all__\n"
        "print(len(names))\n"
    )
    run = run_python(script, out)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip() == str(SAMPLE)
