"""Hostile TMC consumers of the sandbox: one that never reads, one that answers for others."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import httpx

from ..tmcsandbox import connect, tmc_sandbox

TRADE = "taobao_trade_TradeBuyerPay"
TEST_SECONDS = 30


def test_a_consumer_that_never_reads_holds_only_its_window() -> None:
    """It stalls at most `window` messages; the group's other consumer gets all the rest."""
    with tmc_sandbox(window=50) as running:

        async def body() -> None:
            async with asyncio.timeout(TEST_SECONDS), aiohttp.ClientSession() as http:
                stalled = await connect(http, running)
                await stalled.pull()  # and never reads again
                for n in range(500):
                    await asyncio.to_thread(running.publish, TRADE, f'{{"n":{n}}}')
                reader = await connect(http, running)
                await reader.pull()
                got = []
                for _ in range(450):  # confirming each: its window is 50 too
                    (frame,) = await reader.messages(1)
                    got.append(frame.value("id"))
                    await reader.confirm(got[-1])
                assert len(set(got)) == 450 and await reader.silent()
                started = time.monotonic()  # the sandbox still answers at once
                answer = await asyncio.to_thread(httpx.get, running.url, timeout=5)
                assert answer.status_code == 200 and time.monotonic() - started < 2

        asyncio.run(body())


def test_failing_what_another_consumer_holds_changes_nothing() -> None:
    """A Failed for a message held by someone else is ignored: it is not taken from them."""
    with tmc_sandbox(redeliver_after=0.2) as running:
        message_id = running.publish(TRADE, "{}").id

        async def body() -> None:
            async with asyncio.timeout(TEST_SECONDS), aiohttp.ClientSession() as http:
                holder = await connect(http, running)
                await holder.pull()
                await holder.messages(1)
                meddler = await connect(http, running)
                await meddler.pull()
                await meddler.fail(message_id, "not mine")
                assert await meddler.silent(0.6)  # not redelivered to anyone
                await holder.confirm(message_id)

        asyncio.run(body())
