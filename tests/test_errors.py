"""TOP's error_response mapped to exception classes, and which errors are retried and when."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Iterator
from typing import Any

import pytest

from topapi import (
    AuthorizationError,
    BusinessError,
    InvalidArgumentError,
    ResponseError,
    ServerError,
    SignatureError,
    ThrottledError,
    TopapiError,
    TopClient,
    TopError,
    TransportError,
)
from topapi._codec import decode_response
from topapi.apis.alibaba_idle_tender_pre_pay_action import (
    AlibabaIdleTenderPrePayActionResponse,
)

SAMPLES = 300


def error(code: Any, sub_code: str | None = None, **extra: Any) -> TopError:
    """The TopError of an error_response payload."""
    payload: dict[str, Any] = {"code": code, "msg": "Remote service error", **extra}
    if sub_code is not None:
        payload["sub_code"] = sub_code
    return TopError.from_payload(payload)


# --- classification ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "sub_code", "expected"),
    [
        (7, None, ThrottledError),
        (7, "accesscontrol.limited-by-app-access-count", ThrottledError),
        (15, "accesscontrol.limited-by-api-access-count", ThrottledError),
        (26, None, AuthorizationError),
        (27, "invalid-sessionkey", AuthorizationError),
        (11, "isv.permission-api-package-empty", AuthorizationError),
        (12, None, AuthorizationError),
        (13, None, AuthorizationError),
        (25, None, SignatureError),
        (31, None, SignatureError),
        (40, None, InvalidArgumentError),
        (41, None, InvalidArgumentError),
        (43, None, InvalidArgumentError),
        (50, "isv.invalid-parameter", InvalidArgumentError),
        (15, "isv.MOBILE_NUMBER_ILLEGAL", InvalidArgumentError),
        (15, "isp.top-remote-connection-timeout", ServerError),
        (10, None, ServerError),
    ],
)
def test_error_class_by_code_and_sub_code(
    code: int, sub_code: str | None, expected: type[TopError]
) -> None:
    """from_payload picks the subclass the code and sub_code call for."""
    found = error(code, sub_code)
    assert type(found) is expected
    assert found.code == code
    assert found.sub_code == sub_code


def test_unclassified_code_is_plain_top_error() -> None:
    """Code 50 without a sub_code is a plain TopError."""
    found = error(50)
    assert type(found) is TopError
    assert isinstance(found, TopapiError)


@pytest.mark.parametrize(("code", "expected"), [("50", 50), (" 7 ", 7), ("25", 25)])
def test_code_as_text_is_a_number(code: str, expected: int) -> None:
    """A code arriving as text (XML) is read as a number and classified as one."""
    found = error(code)
    assert found.code == expected
    assert isinstance(found.code, int)
    assert type(found) is type(error(expected))


@pytest.mark.parametrize("code", [None, "abc", "", True, 7.5, [7]])
def test_no_numeric_code_is_response_error(code: Any) -> None:
    """An error_response without a numeric code is a ResponseError, not a TopError."""
    payload = {"msg": "x"} if code is None else {"code": code, "msg": "x"}
    with pytest.raises(ResponseError, match="numeric code") as caught:
        TopError.from_payload(payload)
    assert "'msg': 'x'" in caught.value.raw


@pytest.mark.parametrize("code", ["²", "--5"], ids=["superscript-two", "double-minus"])
def test_malformed_digit_code_is_response_error(code: str) -> None:
    """A code int() cannot read ("²", "--5") raises ResponseError from decode, not ValueError."""
    body = json.dumps({"error_response": {"code": code, "msg": "x"}}).encode()
    try:
        decode_response(AlibabaIdleTenderPrePayActionResponse, body, "json")
    except ResponseError:
        pass
    except ValueError as exc:
        pytest.fail(
            f"topapi bug: an error_response with code {code!r} made decode_response raise a "
            f"bare {type(exc).__name__} ({exc}) outside TopapiError; expected ResponseError. "
            "TopError.from_payload tests code.strip().lstrip('-').isdigit(), which accepts "
            "non-decimal digits and repeated minus signs that int() refuses."
        )
    else:
        pytest.fail(f"decode_response accepted an error_response with code {code!r}")


@pytest.mark.parametrize(
    "failure",
    [
        TopError(15, "Remote service error", "isp.x", "超时", "r1"),
        ThrottledError(7, "App Call Limited", None, "This ban will last for 3 more seconds"),
        BusinessError("alibaba.idle.tender.pre.pay.action", "S_E_ERROR", "系统异常"),
        ResponseError("not JSON", raw="<html>", status_code=502),
        TransportError("read timeout", sent=True),
    ],
    ids=lambda failure: type(failure).__name__,
)
def test_errors_survive_pickle_and_copy(failure: TopapiError) -> None:
    """Every error round-trips through pickle and copy (process pools, task queues, loggers)."""
    try:
        restored = pickle.loads(pickle.dumps(failure))
        copied = copy.copy(failure)
    except TypeError as exc:
        pytest.fail(
            f"topapi bug: {type(failure).__name__} cannot be unpickled/copied: {exc}. "
            "Its __init__ takes arguments other than the message in self.args, so "
            "BaseException.__reduce__ cannot rebuild it; define __reduce__ (or keep every "
            "constructor argument in args)."
        )
    for other in (restored, copied):
        assert type(other) is type(failure)
        assert vars(other) == vars(failure)
        assert str(other) == str(failure)


def test_fields_are_kept() -> None:
    """from_payload keeps msg, sub_code, sub_msg and request_id; sub_msg may be absent."""
    found = error(15, "isp.x", sub_msg="后端超时", request_id="r1")
    assert (found.msg, found.sub_code, found.sub_msg, found.request_id) == (
        "Remote service error",
        "isp.x",
        "后端超时",
        "r1",
    )
    bare = error(10)
    assert (bare.sub_code, bare.sub_msg, bare.request_id) == (None, None, None)


def test_str_and_repr_describe_the_error() -> None:
    """str() mentions code, msg, sub_code and sub_msg; repr() shows every field."""
    found = error(15, "isv.MOBILE_NUMBER_ILLEGAL", sub_msg="号码格式错误", request_id="rxn0")
    text = str(found)
    for part in ("15", "Remote service error", "isv.MOBILE_NUMBER_ILLEGAL", "号码格式错误"):
        assert part in text
    assert repr(found) == (
        "InvalidArgumentError(code=15, msg='Remote service error', "
        "sub_code='isv.MOBILE_NUMBER_ILLEGAL', sub_msg='号码格式错误', request_id='rxn0')"
    )


# --- throttling -------------------------------------------------------------------------------


def test_ban_seconds_from_sub_msg() -> None:
    """ThrottledError reads the ban length from "This ban will last for N more seconds"."""
    found = TopError.from_payload(
        {"code": 7, "msg": "App Call Limited", "sub_msg": "This ban will last for 12 more seconds"}
    )
    assert isinstance(found, ThrottledError)
    assert found.ban_seconds == 12


def test_ban_seconds_from_msg() -> None:
    """The ban length is also found in msg when sub_msg does not state it."""
    found = TopError.from_payload(
        {"code": 7, "msg": "App Call Limited, This ban will last for 1 more second"}
    )
    assert isinstance(found, ThrottledError)
    assert found.ban_seconds == 1


@pytest.mark.parametrize("sub_msg", [None, "", "调用频率超限", "ban for a while"])
def test_ban_seconds_unknown(sub_msg: str | None) -> None:
    """Without a stated ban length, ban_seconds is None."""
    payload: dict[str, Any] = {"code": 7, "msg": "App Call Limited"}
    if sub_msg is not None:
        payload["sub_msg"] = sub_msg
    found = TopError.from_payload(payload)
    assert isinstance(found, ThrottledError)
    assert found.ban_seconds is None


# --- retry policy -----------------------------------------------------------------------------


@pytest.fixture
def client() -> Iterator[TopClient]:
    """A client allowing 2 retries, 10 ms base backoff, at most 0.5 s between attempts."""
    made = TopClient("k", "s", max_retries=2, retry_backoff=0.01, max_retry_wait=0.5)
    yield made
    made.close()


def delays(client: TopClient, failure: TopapiError, attempt: int) -> list[float | None]:
    """Many samples of the retry delay after `failure` at `attempt` (the backoff is jittered)."""
    return [client._retry_delay(failure, attempt, None) for _ in range(SAMPLES)]


def test_server_error_retried_up_to_max_retries(client: TopClient) -> None:
    """An isp.* error is retried after attempts 0 and 1, and never after attempt 2."""
    failure = error(15, "isp.top-remote-connection-timeout")
    for attempt in (0, 1):
        delay = client._retry_delay(failure, attempt, None)
        assert isinstance(delay, float), f"attempt {attempt}: {delay!r}"
        assert delay > 0
    assert client._retry_delay(failure, 2, None) is None
    assert client._retry_delay(failure, 3, None) is None


def test_per_call_max_retries_overrides(client: TopClient) -> None:
    """max_retries given per call replaces the client's: 0 means no retry, 5 allows attempt 2."""
    failure = error(15, "isp.top-remote-service-unavailable")
    assert client._retry_delay(failure, 0, 0) is None
    assert isinstance(client._retry_delay(failure, 2, 5), float)
    assert client._retry_delay(failure, 5, 5) is None


@pytest.mark.parametrize(
    "failure",
    [
        error(15, "isv.invalid-parameter"),
        error(10),
        error(50),
        error(27),
        error(25),
        error(41),
    ],
    ids=["isv", "code10-no-sub-code", "code50", "session-expired", "signature", "argument"],
)
def test_caller_and_unknown_errors_not_retried(client: TopClient, failure: TopError) -> None:
    """Errors that are not isp.*, throttling or unsent transport are never retried."""
    assert client._retry_delay(failure, 0, None) is None


def test_throttled_waits_the_ban_capped(client: TopClient) -> None:
    """A throttled call waits the ban TOP states, capped at max_retry_wait."""
    banned = TopError.from_payload(
        {"code": 7, "msg": "App Call Limited", "sub_msg": "This ban will last for 12 more seconds"}
    )
    assert client._retry_delay(banned, 0, None) == 0.5
    assert client._retry_delay(banned, 2, None) is None


def test_throttled_short_ban_waits_exactly() -> None:
    """A ban shorter than max_retry_wait is waited in full."""
    roomy = TopClient("k", "s", max_retries=1, max_retry_wait=30.0)
    try:
        banned = TopError.from_payload(
            {
                "code": 7,
                "msg": "App Call Limited",
                "sub_msg": "This ban will last for 3 more seconds",
            }
        )
        assert roomy._retry_delay(banned, 0, None) == 3.0
    finally:
        roomy.close()


def test_throttled_without_ban_backs_off(client: TopClient) -> None:
    """A throttled call with no stated ban waits the ordinary backoff."""
    throttled = error(15, "accesscontrol.limited-by-api-access-count")
    for delay in delays(client, throttled, 0):
        assert delay is not None
        assert 0.005 <= delay <= 0.01


def test_unsent_transport_error_retried(client: TopClient) -> None:
    """A transport failure before the request left is retried."""
    failure = TransportError("connect failed", sent=False)
    assert isinstance(client._retry_delay(failure, 0, None), float)
    assert client._retry_delay(failure, 2, None) is None


def test_sent_transport_error_not_retried(client: TopClient) -> None:
    """A transport failure after the request may have reached TOP is never retried."""
    failure = TransportError("read timeout", sent=True)
    assert client._retry_delay(failure, 0, None) is None


def test_backoff_grows_with_jitter(client: TopClient) -> None:
    """Backoff is base * 2**attempt times a jitter in [0.5, 1]: attempt 1 waits longer than 0."""
    failure = error(15, "isp.top-remote-unknown-error")
    first = [d for d in delays(client, failure, 0) if d is not None]
    second = [d for d in delays(client, failure, 1) if d is not None]
    assert len(first) == len(second) == SAMPLES
    assert all(0.005 <= d <= 0.01 for d in first), (min(first), max(first))
    assert all(0.01 <= d <= 0.02 for d in second), (min(second), max(second))
    assert max(first) <= min(second)
    assert sum(second) / SAMPLES > 1.5 * sum(first) / SAMPLES
    assert len(set(first)) > 1, "the backoff is not jittered"


def test_backoff_capped_at_max_retry_wait() -> None:
    """A late attempt's backoff never exceeds max_retry_wait."""
    patient = TopClient("k", "s", max_retries=20, retry_backoff=0.01, max_retry_wait=0.5)
    try:
        failure = TransportError("connect failed", sent=False)
        for delay in delays(patient, failure, 15):
            assert delay is not None
            assert 0.25 <= delay <= 0.5
    finally:
        patient.close()


def test_negative_max_retries_refused() -> None:
    """A negative max_retries is refused when the client is made."""
    with pytest.raises(ValueError, match="max_retries"):
        TopClient("k", "s", max_retries=-1)
