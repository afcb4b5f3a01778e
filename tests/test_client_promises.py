"""What the client promises a caller, over real HTTP against the scripted gateway."""

from __future__ import annotations

import asyncio
from typing import ClassVar

import httpx

from topapi import AsyncTopClient, TopClient, TopRequest, TopResponse
from topapi._envelope import SYSTEM_PARAMS
from topapi._model import SessionUse

from .topserver import APP_KEY, APP_SECRET, scripted_gateway


class Echo(TopResponse):
    response_key: ClassVar[str] = "test_echo_response"
    top_method: ClassVar[str] = "test.echo"


class EchoRequest(TopRequest[Echo]):
    top_method: ClassVar[str] = "test.echo"
    session_use: ClassVar[SessionUse] = SessionUse.NONE

    text: str
    blank: str | None = None
    count: int | None = None
    flag: bool | None = None
    ids: list[int] | None = None
    note: str | None = None


def test_to_params_is_what_is_sent() -> None:
    """to_params() lists exactly the application parameters the gateway receives."""
    request = EchoRequest(text="", blank="  ", count=0, flag=False, ids=[], note="n")
    with scripted_gateway() as gateway, TopClient(APP_KEY, APP_SECRET, gateway=gateway.url) as top:
        top.execute(request)
    (seen,) = gateway.received
    application = {key: value for key, value in seen.params.items() if key not in SYSTEM_PARAMS}
    assert application == {"count": "0", "flag": "false", "note": "n"}
    assert request.to_params() == application


def test_callers_http_client_stays_open() -> None:
    """Leaving `with TopClient(http_client=...)` leaves the caller's httpx.Client usable."""
    with scripted_gateway() as gateway, httpx.Client() as http:
        with TopClient(APP_KEY, APP_SECRET, gateway=gateway.url, http_client=http) as top:
            top.execute(EchoRequest(text="a"))
        assert not http.is_closed
        assert http.post(gateway.url, data={}).status_code == 200
        top.close()
        assert not http.is_closed


def test_callers_async_http_client_stays_open() -> None:
    """Leaving `async with AsyncTopClient(http_client=...)` leaves the caller's client usable."""

    async def run(url: str) -> None:
        async with httpx.AsyncClient() as http:
            async with AsyncTopClient(APP_KEY, APP_SECRET, gateway=url, http_client=http) as top:
                await top.execute(EchoRequest(text="a"))
            assert not http.is_closed
            assert (await http.post(url, data={})).status_code == 200

    with scripted_gateway() as gateway:
        asyncio.run(run(gateway.url))


def test_own_http_client_is_closed_and_remade() -> None:
    """close() closes the connections topapi opened; a later call opens new ones."""
    with scripted_gateway() as gateway:
        top = TopClient(APP_KEY, APP_SECRET, gateway=gateway.url)
        top.execute(EchoRequest(text="a"))
        top.close()
        top.execute(EchoRequest(text="b"))
        top.close()
    assert len({seen.client_port for seen in gateway.received}) == 2
