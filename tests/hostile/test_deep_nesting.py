"""Answers nested 100 000 deep: a ResponseError keeping the raw body, quickly."""

from __future__ import annotations

import time

import pytest

from topapi import ResponseError

from ..topserver import SESSION, Action, ScriptedGateway
from .conftest import client, command

DEPTH = 100_000
ROOT = "alibaba_idle_tender_pre_pay_action_response"
DEEP_JSON = (f'{{"{ROOT}": {{"result": ' + "[" * DEPTH + "]" * DEPTH + "}}").encode()
DEEP_XML = (f"<{ROOT}><result>" + "<a>" * DEPTH + "</a>" * DEPTH + f"</result></{ROOT}>").encode()


@pytest.mark.parametrize(("fmt", "body"), [("json", DEEP_JSON), ("xml", DEEP_XML)])
def test_deeply_nested_answer_is_a_response_error(
    gateway: ScriptedGateway, fmt: str, body: bytes
) -> None:
    """Not a bare RecursionError: a ResponseError with the body, in well under a second."""
    gateway.script.append(Action(body=body))
    with client(gateway, format=fmt) as top:
        started = time.monotonic()
        with pytest.raises(ResponseError) as caught:
            top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
        assert time.monotonic() - started < 2.0
    assert caught.value.raw == body.decode()
    assert "deep" in str(caught.value)
    assert len(str(caught.value)) < 1000
