"""The sandbox speaks TMC: raw v2 frames (the tests' own codec) over a real WebSocket."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from topgen.sandbox.gateway import DEFAULT_APP_SECRET, signature
from topgen.sandbox.serve import RunningSandbox

from . import tmcframes as raw
from .tmcsandbox import Peer, connect, connect_frame, ids, open_socket, tmc_sandbox

TEST_SECONDS = 30  # no test of this file runs longer
TRADE = "taobao_trade_TradeBuyerPay"


def run(test: Callable[[aiohttp.ClientSession], Awaitable[None]]) -> None:
    """Run an async test body with a client session, bounded in time."""

    async def bounded() -> None:
        async with asyncio.timeout(TEST_SECONDS), aiohttp.ClientSession() as http:
            await test(http)

    asyncio.run(bounded())


def publish(running: RunningSandbox, count: int, **event: Any) -> list[int]:
    """Queue `count` trade messages; their ids."""
    return [running.publish(TRADE, json.dumps({"tid": n}), **event).id for n in range(count)]


def test_the_sign_is_tops_md5_over_the_three_keys() -> None:
    """The reference's vector: the gateway's signature function signs CONNECT too."""
    signed = {"app_key": "12345678", "group_name": "default", "timestamp": "1700000000000"}
    assert signature(signed, "s3cret", "md5") == "0B4E560E8FF04DDF0D44329088F142C7"


def test_a_good_connect_gets_its_flag_and_a_token() -> None:
    """CONNECTACK answers with the CONNECT's Flag and a routing token, no status."""
    with tmc_sandbox() as running:

        async def body(http: aiohttp.ClientSession) -> None:
            socket = await open_socket(http, running)
            await socket.send_bytes(connect_frame(flag=41))
            ack = await Peer(socket, "").frame()
            assert (ack.type, ack.flag, ack.status_code, ack.status_phrase) == (
                raw.CONNECTACK,
                41,
                0,
                "",
            )
            assert len(ack.token) >= 16

        run(body)


REFUSALS = [
    ("bad sign", {"secret": "not-the-secret"}, 401, "Invalid Signature"),
    ("unknown app key", {"app_key": "someone-else"}, 401, "Invalid App Key"),
    (
        "stale timestamp",
        {"timestamp": str(int(time.time() * 1000) - 11 * 60_000)},
        401,
        "Timestamp",
    ),
    ("not a timestamp", {"timestamp": "yesterday"}, 401, "Invalid Timestamp"),
    ("forged auth token", {"extra": [("token", raw.STRING, "forged")]}, 401, "Invalid Token"),
    ("group name too long", {"group": "g" * 33}, 400, "Invalid Group Name"),
]


@pytest.mark.parametrize(
    ("changes", "code", "phrase"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_a_bad_connect_is_refused_and_closed(
    changes: dict[str, Any], code: int, phrase: str
) -> None:
    """A refused CONNECT gets CONNECTACK with StatusCode and StatusPhrase, then the close."""
    with tmc_sandbox() as running:

        async def body(http: aiohttp.ClientSession) -> None:
            socket = await open_socket(http, running)
            await socket.send_bytes(connect_frame(flag=3, **changes))
            ack = await Peer(socket, "").frame()
            assert ack.type == raw.CONNECTACK and ack.flag == 3 and not ack.token
            assert ack.status_code == code and phrase in ack.status_phrase
            closing = await socket.receive(timeout=5)
            assert closing.type is aiohttp.WSMsgType.CLOSE and closing.data == 1008

        run(body)


def test_pull_pushes_every_pending_message_with_its_fields() -> None:
    """After a PullRequest the group's messages come, each with the reference's headers."""
    with tmc_sandbox() as running:
        published = publish(running, 2, nick="买家", user_id=720978815)

        async def body(http: aiohttp.ClientSession) -> None:
            peer = await connect(http, running)
            published.extend(await asyncio.to_thread(publish, running, 1))
            assert await peer.silent()  # nothing before a pull, not even what came after
            await peer.pull()
            frames = await peer.messages(3)
            assert ids(frames) == published
            first = frames[0]
            assert first.token == peer.token
            formats = {name: fmt for name, fmt, _value in first.custom}
            assert formats["id"] == raw.INT64 and formats["time"] == raw.DATE
            assert formats["userid"] == raw.INT64 and formats["__kind"] == raw.BYTE
            assert first.value("topic") == TRADE
            assert json.loads(first.value("content")) == {"tid": 0}
            assert first.value("nick") == "买家" and first.value("userid") == 720978815
            assert first.value("publisher") == "12497914"
            assert abs(first.value("time") - time.time() * 1000) < 60_000

        run(body)


def test_messages_published_later_are_pushed_to_a_consumer_that_pulled() -> None:
    """A consumer that pulled once is pushed what arrives afterwards, without pulling again."""
    with tmc_sandbox() as running:

        async def body(http: aiohttp.ClientSession) -> None:
            peer = await connect(http, running)
            await peer.pull()
            assert await peer.silent()
            published = await asyncio.to_thread(publish, running, 2)
            assert ids(await peer.messages(2)) == published

        run(body)


def test_confirm_removes_and_the_rest_comes_back() -> None:
    """Confirmed messages are gone; the unconfirmed ones go to the next consumer."""
    with tmc_sandbox() as running:
        published = publish(running, 4)

        async def body(http: aiohttp.ClientSession) -> None:
            first = await connect(http, running)
            await first.pull()
            await first.messages(4)
            await first.confirm(published[0])
            await first.confirm(published[2])
            await first.socket.close()
            second = await connect(http, running)
            await second.pull()
            assert ids(await second.messages(2)) == [published[1], published[3]]
            assert await second.silent()

        run(body)


def test_failed_is_redelivered_after_redeliver_after() -> None:
    """A Failed message stays away for redeliver_after, then is pushed again."""
    with tmc_sandbox(redeliver_after=1.0) as running:
        (message_id,) = publish(running, 1)

        async def body(http: aiohttp.ClientSession) -> None:
            peer = await connect(http, running)
            await peer.pull()
            await peer.messages(1)
            failed_at = time.monotonic()
            await peer.fail(message_id, "库存不足")
            assert await peer.silent(0.6)
            (again,) = await peer.messages(1)
            assert again.value("id") == message_id
            assert time.monotonic() - failed_at >= 0.95

        run(body)


def test_a_consumer_gone_without_confirming_hands_its_messages_to_another() -> None:
    """The group's other consumer gets what the first held when the first disconnects."""
    with tmc_sandbox() as running:
        published = publish(running, 5)

        async def body(http: aiohttp.ClientSession) -> None:
            first = await connect(http, running)
            await first.pull()
            await first.messages(5)
            second = await connect(http, running)
            await second.pull()
            assert await second.silent()  # held by the first: not delivered twice
            await first.socket.close()
            assert sorted(ids(await second.messages(5))) == published

        run(body)


def test_two_consumers_share_one_queue_never_holding_the_same_message() -> None:
    """200 messages, two consumers of a window of 10: each delivered once, to one of them."""
    with tmc_sandbox(window=10) as running:
        published = publish(running, 200)
        counts: dict[int, int] = {}

        async def consume(peer: Peer, got: list[int], held: set[int], other: set[int]) -> None:
            while len(got) < 200:  # bounded by asyncio.wait's timeout below
                try:
                    frame = await peer.frame(wait=0.5)
                except TimeoutError:
                    continue  # the other one may be taking the last ones
                message_id = frame.value("id")
                assert message_id not in other  # never held by both at once
                held.add(message_id)
                got.append(message_id)
                counts[id(peer)] = counts.get(id(peer), 0) + 1
                if len(got) % 7 == 0:
                    await asyncio.sleep(0.01)  # let the other one take its turns
                held.discard(message_id)
                await peer.confirm(message_id)

        async def body(http: aiohttp.ClientSession) -> None:
            a, b = await connect(http, running), await connect(http, running)
            got: list[int] = []
            held_a: set[int] = set()
            held_b: set[int] = set()
            await a.pull()
            await b.pull()
            tasks = [
                asyncio.create_task(consume(a, got, held_a, held_b)),
                asyncio.create_task(consume(b, got, held_b, held_a)),
            ]
            done, pending = await asyncio.wait(tasks, timeout=15)
            for task in done:
                task.result()  # an assertion in either fails the test
            for task in pending:
                task.cancel()
            assert sorted(got) == published  # every message once, none twice
            assert got and len(set(got)) == 200
            assert len(counts) == 2 and min(counts.values()) >= 10, counts  # both took a share

        run(body)


def test_each_consumer_gets_no_more_than_its_window() -> None:
    """A consumer holding `window` unconfirmed messages gets the next only after a confirm."""
    with tmc_sandbox(window=3) as running:
        published = publish(running, 5)

        async def body(http: aiohttp.ClientSession) -> None:
            peer = await connect(http, running)
            await peer.pull()
            assert ids(await peer.messages(3)) == published[:3]
            assert await peer.silent()
            await peer.confirm(published[0])
            assert ids(await peer.messages(1)) == [published[3]]

        run(body)


def test_data_is_published_and_acknowledged_with_its_flag() -> None:
    """A Data frame gets a SENDACK with its Flag; its message goes to the group's consumer."""
    with tmc_sandbox() as running:

        async def body(http: aiohttp.ClientSession) -> None:
            publisher = await connect(http, running)
            content = json.dumps({"tid": 7, "note": "已付款"}, ensure_ascii=False)
            data = (("topic", raw.STRING, TRADE), ("content", raw.STRING, content))
            await publisher.send(raw.DATA, *data, flag=9)
            ack = await publisher.frame()
            assert (ack.type, ack.flag, ack.status_code, ack.status_phrase) == (
                raw.SENDACK,
                9,
                0,
                "",
            )
            consumer = await connect(http, running)
            await consumer.pull()
            (pushed,) = await consumer.messages(1)
            assert pushed.value("content") == content
            assert pushed.value("publisher") == "sandbox-app-key"

        run(body)


def test_data_with_a_session_is_the_sessions_users_message() -> None:
    """A Data frame's session names its user: a nick derived from it, never the session."""
    with tmc_sandbox() as running:

        async def body(http: aiohttp.ClientSession) -> None:
            publisher = await connect(http, running)
            data = [("topic", raw.STRING, TRADE), ("content", raw.STRING, "{}")]
            await publisher.send(raw.DATA, *data, ("session", raw.STRING, "s3ss10n"), flag=1)
            await publisher.frame()  # the SENDACK
            await publisher.send(raw.DATA, *data, flag=2)
            await publisher.frame()
            consumer = await connect(http, running)
            await consumer.pull()
            with_session, without = await consumer.messages(2)
            nick, user_id = with_session.value("nick"), with_session.value("userid")
            assert nick.startswith("sandbox-user-") and "s3ss10n" not in nick
            assert (without.value("nick"), without.value("userid")) == ("sandbox-user", 1)
            assert user_id not in (0, 1)

        run(body)


def test_a_full_queue_refuses_data_with_a_status() -> None:
    """Past max_queue unconfirmed messages a group refuses more, saying why."""
    with tmc_sandbox(max_queue=2) as running:
        publish(running, 2)

        async def body(http: aiohttp.ClientSession) -> None:
            peer = await connect(http, running)
            data = (("topic", raw.STRING, TRADE), ("content", raw.STRING, "{}"))
            await peer.send(raw.DATA, *data, flag=5)
            ack = await peer.frame()
            assert ack.type == raw.SENDACK and ack.flag == 5 and ack.status_code == 503
            assert "full" in ack.status_phrase and "2 messages" in ack.status_phrase

        run(body)


async def closed_with(socket: aiohttp.ClientWebSocketResponse) -> int:
    """The close code the sandbox ends the connection with."""
    message = await socket.receive(timeout=5)
    assert message.type is aiohttp.WSMsgType.CLOSE, message
    return int(message.data)


def test_protocol_errors_close_the_connection() -> None:
    """Text frames, undecodable frames, a wrong token, no CONNECT in time, a huge frame."""
    with tmc_sandbox(handshake_seconds=0.5, max_frame=4096) as running:

        async def body(http: aiohttp.ClientSession) -> None:
            text = await open_socket(http, running)
            await text.send_str("hello")
            assert await closed_with(text) == 1003
            garbage = await open_socket(http, running)
            await garbage.send_bytes(b"\x02\x00\x09")
            assert await closed_with(garbage) == 1002
            not_connect = await open_socket(http, running)
            await not_connect.send_bytes(raw.send("tk", raw.PULL))
            assert await closed_with(not_connect) == 1002
            idle = await open_socket(http, running)
            assert await closed_with(idle) == 1008
            huge = await open_socket(http, running)
            await huge.send_bytes(connect_frame(extra=[("sdk", raw.STRING, "x" * 5000)]))
            assert await closed_with(huge) == 1009
            peer = await connect(http, running)
            await peer.socket.send_bytes(raw.send("another-token", raw.PULL))
            assert await closed_with(peer.socket) == 1008

        run(body)


def test_the_connection_token_of_auth_get_is_accepted() -> None:
    """taobao.tmc.auth.get's result is a token CONNECT may carry (as Java does in production)."""
    from topapi import TopClient  # noqa: PLC0415 - the generated bindings of the new APIs

    with tmc_sandbox() as running:
        key, secret = running.sandbox.app_key, DEFAULT_APP_SECRET
        with TopClient(key, secret, gateway=running.url) as client:
            token = client.taobao_tmc_auth_get(group="default").result
        assert token

        async def body(http: aiohttp.ClientSession) -> None:
            socket = await open_socket(http, running)
            await socket.send_bytes(connect_frame(extra=[("token", raw.STRING, token)]))
            ack = await Peer(socket, "").frame()
            assert ack.type == raw.CONNECTACK and ack.status_code == 0 and ack.token

        run(body)


def test_pings_are_answered() -> None:
    """A client's WebSocket Ping gets its Pong, before and after CONNECT."""
    with tmc_sandbox() as running:

        async def body(http: aiohttp.ClientSession) -> None:
            socket = await http.ws_connect(running.tmc_url, autoping=False)
            await socket.send_bytes(connect_frame())
            await socket.receive(timeout=5)  # the CONNECTACK
            await socket.ping(b"are you there")
            pong = await socket.receive(timeout=5)
            assert pong.type is aiohttp.WSMsgType.PONG and pong.data == b"are you there"

        run(body)


def test_connections_past_the_limit_are_refused() -> None:
    """With max_connections 2, a third CONNECT is refused with 503 while two are held."""
    with tmc_sandbox(max_connections=2) as running:

        async def body(http: aiohttp.ClientSession) -> None:
            held = [await connect(http, running), await connect(http, running)]
            third = await open_socket(http, running)
            await third.send_bytes(connect_frame())
            ack = await Peer(third, "").frame()
            assert ack.status_code == 503 and ack.status_phrase == "too many connections"
            await held[0].socket.close()
            await asyncio.sleep(0.2)  # the sandbox sees the close
            await connect(http, running)  # a place is free again

        run(body)


def test_no_sign_token_or_secret_in_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    """The sandbox logs connections and refusals without the sign, the token or the secret."""
    caplog.set_level(logging.DEBUG)
    good, bad = connect_frame(), connect_frame(secret="wrong")
    secrets = [DEFAULT_APP_SECRET, raw.decode(good).value("sign"), raw.decode(bad).value("sign")]
    with tmc_sandbox() as running:

        async def body(http: aiohttp.ClientSession) -> None:
            for frame in (good, bad):
                socket = await open_socket(http, running)
                await socket.send_bytes(frame)
                ack = await Peer(socket, "").frame()
                if ack.token:
                    secrets.append(ack.token)
                await socket.close()
            await asyncio.sleep(0.2)  # the sandbox logs the close

        run(body)
    logged = caplog.text
    assert "TMC connection" in logged and "refused" in logged and len(secrets) == 4
    for secret in secrets:
        assert secret not in logged


def test_a_confirm_on_a_new_connection_removes_what_an_old_one_held() -> None:
    """A client that reconnected confirms what it handled: gone, not redelivered."""
    with tmc_sandbox() as running:
        (message_id,) = publish(running, 1)

        async def body(http: aiohttp.ClientSession) -> None:
            old = await connect(http, running)
            await old.pull()
            await old.messages(1)
            new = await connect(http, running)
            await new.confirm(message_id)  # before the old connection is seen to close
            await asyncio.sleep(0.1)
            await old.socket.close()
            await new.pull()
            assert await new.silent()

        run(body)
