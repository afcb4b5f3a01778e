"""Every API of the TOP catalog through topgen: import, generate, import in Python; prints counts.

Usage: python benchmarks/catalog_all.py [CATALOG_DIR] [--jobs N] [--keep DIR] [--compare-models]
(CATALOG_DIR defaults to $TOPGEN_CATALOG or ../shared/top-catalog.)
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from catalog_specs import default_catalog, import_catalog

from topgen.codegen.datamodels import generate_models, generate_models_in_one_call, same_models
from topgen.diagnostics import Level
from topgen.output.write import write_tree
from topgen.pipeline import check_specs, generate

REPO = Path(__file__).resolve().parent.parent
IMPORT_CHECK = """
import importlib, sys
names = sys.stdin.read().split()
failed = []
for name in names:
    try:
        importlib.import_module("topapi.apis." + name)
    except Exception as exc:
        failed.append(f"{name}: {type(exc).__name__}: {exc}".splitlines()[0])
print(len(names) - len(failed))
print("\\n".join(failed))
"""


def main() -> None:
    """Run the whole catalog and print what came through each stage."""
    args = _arguments()
    work = Path(args.keep or tempfile.mkdtemp(prefix="topgen-catalog-"))
    specs = work / "specs"

    started = time.perf_counter()
    files, imported, problems = import_catalog(args.catalog, specs, args.jobs)
    import_seconds = time.perf_counter() - started
    refused = [d for d in problems if d.level is Level.ERROR]
    print(f"catalog files:        {files} (in {args.catalog})")
    print(f"imported as specs:    {imported} in {import_seconds:.1f} s")
    print(f"refused (not an API): {len(refused)}")
    for diagnostic in refused[:10]:
        print(f"    {diagnostic}")
    warnings = Counter(
        d.message.split(":")[-1].strip()[:60] for d in problems if d.level is Level.WARNING
    )
    print(f"import warnings:      {sum(warnings.values())}, most common: {warnings.most_common(3)}")

    started = time.perf_counter()
    result = generate(specs, jobs=args.jobs)
    out = work / "out"
    write_tree(out, result.files)
    generate_seconds = time.perf_counter() - started
    modules = sorted(p.stem for p in (out / "topapi" / "apis").glob("*.py") if p.stem != "__init__")
    lines = sum(text.count("\n") for text in result.files.values())
    print(f"generated modules:    {len(modules)} ({lines} lines) in {generate_seconds:.1f} s")
    total = import_seconds + generate_seconds
    print(f"cold total:           {total:.1f} s (import + generate + write, {args.jobs} workers)")

    started = time.perf_counter()
    ok, failures = _import_check(out, modules)
    print(f"modules importing:    {ok} of {len(modules)} in {time.perf_counter() - started:.1f} s")
    for failure in failures[:10]:
        print(f"    {failure}")
    started = time.perf_counter()
    print(f"black --check:        {black_check(out)} in {time.perf_counter() - started:.1f} s")
    if args.compare_models:
        started = time.perf_counter()
        differing = _models_differing(specs)
        seconds = time.perf_counter() - started
        print(f"models unlike one whole-API run: {differing} ({seconds:.0f} s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS:             {peak:.0f} MB (largest worker {children:.0f} MB)")
    print(f"output kept in:       {work}" if args.keep else "")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("catalog", nargs="?", type=Path, default=default_catalog())
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="keep the specs and output in this folder")
    parser.add_argument(
        "--compare-models",
        action="store_true",
        help="also generate every API's models in one datamodel-code-generator run and compare",
    )
    return parser.parse_args()


def _models_differing(specs: Path) -> list[str]:
    """The APIs whose shape-assembled models differ from one whole-API run (slow: ~25 ms each)."""
    project, _ = check_specs(specs, jobs=os.cpu_count() or 1)
    differing = []
    for api in project.apis:
        if not same_models(generate_models(api), generate_models_in_one_call(api)):
            differing.append(api.method)
    return differing


def black_check(out: Path) -> str:
    """black's verdict on the output: the oracle that topgen's layout is black's."""
    black = Path(sys.executable).with_name("black")
    command = [str(black), "--check", str(out)]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    verdict = run.stderr.strip().splitlines()
    return verdict[-1] if verdict else f"exit {run.returncode}"


def _import_check(out: Path, modules: list[str]) -> tuple[int, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(out)}
    run = subprocess.run(
        [sys.executable, "-c", IMPORT_CHECK],
        input="\n".join(modules),
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if run.returncode != 0:
        return 0, [run.stderr[-2000:]]
    first, *rest = run.stdout.splitlines()
    return int(first), [line for line in rest if line]


if __name__ == "__main__":
    main()
