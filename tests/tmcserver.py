"""A scripted TMC server on 127.0.0.1 for the client's tests (aiohttp, the tests' own codec).

It keeps a queue like TMC's: a PullRequest pushes pending messages (`per_pull` at most); a
message pushed and neither confirmed nor failed goes back to the queue when its connection
drops. It records every frame, checks the CONNECT sign on its own (not with topapi._sign), and
can refuse a CONNECT, drop a connection after so many pushes, and delay its replies.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from . import tmcframes as tf

APP_KEY = "12345678"
SECRET = "s3cret"
TOKEN = "routing-token-xyz"


def expected_sign(app_key: str, group: str, timestamp: str, secret: str) -> str:
    """The CONNECT sign, computed from top-tmc.md §3 alone."""
    text = f"{secret}app_key{app_key}group_name{group}timestamp{timestamp}{secret}"
    return hashlib.md5(text.encode("utf-8")).hexdigest().upper()


@dataclass
class Stored:
    """A message in the server's queue."""

    id: int
    topic: str
    content: str
    nick: str | None = "买家"
    userid: int | None = 720978815
    publisher: str | None = "12497914"
    time_ms: int | None = 1700000000000
    gzipped: bool = False


@dataclass
class Connection:
    """One client connection: its socket and the messages pushed to it, not yet answered."""

    ws: web.WebSocketResponse
    request: web.Request
    unconfirmed: set[int] = field(default_factory=set)
    pushes: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class TmcServer:
    """The scripted server; attributes are the script and the record."""

    app_key: str = APP_KEY
    secret: str = SECRET
    refuse: tuple[int, str] | None = None  # answer CONNECT with this status
    answer_connect: bool = True  # False: take the CONNECT and never answer it
    per_pull: int | None = None  # at most this many pushes per PullRequest
    drop_after: list[int] = field(default_factory=list)  # drop a connection after N pushes
    ack_delay: float = 0.0
    publish_error: tuple[int, str] | None = None
    redeliver_failed: bool = False
    # The record
    connects: list[tf.RawFrame] = field(default_factory=list)
    pulls: list[int] = field(default_factory=list)  # unconfirmed count at each pull
    confirms: list[int] = field(default_factory=list)
    faileds: list[tuple[int, str]] = field(default_factory=list)
    publishes: list[tf.RawFrame] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # protocol violations by the client
    max_unconfirmed: int = 0
    pings: int = 0
    pushed_count: int = 0
    url: str = ""
    pending: list[Stored] = field(default_factory=list)
    connections: list[Connection] = field(default_factory=list)
    by_id: dict[int, Stored] = field(default_factory=dict)
    _next_id: int = 1000

    def add(self, topic: str, content: str, **fields: Any) -> int:
        """Queue a message; its id."""
        self._next_id += 1
        stored = Stored(self._next_id, topic, content, **fields)
        self.pending.append(stored)
        self.by_id[stored.id] = stored
        return stored.id

    @property
    def unconfirmed(self) -> int:
        """Messages pushed and not answered, over every connection."""
        return sum(len(connection.unconfirmed) for connection in self.connections)

    async def pull_all(self) -> None:
        """Push pending messages to the first connection now, unasked (as TMC pushes)."""
        if self.connections:
            await self._push(self.connections[0], None)

    async def send_raw(self, data: bytes | str) -> None:
        """Send anything to the first connection (a frame that is not one, a text message)."""
        connection = self.connections[0]
        async with connection.lock:
            if isinstance(data, str):
                await connection.ws.send_str(data)
            else:
                await connection.ws.send_bytes(data)

    def drop(self) -> None:
        """Cut every connection abruptly."""
        for connection in self.connections:
            _abort(connection)

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=64 * 1024 * 1024, autoping=False)
        await ws.prepare(request)
        connection = Connection(ws, request)
        try:
            await self._serve(connection)
        finally:
            self._forget(connection)
        return ws

    async def _serve(self, connection: Connection) -> None:
        ws = connection.ws
        first = await ws.receive(timeout=10)
        if first.type != WSMsgType.BINARY:
            self.problems.append(f"first message is {first.type!r}, not binary")
            return
        frame = tf.decode(first.data)
        self.connects.append(frame)
        if not self.answer_connect:
            await ws.receive()  # until the client gives up and closes
            return
        refusal = self._refusal(frame)
        if refusal:
            await ws.send_bytes(tf.refusal(frame.flag, *refusal))
            await ws.close()
            return
        await ws.send_bytes(tf.connect_ack(frame.flag, TOKEN))
        self.connections.append(connection)
        async for message in ws:
            if message.type == WSMsgType.PING:
                self.pings += 1
                await ws.pong(message.data)
                continue
            if message.type != WSMsgType.BINARY:
                self.problems.append(f"a {message.type!r} message")
                continue
            await self._on_frame(connection, tf.decode(message.data))

    def _refusal(self, frame: tf.RawFrame) -> tuple[int, str] | None:
        if self.refuse:
            return self.refuse
        if frame.type != tf.CONNECT or frame.value("app_key") != self.app_key:
            return (403, "unknown app key")
        sign = expected_sign(
            self.app_key, frame.value("group_name"), frame.value("timestamp"), self.secret
        )
        return None if frame.value("sign") == sign else (403, "invalid sign")

    async def _on_frame(self, connection: Connection, frame: tf.RawFrame) -> None:
        if frame.type != tf.SEND or frame.token != TOKEN:
            self.problems.append(f"frame type {frame.type} with token {frame.token!r}")
        kind = frame.kind
        if kind == tf.PULL:
            self.pulls.append(len(connection.unconfirmed))
            await self._push(connection, self.per_pull)
        elif kind in (tf.CONFIRM, tf.FAILED):
            self._answered(connection, frame)
        elif kind == tf.DATA:
            self.publishes.append(frame)
            await asyncio.sleep(self.ack_delay)
            status = self.publish_error or (0, "")
            await connection.ws.send_bytes(tf.send_ack(frame.flag, *status))
        else:
            self.problems.append(f"unknown __kind {kind!r}")

    def _answered(self, connection: Connection, frame: tf.RawFrame) -> None:
        message_id = frame.value("id")
        if message_id not in connection.unconfirmed:
            self.problems.append(f"answer for {message_id}, not pushed on this connection")
        connection.unconfirmed.discard(message_id)
        if frame.kind == tf.CONFIRM:
            self.confirms.append(message_id)
            return
        self.faileds.append((message_id, frame.value("msg")))
        if self.redeliver_failed:
            self.pending.append(self.by_id[message_id])

    async def _push(self, connection: Connection, limit: int | None) -> None:
        async with connection.lock:
            count = 0
            while self.pending and (limit is None or count < limit):
                if connection.ws.closed:
                    return
                stored = self.pending.pop(0)
                connection.unconfirmed.add(stored.id)
                self.max_unconfirmed = max(self.max_unconfirmed, self.unconfirmed)
                await connection.ws.send_bytes(_push_frame(stored))
                count += 1
                connection.pushes += 1
                self.pushed_count += 1
                if self.drop_after and connection.pushes == self.drop_after[0]:
                    self.drop_after.pop(0)
                    _abort(connection)
                    return

    def _forget(self, connection: Connection) -> None:
        """A connection gone: what it held unanswered goes back to the queue, in id order."""
        if connection in self.connections:
            self.connections.remove(connection)
        back = [self.by_id[i] for i in sorted(connection.unconfirmed)]
        self.pending[0:0] = back
        connection.unconfirmed.clear()

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until `condition()` holds; AssertionError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting; record: {self.summary()}")
            await asyncio.sleep(0.01)

    def summary(self) -> str:
        """The record, for failure messages."""
        return (
            f"connects={len(self.connects)} pulls={len(self.pulls)} confirms={self.confirms} "
            f"faileds={self.faileds} pending={[s.id for s in self.pending]} "
            f"problems={self.problems}"
        )


def _push_frame(stored: Stored) -> bytes:
    return tf.push(
        TOKEN,
        stored.id,
        stored.topic,
        stored.content,
        time_ms=stored.time_ms,
        publisher=stored.publisher,
        nick=stored.nick,
        userid=stored.userid,
        gzipped=stored.gzipped,
    )


def _abort(connection: Connection) -> None:
    transport = connection.request.transport
    if transport is not None:
        transport.abort()


@asynccontextmanager
async def serving(server: TmcServer | None = None) -> AsyncIterator[TmcServer]:
    """The server listening on a free port of 127.0.0.1, its `url` set; stopped after."""
    server = server or TmcServer()
    app = web.Application()
    app.router.add_get("/", server.handle)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    server.url = f"ws://{host}:{port}/"
    try:
        yield server
    finally:
        server.drop()
        await runner.cleanup()
