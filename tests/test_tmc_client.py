"""topapi.tmc.TmcClient against the tests' own scripted TMC server (tests/tmcserver.py), on
real sockets of 127.0.0.1, each scenario bounded in time."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic
import pytest

from topapi.tmc import (
    GMT8,
    DuplicateFilter,
    Message,
    Reconnect,
    TmcClient,
    TmcConnectionRefused,
    TmcError,
    TmcPublishError,
)
from topapi.topics.taobao_trade_trade_buyer_pay import TradeBuyerPay

from . import tmcframes
from .conftest import REPO
from .tmcserver import APP_KEY, SECRET, TOKEN, TmcServer, serving

TRADE = "taobao_trade_TradeBuyerPay"
Scenario = Callable[..., Awaitable[None]]


def bounded(seconds: float = 20.0) -> Callable[[Scenario], Callable[..., None]]:
    """Run the async test in a fresh event loop, failing after `seconds`."""

    def wrap(scenario: Scenario) -> Callable[..., None]:
        @functools.wraps(scenario)
        def run(*args: Any, **kwargs: Any) -> None:
            asyncio.run(asyncio.wait_for(scenario(*args, **kwargs), seconds))

        return run

    return wrap


def client_for(server: TmcServer, **options: Any) -> TmcClient:
    """A client of the server with test-sized intervals and a bounded reconnect."""
    options.setdefault("reconnect", Reconnect(initial=0.01, maximum=0.05, attempts=50))
    options.setdefault("pull_interval", 0.2)
    return TmcClient(APP_KEY, SECRET, url=server.url, **options)


def trade(tid: int, **extra: Any) -> str:
    return json.dumps({"tid": tid, "payment": "30.36", **extra})


@bounded()
async def test_a_message_is_confirmed_after_its_handler_returned() -> None:
    """The Confirm goes only once the handler finished; the message's fields are read."""
    release = asyncio.Event()
    seen: list[Message[Any]] = []
    async with serving() as server:
        message_id = server.add(TRADE, trade(586070597376760))
        client = client_for(server)

        @client.on(TRADE)
        async def handle(message: Message[Any]) -> None:
            seen.append(message)
            await release.wait()

        async with client:
            await server.wait_for(lambda: bool(seen))
            await asyncio.sleep(0.1)
            assert server.confirms == []
            release.set()
            await server.wait_for(lambda: server.confirms == [message_id])
    message = seen[0]
    assert (message.id, message.topic, message.nick, message.user_id) == (
        message_id,
        TRADE,
        "买家",
        720978815,
    )
    assert message.data == {"tid": 586070597376760, "payment": "30.36"}
    assert message.content == TradeBuyerPay(tid=586070597376760, payment=Decimal("30.36"))
    assert message.error is None
    assert message.publisher == "12497914"
    assert message.published_at is not None
    assert message.published_at.utcoffset() == timedelta(hours=8)
    assert message.published_at.isoformat() == "2023-11-15T06:13:20+08:00"
    assert server.faileds == [] and server.problems == []
    assert server.connects[0].value("group_name") == "default"


@bounded()
async def test_a_raising_handler_sends_failed_with_its_reason_cut_to_128() -> None:
    """An exception is a Failed (reason: its type and text, ≤ 128 characters), no Confirm."""
    async with serving() as server:
        message_id = server.add(TRADE, trade(1))
        client = client_for(server)

        @client.on(TRADE)
        async def handle(message: Message[Any]) -> None:
            raise ValueError("库存" * 100)

        async with client:
            await server.wait_for(lambda: bool(server.faileds))
    [(failed_id, reason)] = server.faileds
    assert failed_id == message_id and server.confirms == []
    assert len(reason) == 128 and reason.startswith("ValueError: 库存库存")


@bounded()
async def test_message_fail_from_a_sync_handler_sends_failed() -> None:
    """A sync handler (run in a thread) that calls message.fail: Failed with that reason."""
    async with serving() as server:
        message_id = server.add(TRADE, trade(1))
        client = client_for(server)

        @client.on(TRADE)
        def handle(message: Message[Any]) -> None:
            message.fail("not yet: stock unknown")

        async with client:
            await server.wait_for(lambda: bool(server.faileds))
            await asyncio.sleep(0.1)
    assert server.faileds == [(message_id, "not yet: stock unknown")]
    assert server.confirms == []


@bounded()
async def test_non_ascii_content_and_nick_round_trip() -> None:
    """Chinese and emoji in content and nick arrive as sent (plain and gzip'd)."""
    content = json.dumps({"title": "连衣裙 👗", "tid": 7}, ensure_ascii=False)
    seen: list[Message[Any]] = []
    async with serving() as server:
        plain = server.add(TRADE, content, nick="买家😀")
        zipped = server.add(TRADE, content, nick="卖家", gzipped=True)
        client = client_for(server)

        @client.on(TRADE)
        async def handle(message: Message[Any]) -> None:
            seen.append(message)

        async with client:
            await server.wait_for(lambda: sorted(server.confirms) == [plain, zipped])
    by_id = {message.id: message for message in seen}
    assert by_id[plain].text == content and by_id[zipped].text == content
    assert by_id[plain].data["title"] == "连衣裙 👗"
    assert (by_id[plain].nick, by_id[zipped].nick) == ("买家😀", "卖家")


@bounded(30)
async def test_a_drop_mid_batch_loses_nothing_and_confirms_nothing_twice() -> None:
    """The server cuts the connection after 3 and 7 pushes: the client reconnects, every
    message is handled, each is confirmed exactly once."""
    handled: list[int] = []
    async with serving(TmcServer(drop_after=[3, 4])) as server:
        ids = [server.add(TRADE, trade(n)) for n in range(12)]
        client = client_for(server)

        @client.on(TRADE)
        async def handle(message: Message[Any]) -> None:
            await asyncio.sleep(0.02)
            handled.append(message.id)

        async with client:
            await server.wait_for(lambda: sorted(server.confirms) == ids, timeout=15)
    assert Counter(server.confirms).most_common(1)[0][1] == 1
    assert set(handled) == set(ids)
    assert len(server.connects) >= 3
    assert server.problems == []


@bounded()
async def test_a_slow_handler_holds_back_pulls_and_reading() -> None:
    """max_in_flight=3 with a slow handler: never more than 3 handlers at once, pulls only
    with a free slot (so the server sees at most 3 + one pull's batch unconfirmed)."""
    running = 0
    most = 0
    async with serving(TmcServer(per_pull=2)) as server:
        ids = [server.add(TRADE, trade(n)) for n in range(20)]
        client = client_for(server, max_in_flight=3, pull_interval=0.05)

        @client.on(TRADE)
        async def handle(message: Message[Any]) -> None:
            nonlocal running, most
            running += 1
            most = max(most, running)
            await asyncio.sleep(0.05)
            running -= 1

        async with client:
            await server.wait_for(lambda: sorted(server.confirms) == ids, timeout=15)
    assert 2 <= most <= 3  # a pull's batch of 2 runs together; never more than 3
    assert max(server.pulls) < 3  # a pull only with a free slot
    assert server.max_unconfirmed <= 3 + 2
    assert len(server.confirms) == len(ids)


@bounded(30)
async def test_a_burst_is_not_buffered_without_bound() -> None:
    """TMC pushes 300 large messages unasked while both handlers are stuck: the client stops
    reading, so the server's writes block long before all 300 went out."""
    release = asyncio.Event()
    started = 0
    big = json.dumps({"tid": 1, "memo": "x" * 128_000})
    async with serving() as server:
        client = client_for(server, max_in_flight=2, pull_interval=60)

        @client.on(TRADE)
        async def handle(message: Message[Any]) -> None:
            nonlocal started
            started += 1
            await release.wait()

        async with client:
            ids = [server.add(TRADE, big) for _ in range(300)]
            pushing = asyncio.ensure_future(server.pull_all())
            await server.wait_for(lambda: started == 2)
            await asyncio.sleep(0.5)
            assert started == 2
            assert server.pushed_count < 150, server.pushed_count
            release.set()
            await server.wait_for(lambda: len(server.confirms) == 300, timeout=20)
            await pushing
    assert sorted(server.confirms) == ids


@bounded()
async def test_close_lets_in_flight_handlers_finish_and_confirms_them() -> None:
    """close(): no more pulls, the running handlers finish and are confirmed, then it closes."""
    started = asyncio.Event()
    async with serving() as server:
        ids = [server.add(TRADE, trade(n)) for n in range(2)]
        client = client_for(server, max_in_flight=3, pull_interval=0.05)

        @client.on(TRADE)
        async def handle(message: Message[Any]) -> None:
            started.set()
            await asyncio.sleep(0.3)

        async with client:
            await server.wait_for(lambda: server.unconfirmed == 2)
            await started.wait()
            closing = asyncio.ensure_future(client.close(timeout=5))
            await asyncio.sleep(0.05)  # closing: pulls stop now, nothing new is started
            pulls = len(server.pulls)
            late = server.add(TRADE, trade(9))
            await server.pull_all()
            await closing
            assert sorted(server.confirms) == ids
            assert len(server.pulls) == pulls
        await server.wait_for(lambda: [s.id for s in server.pending] == [late])
        await server.wait_for(lambda: not server.connections)


@bounded()
async def test_close_timeout_leaves_a_stuck_handlers_message_unconfirmed() -> None:
    """A handler that outlives close's timeout is cancelled: neither Confirm nor Failed."""
    async with serving() as server:
        server.add(TRADE, trade(1))
        client = client_for(server)

        @client.on(TRADE)
        async def handle(message: Message[Any]) -> None:
            await asyncio.sleep(30)

        async with client:
            await server.wait_for(lambda: server.unconfirmed == 1)
            began = time.monotonic()
            await client.close(timeout=0.2)
            assert time.monotonic() - began < 3
        await server.wait_for(lambda: [s.id for s in server.pending] == [1001])
    assert server.confirms == [] and server.faileds == []


@bounded()
async def test_a_refused_connect_is_a_typed_error_without_retrying() -> None:
    """A wrong secret: TmcConnectionRefused with the server's status, after one CONNECT."""
    async with serving() as server:
        client = TmcClient(APP_KEY, "wrong-secret", url=server.url)
        with pytest.raises(TmcConnectionRefused) as caught:
            await client.run()
        assert (caught.value.status_code, caught.value.status_phrase) == (403, "invalid sign")
        assert len(server.connects) == 1
        with pytest.raises(TmcConnectionRefused):
            async with TmcClient(APP_KEY, "wrong-secret", url=server.url):
                pass
        assert len(server.connects) == 2


@bounded()
async def test_a_consumer_stopped_by_a_refused_reconnect_says_so_and_raises_at_the_end(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The secret rotated under a running client: the refused reconnect is logged at ERROR at
    once, and leaving `async with` raises it; an error of the block keeps it as a note."""
    async with serving() as server:
        for body_fails in (False, True):
            caplog.clear()
            connects = len(server.connects)
            server.secret = SECRET
            with pytest.raises(TmcConnectionRefused if not body_fails else LookupError) as raised:
                async with client_for(server):
                    server.secret = "rotated"
                    server.drop()
                    await server.wait_for(lambda n=connects: len(server.connects) == n + 2)
                    await server.wait_for(lambda: "stopped consuming" in caplog.text)
                    if body_fails:
                        raise LookupError("the app's own error")
            [line] = [r for r in caplog.records if r.levelno == logging.ERROR]
            assert "invalid sign" in line.getMessage() and SECRET not in caplog.text
            if body_fails:
                assert any("TMC consumer had stopped" in n for n in raised.value.__notes__)


@bounded()
async def test_the_connect_is_signed_and_every_later_frame_carries_the_token() -> None:
    """The server's own sign check accepts the CONNECT; pulls and confirms carry the token."""
    async with serving() as server:
        server.add(TRADE, trade(1))
        client = client_for(server)
        client.on_any(lambda message: None)
        async with client:
            await server.wait_for(lambda: len(server.confirms) == 1)
    connect = server.connects[0]
    assert [name for name, _, _ in connect.custom][:4] == [
        "app_key",
        "group_name",
        "timestamp",
        "sign",
    ]
    assert connect.value("sdk") and connect.value("filter_exp") == "*"
    assert server.problems == []  # every SEND carried TOKEN
    assert TOKEN


@bounded()
async def test_manual_mode_waits_for_the_apps_confirm() -> None:
    """auto_confirm=False: nothing is answered until the app does; the unanswered hold
    their slots (max_in_flight=2 of 3 messages delivered)."""
    kept: list[Message[Any]] = []
    async with serving() as server:
        ids = [server.add(TRADE, trade(n)) for n in range(3)]
        client = client_for(server, auto_confirm=False, max_in_flight=2, pull_interval=0.05)

        @client.on(TRADE)
        async def handle(message: Message[Any]) -> None:
            kept.append(message)

        async with client:
            await server.wait_for(lambda: len(kept) == 2)
            await asyncio.sleep(0.3)
            assert len(kept) == 2 and server.confirms == [] and server.faileds == []
            await kept[0].confirm()
            assert server.confirms == [] or server.confirms == [ids[0]]
            await server.wait_for(lambda: len(kept) == 3)
            await kept[1].fail("later")
            await kept[1].confirm()  # the first answer stands
            await kept[2].confirm()
            await server.wait_for(lambda: len(server.confirms) == 2)
    assert sorted(server.confirms) == [ids[0], ids[2]]
    assert server.faileds == [(ids[1], "later")]
    assert kept[0].answered


@bounded()
async def test_routing_exact_then_prefix_then_catch_all() -> None:
    """An exact topic wins over a prefix at a `_`; the catch-all takes the rest."""
    routed: dict[str, str] = {}
    async with serving() as server:
        topics = [TRADE, "taobao_trade_TradeClose", "taobao_tradex_Other", "taobao_item_ItemAdd"]
        for topic in topics:
            server.add(topic, "{}")
        client = client_for(server)

        @client.on(TRADE)
        async def exact(message: Message[Any]) -> None:
            routed[message.topic] = "exact"

        @client.on("taobao_trade")
        def prefix(message: Message[Any]) -> None:
            routed[message.topic] = "prefix"

        @client.on_any
        async def anything(message: Message[Any]) -> None:
            routed[message.topic] = "any"

        async with client:
            await server.wait_for(lambda: len(server.confirms) == 4)
    assert routed == {
        TRADE: "exact",
        "taobao_trade_TradeClose": "prefix",
        "taobao_tradex_Other": "any",
        "taobao_item_ItemAdd": "any",
    }


@bounded()
async def test_a_topic_without_a_handler_is_failed_not_confirmed() -> None:
    """No handler and no catch-all: Failed, so the message is not lost."""
    async with serving() as server:
        message_id = server.add("taobao_item_ItemAdd", "{}")
        client = client_for(server)
        client.on(TRADE)(lambda message: None)
        async with client:
            await server.wait_for(lambda: bool(server.faileds))
    assert server.faileds == [(message_id, "no handler for topic taobao_item_ItemAdd")]


@bounded()
async def test_the_duplicate_filter_handles_the_first_of_a_burst() -> None:
    """Keys trade_<tid>: of three messages about trade 1 only the first is handled; all
    are confirmed; a failed one's key is forgotten so its redelivery is handled."""
    handled: list[int] = []
    async with serving(TmcServer(redeliver_failed=True)) as server:
        first = server.add("taobao_trade_TradeCreate", trade(1))
        server.add(TRADE, trade(1))
        server.add("taobao_trade_TradeChanged", trade(1))
        other = server.add(TRADE, trade(2))
        item = server.add("taobao_item_ItemUpdate", json.dumps({"num_iid": 5}))
        client = client_for(server, duplicate_filter=DuplicateFilter(), max_in_flight=1)
        failed_once: set[int] = set()

        @client.on_any
        async def handle(message: Message[Any]) -> None:
            if message.id == item and item not in failed_once:
                failed_once.add(item)
                raise RuntimeError("retry me")
            handled.append(message.id)

        async with client:
            await server.wait_for(lambda: len(server.confirms) == 5)
    assert handled == [first, other, item]
    assert DuplicateFilter.key("taobao_refund_RefundCreate", {"refund_id": 3}) == "refund_3"
    assert DuplicateFilter.key("taobao_item_ItemAdd", {"num_iid": 5}) == "item_5"


@bounded()
async def test_publish_waits_for_the_sendack() -> None:
    """publish sends a Data frame (topic, content, session) and returns on its SENDACK."""
    async with serving(TmcServer(ack_delay=0.2)) as server, client_for(server) as client:
        began = time.monotonic()
        await client.publish("my_topic", '{"a":"中"}', session="user-session")
        assert time.monotonic() - began >= 0.2
        server.publish_error = (500, "topic not allowed")
        with pytest.raises(TmcPublishError, match="topic not allowed"):
            await client.publish("my_topic", "{}")
    frame = server.publishes[0]
    assert (frame.value("topic"), frame.value("content")) == ("my_topic", '{"a":"中"}')
    assert frame.value("session") == "user-session" and frame.flag > 0
    assert server.publishes[1].value("session") is None


class Trade(pydantic.BaseModel):
    tid: int
    payment: str


@bounded()
async def test_a_model_types_the_content_and_a_bad_one_is_the_messages_error() -> None:
    """on(topic, model=M): content is an M; content that does not fit sets error."""
    seen: list[Message[Trade]] = []
    async with serving() as server:
        good = server.add(TRADE, trade(5))
        server.add(TRADE, '{"tid": "not a number"}')
        server.add(TRADE, "not json")
        client = client_for(server)

        @client.on(TRADE, model=Trade)
        async def handle(message: Message[Trade]) -> None:
            seen.append(message)

        async with client:
            await server.wait_for(lambda: len(server.confirms) == 3)
    by_id = {message.id: message for message in seen}
    assert by_id[good].content == Trade(tid=5, payment="30.36")
    errors = [message.error for message in seen if message.id != good]
    assert isinstance(errors[0], pydantic.ValidationError)
    assert isinstance(errors[1], json.JSONDecodeError)
    assert by_id[good + 2].text == "not json"
    with pytest.raises(json.JSONDecodeError):
        by_id[good + 2].content  # noqa: B018 - reading it is the test


@bounded()
async def test_secrets_are_not_in_reprs_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Neither the secret, the sign, the token nor a session shows in a repr or a log line;
    each message has one DEBUG line (topic, id, outcome, latency)."""
    caplog.set_level(logging.DEBUG)
    seen: list[Message[Any]] = []
    async with serving(TmcServer(drop_after=[1])) as server:
        message_id = server.add(TRADE, trade(1))
        client = client_for(server)

        @client.on(TRADE)
        async def handle(message: Message[Any]) -> None:
            seen.append(message)

        async with client:
            await server.wait_for(lambda: message_id in server.confirms)
            await client.publish("t", "{}", session="user-session-key")
            text = repr(client) + repr(seen[-1]) + repr(client._link)
    sign = server.connects[0].value("sign")
    everything = caplog.text + text
    for secret in (SECRET, sign, TOKEN, "user-session-key"):
        assert secret not in everything
        assert secret.encode()[:6].hex(" ") not in everything  # nor as frame bytes
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("TMC message")]
    assert any(line.startswith(f"TMC message {TRADE} id={message_id} confirmed") for line in lines)
    assert all(line.endswith(" ms") for line in lines)
    assert GMT8.utcoffset(None) == timedelta(hours=8)


HANDLER_TYPING = """
import pydantic

from topapi.tmc import Message, TmcClient


class Trade(pydantic.BaseModel):
    tid: int


client = TmcClient("k", "s")


@client.on("taobao_trade_TradeBuyerPay", model=Trade)
async def paid(message: Message[Trade]) -> None:
    print(message.content.tid + 1)


@client.on("taobao_trade", decoder=lambda data: int(data["tid"]))
def changed(message: Message[int]) -> None:
    message.fail(str(message.content + 1))


@client.on_any
async def anything(message: Message[object]) -> None:
    await message.confirm()


@client.on("taobao_trade_TradeClose", model=Trade)
async def wrong(message: Message[int]) -> None:
    pass
"""


def test_a_handlers_message_is_typed_by_its_model(tmp_path: Path) -> None:
    """mypy --strict: model=M types message.content as M; a handler of another type is caught."""
    user = tmp_path / "handlers.py"
    user.write_text(HANDLER_TYPING, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        cwd=REPO,
        env={**os.environ, "MYPYPATH": str(REPO / "generated")},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    wrong = HANDLER_TYPING.splitlines().index("async def wrong(message: Message[int]) -> None:")
    # mypy counts from 1 and names the decorator's line, the one above the def
    assert [int(line.split(":")[1]) for line in errors] == [wrong], run.stdout
    assert 'expected "Callable[[Message[Trade]]' in run.stdout


@bounded()
async def test_frames_that_cannot_be_read_are_skipped_and_the_connection_kept() -> None:
    """Garbage, a text message and a push without an id: logged and skipped; the next
    message is handled on the same connection."""
    handled: list[int] = []
    async with serving() as server:
        client = client_for(server)

        @client.on_any
        async def handle(message: Message[Any]) -> None:
            handled.append(message.id)

        async with client:
            await server.send_raw(b"\x02\x02\xff\xff")
            await server.send_raw("not a binary frame")
            await server.send_raw(tmcframes.send(TOKEN, tmcframes.DATA))
            message_id = server.add(TRADE, "{}")
            await server.pull_all()
            await server.wait_for(lambda: server.confirms == [message_id])
    assert handled == [message_id] and len(server.connects) == 1


@bounded()
async def test_the_client_pings_an_idle_connection() -> None:
    """No traffic for a while: WebSocket pings every ping_interval keep the connection."""
    async with serving() as server:
        async with client_for(server, ping_interval=0.1, pull_interval=60):
            await asyncio.sleep(1.0)
        assert server.pings >= 3 and len(server.connects) == 1


def test_reconnect_delays_grow_to_the_maximum_with_jitter() -> None:
    """Doubling from initial up to maximum; each scaled into [1 - jitter, 1] of it."""
    policy = Reconnect(initial=1.0, maximum=8.0, factor=2.0, jitter=0.5)
    for failures, base in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (10, 8.0), (10_000, 8.0)]:
        delays = {policy.delay(failures) for _ in range(50)}
        assert all(base * 0.5 <= delay <= base for delay in delays)
        assert len(delays) > 1  # jittered


@bounded()
async def test_an_unreachable_server_ends_run_after_the_attempts() -> None:
    """Nothing listening: run() raises TmcError after `attempts` failures, not for ever."""
    async with serving() as server:
        url = server.url
    client = TmcClient(APP_KEY, SECRET, url=url, reconnect=Reconnect(initial=0.01, attempts=4))
    with pytest.raises(TmcError, match="4 connection attempts failed"):
        await client.run()


RUNNER = """
import asyncio
import sys

from topapi.tmc import TmcClient

client = TmcClient(sys.argv[1], sys.argv[2], url=sys.argv[3], pull_interval=0.2)


@client.on_any
async def handle(message):
    print("started", message.id, flush=True)
    await asyncio.sleep(1.0)


client.run_forever(shutdown_timeout=10)
print("stopped", flush=True)
"""


@bounded(30)
async def test_sigterm_shuts_the_runner_down_gracefully(tmp_path: Path) -> None:
    """run_forever: SIGTERM while a handler runs lets it finish, confirms it, exits 0."""
    script = tmp_path / "runner.py"
    script.write_text(RUNNER, encoding="utf-8")
    async with serving() as server:
        message_id = server.add(TRADE, "{}")
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(script),
            APP_KEY,
            SECRET,
            server.url,
            stdout=asyncio.subprocess.PIPE,
        )
        try:
            assert process.stdout is not None
            line = await asyncio.wait_for(process.stdout.readline(), 15)
            assert line.decode().split() == ["started", str(message_id)]
            process.terminate()
            await asyncio.wait_for(process.wait(), 15)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        rest = await process.stdout.read()
    assert process.returncode == 0
    assert rest.decode().split() == ["stopped"]
    assert server.confirms == [message_id]


@bounded()
async def test_a_handler_may_close_the_client_without_waiting_for_itself() -> None:
    """close() from inside a handler does not wait out its own timeout."""
    async with serving() as server:
        server.add(TRADE, "{}")
        client = client_for(server)
        took: list[float] = []

        @client.on_any
        async def handle(message: Message[Any]) -> None:
            began = time.monotonic()
            await client.close(timeout=10)
            took.append(time.monotonic() - began)

        runner = asyncio.ensure_future(client.run())
        await server.wait_for(lambda: bool(took), timeout=8)
        await asyncio.wait_for(runner, 5)
    assert took[0] < 5


@bounded()
async def test_a_client_without_handlers_only_publishes() -> None:
    """No handler at all: no pulls, and a message pushed anyway is left unanswered, so it
    goes back to the queue for another consumer when the client leaves."""
    async with serving() as server:
        async with client_for(server) as client:
            await client.publish("t", "{}")
            message_id = server.add(TRADE, "{}")
            await server.pull_all()
            await asyncio.sleep(0.4)
            assert server.pulls == [] and server.confirms == [] and server.faileds == []
        await server.wait_for(lambda: [s.id for s in server.pending] == [message_id])


@bounded()
async def test_an_answer_lost_with_its_connection_is_logged_as_not_sent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The connection drops while the handler runs: its Confirm is not sent (nor sent on the
    next connection), the log line says so, and the message comes back."""
    caplog.set_level(logging.DEBUG, logger="topapi.tmc")
    release = asyncio.Event()
    runs: list[int] = []
    async with serving() as server:
        message_id = server.add(TRADE, "{}")
        client = client_for(server)

        @client.on_any
        async def handle(message: Message[Any]) -> None:
            runs.append(message.id)
            if len(runs) == 1:
                await release.wait()

        async with client:
            await server.wait_for(lambda: len(runs) == 1)
            server.drop()
            await server.wait_for(lambda: len(server.connects) == 2)
            release.set()
            await server.wait_for(lambda: server.confirms == [message_id])
            await asyncio.sleep(0.1)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("TMC message")]
    assert any("confirmed but not sent (connection lost)" in line for line in lines), lines
    assert server.confirms == [message_id] and runs == [message_id, message_id]
    assert server.problems == []  # no Confirm for it on the second connection
