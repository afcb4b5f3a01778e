"""Helpers of the sandbox's TMC tests: a sandbox with a fast message service, raw connections.

Frames are built and read with the tests' own codec (tests/tmcframes.py), never topapi's.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import selectors
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from topgen.sandbox.gateway import DEFAULT_APP_KEY, DEFAULT_APP_SECRET
from topgen.sandbox.serve import RunningSandbox, build_sandbox, start_in_thread
from topgen.sandbox.tmc.hub import Hub, TmcSettings
from topgen.sandbox.tmc.service import Tmc
from topgen.sandbox.tmc.store import MemoryStore

from . import tmcframes as raw
from .conftest import REPO, SPECS

START_SECONDS = 60  # for `topgen serve` to listen
LISTENING = re.compile(r"sandbox gateway on (http://\S+/router/rest)")
WAIT = 5.0  # seconds any one receive may take before the test fails
QUIET = 0.3  # seconds of silence that show nothing more is coming


def tmc_sign(secret: str, app_key: str, group: str, timestamp: str) -> str:
    """The CONNECT sign, from top-tmc.md §3 alone."""
    text = f"{secret}app_key{app_key}group_name{group}timestamp{timestamp}{secret}"
    return hashlib.md5(text.encode()).hexdigest().upper()


@contextmanager
def tmc_sandbox(**settings: Any) -> Iterator[RunningSandbox]:
    """The repository's sandbox with its own message service, in a thread."""
    max_queue = settings.pop("max_queue", 100_000)
    tmc = Tmc(Hub(MemoryStore(max_queue), TmcSettings(**settings)))
    running = start_in_thread(build_sandbox(SPECS, tmc=tmc))
    try:
        yield running
    finally:
        running.stop()


@dataclass
class Peer:
    """One raw TMC connection: the socket and the routing token the sandbox gave it."""

    socket: aiohttp.ClientWebSocketResponse
    token: str

    async def send(self, kind: int, *custom: tuple[str, int, Any], flag: int = 0) -> None:
        """A SEND of `kind` with this connection's token."""
        await self.socket.send_bytes(raw.send(self.token, kind, *custom, flag=flag))

    async def pull(self) -> None:
        """A PullRequest."""
        await self.send(raw.PULL)

    async def confirm(self, message_id: int) -> None:
        """A Confirm of `message_id`."""
        await self.send(raw.CONFIRM, ("id", raw.INT64, message_id))

    async def fail(self, message_id: int, reason: str = "not now") -> None:
        """A Failed of `message_id`."""
        await self.send(raw.FAILED, ("id", raw.INT64, message_id), ("msg", raw.STRING, reason))

    async def frame(self, wait: float = WAIT) -> raw.RawFrame:
        """The next frame from the sandbox; fails the test after `wait` seconds."""
        async with asyncio.timeout(wait):
            message = await self.socket.receive()
        assert message.type is aiohttp.WSMsgType.BINARY, message
        return raw.decode(message.data)

    async def messages(self, count: int, wait: float = WAIT) -> list[raw.RawFrame]:
        """The next `count` pushed messages."""
        frames = [await self.frame(wait) for _ in range(count)]
        assert all(f.type == raw.SEND and f.kind == raw.DATA for f in frames), frames
        return frames

    async def silent(self, quiet: float = QUIET) -> bool:
        """Whether the sandbox sends nothing for `quiet` seconds."""
        try:
            async with asyncio.timeout(quiet):
                message = await self.socket.receive()
        except TimeoutError:
            return True
        raise AssertionError(f"expected silence, got {message!r}")


async def open_socket(
    http: aiohttp.ClientSession, running: RunningSandbox
) -> aiohttp.ClientWebSocketResponse:
    """A plain WebSocket to the sandbox's root path."""
    return await http.ws_connect(running.tmc_url, timeout=aiohttp.ClientWSTimeout(ws_close=WAIT))


def connect_frame(
    group: str = "default",
    *,
    app_key: str = DEFAULT_APP_KEY,
    secret: str = DEFAULT_APP_SECRET,
    timestamp: str | None = None,
    flag: int = 1,
    extra: Any = (),
) -> bytes:
    """A CONNECT signed with `secret`."""
    stamp = timestamp or str(int(time.time() * 1000))
    sign = tmc_sign(secret, app_key, group, stamp)
    return raw.connect(app_key, group, stamp, sign, flag=flag, extra=extra)


async def connect(
    http: aiohttp.ClientSession, running: RunningSandbox, group: str = "default"
) -> Peer:
    """A connection the sandbox accepted."""
    socket = await open_socket(http, running)
    await socket.send_bytes(connect_frame(group))
    peer = Peer(socket, "")
    ack = await peer.frame()
    assert ack.type == raw.CONNECTACK and ack.status_code == 0 and ack.token, ack
    peer.token = ack.token
    return peer


def ids(frames: list[raw.RawFrame]) -> list[int]:
    """The ids of pushed messages."""
    return [frame.value("id") for frame in frames]


@contextmanager
def serving(
    state: Path | None, *options: str, specs: Path = SPECS
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`topgen serve --port 0 [--state STATE]` as a process, and its gateway URL."""
    command = [sys.executable, "-m", "topgen.cli", "serve", "--specs", str(specs)]
    command += ["--port", "0", "--redeliver-after", "300", *options]
    command += ["--state", str(state)] if state else []
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        yield process, _listening(process)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        assert process.stdout is not None
        process.stdout.close()


def _listening(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + START_SECONDS
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if selector.select(timeout=deadline - time.monotonic()):
                line = process.stdout.readline()
                if found := LISTENING.search(line):
                    return found.group(1)
                if not line:
                    break
    raise AssertionError(f"topgen serve did not start (exit {process.poll()})")
