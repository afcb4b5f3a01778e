"""Throughput and latency of `topgen serve` under 50 concurrent async clients on loopback.

The sandbox runs in its own process; 50 AsyncTopClient instances each make a bounded number of
calls. Usage: python benchmarks/sandbox_load.py [CALLS_PER_CLIENT] [CLIENTS]
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from topapi import AsyncTopClient
from topapi.apis.alibaba_idle_tender_pre_pay_action import TenderPrePayCmd

REPO = Path(__file__).resolve().parent.parent
KEY, SECRET = "bench-key", "bench-secret"


def free_port() -> int:
    """A port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def client_loop(url: str, calls: int, latencies: list[float]) -> None:
    """One client making `calls` calls one after the other."""
    command = TenderPrePayCmd(order_id="1", pre_pay_no="x", pre_pay_action=2)
    async with AsyncTopClient(KEY, SECRET, gateway=url) as client:
        for _ in range(calls):
            start = time.perf_counter()
            response = await client.alibaba_idle_tender_pre_pay_action(param0=command, session="s")
            latencies.append(time.perf_counter() - start)
            assert response.result is not None


async def load(url: str, clients: int, calls: int) -> tuple[float, list[float]]:
    """Wall seconds and every call's latency."""
    latencies: list[float] = []
    start = time.perf_counter()
    await asyncio.gather(*(client_loop(url, calls, latencies) for _ in range(clients)))
    return time.perf_counter() - start, latencies


def main() -> None:
    """Start the sandbox, warm it up, load it, print calls/s and latency percentiles."""
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 50
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
        asyncio.run(load(url, 5, 20))
        seconds, latencies = asyncio.run(load(url, clients, calls))
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies.sort()
    total = len(latencies)
    print(f"{clients} clients x {calls} calls = {total} calls in {seconds:.2f} s")
    print(f"throughput: {total / seconds:.0f} calls/s")
    for label, q in (("p50", 0.50), ("p90", 0.90), ("p99", 0.99)):
        print(f"{label}: {latencies[min(total - 1, int(q * total))] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
