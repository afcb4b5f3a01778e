"""100 calls to the sandbox: one by one against `client.batch()` in batches of 20, sync and async.

The sandbox (`topgen serve`) runs in its own process on loopback. Each round times, in turn,
100 sequential single calls and the same 100 calls batched, on TopClient and on AsyncTopClient
(whose batches go concurrently); every answer is checked. Prints the median wall time of each
and the ratio single/batched, the baseline being the single calls of the same run.
Usage: python benchmarks/batch.py [CALLS] [ROUNDS]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Callable

from sandbox_load import KEY, SECRET, serving

from topapi import AsyncTopClient, TopapiError, TopClient
from topapi.apis.alibaba_idle_tender_pre_pay_action import (
    AlibabaIdleTenderPrePayActionRequest,
    AlibabaIdleTenderPrePayActionResponse,
    TenderPrePayCmd,
)

BATCH_SIZE = 20


def requests(calls: int) -> list[AlibabaIdleTenderPrePayActionRequest]:
    """`calls` requests of the first API, each with its own order id."""
    return [
        AlibabaIdleTenderPrePayActionRequest(
            param0=TenderPrePayCmd(order_id=str(n), pre_pay_no="x", pre_pay_action=2)
        )
        for n in range(calls)
    ]


def checked(results: list[object], calls: int) -> None:
    """Every result a typed response, none an error."""
    assert len(results) == calls
    assert all(isinstance(r, AlibabaIdleTenderPrePayActionResponse) for r in results), [
        r for r in results if isinstance(r, TopapiError)
    ][:1]


def sync_single(client: TopClient, calls: int) -> None:
    checked([client.execute(r, session="s") for r in requests(calls)], calls)


def sync_batched(client: TopClient, calls: int) -> None:
    checked(client.batch(requests(calls), session="s"), calls)


async def async_single(client: AsyncTopClient, calls: int) -> None:
    checked([await client.execute(r, session="s") for r in requests(calls)], calls)


async def async_batched(client: AsyncTopClient, calls: int) -> None:
    checked(await client.batch(requests(calls), session="s"), calls)


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def measure(url: str, calls: int, rounds: int) -> dict[str, list[float]]:
    """Wall seconds of each way, per round, the ways alternating within a round."""
    times: dict[str, list[float]] = {
        key: [] for key in ("sync single", "sync batched", "async single", "async batched")
    }
    sync = TopClient(KEY, SECRET, gateway=url, max_batch_size=BATCH_SIZE)
    loop = asyncio.new_event_loop()
    made = AsyncTopClient(KEY, SECRET, gateway=url, max_batch_size=BATCH_SIZE)
    try:
        sync_single(sync, 5)  # connections open, modules loaded
        sync_batched(sync, 5)
        loop.run_until_complete(async_batched(made, 45))
        for _ in range(rounds):
            times["sync single"].append(timed(lambda: sync_single(sync, calls)))
            times["sync batched"].append(timed(lambda: sync_batched(sync, calls)))
            times["async single"].append(
                timed(lambda: loop.run_until_complete(async_single(made, calls)))
            )
            times["async batched"].append(
                timed(lambda: loop.run_until_complete(async_batched(made, calls)))
            )
    finally:
        sync.close()
        loop.run_until_complete(made.aclose())
        loop.close()
    return times


def main() -> None:
    """Start the sandbox, measure, print the medians and the ratios."""
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    with serving() as (url, _):
        times = measure(url, calls, rounds)
    medians = {key: statistics.median(values) for key, values in times.items()}
    print(f"{calls} calls to the sandbox, batches of {BATCH_SIZE}, median of {rounds} rounds:")
    for key, seconds in medians.items():
        spread = f"{min(times[key]) * 1000:.0f}-{max(times[key]) * 1000:.0f} ms"
        print(f"  {key:14} {seconds * 1000:7.1f} ms  ({spread})")
    for kind in ("sync", "async"):
        ratio = medians[f"{kind} single"] / medians[f"{kind} batched"]
        print(f"  {kind}: batched is {ratio:.1f}x faster than single calls one by one")


if __name__ == "__main__":
    main()
