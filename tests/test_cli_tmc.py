"""`topgen tmc listen` and `topgen tmc publish` against the sandbox, as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from topgen.cli.tmc import tmc_url
from topgen.sandbox.serve import RunningSandbox, build_sandbox, start_in_thread

from .conftest import REPO, SPECS, run_topgen

TRADE = "taobao_trade_TradeBuyerPay"


@pytest.fixture
def running() -> Iterator[RunningSandbox]:
    """The sandbox (REST and TMC) on a free port of 127.0.0.1."""
    sandbox = start_in_thread(build_sandbox(SPECS))
    try:
        yield sandbox
    finally:
        sandbox.stop()


def _first_line(process: subprocess.Popen[str], timeout: float) -> str:
    """The process's next stdout line, or "" after `timeout` seconds."""
    lines: list[str] = []
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()))  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout)
    return lines[0] if lines else ""


def _consume(running: RunningSandbox) -> list[int]:
    from topapi import TopClient  # noqa: PLC0415 - topgen's tests import topapi lazily

    with TopClient("sandbox-app-key", "sandbox-app-secret", gateway=running.url) as client:
        return [m.id or 0 for m in client.taobao_tmc_messages_consume().messages or []]


def test_listen_prints_each_message_as_json_and_confirms_it(running: RunningSandbox) -> None:
    """One JSON line a message; Ctrl-C stops it (exit 0); the message is confirmed."""
    message_id = running.publish(TRADE, '{"tid": 1}', nick="买家").id
    command = [sys.executable, "-m", "topgen.cli", "tmc", "listen", "--json"]
    process = subprocess.Popen(
        [*command, "--gateway", running.url, "--topic", "taobao_trade"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = _first_line(process, 30)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
    finally:
        if process.returncode is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    shown = json.loads(line)
    assert (shown["id"], shown["topic"], shown["nick"]) == (message_id, TRADE, "买家")
    assert shown["content"] == {"tid": 1} and shown["published_at"].endswith("+08:00")
    assert _consume(running) == []  # confirmed


def test_publish_sends_one_message(running: RunningSandbox) -> None:
    """`topgen tmc publish TOPIC CONTENT` returns once acknowledged; the message is queued."""
    result = run_topgen("tmc", "publish", "my_topic", '{"a": 1}', "--gateway", running.url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "topgen: published on my_topic"
    assert len(_consume(running)) == 1


def test_a_wrong_secret_is_one_line_and_exit_1(running: RunningSandbox) -> None:
    """A refused CONNECT: one line naming the refusal, no traceback, exit 1."""
    env = ("--app-secret", "wrong")
    result = run_topgen("tmc", "publish", "t", "{}", "--gateway", running.url, *env)
    assert result.returncode == 1
    assert result.stderr.startswith("topgen: error: TmcConnectionRefused: ")
    assert "Traceback" not in result.stderr and "wrong" not in result.stderr


@pytest.mark.parametrize(
    ("gateway", "url"),
    [
        ("http://127.0.0.1:8765/router/rest", "ws://127.0.0.1:8765/"),
        ("https://example.com/router/rest", "wss://example.com/"),
        ("ws://mc.api.taobao.com/", "ws://mc.api.taobao.com/"),
    ],
)
def test_the_tmc_url_of_a_gateway(gateway: str, url: str) -> None:
    """The sandbox's TMC is at its gateway's host and port; a ws URL is taken as is."""
    assert tmc_url(gateway) == url


def test_a_gateway_that_is_no_url_is_refused() -> None:
    """--gateway must be http(s) or ws(s): exit 1, one line."""
    result = run_topgen("tmc", "listen", "--gateway", "ftp://x")
    assert result.returncode == 1
    assert result.stderr == "topgen: error: --gateway 'ftp://x' is not an http(s) or ws(s) URL\n"
