"""Type checkers see every client method with its API's signature (through _client.pyi)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

USER_CODE = """
from topapi import AsyncTopClient, TopClient
from topapi.apis.alibaba_idle_tender_pre_pay_action import (
    AlibabaIdleTenderPrePayActionResponse,
    TenderPrePayCmd,
)

def ok(client: TopClient) -> AlibabaIdleTenderPrePayActionResponse:
    cmd = TenderPrePayCmd(order_id="1", pre_pay_no="x", pre_pay_action=2)
    return client.alibaba_idle_tender_pre_pay_action(param0=cmd, session="s")

async def ok_async(client: AsyncTopClient) -> AlibabaIdleTenderPrePayActionResponse:
    cmd = TenderPrePayCmd(order_id="1", pre_pay_no="x", pre_pay_action=2)
    return await client.alibaba_idle_tender_pre_pay_action(param0=cmd, session="s")

def wrong(client: TopClient) -> None:
    client.alibaba_idle_tender_pre_pay_action(param0="not a command", session="s")
    cmd = TenderPrePayCmd(order_id="1", pre_pay_no="x", pre_pay_action=2)
    client.alibaba_idle_tender_pre_pay_action(param0=cmd)
    client.alibaba_idle_tender_pre_pay_actoin()
"""


def test_mypy_checks_calls_through_the_clients(tmp_path: Path) -> None:
    """Good calls pass mypy --strict; a wrong argument, a missing session, a typo do not."""
    user = tmp_path / "user_code.py"
    user.write_text(USER_CODE, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        cwd=REPO,
        env={**os.environ, "MYPYPATH": str(REPO / "generated")},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    lines = sorted(int(line.split(":")[1]) for line in errors)
    body = USER_CODE.splitlines()
    wrong = body.index("def wrong(client: TopClient) -> None:")
    calls = [n for n, line in enumerate(body) if line.strip().startswith("client.")]
    expected = [n + 1 for n in calls if n > wrong]  # mypy counts lines from 1
    assert lines == expected, run.stdout
    assert 'incompatible type "str"; expected "TenderPrePayCmd"' in run.stdout
    assert 'Missing named argument "session"' in run.stdout
    assert 'has no attribute "alibaba_idle_tender_pre_pay_actoin"' in run.stdout


BATCH_CODE = """
from typing import Any
from topapi import AsyncTopClient, BatchCall, TopapiError, TopClient, TopRequest
from topapi.apis.alibaba_idle_tender_order_get import AlibabaIdleTenderOrderGetRequest as Get
from topapi.apis.alibaba_idle_tender_pre_pay_action import (
    AlibabaIdleTenderPrePayActionRequest as Pay,
    TenderPrePayCmd,
)

CMD = TenderPrePayCmd(order_id="1", pre_pay_no="x", pre_pay_action=2)

def ok(client: TopClient) -> None:
    pay, order = client.batch((Pay(param0=CMD), BatchCall(Get(), session="u")), session="s")
    if not isinstance(pay, TopapiError) and pay.result is not None:
        print(pay.result.data)
    if not isinstance(order, TopapiError) and order.result is not None:
        print(order.result.module)
    for result in client.batch([Get(), Get()]):
        if not isinstance(result, TopapiError) and result.result is not None:
            print(result.result.module)
    mixed: list[TopRequest[Any]] = [Get(), Pay(param0=CMD)]
    for item in client.batch(mixed, session="s") + client.batch([Get(), Pay(param0=CMD)]):
        print(item.request_id if not isinstance(item, TopapiError) else item)

async def ok_async(client: AsyncTopClient) -> None:
    (order,) = await client.batch((Get(),))
    if not isinstance(order, TopapiError) and order.result is not None:
        print(order.result.module)

def wrong(client: TopClient) -> None:
    pay, order = client.batch((Pay(param0=CMD), Get()), session="s")
    if not isinstance(pay, TopapiError) and pay.result is not None:
        print(pay.result.module)  # error: a pre-pay result has no module
    print(order.result)  # error: not narrowed, a TopError has no result
    one, two, three = client.batch((Get(), Get()))  # error: two results, not three
    client.batch([Get(), "not a request"])  # error
"""


def test_mypy_types_each_batch_result(tmp_path: Path) -> None:
    """A tuple of requests gives a tuple of their typed results; wrong uses are caught."""
    user = tmp_path / "batch_code.py"
    user.write_text(BATCH_CODE, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        cwd=REPO,
        env={**os.environ, "MYPYPATH": str(REPO / "generated")},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    lines = sorted({int(line.split(":")[1]) for line in errors})
    body = BATCH_CODE.splitlines()
    expected = [n + 1 for n, line in enumerate(body) if "# error" in line]
    assert lines == expected, run.stdout
    assert 'has no attribute "module"' in run.stdout
    assert 'has no attribute "result"' in run.stdout
