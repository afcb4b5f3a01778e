"""TopClient and AsyncTopClient over real HTTP against a scripted gateway on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import subprocess
import sys
import traceback
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from topapi import (
    AsyncTopClient,
    AuthorizationError,
    InvalidArgumentError,
    ResponseError,
    ServerError,
    SignatureError,
    ThrottledError,
    TopClient,
    TopError,
    TopFile,
    TransportError,
)
from topapi.apis.alibaba_idle_tender_pre_pay_action import (
    AlibabaIdleTenderPrePayActionRequest,
    AlibabaIdleTenderPrePayActionResponse,
    TenderPrePayCmd,
)

from .topserver import APP_KEY, APP_SECRET, SESSION, Action, ScriptedGateway, error_body
from .topserver import scripted_gateway as _scripted_gateway

SIGN_METHODS = ["md5", "hmac", "hmac-sha256"]


@pytest.fixture
def gateway() -> Iterator[ScriptedGateway]:
    """A scripted TOP gateway on a free loopback port."""
    with _scripted_gateway() as running:
        yield running


def client(gateway: ScriptedGateway, **options: Any) -> TopClient:
    """A client of the scripted gateway with the test app's key and secret."""
    return TopClient(APP_KEY, APP_SECRET, gateway=gateway.url, **options)


def command(order_id: str = "1234") -> TenderPrePayCmd:
    """The page's Java example, with an order id of choice."""
    return TenderPrePayCmd(order_id=order_id, pre_pay_no="xxx", pre_pay_action=2)


def assert_success(response: AlibabaIdleTenderPrePayActionResponse, order_id: str = "1234") -> None:
    """The typed documented response, with the echoed order id."""
    assert isinstance(response, AlibabaIdleTenderPrePayActionResponse)
    assert response.result is not None and response.result.data is not None
    assert response.result.data.order_id == order_id
    assert response.result.data.pre_pay_amount == 1234
    assert response.result.success is True
    assert response.request_id == "ok-request"


@pytest.mark.parametrize("simplify", [False, True], ids=["wrapped", "simplified"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("sign_method", SIGN_METHODS)
def test_first_api_every_sign_method_and_format(
    gateway: ScriptedGateway, sign_method: str, fmt: str, simplify: bool
) -> None:
    """The gateway verifies the signature and answers in the format asked; all parse typed."""
    with client(gateway, sign_method=sign_method, format=fmt, simplify=simplify) as top:
        response = top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
    assert_success(response)
    assert response.status_code == 200
    assert response.raw_body.startswith("<?xml" if fmt == "xml" else "{")
    (seen,) = gateway.received
    assert seen.params["sign_method"] == sign_method
    assert seen.params["param0"] == '{"order_id":"1234","pre_pay_no":"xxx","pre_pay_action":2}'
    assert seen.content_type == "application/x-www-form-urlencoded;charset=UTF-8"


def test_non_ascii_parameter_value(gateway: ScriptedGateway) -> None:
    """Chinese text travels raw in the JSON parameter and is signed as UTF-8."""
    with client(gateway) as top:
        response = top.alibaba_idle_tender_pre_pay_action(
            param0=command("订单-一二三四"), session=SESSION
        )
    assert_success(response, "订单-一二三四")
    assert "订单-一二三四" in gateway.received[0].params["param0"]


def test_execute_takes_any_request(gateway: ScriptedGateway) -> None:
    """`execute` returns the response type its request names."""
    with client(gateway) as top:
        response = top.execute(
            AlibabaIdleTenderPrePayActionRequest(param0=command()), session=SESSION
        )
    assert_success(response)


def test_file_parameter_goes_multipart_and_unsigned(gateway: ScriptedGateway) -> None:
    """A byte[] parameter switches to multipart; the file part has its name and type."""
    gateway.script.append(
        Action(
            body={
                "alibaba_idle_isv_media_upload_response": {"result": {"data": 7, "success": True}}
            }
        )
    )
    picture = TopFile(b"\x89PNG\r\n\x1a\n-bytes", "测试图片.jpg", "image/jpeg")
    with client(gateway, partner_id="pytop-gen") as top:
        response = top.alibaba_idle_isv_media_upload(data=picture, name="测试图片.jpg", type=0)
    assert response.result is not None and response.result.data == 7
    (seen,) = gateway.received
    assert seen.content_type.startswith("multipart/form-data")
    assert seen.files == {"data": ("测试图片.jpg", "image/jpeg", picture.content)}
    assert seen.params["name"] == "测试图片.jpg"
    assert "data" not in seen.params


@pytest.mark.parametrize(
    ("body", "expected", "fields"),
    [
        (
            error_body(
                7,
                "App Call Limited",
                "accesscontrol.limited-by-api-access-count",
                "This ban will last for 3 more seconds",
            ),
            ThrottledError,
            {"ban_seconds": 3},
        ),
        (
            error_body(27, "Invalid session", "invalid-sessionkey", "session expired"),
            AuthorizationError,
            {},
        ),
        (
            error_body(11, "Insufficient ISV Permissions", "isv.permission-api-package-empty"),
            AuthorizationError,
            {},
        ),
        (error_body(25, "Invalid signature"), SignatureError, {}),
        (error_body(31, "Invalid timestamp"), SignatureError, {}),
        (error_body(41, "Invalid arguments"), InvalidArgumentError, {}),
        (
            error_body(50, "Remote service error", "isv.invalid-parameter", "非法参数"),
            InvalidArgumentError,
            {},
        ),
        (
            error_body(15, "Remote service error", "isp.top-remote-connection-timeout", "超时"),
            ServerError,
            {},
        ),
        (error_body(10, "Service Currently Unavailable"), ServerError, {}),
    ],
    ids=[
        "throttled",
        "session",
        "permission",
        "signature",
        "timestamp",
        "arguments",
        "isv",
        "isp",
        "unavailable",
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_error_families(
    gateway: ScriptedGateway,
    body: dict[str, Any],
    expected: type[TopError],
    fields: dict[str, Any],
    fmt: str,
) -> None:
    """Each error_response raises the TopError subclass of its nature, with every field."""
    gateway.script.append(Action(body=body))
    with client(gateway, format=fmt) as top, pytest.raises(expected) as caught:
        top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
    error = caught.value
    assert error.code == body["error_response"]["code"]
    assert error.msg == body["error_response"]["msg"]
    assert error.request_id == "err-request"
    assert error.status_code == 200 and "error_response" in error.raw_body
    for name, value in fields.items():
        assert getattr(error, name) == value


def test_wrong_secret_is_refused_by_the_gateway(gateway: ScriptedGateway) -> None:
    """The gateway's own check catches a bad signature: code 25, SignatureError."""
    with (
        TopClient(APP_KEY, "not-the-secret", gateway=gateway.url) as top,
        pytest.raises(SignatureError),
    ):
        top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)


def test_isp_error_is_retried_then_succeeds(gateway: ScriptedGateway) -> None:
    """An isp.* error, then success: one retry is enough."""
    gateway.script.append(
        Action(body=error_body(15, "Remote service error", "isp.top-remote-unknown-error", "x"))
    )
    with client(gateway, max_retries=1, retry_backoff=0.01) as top:
        response = top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
    assert_success(response)
    assert len(gateway.received) == 2


def test_never_more_attempts_than_asked(gateway: ScriptedGateway) -> None:
    """max_retries=2 means three attempts at most, even if TOP keeps failing."""
    isp = error_body(15, "Remote service error", "isp.top-remote-unknown-error", "x")
    gateway.script.extend(Action(body=isp) for _ in range(5))
    with client(gateway, max_retries=2, retry_backoff=0.01) as top, pytest.raises(ServerError):
        top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
    assert len(gateway.received) == 3


def test_per_call_retries_override_the_client(gateway: ScriptedGateway) -> None:
    """A call may ask for no retry on a client that retries."""
    gateway.script.append(Action(body=error_body(15, "Remote service error", "isp.x", "x")))
    with client(gateway, max_retries=3, retry_backoff=0.01) as top, pytest.raises(ServerError):
        top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION, max_retries=0)
    assert len(gateway.received) == 1


def test_caller_errors_are_not_retried(gateway: ScriptedGateway) -> None:
    """An isv.* error is the caller's: retrying cannot help."""
    gateway.script.append(
        Action(body=error_body(50, "Remote service error", "isv.invalid-parameter", "非法参数"))
    )
    with (
        client(gateway, max_retries=3, retry_backoff=0.01) as top,
        pytest.raises(InvalidArgumentError),
    ):
        top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
    assert len(gateway.received) == 1


def test_throttling_waits_the_ban_capped(gateway: ScriptedGateway) -> None:
    """Code 7 is retried after the stated ban, capped by max_retry_wait."""
    throttled = error_body(
        7,
        "App Call Limited",
        "accesscontrol.limited-by-api-access-count",
        "This ban will last for 30 more seconds",
    )
    gateway.script.append(Action(body=throttled))
    with client(gateway, max_retries=1, max_retry_wait=0.05) as top:
        assert_success(top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION))
    assert len(gateway.received) == 2


def test_timeout_raises_transport_error_and_is_not_retried(gateway: ScriptedGateway) -> None:
    """A call that timed out may have executed: TransportError(sent=True), no retry."""
    gateway.script.append(Action(delay=1.0))
    with (
        client(gateway, max_retries=2, retry_backoff=0.01) as top,
        pytest.raises(TransportError) as caught,
    ):
        top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION, timeout=0.2)
    assert caught.value.sent is True
    assert "ReadTimeout" in str(caught.value)
    assert len(gateway.received) == 1


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_connection_refused_is_retried_and_raises_transport_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Nothing listens: the request was never sent, so each retry is taken, then it raises."""
    url = f"http://127.0.0.1:{_closed_port()}/router/rest"
    caplog.set_level(logging.DEBUG, logger="topapi")
    top = TopClient(APP_KEY, APP_SECRET, gateway=url, max_retries=2, retry_backoff=0.01)
    with top, pytest.raises(TransportError) as caught:
        top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
    assert caught.value.sent is False
    assert sum("retrying" in record.getMessage() for record in caplog.records) == 2


@pytest.mark.parametrize(
    ("fmt", "body", "status"),
    [
        ("json", b"<<<not json at all", 200),
        ("xml", b"<unclosed><tag>", 200),
        ("json", b"<html>Bad Gateway</html>", 502),
    ],
    ids=["garbled-json", "garbled-xml", "http-502"],
)
def test_garbled_body_raises_response_error_with_the_raw_text(
    gateway: ScriptedGateway, fmt: str, body: bytes, status: int
) -> None:
    """A body that is neither JSON nor XML raises ResponseError carrying it."""
    gateway.script.append(Action(body=body, status=status))
    with client(gateway, format=fmt) as top, pytest.raises(ResponseError) as caught:
        top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
    assert caught.value.raw == body.decode()
    assert caught.value.status_code == status


def test_connection_is_reused(gateway: ScriptedGateway) -> None:
    """Calls on one client share a kept-alive connection."""
    with client(gateway) as top:
        for _ in range(3):
            top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
    assert len({seen.client_port for seen in gateway.received}) == 1


def test_injected_http_client_is_used(gateway: ScriptedGateway) -> None:
    """A caller's httpx.Client (with its own headers) carries the calls."""
    with httpx.Client(headers={"X-Trace": "t-1"}) as http:
        seen_headers: list[str] = []
        http.event_hooks["request"] = [
            lambda request: seen_headers.append(request.headers["X-Trace"])
        ]
        top = client(gateway, http_client=http)
        assert_success(top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION))
    assert seen_headers == ["t-1"]


def test_fifty_concurrent_async_calls(gateway: ScriptedGateway) -> None:
    """50 calls at once on one AsyncTopClient each get their own answer."""

    async def run() -> list[AlibabaIdleTenderPrePayActionResponse]:
        async with AsyncTopClient(APP_KEY, APP_SECRET, gateway=gateway.url) as top:
            calls = [
                top.alibaba_idle_tender_pre_pay_action(
                    param0=command(f"order-{n}"), session=SESSION
                )
                for n in range(50)
            ]
            return await asyncio.gather(*calls)

    responses = asyncio.run(run())
    for n, response in enumerate(responses):
        assert_success(response, f"order-{n}")
    assert len(gateway.received) == 50


def test_async_retry_and_errors(gateway: ScriptedGateway) -> None:
    """The async client retries and raises as the sync one does."""
    gateway.script.append(Action(body=error_body(15, "Remote service error", "isp.x", "x")))
    gateway.script.append(Action(body=error_body(27, "Invalid session")))

    async def run() -> None:
        async with AsyncTopClient(
            APP_KEY, APP_SECRET, gateway=gateway.url, max_retries=1, retry_backoff=0.01
        ) as top:
            await top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)

    with pytest.raises(AuthorizationError):
        asyncio.run(run())
    assert len(gateway.received) == 2


def test_secrets_never_show(gateway: ScriptedGateway, caplog: pytest.LogCaptureFixture) -> None:
    """Neither the app secret nor the session key appear in reprs, errors, tracebacks or logs."""
    caplog.set_level(logging.DEBUG)
    gateway.script.append(Action(body=error_body(27, "Invalid session", "invalid-sessionkey", "x")))
    gateway.script.append(Action(delay=0.5))
    texts: list[str] = []
    with client(gateway, max_retries=0) as top:
        texts += [repr(top), str(top), repr(vars(top))]
        for timeout in (None, 0.1):
            try:
                top.alibaba_idle_tender_pre_pay_action(
                    param0=command(), session=SESSION, timeout=timeout
                )
            except Exception as error:  # every kind of failure is inspected
                texts += [str(error), repr(error), "".join(traceback.format_exception(error))]
        request = command()
        prepared = top.prepare(
            AlibabaIdleTenderPrePayActionRequest(param0=request), session=SESSION
        )
        texts.append(repr(prepared))
    texts += [record.getMessage() for record in caplog.records]
    assert len(texts) > 5
    for text in texts:
        assert APP_SECRET not in text
        assert SESSION not in text


def test_response_keeps_unknown_fields(gateway: ScriptedGateway) -> None:
    """A field TOP added after the docs were written is kept, not refused."""
    body = {
        "alibaba_idle_tender_pre_pay_action_response": {
            "result": {"success": True, "new_flag": "x"},
            "request_id": "r",
        }
    }
    gateway.script.append(Action(body=json.dumps(body).encode()))
    with client(gateway) as top:
        response = top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
    assert response.result is not None and response.result.model_extra == {"new_flag": "x"}


def test_importing_topapi_loads_no_api_module() -> None:
    """API modules load on first use of their method, not when topapi or a client is made."""
    script = (
        "import sys, topapi\n"
        "client = topapi.TopClient('k', 's')\n"
        "loaded = lambda: sorted(m for m in sys.modules if m.startswith('topapi.apis.'))\n"
        "print(loaded())\n"
        "client.alibaba_idle_tender_pre_pay_action\n"
        "print(loaded())\n"
    )
    printed = _printed_by(script)
    assert printed == ["[]", "['topapi.apis.alibaba_idle_tender_pre_pay_action']"]


def test_importing_an_api_module_builds_no_validator() -> None:
    """Pydantic builds an API's validators on first use, not when its module is imported."""
    script = (
        "import sys\n"
        "from topapi.apis import alibaba_idle_tender_pre_pay_action as api\n"
        "request_type = api.AlibabaIdleTenderPrePayActionRequest\n"
        "print(request_type.__pydantic_complete__, 'pydantic.plugin._loader' in sys.modules)\n"
        "print(request_type.response_type.__name__)\n"
        "request_type(param0=api.TenderPrePayCmd(order_id='1', pre_pay_no='x', pre_pay_action=2))\n"
        "print(request_type.__pydantic_complete__)\n"
    )
    printed = _printed_by(script)
    assert printed == ["False False", "AlibabaIdleTenderPrePayActionResponse", "True"]


def _printed_by(script: str) -> list[str]:
    """The lines a Python script prints in a fresh interpreter (which must succeed)."""
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()
