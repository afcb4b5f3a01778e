"""Hostile callers of `topgen serve`: nesting, forged log lines, slow bodies, field counts,
encodings, fixture alias bombs, and the secret out of `ps` — over real sockets on 127.0.0.1."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
import pytest

from topgen.sandbox.form import Limits
from topgen.sandbox.serve import RunningSandbox, build_sandbox, start_in_thread

from ..conftest import REPO, SPECS, run_topgen
from ..test_readme_sandbox import _free_port, _wait_for
from ..test_sandbox import METHOD, post, raw_params
from ..topserver import expected_sign

BODY_SECONDS = 1.0


@pytest.fixture(scope="module")
def gateway() -> Iterator[RunningSandbox]:
    """The sandbox of the repository's specs, giving a body one second to arrive."""
    running = start_in_thread(build_sandbox(SPECS), limits=Limits(body_seconds=BODY_SECONDS))
    yield running
    running.stop()


def error(body: dict[str, object]) -> dict[str, object]:
    """The error_response of an answer (KeyError when the call succeeded)."""
    refused = body["error_response"]
    assert isinstance(refused, dict)
    return refused


def test_deeply_nested_object_parameter_is_code_41_quickly(gateway: RunningSandbox) -> None:
    """JSON nested 100k deep in an object parameter: TOP's 41 naming it, not an HTTP 500."""
    deep = '{"order_id":' * 100_000 + "1" + "}" * 100_000
    started = time.monotonic()
    refused = error(post(gateway.url, raw_params(param0=deep)))
    assert time.monotonic() - started < 5
    assert refused["code"] == 41
    assert refused["sub_code"] == "isv.invalid-parameter:param0"
    assert "param0" in str(refused["msg"])


def test_a_newline_in_the_method_forges_no_log_line(
    gateway: RunningSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    """The caller's method is logged escaped (and capped): one call, one line."""
    forged = "taobao.x\n2026-01-01 topgen.serve admin.login ok 0.1 ms\x1b[2J"
    with caplog.at_level(logging.INFO, logger="topgen.serve"):
        post(gateway.url, raw_params(method=forged))
        post(gateway.url, raw_params(method="m" * 100_000))
    lines = [record.getMessage() for record in caplog.records if record.name == "topgen.serve"]
    assert len(lines) == 2
    assert all("\n" not in line and "\x1b" not in line for line in lines)
    assert "taobao.x\\n2026" in lines[0]
    assert len(lines[1]) < 1000


def _drip(url: str, body_length: int, seconds: float) -> tuple[bytes, float]:
    """Send headers, then one body byte every 0.1 s; what came back, and after how long."""
    address = urlsplit(url)
    head = (
        f"POST {address.path} HTTP/1.1\r\nHost: {address.netloc}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {body_length}\r\n\r\n"
    )
    answer = b""
    started = time.monotonic()
    with socket.create_connection((address.hostname, address.port), timeout=5) as client:
        client.sendall(head.encode())
        client.settimeout(0.1)
        while time.monotonic() - started < seconds:
            try:
                chunk = client.recv(65536)
            except TimeoutError:
                client.sendall(b"a")
                continue
            except OSError:  # reset by the server: cut off too
                break
            if not chunk:
                break
            answer += chunk
    return answer, time.monotonic() - started


def test_a_dripping_body_is_cut_off(gateway: RunningSandbox) -> None:
    """A client sending its body a byte at a time gets a 43 and a closed connection."""
    answer, seconds = _drip(gateway.url, 100_000, seconds=15)
    assert seconds < BODY_SECONDS + 5, "the sandbox kept waiting for the body"
    assert b'"code": 43' in answer
    assert f"longer than {BODY_SECONDS:g} s".encode() in answer
    assert b"Connection: close" in answer


def test_a_dripping_batch_body_is_cut_off(gateway: RunningSandbox) -> None:
    """/router/batch bounds its body's time as /router/rest does: a 43, the connection closed."""
    answer, seconds = _drip(gateway.url.replace("/router/rest", "/router/batch"), 100_000, 15)
    assert seconds < BODY_SECONDS + 5, "the sandbox kept waiting for the body"
    assert b'"code": 43' in answer
    assert f"longer than {BODY_SECONDS:g} s".encode() in answer
    assert b"Connection: close" in answer


def _fields(count: int) -> dict[str, str]:
    return {f"extra_{n:05d}": "x" for n in range(count)}


@pytest.mark.parametrize("multipart", [False, True], ids=["urlencoded", "multipart"])
def test_many_fields_are_taken_and_too_many_name_the_limit(
    gateway: RunningSandbox, multipart: bool
) -> None:
    """900 extra fields are a call; 1000 more than the system ones are refused by the limit."""
    files = {"extra_file": ("f.bin", b"bytes")} if multipart else None
    taken = raw_params(**_fields(900))
    answer = httpx.post(gateway.url, data=taken, files=files, timeout=10).json()
    assert "alibaba_idle_tender_pre_pay_action_response" in answer
    refused = httpx.post(gateway.url, data=raw_params(**_fields(1000)), files=files, timeout=10)
    assert refused.status_code == 200
    body = error(refused.json())
    assert body["code"] == 43
    assert body["sub_code"] == "isv.too-many-parameters"
    assert "more than 1000 parameters" in str(body["sub_msg"])


def _post_raw(url: str, body: bytes, query: str = "") -> dict[str, object]:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    answer = httpx.post(
        f"{url}?{query}" if query else url, content=body, headers=headers, timeout=10
    )
    assert answer.status_code == 200
    return error(answer.json())


@pytest.mark.parametrize("place", ["percent-encoded body", "raw body", "percent-encoded query"])
def test_invalid_utf8_is_code_47_however_it_is_written(gateway: RunningSandbox, place: str) -> None:
    """%FF and a raw 0xFF byte are the same bytes: both are code 47, in the body or the query.

    (A raw 0xFF in the request line is not HTTP: aiohttp answers 400 before the gateway sees it.)
    """
    form = urlencode(raw_params()).encode()
    bad = b"%FF" if place.startswith("percent") else b"\xff"
    if place.endswith("body"):
        refused = _post_raw(gateway.url, form + b"&name=" + bad)
    else:
        refused = _post_raw_query(gateway.url, form, b"name=" + bad)
    assert refused["code"] == 47


def _post_raw_query(url: str, form: bytes, query: bytes) -> dict[str, object]:
    """A POST whose request line carries `query` byte for byte (httpx would re-encode it)."""
    address = urlsplit(url)
    head = (
        b"POST " + address.path.encode() + b"?" + query + b" HTTP/1.1\r\n"
        b"Host: " + address.netloc.encode() + b"\r\nConnection: close\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: " + str(len(form)).encode() + b"\r\n\r\n"
    )
    answer = b""
    with socket.create_connection((address.hostname, address.port), timeout=10) as client:
        client.sendall(head + form)
        while chunk := client.recv(65536):
            answer += chunk
    status, _, rest = answer.partition(b"\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 200"), status
    return error(httpx.Response(200, content=rest).json())


ALIAS_BOMB = """\
a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
alibaba_idle_tender_pre_pay_action_response: {result: {data: *g}}
"""


@pytest.mark.parametrize(
    ("text", "line", "why"),
    [(ALIAS_BOMB, 2, "an alias (*a)"), ("a:\n  " + "[" * 50_000, 2, "nested deeper than")],
    ids=["alias bomb", "deep nesting"],
)
def test_fixture_bombs_are_refused_at_load_with_their_line(
    tmp_path: Path, text: str, line: int, why: str
) -> None:
    """A fixture is plain, bounded data: aliases and deep nesting are located errors, at once."""
    (tmp_path / f"{METHOD}.yaml").write_text(text, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(ValueError, match="fixture") as refused:
        build_sandbox(SPECS, fixtures=tmp_path)
    assert time.monotonic() - started < 5
    assert f"{METHOD}.yaml:{line}: {why}" in str(refused.value)
    run = run_topgen("serve", "--port", "0", "--fixtures", tmp_path)
    assert run.returncode == 1
    assert run.stderr.count("\n") == 1 and why in run.stderr


def test_app_secret_from_the_environment() -> None:
    """`TOPGEN_APP_SECRET` sets the secret without showing it in `ps`; --help says so."""
    port = _free_port()
    env = {**os.environ, "TOPGEN_APP_SECRET": "secret-from-env"}
    command = [sys.executable, "-m", "topgen.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}/router/rest"
    try:
        _wait_for(url)
        default_signed = post(url, raw_params())
        params = raw_params()
        params["sign"] = expected_sign(
            {k: v for k, v in params.items() if k != "sign"}, "secret-from-env"
        )
        env_signed = post(url, params)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert error(default_signed)["code"] == 25
    assert "alibaba_idle_tender_pre_pay_action_response" in env_signed
    assert "TOPGEN_APP_SECRET" in run_topgen("serve", "--help").stdout


def test_the_readme_states_the_limits() -> None:
    """The sandbox section gives the limits the sandbox applies, and the secret's variable."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The sandbox", 1)[1].split("\n## ", 1)[0]
    limits = Limits()
    assert f"{limits.body_seconds:g} s to send its body" in section
    assert f"{limits.max_body // 2**20} MB and {limits.max_fields} parameters" in section
    assert "export TOPGEN_APP_SECRET=" in section
