"""What the hostile client tests share: the scripted gateway and clients of it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from topapi import AsyncTopClient, TopClient
from topapi.apis.alibaba_idle_tender_pre_pay_action import TenderPrePayCmd

from ..topserver import APP_KEY, APP_SECRET, ScriptedGateway, scripted_gateway


@pytest.fixture
def gateway() -> Iterator[ScriptedGateway]:
    """A scripted TOP gateway on a free loopback port."""
    with scripted_gateway() as running:
        yield running


def client(gateway: ScriptedGateway, **options: Any) -> TopClient:
    """A client of the scripted gateway with the test app's key and secret."""
    return TopClient(APP_KEY, APP_SECRET, gateway=gateway.url, **options)


def async_client(gateway: ScriptedGateway, **options: Any) -> AsyncTopClient:
    """An async client of the scripted gateway with the test app's key and secret."""
    return AsyncTopClient(APP_KEY, APP_SECRET, gateway=gateway.url, **options)


def command() -> TenderPrePayCmd:
    """The page's Java example."""
    return TenderPrePayCmd(order_id="1234", pre_pay_no="xxx", pre_pay_action=2)
