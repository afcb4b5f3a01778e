"""The wire format: parameters encoded for TOP, response bodies decoded from it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any, ClassVar

import pytest
from pydantic import Field

from topapi import BusinessError, ResponseError, SignatureError, TopFile
from topapi._codec import decode_body, decode_response, encode_params, encode_value, to_json
from topapi._model import RequestModel, ResponseModel, SessionUse, TopRequest, TopResponse
from topapi._xml import XmlRefusedError, parse_xml
from topapi.apis.alibaba_idle_tender_pre_pay_action import (
    AlibabaIdleTenderPrePayActionResponse,
)

RESPONSE_KEY = "alibaba_idle_tender_pre_pay_action_response"


class Address(RequestModel):
    city: str
    zip_code: str | None = None


class Order(RequestModel):
    order_id: str
    amount: int | None = None
    paid: bool | None = None
    note: str | None = None
    created: datetime | None = None
    price: Decimal | None = None
    address: Address | None = None
    tags: list[str] | None = None
    from_: Annotated[str | None, Field(alias="from")] = None


class Echo(TopResponse):
    response_key: ClassVar[str] = "test_echo_response"
    top_method: ClassVar[str] = "test.echo"

    value: str | None = None


class EchoRequest(TopRequest[Echo]):
    top_method: ClassVar[str] = "test.echo"
    session_use: ClassVar[SessionUse] = SessionUse.NONE
    response_type: ClassVar[type[Echo]] = Echo

    count: int | None = None
    flag: bool | None = None
    text: str | None = None
    ids: list[int] | None = None
    order: Order | None = None
    orders: list[Order] | None = None
    from_: Annotated[str | None, Field(alias="from")] = None
    blob: bytes | None = None
    upload: TopFile | None = None


class Item(ResponseModel):
    id: int | None = None
    name: str | None = None


class Listing(ResponseModel):
    items: list[Item] | None = None
    tags: list[str] | None = None


# --- scalar values ---------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "wire"), [(True, "true"), (False, "false")])
def test_booleans_are_lower_case(value: bool, wire: str) -> None:
    """Booleans go out as true/false, not Python's True/False."""
    assert encode_value(value) == wire


@pytest.mark.parametrize(
    ("value", "wire"), [(0, "0"), (42, "42"), (-7, "-7"), (2**53 + 1, "9007199254740993")]
)
def test_ints_are_decimal_text(value: int, wire: str) -> None:
    """Integers go out as decimal text, large ids without loss."""
    assert encode_value(value) == wire


@pytest.mark.parametrize(
    ("value", "wire"),
    [(Decimal("9.10"), "9.10"), (Decimal("0.00"), "0.00"), (Decimal("1E+2"), "100")],
)
def test_decimals_keep_their_digits(value: Decimal, wire: str) -> None:
    """Decimals go out in plain notation with their trailing zeros, never as floats."""
    assert encode_value(value) == wire


def test_naive_datetime_sent_as_is() -> None:
    """A naive datetime is sent unchanged as yyyy-MM-dd HH:mm:ss."""
    assert encode_value(datetime(2024, 3, 5, 7, 8, 9)) == "2024-03-05 07:08:09"


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (datetime(2024, 1, 1, 0, 0, 0, tzinfo=UTC), "2024-01-01 08:00:00"),
        (datetime(2023, 12, 31, 23, 30, 0, tzinfo=UTC), "2024-01-01 07:30:00"),
        (
            datetime(2024, 1, 1, 8, 0, 0, tzinfo=timezone(timedelta(hours=-5))),
            "2024-01-01 21:00:00",
        ),
    ],
)
def test_aware_datetime_converted_to_gmt8(value: datetime, wire: str) -> None:
    """An aware datetime is sent as its GMT+8 wall time."""
    assert encode_value(value) == wire


def test_date_is_iso_day() -> None:
    """A date is sent as yyyy-MM-dd."""
    assert encode_value(date(2024, 2, 29)) == "2024-02-29"


def test_unsupported_type_refused() -> None:
    """A value TOP cannot read is refused, not sent as its repr."""
    with pytest.raises(TypeError, match="set"):
        encode_value({1, 2})


# --- lists and objects ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "wire"),
    [([1, 2, 3], "1,2,3"), (["a", "b"], "a,b"), ([True, False], "true,false"), ([], "")],
)
def test_list_of_scalars_is_comma_joined(value: list[Any], wire: str) -> None:
    """A list of basic values is one comma-separated string, each item encoded as a scalar."""
    assert encode_value(value) == wire


def test_object_is_compact_json_with_wire_names() -> None:
    """An object is compact JSON by wire names, Chinese raw, None left out, 0/False/"" kept."""
    order = Order(order_id="1", amount=0, paid=False, note="", tags=["甲"], from_="店铺")
    wire = encode_value(order)
    assert wire == (
        '{"order_id":"1","amount":0,"paid":false,"note":"","tags":["甲"],"from":"店铺"}'
    )
    assert json.loads(wire) == {
        "order_id": "1",
        "amount": 0,
        "paid": False,
        "note": "",
        "tags": ["甲"],
        "from": "店铺",
    }


def test_object_nested_datetime_and_decimal() -> None:
    """Datetimes nested in JSON are yyyy-MM-dd HH:mm:ss (GMT+8 when aware); nested objects too."""
    order = Order(
        order_id="2",
        created=datetime(2024, 1, 1, 0, 0, 0, tzinfo=UTC),
        address=Address(city="杭州"),
        price=Decimal("9.10"),
    )
    decoded = json.loads(encode_value(order))
    assert decoded["created"] == "2024-01-01 08:00:00"
    assert decoded["address"] == {"city": "杭州"}
    assert "杭州" in encode_value(order)
    assert "9.10" in encode_value(order)


def test_list_of_objects_is_json_array() -> None:
    """A list of objects is a JSON array of compact objects."""
    orders = [Order(order_id="1"), Order(order_id="2", created=datetime(2024, 5, 6, 7, 8, 9))]
    assert encode_value(orders) == (
        '[{"order_id":"1"},{"order_id":"2","created":"2024-05-06 07:08:09"}]'
    )


def test_dict_is_json() -> None:
    """A plain dict is JSON too, its None values left out."""
    assert encode_value({"a": 1, "b": None, "c": "中"}) == '{"a":1,"c":"中"}'


def test_to_json_uses_aliases_and_drops_none() -> None:
    """to_json gives the JSON-ready form: aliases as keys, None left out, scalars typed."""
    order = Order(order_id="1", amount=3, from_="x", created=datetime(2024, 1, 2, 3, 4, 5))
    assert to_json(order) == {
        "order_id": "1",
        "amount": 3,
        "created": "2024-01-02 03:04:05",
        "from": "x",
    }


def test_encode_params_by_wire_name() -> None:
    """encode_params: wire names, None and "" left out, 0/False kept, files never included."""
    request = EchoRequest(
        count=0,
        flag=False,
        text="",
        ids=[1, 2, 3],
        order=Order(order_id="9"),
        orders=[Order(order_id="1"), Order(order_id="2")],
        from_="渠道",
        blob=b"raw",
        upload=TopFile(b"file"),
    )
    assert encode_params(request) == {
        "count": "0",
        "flag": "false",
        "ids": "1,2,3",
        "order": '{"order_id":"9"}',
        "orders": '[{"order_id":"1"},{"order_id":"2"}]',
        "from": "渠道",
    }
    assert request.to_params() == encode_params(request)


def test_encode_params_leaves_out_none() -> None:
    """A request with only None values has no parameters."""
    assert encode_params(EchoRequest()) == {}


def test_alias_accepted_on_construction() -> None:
    """A field aliased `from` can be set by its wire name as well as its Python name."""
    request = EchoRequest.model_validate({"from": "a"})
    assert request.from_ == "a"
    assert encode_params(request) == {"from": "a"}


# --- response decoding ------------------------------------------------------------------------

RESULT = {
    "success": True,
    "data": {"order_id": "1234567890", "pre_pay_amount": "1234", "pre_pay_no": "p1"},
}


def test_decode_wrapped_json() -> None:
    """A JSON body in its <method>_response wrapper decodes, request_id included."""
    body = json.dumps({RESPONSE_KEY: {"result": RESULT, "request_id": "r1"}}).encode()
    response = decode_response(AlibabaIdleTenderPrePayActionResponse, body, "json", 200)
    assert response.request_id == "r1"
    assert response.result is not None
    assert response.result.success is True
    assert response.result.data is not None
    assert response.result.data.order_id == "1234567890"
    assert response.result.data.pre_pay_amount == 1234
    assert response.status_code == 200
    assert response.raw_body == body.decode()


def test_decode_simplified_json() -> None:
    """A simplified JSON body (no wrapper, request_id at the top) decodes the same way."""
    body = json.dumps({"result": RESULT, "request_id": "r2"}).encode()
    response = decode_response(AlibabaIdleTenderPrePayActionResponse, body, "json", simplify=True)
    assert response.request_id == "r2"
    assert response.result is not None
    assert response.result.data is not None
    assert response.result.data.pre_pay_amount == 1234


def test_decode_simplified_json_with_single_field() -> None:
    """A simplified body with a lone non-`_response` key is the response itself."""
    body = json.dumps({"result": {"success": False}}).encode()
    response = decode_response(AlibabaIdleTenderPrePayActionResponse, body, "json", simplify=True)
    assert response.result is not None
    assert response.result.success is False


def test_decode_lenient_scalars() -> None:
    """Numeric strings fill Number fields and numbers fill String fields, as Java's reader does."""
    body = json.dumps(
        {"result": {"data": {"order_id": 1234567890123, "pre_pay_amount": "9007199254740993"}}}
    ).encode()
    response = decode_response(AlibabaIdleTenderPrePayActionResponse, body, "json", simplify=True)
    assert response.result is not None
    assert response.result.data is not None
    assert response.result.data.order_id == "1234567890123"
    assert response.result.data.pre_pay_amount == 9007199254740993


def test_decode_keeps_unknown_fields() -> None:
    """Fields TOP adds later are kept, not refused."""
    body = json.dumps({RESPONSE_KEY: {"result": {"success": True, "new_field": 1}}}).encode()
    response = decode_response(AlibabaIdleTenderPrePayActionResponse, body, "json")
    assert response.result is not None
    assert response.result.model_extra == {"new_field": 1}


XML_BODY = (
    '<?xml version="1.0" encoding="utf-8" ?>'
    f"<{RESPONSE_KEY}><result><success>true</success><data>"
    "<order_id>1234567890</order_id><pre_pay_amount>1234</pre_pay_amount>"
    "<pre_pay_no>测试</pre_pay_no></data></result>"
    f"<request_id>r3</request_id></{RESPONSE_KEY}><!--top010179031191.s.et2-->"
).encode()


def test_decode_xml() -> None:
    """An XML body decodes into the same typed response, texts converted to their types."""
    response = decode_response(AlibabaIdleTenderPrePayActionResponse, XML_BODY, "xml")
    assert response.request_id == "r3"
    assert response.result is not None
    assert response.result.success is True
    assert response.result.data is not None
    assert response.result.data.pre_pay_amount == 1234
    assert response.result.data.pre_pay_no == "测试"


def test_decode_xml_error_response() -> None:
    """An XML error_response raises the TopError its code (text in XML) calls for."""
    body = (
        b"<error_response><code>25</code><msg>Invalid signature</msg>"
        b"<request_id>rx</request_id></error_response>"
    )
    with pytest.raises(SignatureError) as caught:
        decode_response(AlibabaIdleTenderPrePayActionResponse, body, "xml", 200)
    assert caught.value.code == 25
    assert caught.value.request_id == "rx"
    assert caught.value.raw_body == body.decode()
    assert caught.value.status_code == 200


@pytest.mark.parametrize("body", [b"<html>502 Bad Gateway</html>", b"{not json", b""])
def test_body_that_is_not_json_raises_response_error(body: bytes) -> None:
    """A body that is not JSON raises ResponseError carrying the raw text and status."""
    with pytest.raises(ResponseError) as caught:
        decode_response(AlibabaIdleTenderPrePayActionResponse, body, "json", 502)
    assert caught.value.raw == body.decode()
    assert caught.value.status_code == 502


@pytest.mark.parametrize("body", [b"[1, 2]", b'"text"', b"null", b"3"])
def test_json_that_is_not_an_object_raises_response_error(body: bytes) -> None:
    """A JSON body that is a list or a scalar raises ResponseError with the raw text."""
    with pytest.raises(ResponseError, match="not an object") as caught:
        decode_body(body, "json")
    assert caught.value.raw == body.decode()


def test_body_not_fitting_the_model_raises_response_error() -> None:
    """A body whose fields do not fit the model raises ResponseError naming the field."""
    body = json.dumps({RESPONSE_KEY: {"result": {"data": {"pre_pay_amount": "lots"}}}}).encode()
    with pytest.raises(ResponseError, match="pre_pay_amount") as caught:
        decode_response(AlibabaIdleTenderPrePayActionResponse, body, "json")
    assert caught.value.raw == body.decode()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<alibaba_idle_tender_pre_pay_action_response><request_id>&lol4;</request_id>
</alibaba_idle_tender_pre_pay_action_response>"""


def test_xml_entities_refused_not_expanded() -> None:
    """An XML body declaring entities (billion laughs) raises ResponseError, never expands."""
    with pytest.raises(ResponseError) as caught:
        decode_response(AlibabaIdleTenderPrePayActionResponse, BILLION_LAUGHS, "xml")
    assert caught.value.raw == BILLION_LAUGHS.decode()
    assert "lollol" not in str(caught.value)


@pytest.mark.parametrize(
    "body",
    [
        BILLION_LAUGHS,
        b'<!DOCTYPE r SYSTEM "http://example.invalid/r.dtd"><r>x</r>',
        b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
    ],
)
def test_parse_xml_refuses_dtds(body: bytes) -> None:
    """parse_xml refuses any DTD, internal or external, before reading an element."""
    with pytest.raises(XmlRefusedError):
        parse_xml(body)


def test_parse_xml_shapes() -> None:
    """parse_xml: leaves become text, repeated elements a list, a lone element stays single."""
    body = b"<r><a>1</a><b><c>x</c><c>y</c></b><d><c>z</c></d><e/></r>"
    assert parse_xml(body) == {"r": {"a": "1", "b": {"c": ["x", "y"]}, "d": {"c": "z"}, "e": ""}}


# --- list wrappers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"items": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]},
        {"items": {"item": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]}},
        {"items": {"item_d_o": [{"id": "1", "name": "a"}, {"id": "2", "name": "b"}]}},
    ],
    ids=["bare", "wrapped", "wrapped-odd-key"],
)
def test_list_of_objects_in_any_wrapping(data: dict[str, Any]) -> None:
    """A list of objects arrives bare or in TOP's {"<item>": [...]} wrapper."""
    listing = Listing.model_validate(data)
    assert listing.items == [Item(id=1, name="a"), Item(id=2, name="b")]


def test_list_wrapper_with_single_object() -> None:
    """A wrapper holding one object (one XML element) is a list of one."""
    listing = Listing.model_validate({"items": {"item": {"id": 7, "name": "x"}}})
    assert listing.items == [Item(id=7, name="x")]


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["a", "b"], ["a", "b"]),
        ({"string": ["a", "b"]}, ["a", "b"]),
        ({"string": "a"}, ["a"]),
        ("a", ["a"]),
        ("", []),
        (None, None),
    ],
)
def test_list_of_strings_in_any_wrapping(tags: Any, expected: list[str] | None) -> None:
    """A list of strings arrives bare, wrapped, as one string, or empty."""
    assert Listing.model_validate({"tags": tags}).tags == expected


def test_empty_list_of_objects() -> None:
    """An empty list element ("") is an empty list."""
    assert Listing.model_validate({"items": ""}).items == []


def test_list_wrappers_from_xml() -> None:
    """XML lists (repeated, single and empty elements) parse into the same lists."""
    body = (
        b"<listing_response><items><item><id>1</id><name>a</name></item>"
        b"<item><id>2</id><name>b</name></item></items>"
        b"<tags><string>a</string><string>b</string></tags></listing_response>"
    )
    listing = Listing.model_validate(parse_xml(body)["listing_response"])
    assert listing.items == [Item(id=1, name="a"), Item(id=2, name="b")]
    assert listing.tags == ["a", "b"]

    single = (
        b"<r><items><item><id>3</id><name>c</name></item></items>"
        b"<tags><string>t</string></tags></r>"
    )
    listing = Listing.model_validate(parse_xml(single)["r"])
    assert listing.items == [Item(id=3, name="c")]
    assert listing.tags == ["t"]

    empty = b"<r><items></items><tags/></r>"
    listing = Listing.model_validate(parse_xml(empty)["r"])
    assert listing.items == []
    assert listing.tags == []


def test_nested_list_wrappers() -> None:
    """Wrappers are unwrapped in nested models too."""

    class Page(ResponseModel):
        listing: Listing | None = None

    page = Page.model_validate(
        {"listing": {"items": {"item": {"id": 1}}, "tags": {"string": ["x"]}}}
    )
    assert page.listing == Listing(items=[Item(id=1)], tags=["x"])


# --- business result --------------------------------------------------------------------------


def _pre_pay(result: dict[str, Any] | None) -> AlibabaIdleTenderPrePayActionResponse:
    inner: dict[str, Any] = {"request_id": "r9"}
    if result is not None:
        inner["result"] = result
    body = json.dumps({RESPONSE_KEY: inner}, ensure_ascii=False).encode()
    return decode_response(AlibabaIdleTenderPrePayActionResponse, body, "json")


def test_business_failure_raises_business_error() -> None:
    """success=false in result: business_ok is False and raise_for_business raises its codes."""
    response = _pre_pay({"success": False, "error_code": "S_E_ERROR", "error_msg": "系统异常"})
    assert response.business_ok is False
    with pytest.raises(BusinessError) as caught:
        response.raise_for_business()
    assert caught.value.error_code == "S_E_ERROR"
    assert caught.value.error_message == "系统异常"
    assert caught.value.method == "alibaba.idle.tender.pre.pay.action"
    assert "S_E_ERROR" in str(caught.value)
    assert "系统异常" in str(caught.value)


def test_business_failure_from_xml() -> None:
    """A business failure in an XML body ("false" text) is recognised too."""
    body = (
        f"<{RESPONSE_KEY}><result><success>false</success><error_code>S_E_ERROR</error_code>"
        f"<error_msg>系统异常</error_msg></result></{RESPONSE_KEY}>"
    ).encode()
    response = decode_response(AlibabaIdleTenderPrePayActionResponse, body, "xml")
    assert response.business_ok is False
    with pytest.raises(BusinessError, match="S_E_ERROR"):
        response.raise_for_business()


def test_business_success_returns_self() -> None:
    """success=true: business_ok is True and raise_for_business returns the same object."""
    response = _pre_pay({"success": True, "data": {"order_id": "1"}})
    assert response.business_ok is True
    assert response.raise_for_business() is response


@pytest.mark.parametrize("result", [None, {"data": {"order_id": "1"}}])
def test_business_result_unknown(result: dict[str, Any] | None) -> None:
    """Without result (or its success flag) business_ok is None and nothing is raised."""
    response = _pre_pay(result)
    assert response.business_ok is None
    assert response.raise_for_business() is response


def test_response_without_business_result() -> None:
    """A response type with no business envelope never reports a business outcome."""
    response = decode_response(Echo, b'{"test_echo_response": {"value": "v"}}', "json")
    assert response.value == "v"
    assert response.business_ok is None
    assert response.raise_for_business() is response


def test_json_with_raw_control_characters_is_read() -> None:
    """A JSON body with raw tabs/newlines inside strings (TOP sends these, §3.3) still decodes."""
    body = f'{{"{RESPONSE_KEY}": {{"result": {{"success": false, "error_msg": "行1\n\t行2"}}}}}}'
    try:
        response = decode_response(AlibabaIdleTenderPrePayActionResponse, body.encode(), "json")
    except ResponseError as exc:
        pytest.fail(
            "topapi bug: decode_response refused a JSON body whose string holds a raw newline "
            f"and tab ({exc}); TOP is known to send such bodies (top-protocol.md §3.3) and the "
            "call has already executed on TOP's side. Expected the body to decode, e.g. with "
            "json.loads(..., strict=False)."
        )
    assert response.result is not None
    assert response.result.error_msg == "行1\n\t行2"
