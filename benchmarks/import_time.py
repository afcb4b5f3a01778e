"""Time and memory of `import topapi; from topapi.apis import <one API>; topapi.TopClient(...)`.

Usage: python benchmarks/import_time.py [OUTPUT_DIR | --catalog] [ROUNDS]
OUTPUT_DIR holds the generated `topapi` package (default: generated/); `--catalog` imports the
TOP catalog (../shared/top-catalog or $TOPGEN_CATALOG) and generates it into a scratch folder
first. Each round is a fresh interpreter. A bare interpreter start is measured in the same run
as the baseline.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
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
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    if sys.argv[1:2] == ["--catalog"]:
        with tempfile.TemporaryDirectory(prefix="topgen-import-") as scratch:
            _print_figures(_generated_catalog(Path(scratch)), rounds)
    else:
        _print_figures(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "generated", rounds)


def _generated_catalog(scratch: Path) -> Path:
    """The whole catalog imported and generated under `scratch` (not timed).

    Both run in processes of their own, so this one stays small: the RSS a child reports counts
    what it was before `exec`, a copy of this process.
    """
    specs, out = scratch / "specs", scratch / "out"
    importing = (
        f"import sys; from pathlib import Path; sys.path.insert(0, {str(REPO / 'benchmarks')!r}); "
        f"import catalog_specs; catalog_specs.import_catalog(catalog_specs.default_catalog(), "
        f"Path({str(specs)!r}), {os.cpu_count() or 1})"
    )
    subprocess.run([sys.executable, "-c", importing], capture_output=True, check=True)
    command = [sys.executable, "-m", "topgen.cli", "generate", "--specs", str(specs)]
    subprocess.run([*command, "--out", str(out), "--no-cache"], capture_output=True, check=True)
    return out


def _print_figures(output: Path, rounds: int) -> None:
    apis = len(list((output / "topapi" / "apis").glob("*.py"))) - 1
    print(f"package: {output / 'topapi'} ({apis} API modules), rounds: {rounds}")
    for label, body in (("python -c pass", "pass"), ("import + one API + client", USE_ONE_API)):
        inner, wall, rss = measure(body, output, rounds)
        figures = f"{inner * 1000:7.1f} ms imports, {wall * 1000:7.1f} ms process"
        print(f"{label:>28}: {figures}, {rss:5.1f} MB RSS")


if __name__ == "__main__":
    main()
