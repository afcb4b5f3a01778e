"""TMC through `topgen serve`: throughput, latency at a steady rate, memory over 100,000 messages.

The sandbox runs in its own process (in memory, or `--state FILE`). Three measures:
- throughput: N messages queued beforehand, then consumed by one `TmcClient` with a trivial
  async handler, confirms included (timed until `close()` has sent them and the queue is
  empty), next to a baseline from the same run: a raw consumer of the tests' own frame codec
  (tests/tmcframes.py) that confirms each pushed message at once;
- latency: a publisher process sends one Data frame every 1/RATE s for SECONDS, each carrying
  its send time; the handler records now minus that time (p50/p99);
- memory: 100,000 messages through the same client in rounds of 10,000, the consumer's RSS
  printed after each round.
Usage: python benchmarks/tmc_throughput.py [MESSAGES] [RATE] [SECONDS] [--state FILE]
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the tests' own codec and sandbox helpers

from sandbox_load import cpu_seconds  # noqa: E402

from tests import tmcframes as raw  # noqa: E402
from tests.tmcsandbox import connect_frame, serving  # noqa: E402
from topapi.tmc import Message, TmcClient  # noqa: E402
from topgen.cli.tmc import tmc_url  # noqa: E402
from topgen.sandbox.gateway import DEFAULT_APP_KEY, DEFAULT_APP_SECRET  # noqa: E402

TOPIC = "taobao_trade_TradeBuyerPay"
MEMORY_TOTAL, MEMORY_ROUND = 100_000, 10_000
PUBLISH_CHUNK = 1_000  # Data frames sent before their SENDACKs are read
WAIT = 120.0  # seconds any one phase may take


def rss_mb(pid: int | str = "self") -> float:
    """A process's resident set size in MB (Linux /proc)."""
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * 4096 / 1e6


async def raw_connect(
    http: aiohttp.ClientSession, url: str
) -> tuple[aiohttp.ClientWebSocketResponse, str]:
    """A raw TMC connection (the tests' codec) and its routing token."""
    socket = await http.ws_connect(url, max_msg_size=0)
    await socket.send_bytes(connect_frame())
    ack = raw.decode((await socket.receive(timeout=WAIT)).data)
    assert ack.type == raw.CONNECTACK and ack.token, ack
    return socket, ack.token


async def fill(url: str, count: int) -> None:
    """Queue `count` messages through Data frames, pipelined by PUBLISH_CHUNK."""
    async with aiohttp.ClientSession() as http:
        socket, token = await raw_connect(http, url)
        for start in range(0, count, PUBLISH_CHUNK):
            chunk = range(start, min(start + PUBLISH_CHUNK, count))
            for n in chunk:
                content = ("content", raw.STRING, f'{{"n":{n}}}')
                data = raw.send(token, raw.DATA, ("topic", raw.STRING, TOPIC), content, flag=1)
                await socket.send_bytes(data)
            for _ in chunk:
                ack = raw.decode((await socket.receive(timeout=WAIT)).data)
                assert ack.type == raw.SENDACK and ack.status_code == 0, ack
        await socket.close()


async def raw_consume(url: str, count: int) -> float:
    """Seconds for a raw consumer to take and confirm `count` queued messages."""
    async with aiohttp.ClientSession() as http:
        socket, token = await raw_connect(http, url)
        start = time.perf_counter()
        await socket.send_bytes(raw.send(token, raw.PULL))
        for _ in range(count):
            frame = raw.decode((await socket.receive(timeout=WAIT)).data)
            confirm = raw.send(token, raw.CONFIRM, ("id", raw.INT64, frame.value("id")))
            await socket.send_bytes(confirm)
        await socket.close()  # graceful: after the confirms
        return time.perf_counter() - start


def tmc_client(url: str) -> TmcClient:
    """The client under test, with its defaults but for a short pull interval."""
    return TmcClient(DEFAULT_APP_KEY, DEFAULT_APP_SECRET, url=url, pull_interval=1.0)


async def client_consume(url: str, count: int, latencies: list[float] | None = None) -> float:
    """Seconds for one TmcClient to handle and confirm `count` messages (trivial handler)."""
    client, done, handled = tmc_client(url), asyncio.Event(), 0

    @client.on_any
    async def handle(message: Message[object]) -> None:
        nonlocal handled
        if latencies is not None:
            latencies.append(time.time() - json.loads(message.text)["sent"])
        handled += 1
        if handled >= count:
            done.set()

    start = time.perf_counter()
    running = asyncio.create_task(client.run())
    async with asyncio.timeout(WAIT):
        await done.wait()
        await client.close()
        await running
    return time.perf_counter() - start


async def left(url: str) -> int:
    """How many messages a raw consumer is still pushed (0: all confirmed)."""
    async with aiohttp.ClientSession() as http:
        socket, token = await raw_connect(http, url)
        await socket.send_bytes(raw.send(token, raw.PULL))
        count = 0
        while True:
            try:
                await socket.receive(timeout=0.5)
            except TimeoutError:
                break
            count += 1
        await socket.close()
        return count


async def publish_steadily(url: str, rate: int, seconds: float) -> None:
    """One Data frame every 1/rate s (on a fixed schedule), each holding its send time."""
    total, interval = int(rate * seconds), 1 / rate
    async with aiohttp.ClientSession() as http:
        socket, token = await raw_connect(http, url)

        async def acks() -> None:
            for _ in range(total):
                await socket.receive(timeout=WAIT)

        reading = asyncio.create_task(acks())
        start = time.perf_counter()
        for n in range(total):
            delay = start + n * interval - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            content = ("content", raw.STRING, json.dumps({"n": n, "sent": time.time()}))
            data = raw.send(token, raw.DATA, ("topic", raw.STRING, TOPIC), content, flag=1)
            await socket.send_bytes(data)
        await reading
        await socket.close()


def quantile(values: list[float], q: float) -> float:
    """The q-quantile of sorted `values`."""
    return values[min(len(values) - 1, int(q * len(values)))]


async def throughput(url: str, pid: int, messages: int) -> None:
    """Messages per second: the raw baseline, then the client; both drain the same queue."""
    for label, consume in (("raw frames (tests' codec)", raw_consume), ("TmcClient", None)):
        await fill(url, messages)
        sandbox_cpu, consumer_cpu = cpu_seconds(pid), time.process_time()
        seconds = await (raw_consume(url, messages) if consume else client_consume(url, messages))
        sandbox_cpu, consumer_cpu = (
            cpu_seconds(pid) - sandbox_cpu,
            time.process_time() - consumer_cpu,
        )
        backlog = await left(url)
        print(f"  {label}: {messages} in {seconds:.2f} s = {messages / seconds:,.0f} msg/s")
        per_message = f"sandbox {sandbox_cpu / messages * 1e6:.0f} µs"
        print(
            f"    CPU per message: {per_message}, consumer {consumer_cpu / messages * 1e6:.0f} µs"
        )
        assert backlog == 0, f"{backlog} messages left unconfirmed"


async def latency(url: str, rate: int, seconds: float) -> None:
    """p50/p99 from publish to handler at a steady rate, the publisher in its own process."""
    latencies: list[float] = []
    total = int(rate * seconds)
    publisher = subprocess.Popen(
        [sys.executable, __file__, "--publish", url, str(rate), str(seconds)], cwd=REPO
    )
    try:
        await client_consume(url, total, latencies)
    finally:
        publisher.wait(timeout=WAIT)
    latencies.sort()
    marks = ", ".join(f"{n} {quantile(latencies, q) * 1000:.1f} ms" for n, q in _QUANTILES)
    print(f"  {total} messages at {rate}/s: {marks}, max {latencies[-1] * 1000:.1f} ms")


_QUANTILES = (("p50", 0.50), ("p90", 0.90), ("p99", 0.99))


async def memory(url: str, pid: int) -> None:
    """RSS of this process and the sandbox's after each round of MEMORY_ROUND messages."""
    client, handled, goal = tmc_client(url), 0, asyncio.Event()

    @client.on_any
    async def handle(message: Message[object]) -> None:
        nonlocal handled
        handled += 1
        if handled % MEMORY_ROUND == 0:
            goal.set()

    running = asyncio.create_task(client.run())
    marks: list[str] = []
    sandbox_marks: list[str] = []
    for _round in range(MEMORY_TOTAL // MEMORY_ROUND):
        goal.clear()
        await fill(url, MEMORY_ROUND)
        async with asyncio.timeout(WAIT):
            await goal.wait()
        marks.append(f"{rss_mb():.1f}")
        sandbox_marks.append(f"{rss_mb(pid):.1f}")
    await client.close()
    await running
    print(f"  consumer RSS (MB) after each {MEMORY_ROUND:,}: " + " ".join(marks))
    print(f"  sandbox RSS (MB) after each {MEMORY_ROUND:,}: " + " ".join(sandbox_marks))


@contextmanager
def sandbox(state: Path | None) -> Iterator[tuple[str, int]]:
    """`topgen serve` in its own process; its TMC URL and process id."""
    with serving(state) as (process, url):
        yield tmc_url(url), process.pid


async def bench(url: str, pid: int, messages: int, rate: int, seconds: float) -> None:
    """The three measures, in order."""
    print(f"throughput, {messages:,} messages queued beforehand:")
    await throughput(url, pid, messages)
    print(f"latency, publish to handler at a steady {rate}/s for {seconds:.0f} s:")
    await latency(url, rate, seconds)
    print(f"memory, {MEMORY_TOTAL:,} messages through one client:")
    await memory(url, pid)


def main(argv: list[str]) -> None:
    """Parse the arguments, start the sandbox, run the measures."""
    if argv[:1] == ["--publish"]:
        asyncio.run(publish_steadily(argv[1], int(argv[2]), float(argv[3])))
        return
    state = None
    if "--state" in argv:
        at = argv.index("--state")
        state, argv = Path(argv[at + 1]), argv[:at] + argv[at + 2 :]
    messages = int(argv[0]) if argv else 20_000
    rate = int(argv[1]) if len(argv) > 1 else 1_000
    seconds = float(argv[2]) if len(argv) > 2 else 10.0
    print(f"sandbox: {'--state ' + str(state) if state else 'in memory'}")
    with sandbox(state) as (url, pid):
        asyncio.run(bench(url, pid, messages, rate, seconds))


if __name__ == "__main__":
    main(sys.argv[1:])
