"""The packed catalogs: their sizes, reading them, and `topgen search` / `topgen add` end to end.

Usage: python benchmarks/catalog_search.py [ROUNDS]
Prints each pack's size (packed and unpacked), the in-process time to read each pack and to
search it, and the wall time of `topgen search 退款` and `topgen search refund` (piped) and of
`topgen add taobao.tmc.user.get --no-generate` in fresh interpreters, against `topgen --version`
(the command's own start-up). Medians over ROUNDS (default 5).
"""

from __future__ import annotations

import gzip
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from topgen.importing.packed import API_PACK, TOPIC_PACK, read_pack
from topgen.importing.search import search

TOPGEN = [sys.executable, "-m", "topgen.cli"]


def median_seconds(work: Callable[[], object], rounds: int) -> float:
    """The median wall time of `work` over `rounds` runs."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def command(*args: str, cwd: Path) -> Callable[[], object]:
    """A topgen command run in a fresh interpreter, output piped (so: plain lines)."""

    def run() -> object:
        return subprocess.run(
            [*TOPGEN, *args], cwd=cwd, capture_output=True, check=False, timeout=120
        )

    return run


def main() -> None:
    """Print the figures."""
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    for path in (API_PACK, TOPIC_PACK):
        data = path.read_bytes()
        unpacked = len(gzip.decompress(data))
        pack = read_pack(path)
        read = median_seconds(partial(read_pack, path), rounds)
        find = median_seconds(partial(search, pack, "退款"), rounds)
        print(
            f"{path.name}: {len(pack.entries)} entries, {len(data) / 1e6:.2f} MB "
            f"({unpacked / 1e6:.1f} MB unpacked); read {read * 1000:.0f} ms, "
            f"search 退款 {find * 1000:.1f} ms"
        )
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        for label, args in (
            ("topgen --version", ("--version",)),
            ("topgen search 退款", ("search", "退款")),
            ("topgen search refund", ("search", "refund")),
            ("topgen search 退款 --topics", ("search", "退款", "--topics")),
        ):
            print(f"{label}: {median_seconds(command(*args, cwd=cwd), rounds) * 1000:.0f} ms")
        add = command("add", "taobao.tmc.user.get", "--no-generate", "--force", cwd=cwd)
        print(f"topgen add (no generate): {median_seconds(add, rounds) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
