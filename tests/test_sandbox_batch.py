"""The sandbox's /router/batch against raw requests built and signed by the test's own code."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from topapi import BatchCall, TopClient
from topapi.apis.alibaba_idle_tender_order_get import (
    AlibabaIdleTenderOrderGetRequest,
    AlibabaIdleTenderOrderGetResponse,
)
from topapi.apis.alibaba_idle_tender_pre_pay_action import (
    AlibabaIdleTenderPrePayActionRequest,
    AlibabaIdleTenderPrePayActionResponse,
    TenderPrePayCmd,
)
from topgen.sandbox.form import Limits
from topgen.sandbox.gateway import DEFAULT_APP_KEY, DEFAULT_APP_SECRET, GMT8
from topgen.sandbox.serve import RunningSandbox, build_sandbox, start_in_thread

from .conftest import SPECS
from .topserver import expected_sign

PRE_PAY = "alibaba.idle.tender.pre.pay.action"
ORDER_GET = "alibaba.idle.tender.order.get"
PARAM0 = '{"order_id":"1234","pre_pay_no":"xxx","pre_pay_action":2}'
SEPARATOR = "\r\n-S-\r\n"


@pytest.fixture(scope="module")
def gateway() -> Iterator[RunningSandbox]:
    """The sandbox of the repository's specs, in a background thread."""
    running = start_in_thread(build_sandbox(SPECS))
    yield running
    running.stop()


def batch_url(gateway: RunningSandbox) -> str:
    """The sandbox's batch endpoint."""
    return gateway.url.replace("/router/rest", "/router/batch")


def query(body: str, sign_method: str = "hmac-sha256", **changes: str | None) -> dict[str, str]:
    """The system parameters of a batch, changed as asked (None removes), signed with `body`."""
    params: dict[str, str | None] = {
        "app_key": DEFAULT_APP_KEY,
        "timestamp": datetime.now(GMT8).strftime("%Y-%m-%d %H:%M:%S"),
        "v": "2.0",
        "sign_method": sign_method,
        "format": "json",
        "session": "shared-session",
    }
    params.update(changes)
    kept = {key: value for key, value in params.items() if value is not None}
    kept["sign"] = expected_sign(kept, DEFAULT_APP_SECRET, body)
    return kept


def post(
    gateway: RunningSandbox,
    body: str,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> str:
    """POST a batch body (signed unless `params` are given) and return the answer's text."""
    answer = httpx.post(
        batch_url(gateway),
        params=query(body) if params is None else params,
        content=body.encode(),
        headers={"Content-Type": "text/plain;charset=UTF-8", **(headers or {})},
        timeout=10,
    )
    assert answer.status_code == 200
    return answer.text


def parts(text: str, separator: str = SEPARATOR) -> list[dict[str, Any]]:
    """Each part of a JSON batch answer, decoded."""
    return [json.loads(part) for part in text.split(separator)]


def call(method: str, **params: str) -> str:
    """One call's part: its URL-encoded parameters."""
    return urlencode({"method": method, **params})


@pytest.mark.parametrize("sign_method", ["md5", "hmac", "hmac-sha256"])
def test_each_call_answered_in_order(gateway: RunningSandbox, sign_method: str) -> None:
    """Two APIs in one batch: two ordinary answers, in request order, distinct request ids."""
    body = SEPARATOR.join([call(PRE_PAY, param0=PARAM0), call(ORDER_GET)])
    first, second = parts(post(gateway, body, query(body, sign_method)))
    assert f"{PRE_PAY.replace('.', '_')}_response" in first
    assert f"{ORDER_GET.replace('.', '_')}_response" in second
    ids = [next(iter(part.values()))["request_id"] for part in (first, second)]
    assert len(set(ids)) == 2


def test_a_signature_without_the_body_is_refused_for_the_whole_batch(
    gateway: RunningSandbox,
) -> None:
    """Signed over the query alone: one error_response, code 25, for the batch."""
    body = SEPARATOR.join([call(ORDER_GET), call(ORDER_GET)])
    (error,) = parts(post(gateway, body, query("")))
    assert error["error_response"]["code"] == 25


def test_a_bad_signature_is_refused(gateway: RunningSandbox) -> None:
    """A signature that is not the app's: code 25."""
    body = call(ORDER_GET)
    params = {**query(body), "sign": "0" * 64}
    (error,) = parts(post(gateway, body, params))
    assert error["error_response"]["code"] == 25


def test_batch_level_checks_of_the_query(gateway: RunningSandbox) -> None:
    """A wrong app key and a stale timestamp refuse the batch as a whole."""
    body = call(ORDER_GET)
    (wrong_key,) = parts(post(gateway, body, query(body, app_key="other")))
    stale = query(body, timestamp="2020-01-01 00:00:00")
    (old,) = parts(post(gateway, body, stale))
    assert wrong_key["error_response"]["code"] == 29
    assert old["error_response"]["code"] == 31


def test_public_part_and_empty_calls(gateway: RunningSandbox) -> None:
    """`#PUBLIC#method=...` names every call's API; `N` is a call with no parameter of its own."""
    body = SEPARATOR.join([f"#PUBLIC#method={ORDER_GET}", "N", "N", "param0=%7B%7D"])
    answers = parts(post(gateway, body))
    assert len(answers) == 3
    assert all(f"{ORDER_GET.replace('.', '_')}_response" in answer for answer in answers[:2])
    # param0 {} lacks biz_order_id: that call alone is refused, as it would be alone
    assert answers[2]["error_response"]["code"] == 40


def test_each_call_is_checked_as_alone(gateway: RunningSandbox) -> None:
    """An unknown method, a missing required parameter, a session of its own: per call."""
    body = SEPARATOR.join(
        [
            call("no.such.api"),
            call(PRE_PAY),
            call(PRE_PAY, param0=PARAM0, session="own-session"),
        ]
    )
    no_session = {key: value for key, value in query(body).items() if key != "session"}
    no_session["sign"] = expected_sign(no_session, DEFAULT_APP_SECRET, body)
    unknown, missing, own = parts(post(gateway, body, no_session))
    assert unknown["error_response"]["code"] == 22
    assert missing["error_response"]["code"] == 26  # no session at all: refused first
    assert f"{PRE_PAY.replace('.', '_')}_response" in own


def test_a_custom_separator(gateway: RunningSandbox) -> None:
    """The `top-api-separator` header's separator splits the body and joins the answer."""
    separator = "#SPLIT#"
    body = separator.join([call(ORDER_GET), call(PRE_PAY, param0=PARAM0)])
    text = post(gateway, body, headers={"top-api-separator": separator})
    assert SEPARATOR not in text
    first, second = parts(text, separator)
    assert f"{ORDER_GET.replace('.', '_')}_response" in first
    assert f"{PRE_PAY.replace('.', '_')}_response" in second


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("", "no call"),
        ("#PUBLIC#method=x", "no call"),
        ("not a form", "not URL-encoded"),
        (call(ORDER_GET) + SEPARATOR + f"#PUBLIC#method={ORDER_GET}", "only be the first"),
        (call(ORDER_GET) + SEPARATOR, "not URL-encoded"),
    ],
    ids=["empty", "only-public", "not-a-form", "public-later", "empty-part"],
)
def test_a_malformed_body_is_one_error_response(
    gateway: RunningSandbox, body: str, why: str
) -> None:
    """A body that is no batch: one error_response (code 43) saying why."""
    (error,) = parts(post(gateway, body))
    assert error["error_response"]["code"] == 43
    assert why in error["error_response"]["sub_msg"]


def test_a_body_not_utf8_is_code_47(gateway: RunningSandbox) -> None:
    """Bytes that are not UTF-8: code 47, for the batch."""
    answer = httpx.post(batch_url(gateway), params=query(""), content=b"method=\xff", timeout=10)
    assert answer.json()["error_response"]["code"] == 47


def test_the_body_is_read_within_the_limits() -> None:
    """A body larger than the sandbox's limit is refused, not read whole."""
    running = start_in_thread(build_sandbox(SPECS), limits=Limits(max_body=1000))
    try:
        body = SEPARATOR.join([call(ORDER_GET)] * 100)
        (error,) = parts(post(running, body))
    finally:
        running.stop()
    assert error["error_response"]["code"] == 43
    assert "larger than 1000 bytes" in error["error_response"]["sub_msg"]


def test_the_calls_and_their_parameters_are_counted() -> None:
    """More calls than the sandbox's field limit, or a call with more parameters: code 43."""
    running = start_in_thread(build_sandbox(SPECS), limits=Limits(max_fields=8))
    try:  # the query's 7 parameters fit
        many_calls = SEPARATOR.join([call(ORDER_GET)] * 9)
        (calls,) = parts(post(running, many_calls))
        wide = urlencode({f"extra_{n}": "x" for n in range(9)})
        (fields,) = parts(post(running, wide))
    finally:
        running.stop()
    assert calls["error_response"]["code"] == 43
    assert "more than 8 calls" in calls["error_response"]["sub_msg"]
    assert fields["error_response"]["sub_code"] == "isv.too-many-parameters"


def test_xml_answers_joined(gateway: RunningSandbox) -> None:
    """format=xml: each part an XML document of its own."""
    body = SEPARATOR.join([call(ORDER_GET), call("no.such.api")])
    text = post(gateway, body, query(body, format="xml"))
    first, second = text.split(SEPARATOR)
    assert first.startswith("<?xml") and "<alibaba_idle_tender_order_get_response>" in first
    assert "<error_response><code>22</code>" in second


def test_fixtures_answer_their_calls(tmp_path: Path) -> None:
    """A fixture error answers its API's calls inside a batch; the others get the example."""
    (tmp_path / f"{ORDER_GET}.yaml").write_text(
        "error_response:\n  code: 15\n  msg: Remote service error\n"
        "  sub_code: isv.order-missing\n  sub_msg: no order\n",
        encoding="utf-8",
    )
    running = start_in_thread(build_sandbox(SPECS, fixtures=tmp_path))
    try:
        body = SEPARATOR.join([call(ORDER_GET), call(PRE_PAY, param0=PARAM0)])
        fixture, example = parts(post(running, body))
    finally:
        running.stop()
    assert fixture["error_response"]["sub_code"] == "isv.order-missing"
    assert f"{PRE_PAY.replace('.', '_')}_response" in example


@pytest.mark.parametrize(
    ("fmt", "simplify"), [("json", False), ("json", True), ("xml", False)], ids=str
)
def test_topapi_batches_against_the_sandbox(
    gateway: RunningSandbox, fmt: str, simplify: bool
) -> None:
    """End to end: topapi's batch through the sandbox, chunked, each result typed."""
    cmd = TenderPrePayCmd(order_id="1", pre_pay_no="x", pre_pay_action=2)
    requests: list[Any] = [
        AlibabaIdleTenderPrePayActionRequest(param0=cmd)
        if n % 2
        else BatchCall(AlibabaIdleTenderOrderGetRequest(), session="own")
        for n in range(7)
    ]
    with TopClient(
        DEFAULT_APP_KEY,
        DEFAULT_APP_SECRET,
        gateway=gateway.url,
        format=fmt,
        simplify=simplify,
        max_batch_size=3,
    ) as top:
        results = top.batch(requests, session="s")
    kinds = [type(result) for result in results]
    expected = [
        AlibabaIdleTenderPrePayActionResponse if n % 2 else AlibabaIdleTenderOrderGetResponse
        for n in range(7)
    ]
    assert kinds == expected
