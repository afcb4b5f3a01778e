"""`topgen serve`: the local TOP gateway built from the specs, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from topapi import AsyncTopClient, InvalidArgumentError, TopClient, TopError
from topapi.apis.alibaba_idle_tender_pre_pay_action import TenderPrePayCmd
from topapi.testing import sandbox
from topgen.sandbox.gateway import DEFAULT_APP_KEY, DEFAULT_APP_SECRET, GMT8
from topgen.sandbox.serve import RunningSandbox, build_sandbox, start_in_thread

from .conftest import REPO, SPECS, run_topgen
from .topserver import expected_sign

METHOD = "alibaba.idle.tender.pre.pay.action"
PARAM0 = '{"order_id":"1234","pre_pay_no":"xxx","pre_pay_action":2}'


@pytest.fixture(scope="module")
def gateway() -> Iterator[RunningSandbox]:
    """The sandbox of the repository's specs, in a background thread."""
    running = start_in_thread(build_sandbox(SPECS))
    yield running
    running.stop()


def command(order_id: str = "1234") -> TenderPrePayCmd:
    """The page's Java example."""
    return TenderPrePayCmd(order_id=order_id, pre_pay_no="xxx", pre_pay_action=2)


def raw_params(**changes: str | None) -> dict[str, str]:
    """A valid call of the first API, changed as asked (None removes), signed independently."""
    params: dict[str, str | None] = {
        "method": METHOD,
        "app_key": DEFAULT_APP_KEY,
        "timestamp": datetime.now(GMT8).strftime("%Y-%m-%d %H:%M:%S"),
        "v": "2.0",
        "sign_method": "hmac-sha256",
        "format": "json",
        "session": "any-session",
        "param0": PARAM0,
    }
    params.update(changes)
    kept = {key: value for key, value in params.items() if value is not None}
    kept["sign"] = expected_sign(kept, DEFAULT_APP_SECRET)
    return kept


def post(url: str, params: dict[str, str]) -> dict[str, Any]:
    """POST a form and return the JSON answer."""
    answer = httpx.post(url, data=params, timeout=10)
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


@pytest.mark.parametrize("simplify", [False, True], ids=["wrapped", "simplified"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("sign_method", ["md5", "hmac", "hmac-sha256"])
def test_generated_client_against_the_sandbox(
    gateway: RunningSandbox, sign_method: str, fmt: str, simplify: bool
) -> None:
    """Every sign method and format: the documented example comes back, typed."""
    options: dict[str, Any] = {"sign_method": sign_method, "format": fmt, "simplify": simplify}
    with TopClient(DEFAULT_APP_KEY, DEFAULT_APP_SECRET, gateway=gateway.url, **options) as top:
        response = top.alibaba_idle_tender_pre_pay_action(param0=command(), session="s")
    assert response.result is not None and response.result.data is not None
    assert response.result.data.pre_pay_amount == 1234
    assert response.result.error_msg == "系统异常"
    assert response.request_id is not None and response.request_id.startswith("sandbox")


def test_documented_text_in_a_number_field_gets_a_typed_stand_in(gateway: RunningSandbox) -> None:
    """The example's 预付款执行动作 cannot be a Number: the sandbox answers 0 and says so."""
    assert any("预付款执行动作" in note for note in gateway.sandbox.notes)
    body = post(gateway.url, raw_params())
    data = body["alibaba_idle_tender_pre_pay_action_response"]["result"]["data"]
    assert data["pre_pay_action"] == 0


def test_get_is_answered_too(gateway: RunningSandbox) -> None:
    """TOP accepts GET with the parameters in the query string."""
    answer = httpx.get(gateway.url, params=raw_params(), timeout=10)
    assert "alibaba_idle_tender_pre_pay_action_response" in answer.json()


def _stale() -> str:
    return (datetime.now(GMT8) - timedelta(minutes=11)).strftime("%Y-%m-%d %H:%M:%S")


ERROR_CASES: list[tuple[str, dict[str, str | None], int]] = [
    ("missing method", {"method": None}, 21),
    ("unknown method", {"method": "taobao.no.such.api"}, 22),
    ("missing app_key", {"app_key": None}, 28),
    ("unknown app_key", {"app_key": "someone-else"}, 29),
    ("missing timestamp", {"timestamp": None}, 30),
    ("malformed timestamp", {"timestamp": "2024/01/01 12:00"}, 31),
    ("stale timestamp", {"timestamp": _stale()}, 31),
    ("missing version", {"v": None}, 32),
    ("malformed version", {"v": "two"}, 33),
    ("unsupported version", {"v": "3.0"}, 34),
    ("missing session", {"session": None}, 26),
    ("missing param0", {"param0": None}, 40),
    ("missing nested field", {"param0": '{"order_id":"1","pre_pay_action":2}'}, 40),
    ("param0 not JSON", {"param0": "order_id=1"}, 41),
    (
        "Number not a number",
        {"param0": '{"order_id":"1","pre_pay_no":"x","pre_pay_action":"two"}'},
        41,
    ),
    ("param0 not an object", {"param0": "[1,2]"}, 41),
]


@pytest.mark.parametrize(
    ("changes", "code"), [case[1:] for case in ERROR_CASES], ids=[case[0] for case in ERROR_CASES]
)
def test_each_error_code(
    gateway: RunningSandbox, changes: dict[str, str | None], code: int
) -> None:
    """A raw, independently signed request provokes each TOP error."""
    body = post(gateway.url, raw_params(**changes))
    assert body["error_response"]["code"] == code, body


@pytest.mark.parametrize("sign_method", ["md5", "hmac", "hmac-sha256"])
def test_signatures_are_verified(gateway: RunningSandbox, sign_method: str) -> None:
    """A good signature passes and a wrong one is code 25, for each method; none is code 24."""
    params = raw_params(sign_method=sign_method)
    assert "error_response" not in post(gateway.url, params)
    assert post(gateway.url, {**params, "sign": "0" * 32})["error_response"]["code"] == 25
    unsigned = {key: value for key, value in params.items() if key != "sign"}
    assert post(gateway.url, unsigned)["error_response"]["code"] == 24


def test_errors_answer_in_xml_when_asked(gateway: RunningSandbox) -> None:
    """The error_response honours format=xml."""
    answer = httpx.post(gateway.url, data=raw_params(format="xml", v="9.9"), timeout=10)
    assert "<error_response><code>34</code>" in answer.text


def test_file_parameter_is_required(gateway: RunningSandbox) -> None:
    """A byte[] parameter must come as a multipart file part."""
    params = raw_params(method="alibaba.idle.isv.media.upload", param0=None, name="a.jpg", type="0")
    assert post(gateway.url, params)["error_response"]["code"] == 40
    answer = httpx.post(gateway.url, data=params, files={"data": ("a.jpg", b"jpeg", "image/jpeg")})
    assert "alibaba_idle_isv_media_upload_response" in answer.json()


def test_two_hundred_concurrent_async_calls(gateway: RunningSandbox) -> None:
    """200 calls at once from one AsyncTopClient all get a correct, typed answer."""

    async def run() -> list[Any]:
        async with AsyncTopClient(DEFAULT_APP_KEY, DEFAULT_APP_SECRET, gateway=gateway.url) as top:
            calls = [
                top.alibaba_idle_tender_pre_pay_action(param0=command(str(n)), session="s")
                for n in range(200)
            ]
            return await asyncio.gather(*calls)

    responses = asyncio.run(run())
    assert len(responses) == 200
    assert len({r.request_id for r in responses}) == 200
    assert all(r.result.data.pre_pay_amount == 1234 for r in responses)


MALFORMED = [
    ("invalid UTF-8", b"method=\xff\xfe&param0=\xc3\x28", "application/x-www-form-urlencoded"),
    ("5 MB parameter", b"param0=" + b"x" * (5 * 1024 * 1024), "application/x-www-form-urlencoded"),
    (
        "broken multipart",
        b"--zz\r\nnot a header line\r\n\r\nbody",
        "multipart/form-data; boundary=zz",
    ),
    (
        "no closing boundary",
        b'--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\nx',
        "multipart/form-data; boundary=zz",
    ),
    ("JSON body", b'{"method": 1}', "application/json"),
]


@pytest.mark.parametrize(
    ("body", "content_type"), [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED]
)
def test_malformed_bodies_get_a_top_error_and_the_gateway_stays_up(
    gateway: RunningSandbox, body: bytes, content_type: str
) -> None:
    """A garbled body is answered with error_response, and the next normal call succeeds."""
    answer = httpx.post(
        gateway.url, content=body, headers={"Content-Type": content_type}, timeout=30
    )
    assert answer.status_code == 200
    assert "error_response" in answer.json()
    with TopClient(DEFAULT_APP_KEY, DEFAULT_APP_SECRET, gateway=gateway.url) as top:
        response = top.alibaba_idle_tender_pre_pay_action(param0=command(), session="s")
    assert response.result is not None


def test_fixtures_override_the_example_errors_included(tmp_path: Path) -> None:
    """A fixture per method scripts the answer: a success of one's own, or an error."""
    (tmp_path / f"{METHOD}.json").write_text(
        json.dumps({"result": {"success": False, "error_code": "E1", "error_msg": "库存不足"}}),
        encoding="utf-8",
    )
    (tmp_path / "alibaba.idle.isv.media.upload.yaml").write_text(
        "error_response:\n  code: 15\n  msg: Remote service error\n"
        "  sub_code: isv.picture-too-large\n  sub_msg: 图片过大\n",
        encoding="utf-8",
    )
    with sandbox(SPECS, fixtures=tmp_path) as top:
        response = top.client.alibaba_idle_tender_pre_pay_action(param0=command(), session="s")
        assert response.business_ok is False
        assert response.result is not None and response.result.error_msg == "库存不足"
        with pytest.raises(InvalidArgumentError) as caught:
            top.client.alibaba_idle_isv_media_upload(data=b"x", name="a.jpg", type=0)
    assert caught.value.sub_msg == "图片过大"


def test_log_lines_name_method_outcome_and_latency_without_secrets(
    gateway: RunningSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    """One line per call; neither the session nor the signature nor the secret shows."""
    caplog.set_level(logging.INFO, logger="topgen.serve")
    params = raw_params(session="very-secret-session")
    post(gateway.url, params)
    post(gateway.url, raw_params(session="very-secret-session", v="3.0"))
    lines = [r.getMessage() for r in caplog.records if r.name == "topgen.serve"]
    assert len(lines) == 2
    assert lines[0].startswith(f"{METHOD} ok ") and lines[0].endswith(" ms")
    assert lines[1].startswith(f"{METHOD} error 34 ")
    for line in lines:
        for secret in ("very-secret-session", params["sign"], DEFAULT_APP_SECRET):
            assert secret not in line


def test_testing_context_manager_in_three_lines() -> None:
    """topapi.testing.sandbox yields configured sync and async clients."""
    with sandbox(SPECS) as top:
        response = top.client.alibaba_idle_tender_pre_pay_action(param0=command(), session="s")

        async def call() -> Any:
            async with top.async_client() as client:
                return await client.alibaba_idle_tender_pre_pay_action(
                    param0=command(), session="s"
                )

        async_response = asyncio.run(call())
    assert response.result is not None and async_response.result is not None
    assert "sandbox-app-secret" not in repr(top)


def test_pytest_fixture_in_a_users_suite(tmp_path: Path) -> None:
    """A user's suite gets `top_sandbox` from `pytest_plugins = ["topapi.testing"]`."""
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["topapi.testing"]\n', encoding="utf-8")
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            from topapi.apis.alibaba_idle_tender_pre_pay_action import TenderPrePayCmd

            def test_prepay(top_sandbox):
                cmd = TenderPrePayCmd(order_id="9", pre_pay_no="x", pre_pay_action=2)
                top = top_sandbox.client
                response = top.alibaba_idle_tender_pre_pay_action(param0=cmd, session="s")
                assert response.result.success is True
            """
        ),
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env={**os.environ, "TOPGEN_SPECS": str(SPECS)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


SERVE_SECRET = "serve-command-secret"


def test_topgen_serve_command() -> None:
    """`topgen serve` listens on the asked port, answers, and logs one line per call."""
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "topgen.cli",
            "serve",
            "--port",
            str(port),
            "--app-key",
            "k1",
            "--app-secret",
            SERVE_SECRET,
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/router/rest"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        with TopClient("k1", SERVE_SECRET, gateway=url) as top:
            response = top.alibaba_idle_tender_pre_pay_action(param0=command(), session="s")
            assert response.result is not None
            with pytest.raises(TopError):
                TopClient("k1", "wrong", gateway=url).alibaba_idle_tender_pre_pay_action(
                    param0=command(), session="s"
                )
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert f"{METHOD} ok " in stderr
    assert f"{METHOD} error 25 " in stderr
    assert SERVE_SECRET not in stderr


def test_topgen_demo_prints_the_typed_result() -> None:
    """The README's main job ends with `topgen demo`: a call through the sandbox, typed."""
    result = run_demo_command("alibaba.idle.tender.pre.pay.action")
    assert result.returncode == 0, result.stderr
    assert "response: AlibabaIdleTenderPrePayActionResponse(request_id='sandbox" in result.stdout
    assert "pre_pay_amount=1234" in result.stdout
    assert '"pre_pay_action":2' in result.stdout


def test_topgen_demo_names_an_unknown_method() -> None:
    """An API with no spec is a one-line error, exit 1."""
    result = run_demo_command("taobao.no.such.api")
    assert result.returncode == 1
    assert "no spec in specs for taobao.no.such.api" in result.stderr
    assert "Traceback" not in result.stderr


def run_demo_command(method: str) -> subprocess.CompletedProcess[str]:
    """`topgen demo METHOD` from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "topgen.cli", "demo", method],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_topgen_serve_on_a_busy_port_is_one_line_and_exit_1() -> None:
    """The port is named, no traceback, and no "gateway on" line for a gateway that never was."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_topgen("serve", "--port", port)
    assert result.returncode == 1
    expected = f"topgen: error: cannot listen on 127.0.0.1:{port}: address already in use"
    assert result.stderr.splitlines() == [expected]
    assert "gateway on" not in result.stdout


class Served:
    """`topgen serve` in a child process, its output in files, stopped at the end."""

    def __init__(self, folder: Path, *options: str | Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/router/rest"
        self.stdout, self.stderr = folder / "stdout", folder / "stderr"
        command = [sys.executable, "-m", "topgen.cli", "serve", "--port", str(self.port)]
        with self.stdout.open("w") as out, self.stderr.open("w") as err:
            self.process = subprocess.Popen([*command, *map(str, options)], stdout=out, stderr=err)
        self.wait_for(lambda: "gateway on" in self.stdout.read_text(encoding="utf-8"))

    def wait_for(self, condition: Callable[[], bool], seconds: float = 30) -> None:
        """Poll `condition` until it holds, failing after `seconds`."""
        deadline = time.monotonic() + seconds
        while not condition():
            assert self.process.poll() is None, self.stderr.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, self.stderr.read_text(encoding="utf-8")
            time.sleep(0.1)

    def error_msg(self) -> str:
        """The error_msg of the first API's answer."""
        body = post(self.url, raw_params())
        message: str = body["alibaba_idle_tender_pre_pay_action_response"]["result"]["error_msg"]
        return message

    def stop(self) -> None:
        """End the server and wait for it."""
        self.process.terminate()
        self.process.wait(timeout=30)


def test_topgen_serve_reload_picks_up_changed_specs(specs_copy: Path, tmp_path: Path) -> None:
    """--reload: an edited spec is served without a restart; a broken one is named, not served."""
    served = Served(tmp_path, "--specs", specs_copy, "--reload")
    try:
        assert served.error_msg() == "系统异常"
        spec = specs_copy / "apis" / f"{METHOD}.yaml"
        text = spec.read_text(encoding="utf-8")
        spec.write_text(text.replace("error_msg: 系统异常", "error_msg: 已重新加载"), "utf-8")
        served.wait_for(lambda: served.error_msg() == "已重新加载")
        broken = text.replace("error_msg: 系统异常", "error_msg: [unclosed")
        spec.write_text(broken, encoding="utf-8")
        log = served.stderr
        served.wait_for(lambda: "keeping the previous specs" in log.read_text(encoding="utf-8"))
        assert f"{spec}:" in log.read_text(encoding="utf-8")
        assert served.error_msg() == "已重新加载"
    finally:
        served.stop()


def test_topgen_serve_says_when_it_must_be_restarted(tmp_path: Path) -> None:
    """Without --reload, the start-up line says changed specs need a restart."""
    served = Served(tmp_path)
    try:
        assert "restart" in served.stdout.read_text(encoding="utf-8")
        assert served.error_msg() == "系统异常"
    finally:
        served.stop()
    assert "warning" not in served.stderr.read_text(encoding="utf-8")
