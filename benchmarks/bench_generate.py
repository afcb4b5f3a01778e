"""Time topgen's stages per API on a specs folder, in one warm process; prints the numbers.

Usage: python benchmarks/bench_generate.py [SPECS_DIR] [ROUNDS]
Each stage is timed over every API spec, serially, as one worker runs it; the figures are the
median over the rounds, per API.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from topgen.codegen.format import format_source
from topgen.codegen.render import render_api
from topgen.spec.build import build_api
from topgen.spec.load import APIS_DIR, ENVELOPE_FILE, load_document
from topgen.spec.validate import check_api


def main() -> None:
    """Run every stage ROUNDS times and print the median time per API of each."""
    specs_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("specs")
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    envelope = load_document(specs_dir / ENVELOPE_FILE, ENVELOPE_FILE)
    paths = sorted((specs_dir / APIS_DIR).glob("*.yaml"))
    timings: dict[str, list[float]] = {}
    lines = 0
    for _ in range(rounds):
        clock = time.perf_counter()
        documents = [load_document(path, f"{APIS_DIR}/{path.name}") for path in paths]
        clock = _lap(timings, "load", clock)
        for document in documents:
            check_api(document, envelope)
        clock = _lap(timings, "validate", clock)
        apis = [build_api(document) for document in documents]
        clock = _lap(timings, "model", clock)
        rendered = [render_api(api) for api in apis]
        clock = _lap(timings, "render", clock)
        formatted = [format_source(path, text) for path, text in rendered]
        _lap(timings, "format", clock)
        lines = sum(text.count("\n") for text in formatted)
    print(f"specs: {specs_dir} ({len(paths)} APIs), rounds: {rounds}, module lines: {lines}")
    for stage, values in timings.items():
        median = sorted(values)[len(values) // 2]
        print(f"{stage:>9}: {median / len(paths) * 1000:8.2f} ms per API (median of rounds)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f" peak RSS: {peak:8.1f} MB")


def _lap(timings: dict[str, list[float]], stage: str, since: float) -> float:
    now = time.perf_counter()
    timings.setdefault(stage, []).append(now - since)
    return now


if __name__ == "__main__":
    main()
