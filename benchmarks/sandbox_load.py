"""Throughput and latency of `topgen serve` under 50 concurrent async clients on loopback.

The sandbox runs in its own process; 50 AsyncTopClient instances each make a bounded number of
calls. Usage: python benchmarks/sandbox_load.py [CALLS_PER_CLIENT] [CLIENTS]
"""

from __future__ import annotations

import asyncio
import os
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


async def load(url: str, clients: int, calls: int) -> tuple[float, list[float]]:
    """Wall seconds and every call's latency."""
    latencies: list[float] = []
    ready = asyncio.Barrier(clients + 1)
    loops = [asyncio.create_task(client_loop(url, calls, latencies, ready)) for _ in range(clients)]
    await ready.wait()
    start = time.perf_counter()
    await asyncio.gather(*loops)
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
        server_before, ours_before = cpu_seconds(server.pid), time.process_time()
        seconds, latencies = asyncio.run(load(url, clients, calls))
        server_cpu = cpu_seconds(server.pid) - server_before
        client_cpu = time.process_time() - ours_before
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies.sort()
    total = len(latencies)
    print(f"{clients} clients x {calls} calls = {total} calls in {seconds:.2f} s")
    print(f"throughput: {total / seconds:.0f} calls/s")
    per_call = (
        f"sandbox {server_cpu / total * 1e6:.0f} µs, clients {client_cpu / total * 1e6:.0f} µs"
    )
    print(f"CPU per call: {per_call}")
    for label, q in (("p50", 0.50), ("p90", 0.90), ("p99", 0.99)):
        print(f"{label}: {latencies[min(total - 1, int(q * total))] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
