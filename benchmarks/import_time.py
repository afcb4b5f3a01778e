"""Time and memory of `import topapi; from topapi.apis import <one API>; topapi.TopClient(...)`.

Usage: python benchmarks/import_time.py [OUTPUT_DIR] [ROUNDS]
OUTPUT_DIR holds the generated `topapi` package (default: generated/); each round is a fresh
interpreter. A bare interpreter start is measured in the same run as the baseline.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROBE = """
import resource, time
start = time.perf_counter()
{body}
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
USE_ONE_API = """
import topapi
from topapi.apis import alibaba_idle_tender_pre_pay_action
client = topapi.TopClient("app-key", "app-secret")
client.alibaba_idle_tender_pre_pay_action
"""


def measure(body: str, output: Path, rounds: int) -> tuple[float, float, float]:
    """Median in-process seconds, median wall seconds of the whole interpreter, max RSS in MB."""
    inner, walls, rss = [], [], []
    for _ in range(rounds):
        script = PROBE.format(body=body)
        command = [sys.executable, "-X", "frozen_modules=on", "-c", script]
        clock = time.perf_counter()
        run = subprocess.run(
            command, env={"PYTHONPATH": str(output)}, capture_output=True, text=True, check=True
        )
        walls.append(time.perf_counter() - clock)
        seconds, megabytes = map(float, run.stdout.split())
        inner.append(seconds)
        rss.append(megabytes)
    return statistics.median(inner), statistics.median(walls), max(rss)


def main() -> None:
    """Print the figures for the baseline and for using one API."""
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "generated"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    apis = len(list((output / "topapi" / "apis").glob("*.py"))) - 1
    print(f"package: {output / 'topapi'} ({apis} API modules), rounds: {rounds}")
    for label, body in (("python -c pass", "pass"), ("import + one API + client", USE_ONE_API)):
        inner, wall, rss = measure(body, output, rounds)
        figures = f"{inner * 1000:7.1f} ms imports, {wall * 1000:7.1f} ms process"
        print(f"{label:>28}: {figures}, {rss:5.1f} MB RSS")


if __name__ == "__main__":
    main()
