"""Hostile TMC servers against topapi.tmc.TmcClient: a decompression bomb in a pushed content,
a 2 GB length, a CONNECT never answered, a SENDACK never sent. Each bounded in time."""

from __future__ import annotations

import asyncio
import gzip
import struct
import time
from typing import Any

import pytest

from topapi._tmc_wire import MAX_CONTENT_BYTES, WireError
from topapi.tmc import Message, Reconnect, TmcClient, TmcError

from .. import tmcframes
from ..tmcserver import APP_KEY, SECRET, TOKEN, TmcServer, serving

TRADE = "taobao_trade_TradeBuyerPay"


def _client(server: TmcServer, **options: Any) -> TmcClient:
    options.setdefault("reconnect", Reconnect(initial=0.01, maximum=0.05, attempts=5))
    return TmcClient(APP_KEY, SECRET, url=server.url, pull_interval=0.2, **options)


def test_a_gzip_bomb_reaches_the_handler_as_an_error_not_as_memory() -> None:
    """Content inflating past the bound: the handler gets the message with `error` set (which
    reading `content` raises), and may confirm it (a poison message is the app's to drop)."""
    bomb = gzip.compress(b"0" * (MAX_CONTENT_BYTES + 1024))
    frame = tmcframes.encode(
        tmcframes.RawFrame(
            tmcframes.SEND,
            token=TOKEN,
            custom=[
                ("__kind", tmcframes.BYTE, tmcframes.DATA),
                ("id", tmcframes.INT64, 77),
                ("topic", tmcframes.STRING, TRADE),
                ("content", tmcframes.BYTES, bomb),
            ],
        )
    )
    seen: list[Message[Any]] = []

    async def body() -> None:
        async with serving() as server:
            client = _client(server)

            @client.on_any
            async def handle(message: Message[Any]) -> None:
                seen.append(message)

            async with asyncio.timeout(20), client:
                server.connections[0].unconfirmed.add(77)
                await server.send_raw(frame)
                await server.wait_for(lambda: server.confirms == [77])

    asyncio.run(body())
    (message,) = seen
    assert isinstance(message.error, WireError) and "inflating past" in str(message.error)
    assert (message.id, message.topic, message.text) == (77, TRADE, "")
    with pytest.raises(WireError):
        message.content  # noqa: B018 - reading it is the test


def test_a_two_gigabyte_length_is_skipped_and_the_connection_kept() -> None:
    """A counted string claiming 2 GB: the frame is dropped at once; later ones are handled."""
    hostile = b"\x02\x02\x05\x00" + struct.pack("<i", 2**31 - 1) + b"x" * 64
    handled: list[int] = []

    async def body() -> None:
        async with serving() as server:
            client = _client(server)
            client.on_any(lambda message: handled.append(message.id))
            async with asyncio.timeout(20), client:
                await server.send_raw(hostile)
                message_id = server.add(TRADE, "{}")
                await server.pull_all()
                await server.wait_for(lambda: server.confirms == [message_id])
            assert len(server.connects) == 1

    asyncio.run(body())
    assert len(handled) == 1


def test_a_connect_never_answered_times_out_and_ends_after_the_attempts() -> None:
    """A server that swallows the CONNECT: each attempt ends at connect_timeout; run() raises
    after the attempts instead of hanging."""

    async def body() -> None:
        async with serving(TmcServer(answer_connect=False)) as server:
            client = _client(
                server, connect_timeout=0.2, reconnect=Reconnect(initial=0.01, attempts=3)
            )
            began = time.monotonic()
            async with asyncio.timeout(20):
                with pytest.raises(TmcError, match="3 connection attempts failed"):
                    await client.run()
            assert time.monotonic() - began < 10
            assert len(server.connects) == 3

    asyncio.run(body())


def test_a_sendack_never_sent_ends_publish_at_its_timeout() -> None:
    """publish waits publish_timeout for its SENDACK, then raises TmcError."""

    async def body() -> None:
        async with serving(TmcServer(ack_delay=30)) as server:
            client = _client(server, publish_timeout=0.3)
            async with asyncio.timeout(20), client:
                with pytest.raises(TmcError, match=r"no SENDACK within 0\.3 s"):
                    await client.publish("t", "{}")

    asyncio.run(body())
