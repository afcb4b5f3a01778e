"""A call that breaks a documented limit is refused before it is sent, and by the sandbox.

The fixture's `topgen.fixture.limits.check` has every kind of limit. Its generated topapi runs
in a fresh interpreter (tests/fixture/generated), against tests/topserver.py, which records
every request that arrives (so a refused call shows nothing arrived), and against topgen's
sandbox with the client's check off (so the sandbox's own refusal is seen).
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

import pytest

from .conftest import FIXTURE_GENERATED, FIXTURE_SPECS, REPO, run_python

FIELD_OF_CASE = {
    "text longer than maxLength": "title",
    "file larger than maxLength": "data",
    "comma-joined list over maxItems": "tags",
    "items with commas over maxItems": "tags",
    "list of objects over maxItems": "windows",
    "number under minimum": "page_size",
    "number over maximum": "page_size",
    "price under minimum": "price",
    "nested number under minimum": "windows[0].low",
}

SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys
    from decimal import Decimal
    sys.path.insert(0, {repo!r})
    import topapi
    from topapi import AsyncTopClient, TopClient, TopapiError
    from topapi.testing import sandbox
    from topapi.apis.topgen_fixture_limits_check import (
        TopgenFixtureLimitsCheckRequest as Check, Window)
    from tests.topserver import APP_KEY, APP_SECRET, scripted_gateway

    assert topapi.__file__.startswith({generated!r}), topapi.__file__
    CASES = {{
        "text longer than maxLength": dict(title="x" * 9),
        "file larger than maxLength": dict(title="t", data=b"x" * 17),
        "comma-joined list over maxItems": dict(title="t", tags=["a", "b", "c", "d"]),
        "items with commas over maxItems": dict(title="t", tags=["a,b", "c", "d"]),
        "list of objects over maxItems": dict(title="t", windows=[Window(low=1)] * 3),
        "number under minimum": dict(title="t", page_size=0),
        "number over maximum": dict(title="t", page_size=101),
        "price under minimum": dict(title="t", price=Decimal("0.001")),
        "nested number under minimum": dict(title="t", windows=[Window(low=-1)]),
    }}

    def outcome(call):
        try:
            response = call()
        except TopapiError as error:
            return {{"error": type(error).__name__, "code": getattr(error, "code", None),
                     "sub_code": getattr(error, "sub_code", None),
                     "sub_msg": getattr(error, "sub_msg", None), "text": str(error)}}
        return {{"echo": getattr(response, "echo", None)}}

    found = {{"client": {{}}, "sandbox": {{}}}}
    with scripted_gateway() as gateway, TopClient(APP_KEY, APP_SECRET, gateway=gateway.url) as top:
        for name, arguments in CASES.items():
            found["client"][name] = outcome(lambda: top.topgen_fixture_limits_check(**arguments))
        found["arrived_after_refusals"] = len(gateway.received)

        async def refused_async():
            async with AsyncTopClient(APP_KEY, APP_SECRET, gateway=gateway.url) as client:
                try:
                    await client.topgen_fixture_limits_check(title="x" * 9)
                except TopapiError as error:
                    return type(error).__name__
            return "sent"
        found["async"] = asyncio.run(refused_async())
        found["arrived_after_async"] = len(gateway.received)
        found["batch"] = outcome(lambda: top.batch([Check(title="ok"), Check(title="x" * 9)]))
        found["arrived_after_batch"] = len(gateway.received)

        outcome(lambda: top.topgen_fixture_limits_check(title="ok"))
        found["defaults_sent"] = gateway.received[-1].params

        outcome(lambda: top.topgen_fixture_limits_check(title="x" * 9, check=False))
        found["unchecked_call_sent"] = gateway.received[-1].params.get("title")
        with TopClient(APP_KEY, APP_SECRET, gateway=gateway.url, check=False) as unchecked:
            outcome(lambda: unchecked.topgen_fixture_limits_check(title="y" * 9))
        found["unchecked_client_sent"] = gateway.received[-1].params.get("title")
        found["arrived_at_the_end"] = len(gateway.received)

    with sandbox({specs!r}, check=False) as session:
        client = session.client
        for name, arguments in CASES.items():
            found["sandbox"][name] = outcome(
                lambda: client.topgen_fixture_limits_check(**arguments)
            )
        found["sandbox_ok"] = outcome(lambda: client.topgen_fixture_limits_check(title="ok"))
    print(json.dumps(found))
    """
)


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Any]:
    """What each call came to, in the fixture's topapi."""
    script = SCRIPT.format(
        repo=str(REPO), generated=str(FIXTURE_GENERATED), specs=str(FIXTURE_SPECS)
    )
    run = run_python(script, FIXTURE_GENERATED)
    assert run.returncode == 0, run.stderr[-3000:]
    found: dict[str, Any] = json.loads(run.stdout)
    return found


@pytest.mark.parametrize("case", FIELD_OF_CASE)
def test_a_call_breaking_a_limit_is_refused_before_sending(
    outcomes: dict[str, Any], case: str
) -> None:
    """InvalidArgumentError as TOP's code 41, naming the API, the field and the limit."""
    field = FIELD_OF_CASE[case]
    refused = outcomes["client"][case]
    assert refused["error"] == "InvalidArgumentError", refused
    assert refused["code"] == 41
    assert refused["sub_code"] == f"isv.invalid-parameter:{field}"
    keyword = case.rsplit(" ", maxsplit=1)[-1]
    assert keyword in refused["sub_msg"] and field in refused["sub_msg"]
    assert refused["text"].startswith("topgen.fixture.limits.check: ")


def test_nothing_arrived_for_the_refused_calls(outcomes: dict[str, Any]) -> None:
    """The scripted gateway saw none of the refused calls, sync or async."""
    assert outcomes["arrived_after_refusals"] == 0
    assert outcomes["async"] == "InvalidArgumentError"
    assert outcomes["arrived_after_async"] == 0


def test_a_batch_with_a_call_breaking_a_limit_is_refused_before_sending(
    outcomes: dict[str, Any],
) -> None:
    """One bad call refuses the whole batch before anything is sent, as a single call."""
    refused = outcomes["batch"]
    assert refused["error"] == "InvalidArgumentError", refused
    assert refused["sub_code"] == "isv.invalid-parameter:title"
    assert outcomes["arrived_after_batch"] == 0


def test_the_limits_are_counted_as_top_counts_them(outcomes: dict[str, Any]) -> None:
    """Three items holding a comma are four on the wire; a file's limit is in bytes."""
    assert (
        "has 4 items, more than its maxItems 3"
        in outcomes["client"]["items with commas over maxItems"]["sub_msg"]
    )
    assert "has 17 bytes" in outcomes["client"]["file larger than maxLength"]["sub_msg"]


def test_documented_defaults_are_sent(outcomes: dict[str, Any]) -> None:
    """Left out, each defaulted parameter goes with its documented value."""
    sent = outcomes["defaults_sent"]
    assert (sent["page_size"], sent["price"], sent["lang"], sent["is_https"]) == (
        "20",
        "1.00",
        "zh_CN",
        "true",
    )


def test_check_false_on_the_call_or_the_client_sends_it(outcomes: dict[str, Any]) -> None:
    """check=False lets a call past the limits: the gateway gets it as given."""
    assert outcomes["unchecked_call_sent"] == "x" * 9
    assert outcomes["unchecked_client_sent"] == "y" * 9
    assert outcomes["arrived_at_the_end"] == 3


@pytest.mark.parametrize("case", FIELD_OF_CASE)
def test_the_sandbox_refuses_what_the_client_would(outcomes: dict[str, Any], case: str) -> None:
    """Sent raw (check off), each call gets TOP's answer: 41, isv.invalid-parameter:<field>."""
    field = FIELD_OF_CASE[case]
    refused = outcomes["sandbox"][case]
    assert refused["error"] == "InvalidArgumentError", refused
    assert (refused["code"], refused["sub_code"]) == (41, f"isv.invalid-parameter:{field}")
    client_side = outcomes["client"][case]["sub_msg"]
    assert client_side.startswith(refused["sub_msg"] + " (refused before sending")


def test_a_response_is_never_refused_for_a_limit(outcomes: dict[str, Any]) -> None:
    """The example's echo is longer than its documented maxLength 4: it is read as it is."""
    assert outcomes["sandbox_ok"] == {"echo": "longer than four"}
