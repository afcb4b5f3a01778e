"""Tracebacks that show frame locals (Sentry, rich, pytest -l) show no secret, of any error."""

from __future__ import annotations

import asyncio
import pickle
import re
import traceback
from collections.abc import Callable, Iterator

import pytest

from topapi import AsyncTopClient, BatchCall, TopClient
from topapi.apis.alibaba_idle_tender_pre_pay_action import (
    AlibabaIdleTenderPrePayActionRequest as Request,
)

from ..topserver import APP_KEY, APP_SECRET, SESSION, Action, ScriptedGateway, error_body
from .conftest import async_client, client, command

SIGNATURE = re.compile(r"[0-9A-F]{32,64}")  # an md5 or sha256 signature, as TOP's hex


def raised(call: Callable[[], object]) -> BaseException:
    """The exception a call raises (a test failure when it raises none)."""
    try:
        call()
    except BaseException as exc:
        return exc
    raise AssertionError("the call raised nothing")


def chain(error: BaseException | None) -> Iterator[BaseException]:
    """An error and every error of its __context__ and __cause__ chains."""
    seen: set[int] = set()
    todo = [error]
    while todo and len(seen) < 100:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [current.__context__, current.__cause__]


def shown(error: BaseException) -> str:
    """All a locals-capturing traceback shows: messages and each frame's locals' reprs."""
    parts = []
    for link in chain(error):
        parts += [str(link), repr(link), *map(str, link.args)]
        for frame, _ in traceback.walk_tb(link.__traceback__):
            parts += [f"{name}={value!r}" for name, value in frame.f_locals.items()]
    return "\n".join(parts)


def assert_no_secret(error: BaseException) -> None:
    """Neither the app secret, the session key nor a signature shows anywhere."""
    text = shown(error)
    assert APP_SECRET not in text
    assert SESSION not in text, [line[:300] for line in text.splitlines() if SESSION in line]
    assert not SIGNATURE.search(text), SIGNATURE.search(text)


def test_a_generated_api_method_holds_no_session_in_its_frame(gateway: ScriptedGateway) -> None:
    """`client.<api>(..., session=...)`: the API's own `call` frame shows the wrapped key only."""
    gateway.script.append(Action(body=error_body(27, "Invalid session")))
    with client(gateway) as top:
        error = raised(
            lambda: top.alibaba_idle_tender_pre_pay_action(param0=command(), session=SESSION)
        )
    frames = [frame.f_code.co_name for frame, _ in traceback.walk_tb(error.__traceback__)]
    assert "call" in frames
    assert_no_secret(error)


def execute(top: TopClient) -> Callable[[], object]:
    return lambda: top.execute(Request(param0=command()), session=SESSION)


@pytest.mark.parametrize(
    "action",
    [
        Action(body=error_body(27, "Invalid session")),
        Action(body=b"<html>Bad Gateway</html>", status=502),
        Action(delay=2.0),
    ],
    ids=["top-error", "response-error", "timeout"],
)
def test_call_errors_show_no_secret(gateway: ScriptedGateway, action: Action) -> None:
    """TopError, ResponseError and a timed-out TransportError, with their whole chains."""
    gateway.script.append(action)
    with client(gateway, timeout=0.5) as top:
        error = raised(execute(top))
    assert gateway.received and gateway.received[0].params["session"] == SESSION
    assert_no_secret(error)


def test_unreachable_gateway_shows_no_secret() -> None:
    """A refused connection: its TransportError carries no httpx chain holding the form."""
    with TopClient(APP_KEY, APP_SECRET, gateway="http://127.0.0.1:9/r", timeout=5) as top:
        error = raised(execute(top))
    assert_no_secret(error)


def test_async_errors_show_no_secret(gateway: ScriptedGateway) -> None:
    """The async client's timeout and TopError likewise."""
    gateway.script += [Action(delay=2.0), Action(body=error_body(27, "Invalid session"))]
    made = async_client(gateway, timeout=0.5)  # out here: `run`'s locals hold no gateway

    async def run() -> list[BaseException]:
        errors = []
        async with made as top:
            for _ in range(2):
                try:
                    await top.execute(Request(param0=command()), session=SESSION)
                except Exception as exc:
                    errors.append(exc)
        return errors

    errors = asyncio.run(asyncio.wait_for(run(), 20))
    assert len(errors) == 2
    for error in errors:
        assert_no_secret(error)


def test_signing_failures_show_no_secret(gateway: ScriptedGateway) -> None:
    """A sign method broken after construction, and a lone surrogate in a parameter."""
    with client(gateway) as top:
        top.sign_method = "bogus"  # type: ignore[assignment]
        bogus = raised(execute(top))
    with client(gateway) as top:
        surrogate = raised(
            lambda: top.execute(Request(param0=command()), session=SESSION + "\ud800")
        )
    for error in (bogus, surrogate):
        assert isinstance(error, ValueError)
        assert_no_secret(error)


def test_surrogate_in_the_app_secret_is_refused_without_showing_it() -> None:
    """An app secret that is not text is refused at construction, its text nowhere."""
    error = raised(lambda: TopClient(APP_KEY, APP_SECRET + "\udc80"))
    assert isinstance(error, ValueError)
    assert_no_secret(error)


@pytest.mark.parametrize("kind", [TopClient, AsyncTopClient])
def test_clients_refuse_pickling(gateway: ScriptedGateway, kind: type[TopClient]) -> None:
    """pickle.dumps(client) raises a TypeError saying why, with no secret in it."""
    top = kind(APP_KEY, APP_SECRET, gateway=gateway.url)
    error = raised(lambda: pickle.dumps(top))
    assert isinstance(error, TypeError) and "pickle" in str(error)
    assert_no_secret(error)


@pytest.mark.parametrize(
    "action",
    [
        Action(body=error_body(27, "Invalid session")),
        Action(body=b"<html>Bad Gateway</html>", status=502),
        Action(delay=2.0),
    ],
    ids=["top-error", "response-error", "timeout"],
)
def test_batch_errors_show_no_secret(gateway: ScriptedGateway, action: Action) -> None:
    """A batch's errors: neither the shared session nor a call's own shows, in any frame."""
    gateway.script.append(action)
    calls = [
        BatchCall(Request(param0=command()), session=SESSION + "-own"),
        Request(param0=command()),
    ]
    with client(gateway, timeout=0.5) as top:
        error = raised(lambda: top.batch(calls, session=SESSION))
    assert SESSION + "-own" in gateway.received[0].body
    assert_no_secret(error)


def test_async_batch_error_shows_no_secret(gateway: ScriptedGateway) -> None:
    """The async client's batch timeout likewise."""
    gateway.script.append(Action(delay=2.0))
    made = async_client(gateway, timeout=0.5)
    calls = [BatchCall(Request(param0=command()), session=SESSION + "-own")]

    async def run() -> None:
        async with made as top:
            await top.batch(calls, session=SESSION)

    error = raised(lambda: asyncio.run(asyncio.wait_for(run(), 20)))
    assert_no_secret(error)


def test_batch_signing_failure_shows_no_secret(gateway: ScriptedGateway) -> None:
    """A sign method broken after construction, while a batch body with sessions is signed."""
    calls = [BatchCall(Request(param0=command()), session=SESSION + "-own")]
    with client(gateway) as top:
        top.sign_method = "bogus"  # type: ignore[assignment]
        error = raised(lambda: top.batch(calls, session=SESSION))
    assert isinstance(error, ValueError)
    assert_no_secret(error)
