"""`topgen serve`: the sandbox behind HTTP, on aiohttp; in the foreground or in a thread."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from aiohttp import web

from ..diagnostics import Level, SpecError
from ..pipeline import check_specs
from ..spec.load import APIS_DIR, ENVELOPE_FILE
from .batch import BATCH_PATH, read_batch
from .callerror import CallError
from .fixtures import load_fixtures
from .form import Limits, body_error, read_call
from .gateway import (
    DEFAULT_APP_KEY,
    DEFAULT_APP_SECRET,
    GMT8,
    Answer,
    Sandbox,
    format_of,
    refused_answer,
)
from .tmc import connection as tmc_connection
from .tmc.hub import TmcSettings
from .tmc.service import Tmc
from .tmc.store import Message
from .topics import example_for

ROUTER_PATH = "/router/rest"
TMC_PATH = "/"  # where mc.api.taobao.com takes its long connections
LOGGED_CHARS = 200
DEFAULT_LIMITS = Limits()

log = logging.getLogger("topgen.serve")


def build_sandbox(
    specs: Path,
    app_key: str = DEFAULT_APP_KEY,
    app_secret: str = DEFAULT_APP_SECRET,
    fixtures: Path | None = None,
    tmc: Tmc | None = None,
) -> Sandbox:
    """The gateway of every API in `specs`; SpecError or ValueError on bad input.

    `tmc` is the message service it answers TMC from (kept across reloads); a new one in
    memory when not given.

    Warnings are logged as warnings; notes on recorded quirks and the stand-ins the sandbox
    answers for examples that do not fit their type (which validate reports) only as debug.
    """
    project, found = check_specs(specs)
    for diagnostic in found:
        log.log(
            logging.DEBUG if diagnostic.level is Level.NOTE else logging.WARNING,
            "%s",
            diagnostic,
        )
    sandbox = Sandbox(project, app_key, app_secret, load_fixtures(fixtures), tmc or Tmc())
    for note in sandbox.notes:
        log.debug("%s", note)
    return sandbox


def message_service(redeliver_after: float | None = None) -> Tmc:
    """A message service in memory, failed messages back after `redeliver_after` (or 300 s)."""
    if redeliver_after is None:
        return Tmc()
    return Tmc.open(settings=TmcSettings(redeliver_after=redeliver_after))


@dataclass
class Live:
    """The sandbox being served: replaced whole when the specs are reloaded."""

    sandbox: Sandbox


class Incoming(Protocol):
    """A request as read off HTTP: one call, or a batch of them."""

    def answer(self, sandbox: Sandbox, now: datetime) -> Answer:
        """The gateway's answer to it."""
        ...


Reader = Callable[[web.Request, Limits], Awaitable[Incoming]]


def make_app(sandbox: Sandbox | Live, limits: Limits = DEFAULT_LIMITS) -> web.Application:
    """The aiohttp application: /router/rest (GET, POST), /router/batch (POST), TMC at /."""
    app = web.Application(client_max_size=limits.max_body)
    live = sandbox if isinstance(sandbox, Live) else Live(sandbox)
    router = _router(live, limits, read_call)
    app.router.add_route("GET", ROUTER_PATH, router)
    app.router.add_route("POST", ROUTER_PATH, router)
    app.router.add_route("POST", BATCH_PATH, _router(live, limits, read_batch))
    app.router.add_get(TMC_PATH, tmc_connection.handler(lambda: live.sandbox))
    return app


def _router(
    live: Live, limits: Limits, read: Reader
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def router(request: web.Request) -> web.Response:
        started = time.perf_counter()
        answer = await _answer(live.sandbox, request, limits, read)
        elapsed = (time.perf_counter() - started) * 1000
        log.info("%s %s %.1f ms", loggable(answer.method or "-"), answer.outcome, elapsed)
        response = web.Response(body=answer.body, headers={"Content-Type": answer.content_type})
        if answer.close:  # sent now, then the connection closed: no lingering for the rest
            response.force_close()
            await response.prepare(request)
            await response.write_eof()
            if request.transport is not None:
                request.transport.close()
        return response

    return router


def loggable(text: str) -> str:
    """A caller's value fit for one log line: control characters escaped, length capped."""
    cut = text[:LOGGED_CHARS]
    shown = cut if cut.isprintable() else repr(cut)[1:-1]
    return shown if len(text) <= LOGGED_CHARS else f"{shown}... ({len(text)} characters)"


async def _answer(sandbox: Sandbox, request: web.Request, limits: Limits, read: Reader) -> Answer:
    try:
        async with asyncio.timeout(limits.body_seconds):  # a timer, not a task per call
            incoming = await read(request, limits)
    except CallError as refused:
        return _refused(refused, request.query)
    except TimeoutError:  # a client dripping its body: answered, and the connection closed
        why = f"the body took longer than {limits.body_seconds:g} s to arrive"
        return _refused(body_error(why), request.query, close=True)
    except Exception as exc:  # any unreadable body is the caller's error, never a crash
        why = f"the body could not be read: {type(exc).__name__}"
        return _refused(body_error(why), request.query)
    return incoming.answer(sandbox, datetime.now(GMT8))


def _refused(refused: CallError, query: Mapping[str, str], close: bool = False) -> Answer:
    method = query.get("method", "")
    return refused_answer(refused, format_of(query), method, "sandbox-refused", close)


class ListenError(OSError):
    """The server cannot listen on the address it was given."""


@dataclass(frozen=True)
class Reload:
    """How to rebuild the sandbox when a file it is built from changes, polled every `interval`."""

    rebuild: Callable[[], Sandbox]
    specs: Path
    fixtures: Path | None = None
    interval: float = 0.5


def serve_forever(
    sandbox: Sandbox,
    host: str,
    port: int,
    listening: Callable[[str], None],
    reload: Reload | None = None,
) -> None:
    """Serve until interrupted (the `topgen serve` command); `listening(url)` once it listens.

    ListenError when the address is taken or cannot be bound.
    """
    asyncio.run(_serve(Live(sandbox), host, port, listening, reload))


async def _serve(
    live: Live, host: str, port: int, listening: Callable[[str], None], reload: Reload | None
) -> None:
    runner = web.AppRunner(make_app(live), access_log=None)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as exc:
            why = os.strerror(exc.errno).lower() if exc.errno else str(exc)
            raise ListenError(f"cannot listen on {host}:{port}: {why}") from None
        bound = runner.addresses[0][1]
        listening(f"http://{host}:{bound}{ROUTER_PATH}")
        stopped = _stop_signal()
        if reload is None:
            await stopped.wait()
        else:
            watcher = asyncio.create_task(_watch(live, reload))
            await stopped.wait()
            watcher.cancel()
    finally:
        await runner.cleanup()


def _stop_signal() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM, so that the server stops cleanly on either."""
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows' loop
            loop.add_signal_handler(number, stopped.set)
    return stopped


async def _watch(live: Live, reload: Reload) -> None:
    """Poll the specs' (and fixtures') files; on a change, rebuild and swap the sandbox in."""
    seen = _stamps(reload)
    while True:
        await asyncio.sleep(reload.interval)
        now = _stamps(reload)
        if now == seen:
            continue
        seen = now
        try:
            sandbox = await asyncio.to_thread(reload.rebuild)
        except SpecError as exc:
            for diagnostic in exc.diagnostics:
                log.error("%s", diagnostic)
            log.error("the specs changed but do not load; keeping the previous specs")
        except (OSError, ValueError) as exc:
            log.error("%s; keeping the previous specs", exc)
        else:
            live.sandbox = sandbox
            log.info("reloaded the specs: %d APIs", len(sandbox.apis))


def _stamps(reload: Reload) -> dict[Path, tuple[int, int]]:
    """Modification time and size of each file the sandbox is built from."""
    paths = [reload.specs / ENVELOPE_FILE, *(reload.specs / APIS_DIR).glob("*.yaml")]
    if reload.fixtures is not None:
        paths.extend(reload.fixtures.glob("*"))
    stamps = {}
    for path in paths:
        with contextlib.suppress(OSError):  # removed between listing and looking
            stat = path.stat()
            stamps[path] = (stat.st_mtime_ns, stat.st_size)
    return stamps


@dataclass
class RunningSandbox:
    """A sandbox serving in a background thread; stop() ends it."""

    url: str
    sandbox: Sandbox
    _loop: asyncio.AbstractEventLoop
    _runner: web.AppRunner
    _thread: threading.Thread

    @property
    def tmc_url(self) -> str:
        """Where its message service takes TMC long connections (ws://host:port/)."""
        return "ws" + self.url.removeprefix("http").removesuffix(ROUTER_PATH) + TMC_PATH

    def publish(self, topic: str, content: str | None = None, **event: Any) -> Message:
        """Queue a message into the running sandbox (see Tmc.publish_event), from any thread;
        without `content`, the topic's example (ValueError for a topic without a spec)."""
        tmc = self.sandbox.tmc
        if tmc is None:
            raise ValueError("this sandbox has no message service")
        if content is None:
            content = example_for(self.sandbox.topics, topic)

        async def put() -> Message:  # on the sandbox's loop, which owns the queues
            return tmc.publish_event(topic, content, **event)

        return asyncio.run_coroutine_threadsafe(put(), self._loop).result(timeout=10)

    def stop(self) -> None:
        """Stop serving, wait for the thread to end and close its event loop."""
        future = asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop)
        future.result(timeout=10)
        _end(self._loop, self._thread)


def start_in_thread(
    sandbox: Sandbox, host: str = "127.0.0.1", port: int = 0, limits: Limits = DEFAULT_LIMITS
) -> RunningSandbox:
    """Serve `sandbox` on a free port (port 0) in a daemon thread; returns once it listens."""
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(make_app(sandbox, limits), access_log=None)
    thread = threading.Thread(target=_run, args=(loop,), name="topgen-sandbox", daemon=True)
    thread.start()

    async def start() -> int:
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound: int = runner.addresses[0][1]
        return bound

    try:
        bound = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=30)
    except BaseException:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        _end(loop, thread)
        raise
    url = f"http://{host}:{bound}{ROUTER_PATH}"
    return RunningSandbox(url, sandbox, loop, runner, thread)


def _run(loop: asyncio.AbstractEventLoop) -> None:
    """The sandbox thread: run the loop until it is stopped, then close it, sockets and all."""
    try:
        loop.run_forever()
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


def _end(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)
