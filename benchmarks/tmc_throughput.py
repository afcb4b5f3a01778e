"""TMC through the sandbox: messages per second, publish-to-handler latency, memory.

`topgen serve` runs in its own process. One `TmcClient` (a trivial async handler, confirms
included) consumes; another one publishes over its connection (Data frames, each SENDACK
awaited, many in flight). Three runs:
- throughput: MESSAGES published as fast as they are acknowledged while the consumer drains;
- latency: a steady RATE messages/s for SECONDS, each carrying its send time: p50/p99 from
  publish to handler;
- memory: the sandbox's and this process's resident set after each fifth of MEMORY messages.
Usage: python benchmarks/tmc_throughput.py [MESSAGES] [RATE] [SECONDS] [MEMORY]
"""

from __future__ import annotations

import asyncio
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from topapi.tmc import Message, TmcClient

REPO = Path(__file__).resolve().parent.parent
KEY, SECRET = "sandbox-app-key", "sandbox-app-secret"
TOPIC = "taobao_trade_TradeBuyerPay"
IN_FLIGHT = 200  # publishes awaiting their SENDACK at once


def free_port() -> int:
    """A port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    """A process's resident set now, in MiB."""
    found = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(found.group(1)) / 1024 if found else 0.0


class Counter:
    """What the consumer's handler saw."""

    def __init__(self) -> None:
        self.count = 0
        self.latencies: list[float] = []
        self.wanted = 0
        self.done = asyncio.Event()

    async def handle(self, message: Message[object]) -> None:
        """The trivial handler: count, and note the latency of timed messages."""
        self.count += 1
        if message.text.startswith("t"):
            self.latencies.append(time.perf_counter() - float(message.text[1:]))
        if self.count >= self.wanted:
            self.done.set()

    def expect(self, more: int) -> None:
        """Wait for `more` messages from now on."""
        self.wanted = self.count + more
        self.done.clear()


async def publish_many(publisher: TmcClient, count: int) -> None:
    """`count` messages, IN_FLIGHT at a time."""
    slots = asyncio.Semaphore(IN_FLIGHT)

    async def one() -> None:
        async with slots:
            await publisher.publish(TOPIC, "{}")

    await asyncio.gather(*(one() for _ in range(count)))


async def publish_steady(publisher: TmcClient, rate: int, seconds: float) -> int:
    """`rate` messages a second for `seconds`, each with its send time; how many."""
    tasks: list[asyncio.Task[None]] = []
    start = time.perf_counter()
    sent = 0
    while (elapsed := time.perf_counter() - start) < seconds:
        due = int(elapsed * rate) - sent
        for _ in range(due):
            tasks.append(asyncio.create_task(publisher.publish(TOPIC, f"t{time.perf_counter()}")))
        sent += due
        await asyncio.sleep(0.001)
    await asyncio.gather(*tasks)
    return sent


@dataclass(frozen=True)
class Plan:
    """What to run: message counts, the steady rate and how long it lasts."""

    messages: int = 20_000
    rate: int = 1_000
    seconds: float = 10.0
    memory: int = 100_000


async def run(url: str, pid: int, plan: Plan) -> None:
    """The three runs against the sandbox at `url` (process `pid`)."""
    messages, rate, seconds, memory = plan.messages, plan.rate, plan.seconds, plan.memory
    counter = Counter()
    consumer = TmcClient(KEY, SECRET, url=url, max_in_flight=200, pull_interval=1.0)
    consumer.on_any(counter.handle)
    publisher = TmcClient(KEY, SECRET, url=url)
    async with consumer, publisher:
        counter.expect(messages)
        started, cpu = time.perf_counter(), cpu_seconds(pid)
        await publish_many(publisher, messages)
        await asyncio.wait_for(counter.done.wait(), 300)
        elapsed, used = time.perf_counter() - started, cpu_seconds(pid) - cpu
        print(f"throughput: {messages / elapsed:,.0f} messages/s published and handled")
        print(f"  sandbox CPU {used / messages * 1e6:.0f} µs a message")
        counter.latencies.clear()
        sent = await publish_steady(publisher, rate, seconds)
        counter.expect(0)
        while len(counter.latencies) < sent:
            await asyncio.sleep(0.05)
        ms = sorted(latency * 1000 for latency in counter.latencies)
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        print(
            f"latency at {rate}/s over {sent} messages: p50 {statistics.median(ms):.1f} ms, "
            f"p99 {p99:.1f} ms"
        )
        for step in range(5):
            counter.expect(memory // 5)
            await publish_many(publisher, memory // 5)
            await asyncio.wait_for(counter.done.wait(), 300)
            mine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"memory after {(step + 1) * memory // 5:,} messages: sandbox "
                f"{rss_mib(pid):.0f} MiB, clients' peak {mine:.0f} MiB"
            )


def main() -> None:
    """Start the sandbox, run, stop it."""
    plan = Plan(*(int(arg) for arg in sys.argv[1:5]))
    port = free_port()
    command = [sys.executable, "-m", "topgen.cli", "serve", "--port", str(port)]
    sandbox = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert sandbox.stdout is not None and "sandbox gateway" in sandbox.stdout.readline()
        asyncio.run(run(f"ws://127.0.0.1:{port}/", sandbox.pid, plan))
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=30)


if __name__ == "__main__":
    main()
