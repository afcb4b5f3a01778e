"""topapi.testing gives tests a TMC: `top.publish` into the sandbox, `top.tmc_client()` for it."""

from __future__ import annotations

import asyncio
import json

import pytest

from topapi.testing import SandboxSession, sandbox
from topapi.tmc import Message, TmcClient, TmcConnectionRefused

from .conftest import SPECS

TRADE = "taobao_trade_TradeBuyerPay"
pytest_plugins = ["topapi.testing"]


def test_publish_then_consume_over_rest() -> None:
    """A published message is in the sandbox's queue, as Taobao's own event by default."""
    with sandbox(SPECS) as top:
        message_id = top.publish(TRADE, json.dumps({"tid": 1}), nick="买家", user_id=42)
        (message,) = top.client.taobao_tmc_messages_consume().messages or []
    assert (message.id, message.user_nick, message.user_id) == (message_id, "买家", 42)
    assert message.pub_app_key == "12497914"


def test_the_tmc_client_handles_confirms_and_a_failure_comes_back() -> None:
    """topapi's TmcClient against the sandbox: handled ones confirmed, a failed one again."""
    with sandbox(SPECS, redeliver_after=0.5) as top:
        seen: list[tuple[int, str]] = []
        done = asyncio.Event()

        async def body() -> None:
            client = top.tmc_client(pull_interval=0.2)

            @client.on("taobao_trade")
            async def paid(message: Message[object]) -> None:
                first_time = message.id not in [i for i, _ in seen]
                seen.append((message.id, message.text))
                if len(seen) >= 3:
                    done.set()
                if first_time and message.data == {"tid": 2}:
                    raise RuntimeError("not yet")  # Failed: the sandbox redelivers it

            async with asyncio.timeout(20), client:
                await asyncio.to_thread(top.publish, TRADE, json.dumps({"tid": 1}))
                await asyncio.to_thread(top.publish, TRADE, json.dumps({"tid": 2}))
                await done.wait()
                await client.close(timeout=5)

        asyncio.run(body())
        texts = [text for _, text in seen]
        assert sorted(texts) == sorted(['{"tid": 1}', '{"tid": 2}', '{"tid": 2}'])
        assert not top.client.taobao_tmc_messages_consume().messages  # all confirmed


def test_a_tmc_client_with_the_wrong_secret_is_refused() -> None:
    """The sandbox checks the CONNECT sign: a typed refusal, not endless retries."""
    with sandbox(SPECS) as top:
        client = TmcClient(top.app_key, "wrong-secret", url=top.tmc_url)

        async def body() -> None:
            async with asyncio.timeout(20):
                with pytest.raises(TmcConnectionRefused, match="Invalid Signature"):
                    async with client:
                        pass

        asyncio.run(body())


def test_the_pytest_fixture_has_a_tmc(top_sandbox: SandboxSession) -> None:
    """The `top_sandbox` fixture publishes and consumes like the context manager."""
    message_id = top_sandbox.publish(TRADE, "{}")
    (message,) = top_sandbox.client.taobao_tmc_messages_consume().messages or []
    assert message.id == message_id
    assert top_sandbox.tmc_url.startswith("ws://127.0.0.1:") and top_sandbox.tmc_url.endswith("/")
