"""client.batch(): many calls in one POST to /router/batch, against a scripted gateway on 127.0.0.1.

The expected bodies and signatures are written out here from the protocol (top-protocol.md §1.6
and §2), and checked with the test server's own signer, never with topapi._sign.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus

import pytest

from topapi import (
    AsyncTopClient,
    BatchCall,
    InvalidArgumentError,
    ResponseError,
    ServerError,
    SignatureError,
    TopClient,
    TopError,
    TopFile,
    TransportError,
    UsageError,
)
from topapi._batch import prepare_batch
from topapi.apis.alibaba_idle_isv_media_upload import AlibabaIdleIsvMediaUploadRequest
from topapi.apis.alibaba_idle_tender_order_get import (
    AlibabaIdleTenderOrderGetRequest,
    AlibabaIdleTenderOrderGetResponse,
    TenderOrderQuery,
)
from topapi.apis.alibaba_idle_tender_pre_pay_action import (
    AlibabaIdleTenderPrePayActionRequest,
    AlibabaIdleTenderPrePayActionResponse,
    TenderPrePayCmd,
)

from .test_client import _closed_port
from .topserver import (
    APP_KEY,
    APP_SECRET,
    BATCH_SEPARATOR,
    SESSION,
    Action,
    ScriptedGateway,
    error_body,
    expected_sign,
)
from .topserver import scripted_gateway as _scripted_gateway

PRE_PAY = "alibaba.idle.tender.pre.pay.action"
ORDER_GET = "alibaba.idle.tender.order.get"
SIGN_METHODS = ["md5", "hmac", "hmac-sha256"]


@pytest.fixture
def gateway() -> Iterator[ScriptedGateway]:
    """A scripted TOP gateway on a free loopback port."""
    with _scripted_gateway() as running:
        yield running


def client(gateway: ScriptedGateway, **options: Any) -> TopClient:
    """A client of the scripted gateway with the test app's key and secret."""
    return TopClient(APP_KEY, APP_SECRET, gateway=gateway.url, **options)


def pre_pay(order_id: str = "1234") -> AlibabaIdleTenderPrePayActionRequest:
    """The page's Java example, with an order id of choice."""
    cmd = TenderPrePayCmd(order_id=order_id, pre_pay_no="xxx", pre_pay_action=2)
    return AlibabaIdleTenderPrePayActionRequest(param0=cmd)


def param0(order_id: str = "1234") -> str:
    """pre_pay(order_id)'s param0 as sent: compact JSON, URL-encoded."""
    text = f'{{"order_id":"{order_id}","pre_pay_no":"xxx","pre_pay_action":2}}'
    return quote_plus(text)


def order_get(order_id: int | None = None) -> AlibabaIdleTenderOrderGetRequest:
    """An order lookup; with no id, a call with no application parameter at all."""
    if order_id is None:
        return AlibabaIdleTenderOrderGetRequest()
    return AlibabaIdleTenderOrderGetRequest(param0=TenderOrderQuery(biz_order_id=order_id))


def business_failure() -> dict[str, Any]:
    """A normal answer of the first API whose business result says it failed."""
    result = {"success": False, "error_code": "E_STOCK", "error_msg": "no stock"}
    return {"alibaba_idle_tender_pre_pay_action_response": {"result": result}}


def own_sign(query: dict[str, str], body: str, method: str) -> str:
    """The signature over the query's parameters with the raw body appended, from §2.1."""
    text = "".join(k + v for k, v in sorted(query.items()) if k != "sign" and v) + body
    key, data = APP_SECRET.encode(), text.encode()
    if method == "md5":
        return hashlib.md5(key + data + key).hexdigest().upper()
    digest = hashlib.md5 if method == "hmac" else hashlib.sha256
    return hmac.new(key, data, digest).hexdigest().upper()


@pytest.mark.parametrize("sign_method", SIGN_METHODS)
def test_wire_bytes_of_a_batch_of_two_apis(gateway: ScriptedGateway, sign_method: str) -> None:
    """Query: system parameters and the shared session; body: one part per call with its own
    method, joined by the separator; the signature covers query and body."""
    with client(gateway, sign_method=sign_method) as top:
        results = top.batch((pre_pay("订单7"), order_get(9)), session=SESSION)
    (received,) = gateway.received
    assert received.path == "/router/batch"
    assert received.content_type == "text/plain;charset=UTF-8"
    assert received.body == (
        f"method={PRE_PAY}&param0={param0('订单7')}"
        f"\r\n-S-\r\nmethod={ORDER_GET}&param0=%7B%22biz_order_id%22%3A9%7D"
    )
    query = received.params
    assert set(query) == {"app_key", "timestamp", "v", "sign_method", "format", "session", "sign"}
    assert query["session"] == SESSION and query["sign_method"] == sign_method
    assert query["sign"] == own_sign(query, received.body, sign_method)
    assert query["sign"] != own_sign(query, "", sign_method)  # the body is signed
    assert query["sign"] == expected_sign(query, APP_SECRET, received.body)
    assert isinstance(results[0], AlibabaIdleTenderPrePayActionResponse)
    assert order_ids([results[0]]) == ["订单7"]
    assert isinstance(results[1], AlibabaIdleTenderOrderGetResponse)


@pytest.mark.parametrize("sign_method", SIGN_METHODS)
def test_signature_vectors_at_a_fixed_time(sign_method: str) -> None:
    """A batch prepared at a fixed moment: its body and signature, computed here by hand."""
    gateway = "http://127.0.0.1:9/router/rest"
    top = TopClient(APP_KEY, APP_SECRET, gateway=gateway, sign_method=sign_method)  # type: ignore[arg-type]
    moment = datetime(2024, 1, 1, 12, 0, 0)
    calls = [BatchCall(pre_pay("1")), BatchCall(order_get(), session="other-user")]
    call = prepare_batch(top, calls, None, moment)
    body = f"method={PRE_PAY}&param0={param0('1')}\r\n-S-\r\nmethod={ORDER_GET}&session=other-user"
    assert call.body == body
    assert call.url == "http://127.0.0.1:9/router/batch"
    text = (
        f"app_key{APP_KEY}formatjsonsign_method{sign_method}timestamp2024-01-01 12:00:00v2.0" + body
    )
    key = APP_SECRET.encode()
    if sign_method == "md5":
        sign = hashlib.md5(key + text.encode() + key).hexdigest().upper()
    else:
        digest = hashlib.md5 if sign_method == "hmac" else hashlib.sha256
        sign = hmac.new(key, text.encode(), digest).hexdigest().upper()
    assert call.data["sign"] == sign
    assert "other-user" not in repr(call) and "other-user" not in repr(call.body)


def test_one_api_shares_its_method_in_a_public_part_and_an_empty_call_is_n(
    gateway: ScriptedGateway,
) -> None:
    """All calls of one API: `#PUBLIC#method=...` first, then each call's own parameters."""
    with client(gateway) as top:
        results = top.batch([order_get(), order_get(5)])
    (received,) = gateway.received
    parts = received.body.split(BATCH_SEPARATOR)
    assert parts == [f"#PUBLIC#method={ORDER_GET}", "N", "param0=%7B%22biz_order_id%22%3A5%7D"]
    assert "session" not in received.params
    assert [type(result) for result in results] == [AlibabaIdleTenderOrderGetResponse] * 2


@pytest.mark.parametrize("simplify", [False, True], ids=["wrapped", "simplified"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_mixed_batch_each_result_typed_in_order(
    gateway: ScriptedGateway, fmt: str, simplify: bool
) -> None:
    """A success, a business failure and an error_response: each call's own result, as values."""
    error = error_body(15, "Remote service error", "isv.invalid-parameter", "bad order")
    gateway.script.append(Action(parts=[None, business_failure(), error, None]))
    with client(gateway, format=fmt, simplify=simplify) as top:
        calls = (pre_pay("1"), pre_pay("2"), pre_pay("3"), order_get(4))
        first, second, third, fourth = top.batch(calls, session=SESSION)
    assert isinstance(first, AlibabaIdleTenderPrePayActionResponse)
    assert first.result is not None and first.result.data is not None
    assert first.result.data.order_id == "1"
    assert isinstance(second, AlibabaIdleTenderPrePayActionResponse)
    assert second.business_ok is False
    with pytest.raises(Exception, match="E_STOCK"):
        second.raise_for_business()
    assert isinstance(third, InvalidArgumentError)
    assert third.code == 15 and third.sub_msg == "bad order"
    assert third.method == PRE_PAY
    assert isinstance(fourth, AlibabaIdleTenderOrderGetResponse)
    assert len(gateway.received) == 1


def test_an_unreadable_part_is_a_response_error_value(gateway: ScriptedGateway) -> None:
    """A part that is not the call's response does not hide the others' results."""
    gateway.script.append(Action(parts=[None, {"unexpected_response": {}}]))
    with client(gateway) as top:
        first, second = top.batch((pre_pay("1"), pre_pay("2")), session=SESSION)
    assert isinstance(first, AlibabaIdleTenderPrePayActionResponse)
    assert isinstance(second, ResponseError)
    assert "alibaba_idle_tender_pre_pay_action_response" in str(second)


def test_per_call_sessions(gateway: ScriptedGateway) -> None:
    """A BatchCall's own session goes in its part; the shared one in the query, never repeated."""
    with client(gateway) as top:
        top.batch(
            [
                BatchCall(pre_pay("1"), session="buyer-a"),
                BatchCall(pre_pay("2"), session=SESSION),
                pre_pay("3"),
            ],
            session=SESSION,
        )
    (received,) = gateway.received
    parts = received.body.split(BATCH_SEPARATOR)
    assert parts[0] == f"#PUBLIC#method={PRE_PAY}"
    assert parts[1:] == [
        f"param0={param0('1')}&session=buyer-a",
        *map(lambda n: f"param0={param0(n)}", "23"),
    ]
    assert received.params["session"] == SESSION


def test_a_calls_own_target_app_key(gateway: ScriptedGateway) -> None:
    """A BatchCall's target app, when it is not the client's, goes in its part only."""
    with client(gateway, target_app_key="app-1") as top:
        top.batch(
            [
                BatchCall(order_get(1), target_app_key="app-2"),
                BatchCall(order_get(2), target_app_key="app-1"),
                order_get(3),
            ]
        )
    (received,) = gateway.received
    assert received.params["target_app_key"] == "app-1"
    parts = received.body.split(BATCH_SEPARATOR)[1:]
    assert [part.endswith("&target_app_key=app-2") for part in parts] == [True, False, False]
    assert "app-2" in repr(BatchCall(order_get(), target_app_key="app-2"))


def test_per_call_sessions_alone_satisfy_apis_that_need_one(gateway: ScriptedGateway) -> None:
    """No shared session: each call that needs one brings its own, and the query holds none."""
    with client(gateway) as top:
        results = top.batch([BatchCall(pre_pay(str(n)), session=f"user-{n}") for n in range(3)])
    (received,) = gateway.received
    assert "session" not in received.params
    assert [
        part.endswith(f"session=user-{n}")
        for n, part in enumerate(received.body.split(BATCH_SEPARATOR)[1:])
    ] == [True] * 3
    assert all(isinstance(result, AlibabaIdleTenderPrePayActionResponse) for result in results)


def order_ids(results: list[Any]) -> list[str]:
    """The order id each pre-pay result echoes."""
    return [result.result.data.order_id for result in results]


def test_chunking_keeps_the_order(gateway: ScriptedGateway) -> None:
    """45 calls in batches of 20: three requests of 20, 20 and 5 calls; results in order."""
    with client(gateway) as top:
        results = top.batch([pre_pay(str(n)) for n in range(45)], session=SESSION)
    sizes = [len(r.body.split(BATCH_SEPARATOR)) - 1 for r in gateway.received]
    assert sizes == [20, 20, 5]
    assert order_ids(results) == [str(n) for n in range(45)]


def test_max_batch_size_on_the_client_and_per_call(gateway: ScriptedGateway) -> None:
    """The client's max_batch_size, and a call's own, decide the chunks."""
    with client(gateway, max_batch_size=4) as top:
        top.batch([pre_pay(str(n)) for n in range(10)], session=SESSION)
        top.batch([pre_pay(str(n)) for n in range(10)], session=SESSION, max_batch_size=10)
        with pytest.raises(UsageError, match="max_batch_size"):
            top.batch([pre_pay()], session=SESSION, max_batch_size=0)
    sizes = [len(r.body.split(BATCH_SEPARATOR)) - 1 for r in gateway.received]
    assert sizes == [4, 4, 2, 10]
    with pytest.raises(UsageError, match="max_batch_size"):
        client(gateway, max_batch_size=0)


def test_async_batches_go_concurrently_and_keep_the_order(gateway: ScriptedGateway) -> None:
    """Three chunks, each answered after 0.6 s: together well under the 1.8 s of one by one."""
    gateway.script += [Action(delay=0.6) for _ in range(3)]
    made = AsyncTopClient(APP_KEY, APP_SECRET, gateway=gateway.url)

    async def run() -> list[Any]:
        async with made as top:
            return await top.batch([pre_pay(str(n)) for n in range(45)], session=SESSION)

    started = time.monotonic()
    results = asyncio.run(asyncio.wait_for(run(), 30))
    elapsed = time.monotonic() - started
    assert order_ids(results) == [str(n) for n in range(45)]
    assert len(gateway.received) == 3
    assert elapsed < 1.5, elapsed


def test_a_tuple_gives_a_tuple_a_list_a_list_nothing_sends_nothing(
    gateway: ScriptedGateway,
) -> None:
    """The results' container follows the requests'; no call, no request."""
    with client(gateway) as top:
        assert isinstance(top.batch((pre_pay(),), session=SESSION), tuple)
        assert isinstance(top.batch([pre_pay()], session=SESSION), list)
        assert top.batch([]) == []
    assert len(gateway.received) == 2


def test_batch_level_error_raises_the_typed_error(gateway: ScriptedGateway) -> None:
    """One part for three calls is the whole batch's error: raised, typed by its code."""
    gateway.script.append(Action(body=error_body(25, "Invalid signature")))
    with client(gateway) as top, pytest.raises(SignatureError) as caught:
        top.batch([pre_pay(), pre_pay(), order_get()], session=SESSION)
    assert caught.value.code == 25
    assert "batch of 3 calls" in str(caught.value)


def test_a_wrong_secret_is_refused_by_the_gateway_for_the_whole_batch(
    gateway: ScriptedGateway,
) -> None:
    """The gateway's own signer refuses the batch: a SignatureError, raised."""
    top = TopClient(APP_KEY, "not-the-secret", gateway=gateway.url)
    with top, pytest.raises(SignatureError):
        top.batch([pre_pay(), order_get()], session=SESSION)


def test_a_part_count_that_is_no_error_is_a_response_error(gateway: ScriptedGateway) -> None:
    """Three parts for two calls, none an error_response: the batch cannot be read."""
    three = BATCH_SEPARATOR.join(["{}", "{}", "{}"]).encode()
    gateway.script.append(Action(body=three))
    with client(gateway) as top, pytest.raises(ResponseError, match="3 parts for 2 calls"):
        top.batch([pre_pay(), pre_pay()], session=SESSION)


def test_an_http_error_status_fails_the_batch(gateway: ScriptedGateway) -> None:
    """HTTP 502 with one part for one call is no answer of that call."""
    gateway.script.append(Action(body=b"<html>Bad Gateway</html>", status=502))
    with client(gateway) as top, pytest.raises(ResponseError) as caught:
        top.batch([pre_pay()], session=SESSION)
    assert caught.value.status_code == 502


def test_batch_level_isp_error_is_retried_a_part_error_is_not(gateway: ScriptedGateway) -> None:
    """The batch refused as a whole (isp.*) was not executed: retried. A call's own isp.*
    error is a value: its batch executed, so it is not sent again."""
    isp = error_body(15, "Remote service error", "isp.top-remote-unknown-error", "later")
    gateway.script += [Action(body=isp), Action(parts=[isp, None])]
    with client(gateway, max_retries=2, retry_backoff=0.01) as top:
        first, second = top.batch((pre_pay("1"), pre_pay("2")), session=SESSION)
    assert isinstance(first, ServerError)
    assert isinstance(second, AlibabaIdleTenderPrePayActionResponse)
    assert len(gateway.received) == 2


def test_a_batch_that_may_have_executed_is_not_retried(gateway: ScriptedGateway) -> None:
    """A timeout waiting for the answer: the batch was sent, so it is not sent again."""
    gateway.script.append(Action(delay=2.0))
    with (
        client(gateway, max_retries=3, retry_backoff=0.01, timeout=0.5) as top,
        pytest.raises(TransportError) as caught,
    ):
        top.batch([pre_pay(), pre_pay()], session=SESSION)
    assert caught.value.sent is True
    assert "batch of 2 calls" in str(caught.value)
    assert len(gateway.received) == 1


def test_a_batch_never_sent_is_retried(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing listens: the batch cannot have executed, so each retry is taken."""
    url = f"http://127.0.0.1:{_closed_port()}/router/rest"
    caplog.set_level(logging.DEBUG, logger="topapi")
    top = TopClient(APP_KEY, APP_SECRET, gateway=url, max_retries=2, retry_backoff=0.01)
    with top, pytest.raises(TransportError) as caught:
        top.batch([pre_pay()], session=SESSION)
    assert caught.value.sent is False
    assert sum("retrying" in record.getMessage() for record in caplog.records) == 2


def test_async_batch_level_error_raises_after_every_chunk_ran(gateway: ScriptedGateway) -> None:
    """The async client waits for all its chunks, then raises the failed one's error."""
    gateway.script += [Action(body=error_body(25, "Invalid signature"))]
    made = AsyncTopClient(APP_KEY, APP_SECRET, gateway=gateway.url, max_batch_size=2)

    async def run() -> None:
        async with made as top:
            await top.batch([pre_pay(str(n)) for n in range(6)], session=SESSION)

    with pytest.raises(SignatureError):
        asyncio.run(asyncio.wait_for(run(), 30))
    assert len(gateway.received) == 3


def test_a_file_part_is_refused_before_sending(gateway: ScriptedGateway) -> None:
    """File uploads cannot be batched: a UsageError naming the call, and nothing sent."""
    upload = AlibabaIdleIsvMediaUploadRequest(data=TopFile(b"\x89PNG"), name="a.png", type=0)
    with client(gateway) as top, pytest.raises(UsageError, match="file") as caught:
        top.batch([pre_pay(), upload], session=SESSION)
    assert "batch call 1" in str(caught.value)
    assert "alibaba.idle.isv.media.upload" in str(caught.value)
    assert gateway.received == []


def test_a_missing_session_is_refused_before_sending(gateway: ScriptedGateway) -> None:
    """An API that needs a session, and neither the call nor the batch gives one."""
    with client(gateway) as top, pytest.raises(UsageError, match="session"):
        top.batch([BatchCall(pre_pay(), session="u"), pre_pay()])
    assert gateway.received == []


def test_something_not_a_request_is_refused() -> None:
    """A dict among the calls: a UsageError naming its place."""
    top = TopClient(APP_KEY, APP_SECRET, gateway="http://127.0.0.1:9/router/rest")
    with pytest.raises(UsageError, match="batch call 1: dict is not a request"):
        top.batch([pre_pay(), {"method": PRE_PAY}], session=SESSION)  # type: ignore[list-item]


def test_a_gateway_without_router_rest_has_no_batch_endpoint() -> None:
    """topapi cannot guess the batch URL of a gateway path it does not know."""
    top = TopClient(APP_KEY, APP_SECRET, gateway="http://127.0.0.1:9/custom/path")
    with pytest.raises(UsageError, match="/router/batch"):
        top.batch([pre_pay()], session=SESSION)


def test_no_secret_in_reprs_errors_or_logs(
    gateway: ScriptedGateway, caplog: pytest.LogCaptureFixture
) -> None:
    """A BatchCall's repr, a batch's error and the debug log hold no secret, session or sign."""
    caplog.set_level(logging.DEBUG, logger="topapi")
    call = BatchCall(pre_pay(), session="per-call-secret-session")
    assert "per-call-secret-session" not in repr(call) + str(call)
    gateway.script.append(Action(body=error_body(27, "Invalid session")))
    with client(gateway) as top, pytest.raises(TopError) as caught:
        top.batch([call, pre_pay()], session=SESSION)
    sent = gateway.received[0]
    assert "per-call-secret-session" in sent.body and sent.params["session"] == SESSION
    shown = [str(caught.value), repr(caught.value), caplog.text]
    for text in shown:
        for secret in (APP_SECRET, SESSION, "per-call-secret-session", sent.params["sign"]):
            assert secret not in text
