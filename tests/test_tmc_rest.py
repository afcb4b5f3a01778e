"""The TMC REST APIs answered for real by the sandbox, called through the generated bindings."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from datetime import timedelta

import aiohttp
import pytest

from topapi import InvalidArgumentError, ServerError, TopClient
from topapi.apis.taobao_tmc_messages_produce import TmcPublishMessage
from topgen.sandbox.gateway import DEFAULT_APP_KEY, DEFAULT_APP_SECRET
from topgen.sandbox.serve import RunningSandbox

from .tmcsandbox import connect, tmc_sandbox

TRADE = "taobao_trade_TradeBuyerPay"


@pytest.fixture
def running() -> Iterator[RunningSandbox]:
    """A sandbox whose leases and redeliveries last half a second."""
    with tmc_sandbox(redeliver_after=0.5, max_queue=30) as sandbox:
        yield sandbox


@pytest.fixture
def client(running: RunningSandbox) -> Iterator[TopClient]:
    """topapi's client of it."""
    with TopClient(DEFAULT_APP_KEY, DEFAULT_APP_SECRET, gateway=running.url) as top:
        yield top


def test_produce_consume_confirm(client: TopClient) -> None:
    """Published messages come back typed from consume; confirmed ones never again."""
    produced = [
        client.taobao_tmc_message_produce(topic=TRADE, content=json.dumps({"tid": n}))
        for n in range(3)
    ]
    assert all(p.is_success and p.total == 1 for p in produced)
    sent_ids = [int(p.msg_ids[0]) for p in produced if p.msg_ids]
    messages = client.taobao_tmc_messages_consume(quantity=10).messages or []
    assert [m.id for m in messages] == sent_ids
    first = messages[0]
    assert first.topic == TRADE and json.loads(first.content or "") == {"tid": 0}
    assert first.pub_app_key == DEFAULT_APP_KEY and first.user_nick == "sandbox-user"
    assert first.pub_time is not None and first.pub_time.utcoffset() == timedelta(hours=8)
    assert abs(first.pub_time.timestamp() - time.time()) < 60
    confirmed = client.taobao_tmc_messages_confirm(s_message_ids=[str(i) for i in sent_ids])
    assert confirmed.is_success
    time.sleep(0.7)  # past the lease: nothing comes back, it was confirmed
    assert not client.taobao_tmc_messages_consume(quantity=10).messages


def test_an_unconfirmed_consume_comes_back_after_redeliver_after(client: TopClient) -> None:
    """A REST consumer's messages are held for redeliver_after, then given out again."""
    client.taobao_tmc_message_produce(topic=TRADE, content="{}")
    (taken,) = client.taobao_tmc_messages_consume().messages or []
    assert not client.taobao_tmc_messages_consume().messages  # held, not given twice
    time.sleep(0.7)
    (again,) = client.taobao_tmc_messages_consume().messages or []
    assert again.id == taken.id


def test_messages_produce_publishes_each(client: TopClient) -> None:
    """The batch publish answers a result per message, all successful."""
    batch = [TmcPublishMessage(topic=TRADE, content=json.dumps({"n": n})) for n in range(4)]
    answer = client.taobao_tmc_messages_produce(messages=batch)
    assert answer.is_all_success and [r.is_success for r in answer.results or []] == [True] * 4
    contents = [m.content for m in client.taobao_tmc_messages_consume().messages or []]
    assert contents == [json.dumps({"n": n}) for n in range(4)]


@pytest.mark.parametrize("quantity", [9, 201])
def test_consume_quantity_is_10_to_200(client: TopClient, quantity: int) -> None:
    """TOP's bounds on a batch: outside them, code 41 naming the parameter."""
    with pytest.raises(InvalidArgumentError, match="quantity"):
        client.taobao_tmc_messages_consume(quantity=quantity)


def test_confirm_takes_at_most_200_ids_and_only_ids(client: TopClient) -> None:
    """201 ids, or one that is not a number, are refused."""
    with pytest.raises(InvalidArgumentError, match="at most 200"):
        client.taobao_tmc_messages_confirm(s_message_ids=[str(n) for n in range(201)])
    with pytest.raises(InvalidArgumentError, match="not a message id"):
        client.taobao_tmc_messages_confirm(s_message_ids=["12", "twelve"])


def test_a_full_queue_refuses_a_produce(client: TopClient) -> None:
    """The 31st unconfirmed message of a group with max_queue 30 is refused, saying so."""
    batch = [TmcPublishMessage(topic=TRADE, content="{}") for _ in range(30)]
    assert client.taobao_tmc_messages_produce(messages=batch[:25]).is_all_success
    answer = client.taobao_tmc_messages_produce(messages=batch[:10])
    results = answer.results or []
    assert not answer.is_all_success and [r.is_success for r in results] == [True] * 5 + [False] * 5
    assert results[-1].error_code == "isp.tmc-queue-full"
    with pytest.raises(ServerError, match="full"):
        client.taobao_tmc_message_produce(topic=TRADE, content="{}")


def test_users_and_groups(client: TopClient, running: RunningSandbox) -> None:
    """permit/get/topics/cancel, and a custom group receiving its users' messages."""
    assert client.taobao_tmc_user_permit(topics=[TRADE], session="a-session").is_success
    produced = client.taobao_tmc_message_produce(topic=TRADE, content="{}", session="a-session")
    (message,) = client.taobao_tmc_messages_consume().messages or []
    nick = message.user_nick or ""
    assert nick.startswith("sandbox-user-") and "a-session" not in nick
    assert produced.msg_ids == [str(message.id)]
    user = client.taobao_tmc_user_get(fields="user_nick,group_name,user_id", nick=nick).tmc_user
    assert user is not None and user.user_nick == nick and user.topics == [TRADE]
    assert user.group_name == "default" and user.user_id == message.user_id
    assert user.created is None  # not asked for in fields
    assert client.taobao_tmc_user_topics_get(nick=nick).topics == [TRADE]
    added = client.taobao_tmc_group_add(group_name="vip", nicks=[nick])
    assert added.group_name == "vip" and added.created is not None
    groups = client.taobao_tmc_groups_get()
    assert [g.name for g in groups.groups or []] == ["vip"] and groups.total_results == 1
    running.publish(TRADE, '{"tid": 1}', nick=nick)
    assert not client.taobao_tmc_messages_consume().messages  # not the default group's
    (vip,) = client.taobao_tmc_messages_consume(group_name="vip").messages or []
    assert vip.user_nick == nick
    queue = client.taobao_tmc_queue_get(group_name="vip").datas or []
    assert [(q.name, q.put_toal, q.get_total) for q in queue] == [("vip", 1, 1)]
    assert client.taobao_tmc_group_delete(group_name="vip").is_success
    assert not client.taobao_tmc_groups_get().groups
    assert client.taobao_tmc_user_cancel(nick=nick).is_success
    assert client.taobao_tmc_user_get(fields="topics", nick=nick).tmc_user is None


@pytest.mark.parametrize("name", ["default_x", "x" * 33])
def test_a_group_name_follows_tops_rules(client: TopClient, name: str) -> None:
    """No custom group starting with 'default', none longer than 32 characters."""
    with pytest.raises(InvalidArgumentError, match="group_name"):
        client.taobao_tmc_group_add(group_name=name, nicks=["someone"])


def test_rest_and_long_connection_consumers_share_the_queue(
    client: TopClient, running: RunningSandbox
) -> None:
    """What REST consume holds is not pushed to a connection, and the reverse."""
    first = running.publish(TRADE, "{}").id
    (taken,) = client.taobao_tmc_messages_consume().messages or []
    assert taken.id == first
    second = running.publish(TRADE, "{}").id

    async def body() -> None:
        async with asyncio.timeout(20), aiohttp.ClientSession() as http:
            peer = await connect(http, running)
            await peer.pull()
            (pushed,) = await peer.messages(1)
            assert pushed.value("id") == second
            assert not await asyncio.to_thread(
                lambda: client.taobao_tmc_messages_consume().messages
            )
            (leased,) = await peer.messages(1)  # the REST lease ended: now it is pushed
            assert leased.value("id") == first

    asyncio.run(body())


def test_a_delayed_message_is_held_back_until_its_time(client: TopClient) -> None:
    """message.produce's delay_millis (the epoch ms it is due at) keeps it until then."""
    due = int(time.time() * 1000) + 600
    client.taobao_tmc_message_produce(topic=TRADE, content="{}", delay_millis=due)
    assert not client.taobao_tmc_messages_consume().messages
    time.sleep(0.8)
    assert len(client.taobao_tmc_messages_consume().messages or []) == 1
