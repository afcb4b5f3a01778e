"""Request signing and system parameters, against the vectors of top-protocol.md §2.2."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from topapi import TopClient, TopFile
from topapi._envelope import SignMethod
from topapi._sign import sign, string_to_sign
from topapi.apis.alibaba_idle_isv_media_upload import AlibabaIdleIsvMediaUploadRequest
from topapi.apis.alibaba_idle_tender_pre_pay_action import (
    AlibabaIdleTenderPrePayActionRequest,
    TenderPrePayCmd,
)

V0_PARAMS = {
    "method": "taobao.user.seller.get",
    "timestamp": "2013-05-06 13:52:03",
    "format": "xml",
    "app_key": "test",
    "v": "2.0",
    "fields": "nick",
    "sign_method": "md5",
    "session": "test",
}

V1_PARAM0 = '{"order_id":"1234567890","pre_pay_no":"2024010122001","pre_pay_action":2}'
V1_SIGNS: dict[SignMethod, str] = {
    "md5": "45789DDF76D202CB896A30E4D836C55E",
    "hmac": "1A8DC0CB5F5190BB0FACD3409E85196E",
    "hmac-sha256": "F62ABDEDBD033B26F78897AB21EE42D5C863147A6B7DD4FF2E33D7AF7DA5C57F",
}
V1_STRING_TO_SIGN = (
    "app_key12345678formatjsonmethodalibaba.idle.tender.pre.pay.action"
    'param0{"order_id":"1234567890","pre_pay_no":"2024010122001","pre_pay_action":2}'
    "sessiontest-sessionsign_methodmd5simplifytruetimestamp2024-01-01 12:00:00v2.0"
)

V2_SIGNS: dict[SignMethod, str] = {
    "md5": "E5A8313C86DFEE3E84BDBED6BF2151E3",
    "hmac": "11FF7A64905268205468C3BA8B414BFA",
    "hmac-sha256": "5139539C84F03AD634BEB04AF6705064C94B05E6E3EBEE7B456C2DF8D316F2FF",
}
V2_STRING_TO_SIGN = (
    "app_key23456789formatjsonmethodalibaba.idle.isv.media.upload"
    "name测试图片.jpgpartner_idpytop-gensign_methodmd5timestamp2024-06-30 23:59:59type0v2.0"
)
PNG = b"\x89PNG\r\n\x1a\n fake image bytes"

METHODS: list[SignMethod] = ["md5", "hmac", "hmac-sha256"]


def v1_params(method: SignMethod) -> dict[str, str]:
    """The V1 parameters, signed with `method`."""
    return {
        "app_key": "12345678",
        "format": "json",
        "v": "2.0",
        "method": "alibaba.idle.tender.pre.pay.action",
        "timestamp": "2024-01-01 12:00:00",
        "simplify": "true",
        "session": "test-session",
        "param0": V1_PARAM0,
        "sign_method": method,
    }


def v2_params(method: SignMethod) -> dict[str, str]:
    """The V2 text parameters (the `data` file part is not among them), signed with `method`."""
    return {
        "app_key": "23456789",
        "format": "json",
        "v": "2.0",
        "method": "alibaba.idle.isv.media.upload",
        "timestamp": "2024-06-30 23:59:59",
        "partner_id": "pytop-gen",
        "name": "测试图片.jpg",
        "type": "0",
        "sign_method": method,
    }


def pre_pay_request() -> AlibabaIdleTenderPrePayActionRequest:
    """The request of V1."""
    return AlibabaIdleTenderPrePayActionRequest(
        param0=TenderPrePayCmd(order_id="1234567890", pre_pay_no="2024010122001", pre_pay_action=2)
    )


def upload_request() -> AlibabaIdleIsvMediaUploadRequest:
    """The request of V2, with a file part."""
    return AlibabaIdleIsvMediaUploadRequest(
        data=TopFile(PNG, "测试图片.jpg", "image/jpeg"), name="测试图片.jpg", type=0
    )


@pytest.fixture
def make_client() -> Iterator[type[TopClient]]:
    """TopClient, with every client made through it closed at the end of the test."""
    made: list[TopClient] = []

    class ClosingClient(TopClient):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            made.append(self)

    yield ClosingClient
    for client in made:
        client.close()


def test_v0_documented_example() -> None:
    """The documented md5 example of the old TOP docs signs to its published value."""
    assert sign(V0_PARAMS, "test", "md5") == "72CB4D809B375A54502C09360D879C64"


def test_v1_string_to_sign() -> None:
    """V1's string to sign is every parameter by sorted key, key+value, no separators."""
    assert string_to_sign(v1_params("md5")) == V1_STRING_TO_SIGN


def test_v2_string_to_sign_keeps_non_ascii_raw() -> None:
    """V2's string to sign holds the Chinese file name as is, not url-encoded."""
    assert string_to_sign(v2_params("md5")) == V2_STRING_TO_SIGN


def test_string_to_sign_leaves_out_sign() -> None:
    """An existing `sign` parameter is not part of what is signed."""
    params = {**v1_params("md5"), "sign": "OLD"}
    assert string_to_sign(params) == V1_STRING_TO_SIGN


@pytest.mark.parametrize("method", METHODS)
def test_v1_sign_of_raw_params(method: SignMethod) -> None:
    """V1 (object parameter) signs to the cross-checked value with each sign method."""
    assert sign(v1_params(method), "helloworld", method) == V1_SIGNS[method]


@pytest.mark.parametrize("method", METHODS)
def test_v2_sign_of_raw_params(method: SignMethod) -> None:
    """V2 (non-ASCII value, file left out) signs to the cross-checked value with each method."""
    assert sign(v2_params(method), "s3cr3t", method) == V2_SIGNS[method]


def test_sign_refuses_unknown_method() -> None:
    """A sign method TOP does not know is refused rather than silently signed some other way."""
    with pytest.raises(ValueError, match="sha1"):
        sign(v1_params("md5"), "helloworld", "sha1")  # type: ignore[arg-type]


@pytest.mark.parametrize("method", METHODS)
def test_v1_end_to_end_through_client(method: SignMethod, make_client: type[TopClient]) -> None:
    """TopClient.signed_params of the V1 request gives V1's parameters and signature."""
    client = make_client("12345678", "helloworld", sign_method=method, simplify=True)
    params = client.signed_params(
        pre_pay_request(), session="test-session", timestamp=datetime(2024, 1, 1, 12, 0, 0)
    )
    assert params["sign"] == V1_SIGNS[method]
    assert params == {**v1_params(method), "sign": V1_SIGNS[method]}


@pytest.mark.parametrize("method", METHODS)
def test_v2_end_to_end_through_client(method: SignMethod, make_client: type[TopClient]) -> None:
    """TopClient.signed_params of the V2 upload gives V2's text parameters, without the file."""
    client = make_client("23456789", "s3cr3t", partner_id="pytop-gen", sign_method=method)
    params = client.signed_params(upload_request(), timestamp=datetime(2024, 6, 30, 23, 59, 59))
    assert "data" not in params
    assert params["sign"] == V2_SIGNS[method]
    assert params == {**v2_params(method), "sign": V2_SIGNS[method]}


def test_prepare_sends_file_as_unsigned_part(make_client: type[TopClient]) -> None:
    """prepare() puts the file in `.files` with its name and type, and signs the text fields."""
    client = make_client("23456789", "s3cr3t", partner_id="pytop-gen", sign_method="md5")
    call = client.prepare(upload_request())
    assert call.method == "alibaba.idle.isv.media.upload"
    assert call.files == {"data": ("测试图片.jpg", PNG, "image/jpeg")}
    assert "data" not in call.data
    assert call.data["name"] == "测试图片.jpg"
    unsigned = {key: value for key, value in call.data.items() if key != "sign"}
    assert call.data["sign"] == sign(unsigned, "s3cr3t", "md5")


def test_prepare_sends_raw_bytes_as_file(make_client: type[TopClient]) -> None:
    """Bare bytes for a file parameter become a part named after the parameter."""
    client = make_client("23456789", "s3cr3t")
    call = client.prepare(AlibabaIdleIsvMediaUploadRequest(data=PNG, name="a.png", type=0))
    assert call.files == {"data": ("data", PNG, "application/octet-stream")}
    assert "data" not in call.data


def test_prepare_without_file_has_no_parts(make_client: type[TopClient]) -> None:
    """A call without file parameters has no multipart parts."""
    client = make_client("12345678", "helloworld")
    call = client.prepare(pre_pay_request(), session="test-session")
    assert call.files == {}
    assert call.data["param0"] == V1_PARAM0


_TIMESTAMP_SCRIPT = """
import time
from datetime import datetime
from topapi import TopClient
from topapi.apis.alibaba_idle_isv_media_upload import AlibabaIdleIsvMediaUploadRequest

client = TopClient("k", "s")
params = client.signed_params(AlibabaIdleIsvMediaUploadRequest(data=b"x", name="n", type=0))
client.close()
print(time.strftime("%z"))
print(datetime.now().strftime("%Y-%m-%d %H:%M:%S"))
print(params["timestamp"])
"""


@pytest.mark.parametrize(
    ("zone", "offsets"),
    [("America/Los_Angeles", {"-0800", "-0700"}), ("Asia/Kolkata", {"+0530"})],
)
def test_default_timestamp_is_shanghai_time_whatever_the_host_zone(
    zone: str, offsets: set[str]
) -> None:
    """With the host in another zone, the default timestamp is still GMT+8 (UTC now + 8 h)."""
    result = subprocess.run(
        [sys.executable, "-c", _TIMESTAMP_SCRIPT],
        env={**os.environ, "TZ": zone},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    offset, local_now, stamp = result.stdout.split("\n")[:3]
    # The subprocess really ran in `zone`: its local clock is hours away from GMT+8.
    assert offset in offsets, f"TZ={zone} was not honoured in the subprocess: {offset}"
    expected = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=8)
    local = datetime.strptime(local_now, "%Y-%m-%d %H:%M:%S")
    assert abs((local - expected).total_seconds()) > 3600
    sent = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S")
    assert abs((sent - expected).total_seconds()) < 120, (
        f"TZ={zone}: timestamp {stamp!r} is not GMT+8 (expected about {expected})"
    )


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2024, 1, 1, 4, 0, 0, tzinfo=UTC),
        datetime(2023, 12, 31, 20, 0, 0, tzinfo=timezone(timedelta(hours=-8))),
        datetime(2024, 1, 1, 12, 0, 0, tzinfo=timezone(timedelta(hours=8))),
    ],
)
def test_aware_timestamp_is_converted_to_gmt8(
    moment: datetime, make_client: type[TopClient]
) -> None:
    """An aware timestamp is sent as its GMT+8 wall time, and that is what is signed."""
    client = make_client("12345678", "helloworld", sign_method="md5", simplify=True)
    params = client.signed_params(pre_pay_request(), session="test-session", timestamp=moment)
    assert params["timestamp"] == "2024-01-01 12:00:00"
    assert params["sign"] == V1_SIGNS["md5"]


def test_naive_timestamp_is_sent_as_given(make_client: type[TopClient]) -> None:
    """A naive timestamp is taken to be GMT+8 already and sent unchanged."""
    client = make_client("12345678", "helloworld")
    params = client.signed_params(
        pre_pay_request(), session="s", timestamp=datetime(2024, 2, 29, 0, 0, 1)
    )
    assert params["timestamp"] == "2024-02-29 00:00:01"


@pytest.mark.parametrize("session", [None, "", "   "])
def test_empty_system_values_are_left_out(
    session: str | None, make_client: type[TopClient]
) -> None:
    """No session, partner_id, target_app_key or simplify: none of them is sent or signed."""
    client = make_client("23456789", "s3cr3t", sign_method="md5", partner_id="", simplify=False)
    params = client.signed_params(
        upload_request(), session=session, timestamp=datetime(2024, 6, 30, 23, 59, 59)
    )
    assert set(params) == {
        "method",
        "app_key",
        "timestamp",
        "v",
        "sign_method",
        "format",
        "name",
        "type",
        "sign",
    }
    without_partner = {k: v for k, v in v2_params("md5").items() if k != "partner_id"}
    assert params == {**without_partner, "sign": sign(without_partner, "s3cr3t", "md5")}


def test_simplify_false_is_not_sent(make_client: type[TopClient]) -> None:
    """simplify=False leaves `simplify` out (TOP's default), simplify=True sends "true"."""
    plain = make_client("k", "s").signed_params(pre_pay_request(), session="x")
    simple = make_client("k", "s", simplify=True).signed_params(pre_pay_request(), session="x")
    assert "simplify" not in plain
    assert simple["simplify"] == "true"


def test_target_app_key_is_sent_and_signed(make_client: type[TopClient]) -> None:
    """A target_app_key given to the client is a signed system parameter."""
    client = make_client("k", "s", sign_method="md5", target_app_key="999")
    params = client.signed_params(pre_pay_request(), session="x")
    assert params["target_app_key"] == "999"
    unsigned = {key: value for key, value in params.items() if key != "sign"}
    assert params["sign"] == sign(unsigned, "s", "md5")


def test_required_session_is_enforced(make_client: type[TopClient]) -> None:
    """An API that needs the user's session refuses to sign a call without one."""
    client = make_client("12345678", "helloworld")
    with pytest.raises(ValueError, match="session"):
        client.signed_params(pre_pay_request())


def test_secret_never_shown(make_client: type[TopClient]) -> None:
    """Neither repr(client), str(client) nor its attributes show the app secret."""
    secret = "Sup3r-S3cret-Value"
    client = make_client("12345678", secret)
    assert secret not in repr(client)
    assert secret not in str(client)
    assert secret not in repr(vars(client))
    assert "12345678" in repr(client)


def test_prepared_call_repr_hides_session_and_sign(make_client: type[TopClient]) -> None:
    """repr of a prepared call hides the session key and the signature."""
    client = make_client("12345678", "helloworld")
    call = client.prepare(pre_pay_request(), session="user-session-key")
    text = repr(call)
    assert "user-session-key" not in text
    assert call.data["sign"] not in text
    assert "alibaba.idle.tender.pre.pay.action" in text
