"""Only the API's own answer is a response: every other shape is an error, over real HTTP."""

from __future__ import annotations

import json

import pytest

from topapi import ResponseError, SignatureError, TopapiError, TopClient, TopError
from topapi.apis.alibaba_idle_tender_pre_pay_action import TenderPrePayCmd

from .topserver import APP_KEY, APP_SECRET, SESSION, Action, error_body, scripted_gateway

METHOD = "alibaba.idle.tender.pre.pay.action"
OWN_ROOT = "alibaba_idle_tender_pre_pay_action_response"
OWN_BODY = {"result": {"success": True}, "request_id": "r"}
XML_HEAD = '<?xml version="1.0" encoding="utf-8" ?>'


def _json(body: object) -> bytes:
    return json.dumps(body).encode()


def _xml(body: str) -> bytes:
    return (XML_HEAD + body).encode()


WRONG_SHAPES = [
    ("json", False, 502, _json({"message": "Bad Gateway"})),
    ("json", False, 500, b"{}"),
    ("json", False, 200, b"{}"),
    ("json", False, 200, _json({"error_response": "boom"})),
    ("json", False, 200, _json(OWN_BODY)),
    ("json", False, 200, _json({"alibaba_idle_isv_media_upload_response": OWN_BODY})),
    ("json", False, 200, _json({OWN_ROOT: "text"})),
    ("json", False, 500, _json({OWN_ROOT: OWN_BODY})),
    ("json", True, 200, _json({"alibaba_idle_isv_media_upload_response": OWN_BODY})),
    ("json", True, 200, _json({"message": "Bad Gateway"})),
    ("json", True, 200, _json({"error_response": "boom"})),
    ("json", True, 503, _json(OWN_BODY)),
    (
        "xml",
        False,
        200,
        _xml(
            "<alibaba_idle_isv_media_upload_response><request_id>r</request_id>"
            "</alibaba_idle_isv_media_upload_response>"
        ),
    ),
    ("xml", False, 200, _xml("<error_response>boom</error_response>")),
    ("xml", False, 502, _xml("<message>Bad Gateway</message>")),
    ("xml", True, 200, _xml("<request_id>r</request_id>")),
    ("xml", True, 500, _xml(f"<{OWN_ROOT}><request_id>r</request_id></{OWN_ROOT}>")),
]
WRONG_IDS = [
    "json-proxy-502",
    "json-500-empty",
    "json-200-empty",
    "json-error-response-text",
    "json-no-root",
    "json-other-root",
    "json-root-not-object",
    "json-own-root-500",
    "simplified-other-root",
    "simplified-foreign-object",
    "simplified-error-response-text",
    "simplified-503",
    "xml-other-root",
    "xml-error-response-text",
    "xml-proxy-502",
    "xml-simplified-no-root",
    "xml-own-root-500",
]


@pytest.mark.parametrize(("fmt", "simplify", "status", "body"), WRONG_SHAPES, ids=WRONG_IDS)
def test_wrong_shaped_answer_is_a_response_error(
    fmt: str, simplify: bool, status: int, body: bytes
) -> None:
    """A body that is not the API's own answer raises ResponseError with the raw body and status."""
    with scripted_gateway() as gateway:
        gateway.script.append(Action(body=body, status=status))
        top = TopClient(APP_KEY, APP_SECRET, gateway=gateway.url, format=fmt, simplify=simplify)
        with top, pytest.raises(ResponseError) as caught:
            top.alibaba_idle_tender_pre_pay_action(param0=_command(), session=SESSION)
    assert caught.value.raw == body.decode()
    assert caught.value.status_code == status
    assert str(caught.value).startswith(f"{METHOD}: ")


RIGHT_SHAPES = [
    ("json", False, _json({OWN_ROOT: OWN_BODY})),
    ("json", True, _json(OWN_BODY)),
    ("json", True, _json({OWN_ROOT: OWN_BODY})),  # TOP's own simplified samples keep the root
    ("xml", False, _xml(f"<{OWN_ROOT}><request_id>r</request_id></{OWN_ROOT}>")),
    ("xml", True, _xml(f"<{OWN_ROOT}><request_id>r</request_id></{OWN_ROOT}>")),
]


@pytest.mark.parametrize(
    ("fmt", "simplify", "body"),
    RIGHT_SHAPES,
    ids=["wrapped", "simplified", "simplified-wrapped", "xml", "xml-simplified"],
)
def test_own_answer_is_a_response(fmt: str, simplify: bool, body: bytes) -> None:
    """The API's own root, or the simplified body when asked for, is the typed response."""
    with scripted_gateway() as gateway:
        gateway.script.append(Action(body=body))
        top = TopClient(APP_KEY, APP_SECRET, gateway=gateway.url, format=fmt, simplify=simplify)
        with top:
            response = top.alibaba_idle_tender_pre_pay_action(param0=_command(), session=SESSION)
    assert response.request_id == "r"
    assert response.status_code == 200


def _command() -> TenderPrePayCmd:
    return TenderPrePayCmd(order_id="1234", pre_pay_no="xxx", pre_pay_action=2)


@pytest.mark.parametrize(
    ("body", "raised"),
    [
        (_json(error_body(25, "Invalid signature")), SignatureError),
        (_json({"error_response": {"code": "twenty", "msg": "m"}}), ResponseError),
        (b"<html>Bad Gateway</html>", ResponseError),
        (b"[1, 2]", ResponseError),
    ],
    ids=["top-error", "non-numeric-code", "not-json", "not-an-object"],
)
def test_every_answer_error_names_the_api(body: bytes, raised: type[TopapiError]) -> None:
    """TopError and ResponseError name the API method and keep the raw body and HTTP status."""
    with scripted_gateway() as gateway:
        gateway.script.append(Action(body=body, status=200))
        top = TopClient(APP_KEY, APP_SECRET, gateway=gateway.url)
        with top, pytest.raises(raised) as caught:
            top.alibaba_idle_tender_pre_pay_action(param0=_command(), session=SESSION)
    failure = caught.value
    assert str(failure).startswith(f"{METHOD}: ")
    raw, status = (
        (failure.raw_body, failure.status_code)
        if isinstance(failure, TopError)
        else (failure.raw, failure.status_code)
    )
    assert (raw, status) == (body.decode(), 200)
