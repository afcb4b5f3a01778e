"""Throughput and latency of `topgen serve` under 50 concurrent async clients on loopback.

The sandbox runs in its own process. Two loads, each of 50 clients making a bounded number of
calls in a row: the sandbox alone (aiohttp clients posting a form signed once, checking each
answer), and end to end (AsyncTopClient instances, signing and decoding every call).
Usage: python benchmarks/sandbox_load.py [CALLS_PER_CLIENT] [CLIENTS]
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import httpx

from topapi import AsyncTopClient, TopClient
from topapi.apis.alibaba_idle_tender_pre_pay_action import (
    AlibabaIdleTenderPrePayActionRequest,
    TenderPrePayCmd,
)

REPO = Path(__file__).resolve().parent.parent
ClientLoop = Callable[[str, int, list[float], asyncio.Barrier], Awaitable[None]]
KEY, SECRET = "bench-key", "bench-secret"


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def client_loop(url: str, calls: int, latencies: list[float], ready: asyncio.Barrier) -> None:
    """One client: one untimed call to open its connection, then `calls` timed ones in a row."""
    command = TenderPrePayCmd(order_id="1", pre_pay_no="x", pre_pay_action=2)
    async with AsyncTopClient(KEY, SECRET, gateway=url) as client:
        await client.alibaba_idle_tender_pre_pay_action(param0=command, session="s")
        await ready.wait()
        for _ in range(calls):
            start = time.perf_counter()
            response = await client.alibaba_idle_tender_pre_pay_action(param0=command, session="s")
            latencies.append(time.perf_counter() - start)
            assert response.result is not None


async def raw_client_loop(
    url: str, calls: int, latencies: list[float], ready: asyncio.Barrier
) -> None:
    """One client of the sandbox alone: a form signed once, posted `calls` times in a row."""
    command = TenderPrePayCmd(order_id="1", pre_pay_no="x", pre_pay_action=2)
    request = AlibabaIdleTenderPrePayActionRequest(param0=command)
    with TopClient(KEY, SECRET, gateway=url) as signer:
        body = urlencode(signer.signed_params(request, session="s")).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"}
    connector = aiohttp.TCPConnector(limit=1)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        await _post(session, url, body)
        await ready.wait()
        for _ in range(calls):
            start = time.perf_counter()
            await _post(session, url, body)
            latencies.append(time.perf_counter() - start)


async def _post(session: aiohttp.ClientSession, url: str, body: bytes) -> None:
    async with session.post(url, data=body) as response:
        answer = await response.json(content_type=None)
    assert "alibaba_idle_tender_pre_pay_action_response" in answer, answer


async def load(
    url: str, clients: int, calls: int, loop: ClientLoop = client_loop
) -> tuple[float, list[float]]:
    """Wall seconds and every call's latency."""
    latencies: list[float] = []
    ready = asyncio.Barrier(clients + 1)
    loops = [asyncio.create_task(loop(url, calls, latencies, ready)) for _ in range(clients)]
    await ready.wait()
    start = time.perf_counter()
    await asyncio.gather(*loops)
    return time.perf_counter() - start, latencies


def main() -> None:
    """Start the sandbox, warm it up, load it, print calls/s and latency percentiles."""
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    with serving() as (url, server):
        asyncio.run(load(url, 5, 20))
        for label, loop in (("sandbox alone", raw_client_loop), ("end to end", client_loop)):
            server_before, ours_before = cpu_seconds(server.pid), time.process_time()
            seconds, latencies = asyncio.run(load(url, clients, calls, loop))
            server_cpu = cpu_seconds(server.pid) - server_before
            client_cpu = time.process_time() - ours_before
            report(
                f"{label}, {clients} clients x {calls}",
                seconds,
                latencies,
                (server_cpu, client_cpu),
            )


@contextmanager
def serving() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`topgen serve` in its own process on a free port: its URL once it answers, and it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/router/rest"
    command = [sys.executable, "-m", "topgen.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--app-key", KEY, "--app-secret", SECRET],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url, server
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(label: str, seconds: float, latencies: list[float], cpu: tuple[float, float]) -> None:
    """The figures of one load: throughput, CPU per call on each side, latency percentiles."""
    latencies.sort()
    total = len(latencies)
    print(f"{label}: {total} calls in {seconds:.2f} s")
    print(f"  throughput: {total / seconds:.0f} calls/s")
    server_us, client_us = (seconds_used / total * 1e6 for seconds_used in cpu)
    print(f"  CPU per call: sandbox {server_us:.0f} µs, clients {client_us:.0f} µs")
    quantiles = (("p50", 0.50), ("p90", 0.90), ("p99", 0.99))
    marks = (
        f"{n}: {latencies[min(total - 1, int(q * total))] * 1000:.1f} ms" for n, q in quantiles
    )
    print("  " + ", ".join(marks))


if __name__ == "__main__":
    main()
