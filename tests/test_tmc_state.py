"""`topgen serve --state FILE`: killed with SIGKILL and restarted, nothing unconfirmed is lost."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from datetime import datetime
from pathlib import Path

import aiohttp
import httpx

from topapi import TopClient
from topgen.sandbox.gateway import DEFAULT_APP_KEY, DEFAULT_APP_SECRET, GMT8
from topgen.sandbox.tmc.sqlite import SqliteStore

from . import tmcframes as raw
from .conftest import SPECS, run_topgen
from .tmcsandbox import Peer, connect_frame, serving
from .topserver import expected_sign

TRADE = "taobao_trade_TradeBuyerPay"


async def _consumer(http: aiohttp.ClientSession, url: str) -> Peer:
    tmc_url = "ws" + url.removeprefix("http").removesuffix("router/rest")
    socket = await http.ws_connect(tmc_url)
    await socket.send_bytes(connect_frame())
    peer = Peer(socket, "")
    ack = await peer.frame()
    assert ack.status_code == 0, ack
    peer.token = ack.token
    return peer


def test_every_unconfirmed_message_survives_sigkill(tmp_path: Path) -> None:
    """Published, partly confirmed (REST and connection), killed: the rest comes back, once."""
    state = tmp_path / "tmc.sqlite"
    with serving(state) as (process, url):
        with TopClient(DEFAULT_APP_KEY, DEFAULT_APP_SECRET, gateway=url) as client:
            published = [
                int(
                    (
                        client.taobao_tmc_message_produce(
                            topic=TRADE, content=f'{{"n":{n}}}'
                        ).msg_ids
                        or []
                    )[0]
                )
                for n in range(20)
            ]
            rest = [m.id for m in client.taobao_tmc_messages_consume(quantity=10).messages or []]
            assert rest == published[:10]
            client.taobao_tmc_messages_confirm(s_message_ids=[str(i) for i in rest[:5]])

        async def hold_some() -> list[int]:
            async with asyncio.timeout(30), aiohttp.ClientSession() as http:
                peer = await _consumer(http, url)
                await peer.pull()
                pushed = [f.value("id") for f in await peer.messages(10)]
                for message_id in pushed[:3]:
                    await peer.confirm(message_id)
                data = (("topic", raw.STRING, TRADE), ("content", raw.STRING, "{}"))
                await peer.send(raw.DATA, *data, flag=2)  # its SENDACK: the confirms are in
                ack = await peer.frame()
                assert ack.type == raw.SENDACK and ack.status_code == 0
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
                return pushed

        pushed = asyncio.run(hold_some())
        assert pushed == published[10:]
    confirmed = set(rest[:5]) | set(pushed[:3])
    with serving(state) as (_process, url):

        async def take_all() -> list[int]:
            async with asyncio.timeout(30), aiohttp.ClientSession() as http:
                peer = await _consumer(http, url)
                await peer.pull()
                frames = await peer.messages(13)
                assert await peer.silent()
                return [f.value("id") for f in frames]

        again = asyncio.run(take_all())
    unconfirmed = [i for i in published if i not in confirmed]
    assert sorted(again) == sorted([*unconfirmed, max(again)]) and max(again) > max(published)
    assert len(again) == len(set(again)) == 13


def test_users_and_groups_survive_sigkill(tmp_path: Path) -> None:
    """A permitted user and its custom group, killed and restarted on the same state: the user
    is still permitted, still in the group, and its messages still go to that group."""
    state = tmp_path / "tmc.sqlite"
    with serving(state) as (process, url):
        with TopClient(DEFAULT_APP_KEY, DEFAULT_APP_SECRET, gateway=url) as client:
            client.taobao_tmc_user_permit(topics=[TRADE], session="s-1")
            client.taobao_tmc_message_produce(topic=TRADE, content="{}", session="s-1")
            (message,) = client.taobao_tmc_messages_consume().messages or []
            client.taobao_tmc_messages_confirm(s_message_ids=[str(message.id)])
            nick = message.user_nick or ""
            assert client.taobao_tmc_group_add(group_name="vip", nicks=[nick]).created
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    with (
        serving(state) as (_process, url),
        TopClient(DEFAULT_APP_KEY, DEFAULT_APP_SECRET, gateway=url) as client,
    ):
        user = client.taobao_tmc_user_get(fields="topics,group_name", nick=nick).tmc_user
        assert user is not None and user.topics == [TRADE] and user.group_name == "vip"
        assert [g.name for g in client.taobao_tmc_groups_get().groups or []] == ["vip"]
        client.taobao_tmc_message_produce(topic=TRADE, content='{"n":2}', session="s-1")
        assert not client.taobao_tmc_messages_consume().messages
        (vip,) = client.taobao_tmc_messages_consume(group_name="vip").messages or []
        assert vip.content == '{"n":2}' and vip.user_nick == nick


def test_damaged_users_and_groups_are_one_error(tmp_path: Path) -> None:
    """A state file whose users and groups are not what the sandbox wrote: one line, exit 1."""
    state = tmp_path / "tmc.sqlite"
    SqliteStore(state).save_registry_state('{"users": []}')
    result = run_topgen("serve", "--specs", SPECS, "--port", "0", "--state", state)
    assert result.returncode == 1
    assert result.stderr.startswith(f"topgen: error: {state}: not a topgen sandbox state file")
    assert "users and groups" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_state_file_that_is_not_one_is_one_error(tmp_path: Path) -> None:
    """`--state` on a file that is not a state file: one line naming it, exit 1, untouched."""
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n" * 100, encoding="utf-8")
    result = run_topgen("serve", "--specs", SPECS, "--port", "0", "--state", notes)
    assert result.returncode == 1
    assert result.stderr.startswith(f"topgen: error: {notes}: not a topgen sandbox state file")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert notes.read_text(encoding="utf-8") == "my notes\n" * 100


def test_redeliver_after_must_be_a_positive_number_of_seconds() -> None:
    """`--redeliver-after 0` or `soon` is refused before anything starts."""
    for value in ("0", "soon", "-5"):
        result = run_topgen("serve", "--specs", SPECS, "--redeliver-after", value)
        assert result.returncode == 2 and "is not a number of seconds" in result.stderr


def test_a_reload_of_the_specs_keeps_the_queues(specs_copy: Path) -> None:
    """`--reload` rebuilds the gateway from changed specs; the message service stays."""
    with (
        serving(None, "--reload", specs=specs_copy) as (_process, url),
        TopClient(DEFAULT_APP_KEY, DEFAULT_APP_SECRET, gateway=url) as client,
    ):
        client.taobao_tmc_message_produce(topic=TRADE, content='{"n":1}')
        spec = specs_copy / "apis" / "taobao.tmc.auth.get.yaml"
        text = spec.read_text(encoding="utf-8")
        renamed = text.replace("taobao.tmc.auth.get", "taobao.tmc.authx.get")
        renamed = renamed.replace("TaobaoTmcAuthGet", "TaobaoTmcAuthxGet")
        renamed = renamed.replace("tmc_auth_get_response", "tmc_authx_get_response")
        (specs_copy / "apis" / "taobao.tmc.authx.get.yaml").write_text(renamed)
        deadline = time.monotonic() + 20
        while not _serves(url, "taobao.tmc.authx.get"):  # bounded by the deadline
            assert time.monotonic() < deadline, "the sandbox did not reload"
            time.sleep(0.2)
        (message,) = client.taobao_tmc_messages_consume().messages or []
        assert message.content == '{"n":1}'


def _serves(url: str, method: str) -> bool:
    """Whether the gateway knows `method` (any answer but Invalid Method, code 22)."""
    params = {
        "method": method,
        "app_key": DEFAULT_APP_KEY,
        "timestamp": datetime.now(GMT8).strftime("%Y-%m-%d %H:%M:%S"),
        "v": "2.0",
        "sign_method": "md5",
        "format": "json",
    }
    params["sign"] = expected_sign(params, DEFAULT_APP_SECRET)
    body = httpx.post(url, data=params, timeout=5).json()
    return body.get("error_response", {}).get("code") != 22
