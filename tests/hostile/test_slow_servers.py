"""A server that answers slowly: `timeout` bounds the whole call, not each read."""

from __future__ import annotations

import asyncio
import time

import pytest

from topapi import ResponseError, TransportError

from ..topserver import SESSION, Action, ScriptedGateway
from .conftest import async_client, client, command

DRIP = Action(body=b'{"x": "' + b"y" * 60 + b'"}', drip=0.5)  # ~34 s if timed per read


def test_sync_call_to_a_dripping_server_ends_at_its_timeout(gateway: ScriptedGateway) -> None:
    """One byte every 0.5 s does not keep a timeout=1.0 call alive: it ends near 1 s, sent."""
    gateway.script.append(DRIP)
    started = time.monotonic()
    with client(gateway, timeout=1.0) as top, pytest.raises(TransportError) as caught:
        top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
    assert time.monotonic() - started < 2.5
    assert caught.value.sent is True
    assert "timeout" in str(caught.value)


@pytest.mark.parametrize("reused", [False, True], ids=["new-connection", "kept-alive"])
def test_sync_call_to_a_server_dripping_its_headers_ends_at_its_timeout(
    gateway: ScriptedGateway, reused: bool
) -> None:
    """Headers dripped from the status line on, on a new or a kept-alive connection."""
    with client(gateway, timeout=1.0) as top:
        if reused:  # a first call leaves its connection in the pool for the second
            top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
        gateway.script.append(Action(body=DRIP.body, drip=0.5, drip_head=True))
        started = time.monotonic()
        with pytest.raises(TransportError) as caught:
            top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
    assert time.monotonic() - started < 2.5
    assert caught.value.sent is True


def test_async_call_to_a_dripping_server_ends_at_its_timeout(gateway: ScriptedGateway) -> None:
    """The async client's deadline holds the same way, also for a per-call timeout."""
    gateway.script.append(DRIP)

    async def run() -> TransportError:
        async with async_client(gateway) as top:
            with pytest.raises(TransportError) as caught:
                await top.alibaba_idle_tender_pre_pay_action(
                    param0=command(), session=SESSION, timeout=1.0
                )
        return caught.value

    started = time.monotonic()
    error = asyncio.run(asyncio.wait_for(run(), 20))
    assert time.monotonic() - started < 2.5
    assert error.sent is True


def test_a_slow_but_timely_answer_is_read(gateway: ScriptedGateway) -> None:
    """A drip that ends within the deadline is read whole (the deadline is not per chunk)."""
    gateway.script.append(Action(body=b'{"a": 1}', drip=0.05))
    with client(gateway, timeout=5.0) as top, pytest.raises(ResponseError) as caught:
        top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
    assert '{"a": 1}' in caught.value.raw
