"""Typed TMC handlers and publishing: topapi.tmc with the payload models of topapi.topics, on
real sockets of 127.0.0.1 (the tests' own TMC server, or the sandbox), bounded in time."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pytest

from topapi import UsageError
from topapi.testing import sandbox
from topapi.tmc import Message, TmcClient, TmcPoller
from topapi.topics import ContentError, Direction, TopicPayload
from topapi.topics.taobao_refund_refund_created import RefundCreated
from topapi.topics.taobao_trade_trade_buyer_pay import TradeBuyerPay

from .conftest import FIXTURE_SPECS, REPO, SPECS, run_topgen
from .test_cli_tmc import _first_line
from .test_tmc_client import bounded, client_for
from .test_topics import REAL_EXAMPLES, real_example
from .tmcserver import serving

GMT8 = timezone(timedelta(hours=8))
TRADE = "taobao_trade_TradeBuyerPay"


@bounded()
async def test_the_real_examples_reach_their_handlers_as_their_models() -> None:
    """A topic's name, its payload class, a prefix and the catch-all: each handler gets the
    real message as its model, with ints, Decimals and GMT+8 datetimes."""
    seen: dict[str, Message[Any]] = {}
    async with serving() as server:
        for topic in REAL_EXAMPLES:
            server.add(topic, real_example(topic))
        client = client_for(server)

        @client.on(TRADE)
        async def paid(message: Message[TradeBuyerPay]) -> None:
            seen[message.topic] = message

        @client.on(RefundCreated)
        def refunded(message: Message[RefundCreated]) -> None:
            seen[message.topic] = message

        @client.on("taobao_item")
        async def item(message: Message[Any]) -> None:
            seen[message.topic] = message

        @client.on_any
        async def anything(message: Message[Any]) -> None:
            seen[message.topic] = message

        async with client:
            await server.wait_for(lambda: len(server.confirms) == len(REAL_EXAMPLES))
    assert sorted(seen) == sorted(REAL_EXAMPLES)
    assert all(message.error is None for message in seen.values())
    pay = seen[TRADE].content
    assert type(pay) is TradeBuyerPay and type(pay.tid) is int
    assert pay.payment == Decimal("30.36") and type(pay.payment) is Decimal
    refund = seen["taobao_refund_RefundCreated"].content
    assert type(refund) is RefundCreated and refund.refund_id == 3290848379609938
    assert refund.modified == datetime(2017, 9, 13, 16, 0, 7, tzinfo=GMT8)
    item_update = seen["taobao_item_ItemUpdate"].content
    assert type(item_update).__name__ == "ItemUpdate"
    assert (item_update.num_iid, item_update.num) == (36552905512, 138)
    fenxiao = seen["taobao_fenxiao_FxRefundSuccess"].content
    assert type(fenxiao).__name__ == "FxRefundSuccess"
    assert fenxiao.tc_order_id == 12345678 and type(fenxiao.tc_order_id) is int  # sent quoted
    assert fenxiao.refund_fee == Decimal("100.00")


@bounded()
async def test_a_content_that_does_not_fit_is_delivered_with_its_error() -> None:
    """Not fitting its model, or not JSON: the handler still gets it (the ContentError with the
    raw text, which reading `content` raises) and decides; an unknown topic's content is its
    JSON."""
    seen: dict[int, Message[Any]] = {}
    async with serving() as server:
        wrong = server.add(TRADE, '{"tid": "not a number"}')
        broken = server.add(TRADE, "not json")
        unknown = server.add("my_own_Topic", '{"tid": "x"}')
        client = client_for(server)

        @client.on(TradeBuyerPay)
        async def paid(message: Message[TradeBuyerPay]) -> None:
            seen[message.id] = message

        @client.on_any
        async def anything(message: Message[Any]) -> None:
            seen[message.id] = message

        async with client:
            await server.wait_for(lambda: len(server.confirms) == 3)
    for message_id, raw in ((wrong, '{"tid": "not a number"}'), (broken, "not json")):
        message = seen[message_id]
        assert isinstance(message.error, ContentError)
        with pytest.raises(ContentError) as raised:
            message.content  # noqa: B018 - reading it is the test
        assert raised.value is message.error
        assert message.error.raw == raw == message.text
        assert message.error.topic == TRADE
    assert "tid" in str(seen[wrong].error)
    assert seen[wrong].data == {"tid": "not a number"}
    assert seen[unknown].content == {"tid": "x"} and seen[unknown].error is None


class ShipmentTrace(TopicPayload):
    """An `out` topic's model, as topapi.topics generates them."""

    top_topic: ClassVar[str] = "topgen_test_ShipmentTrace"
    top_direction: ClassVar[Direction] = Direction.OUT

    tid: int | None = None
    time: datetime | None = None
    fee: Decimal | None = None


@bounded()
async def test_a_raw_control_character_in_a_string_still_gives_the_typed_content() -> None:
    """TOP's JSON sometimes holds a raw newline inside a string: the handler gets its model."""
    seen: list[Message[TradeBuyerPay]] = []
    async with serving() as server:
        server.add(TRADE, '{"tid": 5, "buyer_nick": "line\nbreak"}')
        client = client_for(server)

        @client.on(TRADE)
        async def paid(message: Message[TradeBuyerPay]) -> None:
            seen.append(message)

        async with client:
            await server.wait_for(lambda: len(server.confirms) == 1)
    (message,) = seen
    assert message.error is None
    assert (message.content.tid, message.content.buyer_nick) == (5, "line\nbreak")


@bounded()
async def test_a_handler_reading_a_content_that_does_not_fit_fails_it_with_the_reason() -> None:
    """A handler that does not check `error` gets the ContentError from `content`: the message
    is failed with that reason (TOP redelivers it), never confirmed as handled."""
    async with serving() as server:
        wrong = server.add(TRADE, '{"tid": "not a number"}')
        good = server.add(TRADE, '{"tid": 5}')
        client = client_for(server)
        tids: list[int | None] = []

        @client.on(TRADE)
        async def paid(message: Message[TradeBuyerPay]) -> None:
            tids.append(message.content.tid)

        async with client:
            await server.wait_for(lambda: len(server.confirms) + len(server.faileds) == 2)
    assert tids == [5] and server.confirms == [good]
    [(failed, reason)] = server.faileds
    assert failed == wrong and TRADE in reason and "tid" in reason


@bounded()
async def test_a_payload_of_an_out_topic_is_published_as_top_expects() -> None:
    """publish(model): its topic, and its content as TOP takes it (GMT+8 text, decimal
    text); an `in` topic's model is refused before anything is sent."""
    trace = ShipmentTrace(
        tid=2**60, time=datetime(2024, 1, 1, 4, 0, tzinfo=UTC), fee=Decimal("12.50")
    )
    async with serving() as server, client_for(server) as client:
        await client.publish(trace, session="user-session")
        with pytest.raises(UsageError, match="taobao_trade_TradeBuyerPay is an `in` topic"):
            await client.publish(TradeBuyerPay(tid=1))
        with pytest.raises(UsageError, match="a content is needed"):
            await client.publish("my_topic")  # type: ignore[call-overload]
    (frame,) = server.publishes
    assert frame.value("topic") == "topgen_test_ShipmentTrace"
    assert json.loads(frame.value("content")) == {
        "tid": 2**60,
        "time": "2024-01-01 12:00:00",
        "fee": "12.50",
    }


def test_the_poller_publishes_a_payload_and_refuses_an_in_topic() -> None:
    """TmcPoller.publish(model) goes through taobao.tmc.message.produce with its content."""
    with sandbox(SPECS) as top:

        async def body() -> list[str]:
            async with top.async_client() as rest:
                poller = TmcPoller(rest)
                with pytest.raises(UsageError, match="is an `in` topic"):
                    await poller.publish(TradeBuyerPay(tid=1))
                return await poller.publish(ShipmentTrace(tid=7, fee=Decimal("1.5")))

        ids = asyncio.run(body())
        (message,) = top.client.taobao_tmc_messages_consume().messages or []
    assert len(ids) == 1
    assert message.topic == "topgen_test_ShipmentTrace"
    assert json.loads(message.content or "") == {"tid": 7, "fee": "1.5"}


def test_publish_without_content_sends_the_topics_example() -> None:
    """top.publish(topic): the spec's real example, which a handler gets as its model."""
    with sandbox(SPECS) as top:
        top.publish(TRADE)
        seen: list[Message[TradeBuyerPay]] = []

        async def body() -> None:
            client = top.tmc_client()

            @client.on(TRADE)
            async def paid(message: Message[TradeBuyerPay]) -> None:
                seen.append(message)

            async with client:
                async with asyncio.timeout(10):
                    while not seen:
                        await asyncio.sleep(0.02)

        asyncio.run(body())
        with pytest.raises(ValueError, match="no topic spec for my_own_Topic"):
            top.publish("my_own_Topic")
    (message,) = seen
    assert message.text == json.dumps(
        json.loads(real_example(TRADE)), separators=(",", ":"), ensure_ascii=False
    )
    assert message.content.tid == 586070597376760


TYPED_HANDLERS = """
from typing import Any

from topapi.tmc import Message, TmcClient
from topapi.topics.taobao_trade_trade_buyer_pay import TradeBuyerPay

client = TmcClient("k", "s")


@client.on("taobao_trade_TradeBuyerPay")
async def paid(message: Message[TradeBuyerPay]) -> None:
    if message.content is not None:
        print(message.content.tid, message.content.payment)


@client.on(TradeBuyerPay)
def paid_again(message: Message[TradeBuyerPay]) -> None:
    print(message.content.tid)


@client.on("taobao_trade")
async def any_trade(message: Message[Any]) -> None:
    print(message.content)
"""


PAID_AGAIN = """@client.on(TradeBuyerPay)
def paid_again(message: Message[TradeBuyerPay]) -> None:
    print(message.content.tid)"""


@pytest.mark.parametrize(
    ("wrong", "error"),
    [
        (PAID_AGAIN, None),
        (PAID_AGAIN.replace(".tid", ".tiid"), '"TradeBuyerPay" has no attribute "tiid"'),
        (
            PAID_AGAIN.replace("[TradeBuyerPay]", "[int]").replace(".tid", ""),
            'expected "Callable[[Message[TradeBuyerPay]], Awaitable[None] | None]"',
        ),
        (
            PAID_AGAIN.replace("TradeBuyerPay)", '"taobao_trade_TradeBuyerPay")')
            .replace("[TradeBuyerPay]", "[int]")
            .replace(".tid", ""),
            'expected "Callable[[Message[TradeBuyerPay]], Awaitable[None] | None]"',
        ),
    ],
    ids=["typed", "misspelt-field", "wrong-message-type", "by-name-wrong-message-type"],
)
def test_mypy_knows_a_typed_handlers_message(tmp_path: Path, wrong: str, error: str | None) -> None:
    """mypy --strict: both forms type message.content as the topic's model; a misspelt field
    or a handler of another type is an error."""
    assert PAID_AGAIN in TYPED_HANDLERS
    script = TYPED_HANDLERS.replace(PAID_AGAIN, wrong)
    user = tmp_path / "handlers.py"
    user.write_text(script, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    found = re.findall(r"error: (.*)", run.stdout)
    if error is None:
        assert run.returncode == 0 and not found, run.stdout + run.stderr
    else:
        assert len(found) == 1 and error in found[0], run.stdout + run.stderr


def test_topgen_tmc_publish_without_content_sends_the_example_a_listener_shows() -> None:
    """`topgen tmc publish TOPIC`: the spec's example; `topgen tmc listen` shows it typed."""
    from topgen.sandbox.serve import build_sandbox, start_in_thread  # noqa: PLC0415

    running = start_in_thread(build_sandbox(SPECS))
    try:
        published = run_topgen("tmc", "publish", TRADE, "--gateway", running.url)
        assert published.returncode == 0, published.stderr
        missing = run_topgen("tmc", "publish", "my_own_Topic", "--gateway", running.url)
        assert missing.returncode == 1 and "no topic spec" in missing.stderr
        assert "Traceback" not in missing.stderr
        listen = [sys.executable, "-m", "topgen.cli", "tmc", "listen", "--json"]
        process = subprocess.Popen(
            [*listen, "--gateway", running.url],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            line = _first_line(process, 30)
        finally:
            process.terminate()
            process.wait(timeout=15)
    finally:
        running.stop()
    shown = json.loads(line)
    assert shown["topic"] == TRADE and shown["model"] == "TradeBuyerPay"
    assert shown["content"] == json.loads(real_example(TRADE)) and shown["error"] is None


def test_a_topic_without_an_example_gets_one_made_from_its_field_types() -> None:
    """The spec's example first (a real one before a made one); none: one from the types."""
    from topgen.sandbox.topics import example_content, load_topic  # noqa: PLC0415

    trace = load_topic(FIXTURE_SPECS, "topgen_fixture_TradeTrace")
    made = '{"tid":1,"action":"string","time":"2024-01-01 12:00:00","fee":"1.00"}'
    assert example_content(trace) == made  # the spec's own "generated" example
    assert example_content(replace(trace, examples=())) == made  # the same, from the types
    paid = load_topic(SPECS, TRADE)
    assert json.loads(example_content(paid)) == json.loads(real_example(TRADE))
    with pytest.raises(ValueError, match="no topic spec"):
        load_topic(SPECS, "../topics/taobao_trade_TradeBuyerPay")


def test_on_refuses_a_class_that_is_no_payload_model() -> None:
    """on(SomeModel) for a model not of topapi.topics: a UsageError pointing at model=."""
    from pydantic import BaseModel  # noqa: PLC0415

    class Trade(BaseModel):
        tid: int

    client = TmcClient("k", "s")
    with pytest.raises(UsageError, match=r"on\(Trade\): a topic name or a payload class"):
        client.on(Trade)  # type: ignore[call-overload]
    with pytest.raises(UsageError, match="a topic is needed"):
        client.on(TopicPayload)
