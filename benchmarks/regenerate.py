"""Regeneration times: cold (empty cache), nothing changed, one spec changed.

Usage: python benchmarks/regenerate.py [SPECS_DIR | --catalog [CATALOG_DIR]] [--jobs N]
Each run is `topgen generate` in a fresh process writing to a scratch folder; the cache lives in
a scratch folder too, so the cold run really starts empty.
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
from pathlib import Path

from catalog_specs import default_catalog, import_catalog

REPO = Path(__file__).resolve().parent.parent


def run(specs: Path, out: Path, cache: Path, jobs: int) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of topgen itself, and its summary line."""
    command = [sys.executable, "-m", "topgen.cli", "generate", "--specs", str(specs)]
    command += ["--out", str(out), "--cache", str(cache), "--jobs", str(jobs)]
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    output = process.stdout.read() if process.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"topgen generate failed: {output}")
    return seconds, usage.ru_maxrss / 1024, output.strip().splitlines()[-1]


def main() -> None:
    """Print the three figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("specs", nargs="?", type=Path, default=REPO / "specs")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--catalog",
        nargs="?",
        type=Path,
        const=default_catalog(),
        help="import this TOP catalog (default: ../shared/top-catalog) and use its specs",
    )
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="topgen-regen-"))
    specs = scratch / "specs"
    if args.catalog:
        _, imported, _ = import_catalog(args.catalog, specs, args.jobs)
        print(f"specs: {imported} APIs imported from {args.catalog} (not timed)")
    else:
        shutil.copytree(args.specs, specs)
    out, cache = scratch / "out", scratch / "cache"
    try:
        for label in ("cold (empty cache)", "nothing changed"):
            seconds, rss, summary = run(specs, out, cache, args.jobs)
            print(f"{label:>20}: {seconds:6.2f} s, {rss:6.0f} MB  ({summary})")
        changed = sorted((specs / "apis").glob("*.yaml"))[0]
        text = changed.read_text(encoding="utf-8").replace("summary: ", "summary: (v2) ", 1)
        changed.write_text(text, encoding="utf-8")  # the title: it is in the module's docstring
        seconds, rss, summary = run(specs, out, cache, args.jobs)
        print(f"{'one spec changed':>20}: {seconds:6.2f} s, {rss:6.0f} MB  ({summary})")
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"largest process of any run (workers included): {children:.0f} MB")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
