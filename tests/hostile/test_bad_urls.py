"""Gateway URLs httpx cannot call: a UsageError at construction, never an httpx error."""

from __future__ import annotations

import pytest

from topapi import TopapiError, TopClient, TransportError, UsageError

from ..topserver import APP_KEY, APP_SECRET, SESSION
from .conftest import command

BAD_URLS = [
    "http://[::1/router/rest",
    "http://gw:notaport/router/rest",
    "http://gw:99999/router/rest",
    "ftp://gw/router/rest",
    "gw.example/router/rest",
    "",
    "http:///router/rest",
    "http://g w/router/rest",
    "http://gw\x00/router/rest",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_gateway_is_refused_at_construction(url: str) -> None:
    """Each is a UsageError (a TopapiError) naming the gateway, before any call."""
    with pytest.raises(UsageError, match="gateway"):
        TopClient(APP_KEY, APP_SECRET, gateway=url)


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_gateway_set_later_is_refused(url: str) -> None:
    """Setting the gateway attribute is checked the same way."""
    top = TopClient(APP_KEY, APP_SECRET, gateway="http://127.0.0.1:9/router/rest")
    with pytest.raises(UsageError, match="gateway"):
        top.gateway = url


def test_unreachable_gateway_is_not_sent() -> None:
    """A refused connection (port 9 on loopback): a TransportError with sent=False."""
    top = TopClient(APP_KEY, APP_SECRET, gateway="http://127.0.0.1:9/r", timeout=5)
    with top, pytest.raises(TransportError) as caught:
        top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
    assert caught.value.sent is False
    assert isinstance(caught.value, TopapiError)


def test_surrogate_and_bogus_sign_method_are_typed() -> None:
    """Already on main: a lone surrogate and sign_method="bogus" are UsageErrors."""
    with pytest.raises(UsageError):
        TopClient(APP_KEY, APP_SECRET, sign_method="bogus")  # type: ignore[arg-type]
    top = TopClient(APP_KEY, APP_SECRET, gateway="http://127.0.0.1:9/r")
    with top, pytest.raises(UsageError):
        top.alibaba_idle_tender_pre_pay_action(param0=command(), session="\ud800")
