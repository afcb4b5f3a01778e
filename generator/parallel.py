"""Work over the cores: a function of each row of some columns, in worker processes."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Protocol, TypeVar

T = TypeVar("T")

# Below this many rows, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 8


class Progress(Protocol):
    """Told that a stage starts and how many items it has, then of each item done."""

    def start(self, total: int, stage: str) -> None: ...

    def advance(self) -> None: ...


class Silent:
    """Progress that shows nothing."""

    def start(self, total: int, stage: str) -> None:
        """Nothing to show."""

    def advance(self) -> None:
        """Nothing to show."""


def in_parallel(
    function: Callable[..., T],
    *columns: Sequence[Any],
    jobs: int,
    advance: Callable[[], None] = lambda: None,
) -> list[T]:
    """`function` of each row of the columns, in order, over `jobs` processes when it pays."""
    results: list[T] = []
    rows = len(columns[0])
    if jobs <= 1 or rows < PARALLEL_THRESHOLD:
        for row in zip(*columns, strict=True):
            results.append(function(*row))
            advance()
        return results
    chunk = max(1, min(16, rows // (jobs * 8)))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        for result in pool.map(function, *columns, chunksize=chunk):
            results.append(result)
            advance()
    return results


def default_jobs() -> int:
    """One worker per core."""
    return os.cpu_count() or 1
