"""topapi.testing leaves nothing behind: a test suite using it passes under `-W error`."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import SPECS

SUITE = """
import asyncio

from topapi.apis.alibaba_idle_tender_pre_pay_action import TenderPrePayCmd
from topapi.testing import sandbox

pytest_plugins = ["topapi.testing"]
COMMAND = TenderPrePayCmd(order_id="1", pre_pay_no="x", pre_pay_action=2)


def test_context_manager():
    for _ in range(3):
        with sandbox({specs!r}) as top:
            top.client.alibaba_idle_tender_pre_pay_action(param0=COMMAND, session="any")


def test_fixture(top_sandbox):
    top_sandbox.client.alibaba_idle_tender_pre_pay_action(param0=COMMAND, session="any")


def test_async_client(top_sandbox):
    async def run():
        async with top_sandbox.async_client() as top:
            await top.alibaba_idle_tender_pre_pay_action(param0=COMMAND, session="any")

    asyncio.run(run())
"""


def test_suite_using_the_sandbox_passes_under_w_error(tmp_path: Path) -> None:
    """No unclosed event loop, socket or client: every warning would fail the suite."""
    (tmp_path / "test_uses_sandbox.py").write_text(textwrap.dedent(SUITE.format(specs=str(SPECS))))
    run = subprocess.run(
        [sys.executable, "-W", "error", "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        env={**os.environ, "TOPGEN_SPECS": str(SPECS), "PYTHONDEVMODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 passed" in run.stdout


BUSY_PORT = """
import socket, threading
from pathlib import Path
from topgen.sandbox.serve import build_sandbox, start_in_thread

with socket.socket() as taken:
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        start_in_thread(build_sandbox(Path({specs!r})), port=taken.getsockname()[1])
    except OSError:
        print("refused", [thread.name for thread in threading.enumerate()])
"""


BAD_OPTION = """
import threading
from topapi import UsageError
from topapi.testing import sandbox

try:
    with sandbox({specs!r}, format="yaml"):
        pass
except UsageError:
    print("refused", [thread.name for thread in threading.enumerate()])
"""


@pytest.mark.parametrize("script", [BUSY_PORT, BAD_OPTION], ids=["busy-port", "bad-option"])
def test_sandbox_that_cannot_start_leaves_nothing_running(script: str) -> None:
    """A sandbox that cannot bind, or whose client is refused, ends its thread and loop."""
    run = subprocess.run(
        [sys.executable, "-W", "error", "-X", "dev", "-c", script.format(specs=str(SPECS))],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "refused ['MainThread']"
