"""The first API's generated bindings against the examples of its documentation page."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from topapi import ResponseError, TopClient, TopError
from topapi._codec import decode_response
from topapi.apis.alibaba_idle_tender_pre_pay_action import (
    AlibabaIdleTenderPrePayActionRequest,
    AlibabaIdleTenderPrePayActionResponse,
    CommonResult,
    TenderPrePayCmd,
    TenderPrepayTopResult,
)

from .examples import QUIRK_TEXT, example, first_api

API = first_api()
XML = example(API.response_examples, "application/xml")
JSON = example(API.response_examples, "application/json")
WIRE_PARAM0 = '{"order_id":"1234","pre_pay_no":"xxx","pre_pay_action":2}'


def java_example_request() -> AlibabaIdleTenderPrePayActionRequest:
    """The request the page's Java example builds: orderId "1234", prePayNo "xxx", action 2."""
    return AlibabaIdleTenderPrePayActionRequest(
        param0=TenderPrePayCmd(order_id="1234", pre_pay_no="xxx", pre_pay_action=2)
    )


def test_java_example_gives_exactly_the_documented_application_params() -> None:
    """The object parameter travels as compact JSON with the doc's field names."""
    request = java_example_request()
    assert request.top_method == "alibaba.idle.tender.pre.pay.action"
    assert request.to_params() == {"param0": WIRE_PARAM0}


def test_spec_request_example_builds_the_same_request() -> None:
    """The spec's structured request example equals the Java example."""
    from_spec = AlibabaIdleTenderPrePayActionRequest.model_validate(
        example(API.request_examples, "application/x-www-form-urlencoded")
    )
    assert from_spec == java_example_request()


def test_signed_params_carry_method_and_param0() -> None:
    """The client adds the system parameters around the application ones."""
    client = TopClient("12345678", "helloworld")
    params = client.signed_params(
        java_example_request(), session="s", timestamp=datetime(2024, 1, 1, 12, 0, 0)
    )
    assert params["method"] == "alibaba.idle.tender.pre.pay.action"
    assert params["param0"] == WIRE_PARAM0
    assert params["timestamp"] == "2024-01-01 12:00:00"
    assert params["session"] == "s"


def test_session_is_required_by_this_api() -> None:
    """The page's Java example passes a sessionKey: topapi refuses to call without one."""
    with pytest.raises(ValueError, match="needs the user's session key"):
        TopClient("k", "s").signed_params(java_example_request())


def assert_documented_values(response: AlibabaIdleTenderPrePayActionResponse) -> None:
    """Every value of the page's response example, typed."""
    assert response.result == CommonResult(
        data=TenderPrepayTopResult(
            order_id="1234",
            pre_pay_amount=1234,
            pre_pay_no="1234",
            pre_pay_status="2",
            pre_pay_action=2,
            app_key="123",
            request_id="xxx",
        ),
        success=True,
        error_code="S_E_ERROR",
        error_msg="系统异常",
    )


def with_valid_action(body: str) -> str:
    """The example with its one quirk mended: 2, the value the field's description names."""
    assert body.count(QUIRK_TEXT) == 1
    return body.replace(QUIRK_TEXT, "2")


def test_xml_example_parses_into_the_typed_response() -> None:
    """The XML example, quirk mended, gives every documented value."""
    body = with_valid_action(XML).encode()
    response = decode_response(AlibabaIdleTenderPrePayActionResponse, body, "xml", 200)
    assert_documented_values(response)
    assert response.raw_body == body.decode()
    assert response.status_code == 200


@pytest.mark.parametrize("simplified", [False, True], ids=["wrapped", "simplified"])
def test_json_example_parses_into_the_typed_response(simplified: bool) -> None:
    """The derived JSON example, with or without its `_response` wrapper."""
    data: dict[str, Any] = json.loads(with_valid_action(json.dumps(JSON, ensure_ascii=False)))
    if simplified:
        data = data["alibaba_idle_tender_pre_pay_action_response"]
    body = json.dumps(data, ensure_ascii=False).encode()
    response = decode_response(
        AlibabaIdleTenderPrePayActionResponse, body, "json", simplify=simplified
    )
    assert_documented_values(response)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_text_in_a_number_field_is_a_clear_error(fmt: str) -> None:
    """The verbatim example holds text in a Number field: refused, naming the field path."""
    body = XML if fmt == "xml" else json.dumps(JSON, ensure_ascii=False)
    with pytest.raises(ResponseError) as caught:
        decode_response(AlibabaIdleTenderPrePayActionResponse, body.encode(), fmt)
    message = str(caught.value)
    assert "result.data.pre_pay_action" in message
    assert QUIRK_TEXT in message
    assert caught.value.raw == body


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_error_example_parses_into_top_error(fmt: str) -> None:
    """The page's error example raises TopError with its code, msg, sub_code and sub_msg."""
    value = example(API.error_examples, f"application/{fmt}")
    body = value if fmt == "xml" else json.dumps(value, ensure_ascii=False)
    with pytest.raises(TopError) as caught:
        decode_response(AlibabaIdleTenderPrePayActionResponse, body.encode(), fmt)
    error = caught.value
    assert (error.code, error.msg, error.sub_code, error.sub_msg) == (
        50,
        "Remote service error",
        "isv.invalid-parameter",
        "非法参数",
    )
    assert "非法参数" in str(error)


def test_request_refuses_unknown_fields_and_missing_required_ones() -> None:
    """A typo or a missing required field is caught before anything is sent."""
    with pytest.raises(ValueError, match="pre_pay_actoin"):
        TenderPrePayCmd(order_id="1", pre_pay_no="x", pre_pay_actoin=2)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="pre_pay_action"):
        TenderPrePayCmd(order_id="1", pre_pay_no="x")  # type: ignore[call-arg]
