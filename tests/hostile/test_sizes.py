"""Huge values and huge bodies: error messages quote a bounded part, bodies are capped."""

from __future__ import annotations

import json

import pytest

from topapi import ResponseError, TopError, UsageError

from ..topserver import SESSION, Action, ScriptedGateway
from .conftest import client, command

ROOT = "alibaba_idle_tender_pre_pay_action_response"
HUGE = "x" * 5_000_000
MESSAGE_LIMIT = 1000


def test_huge_wrong_value_in_an_answer_gives_a_short_message(gateway: ScriptedGateway) -> None:
    """A 5 MB value that does not fit its field is quoted in a bounded message; raw has it."""
    body = {ROOT: {"result": {"data": {"pre_pay_amount": HUGE}}}}
    gateway.script.append(Action(body=json.dumps(body).encode()))
    with client(gateway) as top, pytest.raises(ResponseError) as caught:
        top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
    assert len(str(caught.value)) < MESSAGE_LIMIT
    assert "pre_pay_amount" in str(caught.value) and "..." in str(caught.value)
    assert HUGE in caught.value.raw


def test_huge_error_response_texts_give_a_short_message(gateway: ScriptedGateway) -> None:
    """A huge msg or a huge non-numeric code from TOP: the message stays short."""
    gateway.script.append(Action(body={"error_response": {"code": 7, "msg": HUGE}}))
    gateway.script.append(Action(body={"error_response": {"code": HUGE}}))
    with client(gateway) as top:
        with pytest.raises(TopError) as top_error:
            top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
        with pytest.raises(ResponseError) as response_error:
            top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
    assert len(str(top_error.value)) < MESSAGE_LIMIT
    assert len(str(response_error.value)) < MESSAGE_LIMIT


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_body_larger_than_max_body_size_is_refused(gateway: ScriptedGateway, chunked: bool) -> None:
    """Past max_body_size the answer is a BodyTooLargeError (a ResponseError), not read whole."""
    from topapi import BodyTooLargeError  # noqa: PLC0415 (absent before the cap)

    gateway.script.append(Action(body=b"z" * 40_000, chunked=chunked, repeat=4))
    with client(gateway, max_body_size=10_000) as top, pytest.raises(BodyTooLargeError) as caught:
        top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
    assert isinstance(caught.value, ResponseError)
    assert "max_body_size" in str(caught.value)
    assert len(caught.value.raw) <= 64 * 1024


def test_max_body_size_has_a_generous_default_and_is_checked(
    gateway: ScriptedGateway,
) -> None:
    """64 MiB unless told; a size below 1 is refused at construction."""
    assert client(gateway).max_body_size == 64 * 1024 * 1024
    with pytest.raises(UsageError, match="max_body_size"):
        client(gateway, max_body_size=0)
