"""The README's way to the local sandbox works as written, and no name confuses it with Taobao's."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time

import httpx

import topapi
from topgen.cli.main import _parser
from topgen.sandbox.serve import ROUTER_PATH

from .conftest import REPO

TAOBAO_SANDBOX = "https://gw.api.tbsandbox.com/router/rest"
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def test_taobao_sandbox_is_named_for_taobao() -> None:
    """Taobao's remote sandbox is GATEWAY_TAOBAO_SANDBOX; nothing is called just `sandbox`."""
    assert topapi.GATEWAY_TAOBAO_SANDBOX == TAOBAO_SANDBOX
    assert topapi.GATEWAYS["taobao-sandbox"] == TAOBAO_SANDBOX
    assert not any(name.startswith("sandbox") for name in topapi.GATEWAYS)
    assert not hasattr(topapi, "GATEWAY_SANDBOX")


def _serve_block() -> str:
    """The README's Python block that calls `topgen serve`."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (block,) = [block for block in BLOCK.findall(readme) if "topgen serve" in block]
    return block


def test_readme_url_is_topgen_serves_default() -> None:
    """The URL, key and secret the README gives are the ones `topgen serve` uses by default."""
    defaults = _parser().parse_args(["serve"])
    block = _serve_block()
    assert f'"http://{defaults.host}:{defaults.port}{ROUTER_PATH}"' in block
    assert f'TopClient("{defaults.app_key}", "{defaults.app_secret}", gateway=local)' in block


def test_readme_block_calls_topgen_serve() -> None:
    """The README's block, run as written against a running `topgen serve`, gets an answer."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "topgen.cli", "serve", "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}{ROUTER_PATH}")
        script = _serve_block().replace(":8765/", f":{port}/")
        run = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("sandbox")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
