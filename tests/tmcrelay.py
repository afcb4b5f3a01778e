"""A WebSocket relay between TMC consumers and the sandbox that counts the Confirms they send.

The soak's witness of "confirmed exactly once": every client frame is read with the tests'
own codec (tests/tmcframes.py) on its way to the sandbox, and each Confirm is counted by
message id under the relay's current `era` (one era per sandbox process). The upstream URL
can change while it runs, so the sandbox can be restarted on another port. When a consumer
goes, the relay closes its side gracefully, reading until the sandbox's close frame: so the
sandbox reads every frame the relay counted (closing a socket with unread data would send a
reset, and the sandbox's kernel could drop what it had not yet read).
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp
from aiohttp import web

from . import tmcframes as raw

START_SECONDS = 10.0


class Relay:
    """Forwards each connection upstream; `confirms[era][id]` counts the Confirms sent."""

    def __init__(self, upstream: str) -> None:
        self.target = (0, upstream)  # (era, upstream URL), replaced whole from the test's thread
        self.confirms: list[Counter[int]] = [Counter()]
        self.url = ""

    def next_era(self, upstream: str) -> None:
        """A new sandbox process: count its Confirms apart."""
        self.confirms.append(Counter())
        self.target = (len(self.confirms) - 1, upstream)

    def _record(self, era: int, data: bytes) -> None:
        frame = raw.decode(data)
        if frame.type == raw.SEND and frame.kind == raw.CONFIRM:
            self.confirms[era][frame.value("id")] += 1

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """One consumer's connection, relayed frame by frame in both directions."""
        client = web.WebSocketResponse(max_msg_size=0)
        await client.prepare(request)
        era, url = self.target
        async with aiohttp.ClientSession() as http:
            try:
                upstream = await http.ws_connect(url, max_msg_size=0)
            except aiohttp.ClientError:
                await client.close()
                return client
            async with upstream:
                down = asyncio.create_task(self._down(upstream, client))
                await self._up(client, upstream, era)  # every frame the consumer got out
                await upstream.close()  # graceful: the sandbox reads up to the close frame
                await down
        await client.close()
        return client

    async def _up(
        self, client: web.WebSocketResponse, upstream: aiohttp.ClientWebSocketResponse, era: int
    ) -> None:
        async for message in client:
            if message.type is not aiohttp.WSMsgType.BINARY:
                return
            try:
                await upstream.send_bytes(message.data)
            except ConnectionError:
                return  # the sandbox is gone
            self._record(era, message.data)

    @staticmethod
    async def _down(
        upstream: aiohttp.ClientWebSocketResponse, client: web.WebSocketResponse
    ) -> None:
        """The sandbox's frames to the consumer; when the sandbox goes, the consumer's too."""
        try:
            async for message in upstream:
                if message.type is not aiohttp.WSMsgType.BINARY:
                    break
                await client.send_bytes(message.data)
        except ConnectionError:
            return  # the consumer is gone: its last frames are still read
        await client.close()


@contextmanager
def relaying(upstream: str) -> Iterator[Relay]:
    """A relay listening on 127.0.0.1 in a thread of its own, stopped on exit."""
    relay, loop = Relay(upstream), asyncio.new_event_loop()
    app = web.Application()
    app.router.add_get("/", relay.handle)
    runner = web.AppRunner(app, shutdown_timeout=1.0)

    async def start() -> None:
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        relay.url = f"ws://127.0.0.1:{port}/"

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop).result(START_SECONDS)
    try:
        yield relay
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(START_SECONDS)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(START_SECONDS)
        loop.close()
