"""topgen against openapi-python-client on the same TOP APIs, measured in the same run.

Usage: python benchmarks/peers.py [--apis N] [--catalog DIR] [--jobs N]
Imports a deterministic sample of N catalog APIs into scratch specs, bundles them with
`topgen bundle`, installs the peer into a throwaway venv, then times:
  - topgen generate (cold: empty cache) on the specs;
  - openapi-python-client generate on the bundle (its default ruff post-hooks).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from topgen.importing.importer import import_files

REPO = Path(__file__).resolve().parent.parent
PEER = "openapi-python-client==0.29.1"


def timed(command: list[str], **options: object) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Wall seconds of a command, and what it printed."""
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, check=False, **options)  # type: ignore[call-overload]
    return time.perf_counter() - start, run


def lines_under(folder: Path) -> int:
    """Lines of Python under a folder."""
    return sum(p.read_text(encoding="utf-8").count("\n") for p in folder.rglob("*.py"))


def main() -> None:
    """Print per-API milliseconds for both tools and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    default = os.environ.get("TOPGEN_CATALOG") or REPO.parent / "shared" / "top-catalog"
    parser.add_argument("--catalog", type=Path, default=Path(default))
    parser.add_argument("--apis", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="topgen-peers-"))
    try:
        specs = scratch / "specs"
        (specs / "apis").mkdir(parents=True)
        shutil.copy(REPO / "specs" / "top.yaml", specs / "top.yaml")
        entries = sorted(
            p for p in args.catalog.glob("*/*.json") if p.name != "catelog.json" and p.stem
        )
        sample = entries[:: max(1, len(entries) // args.apis)][: args.apis]
        imported, _ = import_files(sample, specs / "apis")
        topgen = [sys.executable, "-m", "topgen.cli"]
        bundle = scratch / "bundle.yaml"
        subprocess.run([*topgen, "bundle", "--specs", str(specs), "--out", str(bundle)], check=True)

        venv = scratch / "peer-venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", PEER], check=True)

        generate = [
            *topgen,
            "generate",
            "--specs",
            str(specs),
            "--out",
            str(scratch / "topgen-out"),
        ]
        ours, run = timed([*generate, "--cache", str(scratch / "cache"), "--jobs", str(args.jobs)])
        if run.returncode != 0:
            raise SystemExit(run.stderr)
        peer_out = scratch / "opc-out"
        peer = [str(venv / "bin" / "openapi-python-client"), "generate", "--path", str(bundle)]
        theirs, run = timed([*peer, "--meta", "none", "--output-path", str(peer_out)])
        said = run.stdout + run.stderr
        warnings = sum(said.count(word) for word in ("Unable to", "duplicate", "Warning"))
        n = len(imported)
        print(f"APIs: {n} (a deterministic sample of the catalog), machine: {os.cpu_count()} cores")
        print(
            f"topgen generate (cold):         {ours:6.1f} s = {ours / n * 1000:6.1f} ms/API, "
            f"{lines_under(scratch / 'topgen-out')} lines"
        )
        print(
            f"openapi-python-client 0.29.1:   {theirs:6.1f} s = {theirs / n * 1000:6.1f} ms/API, "
            f"{lines_under(peer_out) if peer_out.exists() else 0} lines, "
            f"exit {run.returncode}, {warnings} warnings (skipped or duplicate models)"
        )
        print(f"topgen is {theirs / ours:.1f}x faster per API")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
