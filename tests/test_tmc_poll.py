"""topapi.tmc over REST: TmcPoller's handlers against the sandbox's taobao.tmc.messages.consume
and confirm, and TmcClient's CONNECT token from taobao.tmc.auth.get; bounded in time."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from datetime import timedelta
from typing import Any

import pytest

from topapi.testing import SANDBOX_APP_SECRET, sandbox
from topapi.tmc import Message, Reconnect, TmcClient, TmcError, TmcPoller

from .conftest import SPECS
from .tmcserver import TmcServer, serving

TRADE = "taobao_trade_TradeBuyerPay"


def test_the_poller_handles_every_message_and_confirms_after_the_handlers() -> None:
    """250 messages (two batches of at most 200), a tenth failing the first time: each is
    handled until it succeeds, and the queue ends empty (all confirmed)."""
    rng = random.Random(13)
    with sandbox(SPECS, redeliver_after=0.5) as top:
        ids = [top.publish(TRADE, json.dumps({"tid": n}), nick="买家") for n in range(250)]
        failing = set(rng.sample(ids, 25))
        handled: list[int] = []
        seen: list[Message[Any]] = []

        async def body() -> None:
            async with top.async_client() as rest:
                poller = TmcPoller(rest, quantity=200, idle_sleep=0.05, max_in_flight=8)

                @poller.on("taobao_trade")
                async def handle(message: Message[Any]) -> None:
                    seen.append(message)
                    if message.id in failing:
                        failing.discard(message.id)
                        raise RuntimeError("later")
                    handled.append(message.id)

                async with asyncio.timeout(30), poller:
                    while sorted(handled) != ids:
                        await asyncio.sleep(0.05)
                    await poller.close(timeout=5)

        asyncio.run(body())
        assert not top.client.taobao_tmc_messages_consume(quantity=200).messages
    assert sorted(handled) == ids  # each success handled once: confirmed, not redelivered
    assert len(seen) == 275
    message = seen[0]
    assert message.nick == "买家" and message.data == {"tid": 0}
    assert message.published_at is not None
    assert message.published_at.utcoffset() == timedelta(hours=8)


def test_the_poller_sleeps_when_the_queue_is_empty(caplog: pytest.LogCaptureFixture) -> None:
    """An empty queue: consume calls spaced by idle_sleep, not a busy loop."""
    caplog.set_level(logging.DEBUG, logger="topapi")
    with sandbox(SPECS) as top:

        async def body() -> None:
            async with top.async_client() as rest, TmcPoller(rest, idle_sleep=0.25) as poller:
                await asyncio.sleep(1.0)
                await poller.close(timeout=1)

        asyncio.run(body())
    lines = [record.getMessage() for record in caplog.records]
    calls = [line for line in lines if line.startswith("taobao.tmc.messages.consume ")]
    calls = [line for line in calls if line.endswith(" ms")]  # one line per finished call
    assert 1 <= len(calls) <= 6  # idle 0.25 s in 1 s: a busy loop would make hundreds


def test_the_poller_gives_up_after_its_retry_attempts() -> None:
    """A gateway that is not there: TmcError after `retry.attempts` failed calls."""
    with sandbox(SPECS) as top:
        url = top.url

    async def body() -> None:
        from topapi import AsyncTopClient  # noqa: PLC0415 - the sandbox's keys, gone gateway

        async with AsyncTopClient(top.app_key, SANDBOX_APP_SECRET, gateway=url) as rest:
            poller = TmcPoller(rest, retry=Reconnect(initial=0.01, attempts=3))
            async with asyncio.timeout(20):
                with pytest.raises(TmcError, match="3 consume calls in a row failed"):
                    await poller.run()

    asyncio.run(body())


def test_the_connect_token_comes_from_taobao_tmc_auth_get() -> None:
    """With an auth_client, the CONNECT's token is auth.get's result for the group."""
    with sandbox(SPECS) as top:
        expected = top.client.taobao_tmc_auth_get(group="default").result
        assert expected

        async def body() -> None:
            script = TmcServer(app_key=top.app_key, secret=SANDBOX_APP_SECRET)
            async with serving(script) as server, top.async_client() as rest:
                client = TmcClient(
                    top.app_key, SANDBOX_APP_SECRET, url=server.url, auth_client=rest
                )
                async with asyncio.timeout(20), client:
                    pass
            assert server.connects[0].value("token") == expected

        asyncio.run(body())


def test_without_a_token_the_connect_sends_a_void_one() -> None:
    """Off production and without an auth_client, `token` is a Void header."""

    async def body() -> None:
        async with serving() as server:
            client = TmcClient(server.app_key, server.secret, url=server.url)
            async with asyncio.timeout(20), client:
                pass
        (token,) = [item for item in server.connects[0].custom if item[0] == "token"]
        assert token == ("token", 0, None)

    asyncio.run(body())


def test_the_poller_publishes_through_taobao_tmc_message_produce() -> None:
    """publish() produces into the queue (the sandbox's): it comes back to the handler."""
    with sandbox(SPECS) as top:
        received: list[Message[Any]] = []

        async def body() -> None:
            async with top.async_client() as rest:
                poller = TmcPoller(rest, idle_sleep=0.05)
                poller.on_any(received.append)
                async with asyncio.timeout(20), poller:
                    (message_id,) = await poller.publish("my_topic", '{"库存": 3}', session="s")
                    while not received:
                        await asyncio.sleep(0.05)
            assert (received[0].id, received[0].topic) == (int(message_id), "my_topic")
            assert received[0].data == {"库存": 3}

        asyncio.run(body())
