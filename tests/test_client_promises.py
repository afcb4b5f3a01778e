"""What the client promises a caller, over real HTTP against the scripted gateway."""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import httpx
import pytest

from topapi import AsyncTopClient, TopapiError, TopClient, TopRequest, TopResponse, UsageError
from topapi._envelope import SYSTEM_PARAMS
from topapi._model import SessionUse
from topapi.apis.alibaba_idle_tender_pre_pay_action import (
    AlibabaIdleTenderPrePayActionRequest,
    TenderPrePayCmd,
)

from .topserver import APP_KEY, APP_SECRET, SESSION, scripted_gateway


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
    extra: dict[str, Any] | None = None


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


PRE_PAY = "alibaba.idle.tender.pre.pay.action"
COMMAND = TenderPrePayCmd(order_id="1234", pre_pay_no="xxx", pre_pay_action=2)


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ({"param0": COMMAND, "session": ""}, "needs the user's session key"),
        ({"param0": "not an object", "session": SESSION}, "param0: Input should be"),
    ],
    ids=["empty-session", "wrong-type"],
)
def test_refused_call_is_a_usage_error_naming_the_api(arguments: dict[str, Any], says: str) -> None:
    """A call topapi refuses raises UsageError (a TopapiError and a ValueError), naming the API."""
    with (
        scripted_gateway() as gateway,
        TopClient(APP_KEY, APP_SECRET, gateway=gateway.url) as top,
        pytest.raises(UsageError) as caught,
    ):
        top.alibaba_idle_tender_pre_pay_action(**arguments)
    assert isinstance(caught.value, TopapiError) and isinstance(caught.value, ValueError)
    assert str(caught.value).startswith(f"{PRE_PAY}: ")
    assert says in str(caught.value)
    assert gateway.received == []


def test_request_missing_a_parameter_is_a_usage_error() -> None:
    """A request built without a required parameter names the API and the parameter."""
    with pytest.raises(UsageError, match=rf"^{PRE_PAY}: param0: Field required"):
        AlibabaIdleTenderPrePayActionRequest()


def test_unsendable_value_is_a_usage_error_naming_the_parameter() -> None:
    """A value TOP cannot read, deep in a Map parameter, names the API and the parameter."""
    with (
        scripted_gateway() as gateway,
        TopClient(APP_KEY, APP_SECRET, gateway=gateway.url) as top,
        pytest.raises(UsageError, match=r"^test\.echo: extra: .*object"),
    ):
        top.execute(EchoRequest(text="a", extra={"when": object()}))
    assert gateway.received == []


@pytest.mark.parametrize(
    "options", [{"format": "yaml"}, {"max_retries": -1}, {"sign_method": "bogus"}]
)
def test_bad_client_option_is_a_usage_error(options: dict[str, Any]) -> None:
    """A client option topapi cannot honour is refused at construction, as a TopapiError."""
    with pytest.raises(UsageError):
        TopClient(APP_KEY, APP_SECRET, **options)


def test_text_that_is_not_utf8_is_a_usage_error_naming_the_parameter() -> None:
    """A lone surrogate in a parameter is refused before signing, naming the API and parameter."""
    with (
        scripted_gateway() as gateway,
        TopClient(APP_KEY, APP_SECRET, gateway=gateway.url) as top,
        pytest.raises(UsageError, match=r"^test\.echo: note: not valid text") as caught,
    ):
        top.execute(EchoRequest(text="a", note="\ud800"))
    assert caught.value.__context__ is None
    assert gateway.received == []
