"""Time topgen's stages on the specs folder, in one warm process; prints the numbers.

Usage: python benchmarks/bench_generate.py [SPECS_DIR] [ROUNDS]
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from topgen.build import build_project
from topgen.format import format_sources
from topgen.load import load_specs
from topgen.render import render_project
from topgen.validate import validate_specs


def main() -> None:
    """Run every stage ROUNDS times and print the median time of each."""
    specs_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("specs")
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    timings: dict[str, list[float]] = {}
    lines = 0
    for _ in range(rounds):
        clock = time.perf_counter()
        specs = load_specs(specs_dir)
        clock = _lap(timings, "load", clock)
        validate_specs(specs)
        clock = _lap(timings, "validate", clock)
        project = build_project(specs)
        clock = _lap(timings, "model", clock)
        rendered = render_project(project)
        clock = _lap(timings, "render", clock)
        formatted = format_sources(rendered)
        _lap(timings, "format", clock)
        lines = sum(text.count("\n") for text in formatted.values())
    print(f"specs: {specs_dir} ({len(project.apis)} APIs), rounds: {rounds}, output lines: {lines}")
    for stage, values in timings.items():
        print(f"{stage:>9}: {sorted(values)[len(values) // 2] * 1000:8.1f} ms (median)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f" peak RSS: {peak:8.1f} MB")


def _lap(timings: dict[str, list[float]], stage: str, since: float) -> float:
    now = time.perf_counter()
    timings.setdefault(stage, []).append(now - since)
    return now


if __name__ == "__main__":
    main()
