"""topapi.tmc: TOP's message service (TMC) over its long connection, asyncio-native.

Delivery is at least once: a message is confirmed only after its handler succeeded; a handler
that raises (or calls `message.fail`) sends Failed so TMC redelivers it; a message whose
connection dropped before its answer was sent stays unconfirmed and comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import json
import logging
import random
import signal
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Generic, Protocol, TypeVar, overload

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from topapi import _tmc_wire as wire
from topapi._errors import (
    TmcConnectionLost,
    TmcConnectionRefused,
    TmcError,
    TmcPublishError,
    UsageError,
    cut,
)
from topapi._sign import Secret, sign

__all__ = [
    "TMC_PRODUCTION",
    "TMC_SANDBOX",
    "Answer",
    "DuplicateFilter",
    "Message",
    "Reconnect",
    "TmcClient",
    "TmcConnectionLost",
    "TmcConnectionRefused",
    "TmcError",
    "TmcPublishError",
]

TMC_PRODUCTION = "ws://mc.api.taobao.com/"
TMC_SANDBOX = "ws://mc.api.tbsandbox.com/"
GMT8 = timezone(timedelta(hours=8))
SDK = "topapi-tmc"
LOGGER = logging.getLogger("topapi.tmc")

ContentT = TypeVar("ContentT")
ModelT = TypeVar("ModelT", bound="_Validating")
Handler = Callable[["Message[ContentT]"], Awaitable[None] | None]
Decoder = Callable[[Any], ContentT]


class _Validating(Protocol):
    @classmethod
    def model_validate(cls, obj: Any) -> Any: ...


# websockets' DEBUG lines dump frame bytes (the token, a sign): its logger drops them.
_WEBSOCKETS_LOGGER = logging.getLogger("topapi.tmc.websockets")
_WEBSOCKETS_LOGGER.addFilter(lambda record: record.levelno > logging.DEBUG)


# Messages


@dataclass(frozen=True, eq=False)
class Message(Generic[ContentT]):
    """A pushed message: `text` is the content as sent, `data` its JSON, `content` the decoded
    value (the JSON, or the handler's model); `error` is why decoding failed (None normally,
    and then `content` is None)."""

    id: int
    topic: str
    text: str
    data: Any
    content: ContentT
    user_id: int | None
    nick: str | None
    publisher: str | None
    published_at: datetime | None  # GMT+8, aware
    _delivery: _Delivery = field(repr=False)
    error: Exception | None = None

    def confirm(self) -> Answer:
        """Confirm it now (await the result to know the frame went out)."""
        return self._delivery.decide(None)

    def fail(self, reason: str = "failed") -> Answer:
        """Fail it now (reason cut to 128 characters): TMC redelivers it later."""
        return self._delivery.decide(reason)

    @property
    def answered(self) -> bool:
        """Whether it was confirmed or failed already."""
        return self._delivery.decided


class Answer:
    """The sending of a Confirm or Failed: awaitable, raising TmcConnectionLost if it could
    not be sent (the message then comes back)."""

    def __init__(self, future: asyncio.Future[None]) -> None:
        self._future = future

    def __await__(self) -> Generator[Any, None, None]:
        return asyncio.shield(self._future).__await__()


def _retrieved(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()  # an answer nobody awaits does not log "never retrieved"


class _Delivery:
    """One pushed message on one connection: its decision (confirm or fail) and its sending."""

    def __init__(self, link: _Link, message_id: int) -> None:
        self.link = link
        self.message_id = message_id
        self.loop = asyncio.get_running_loop()
        self.decided = False
        self.reason: str | None = None  # why it failed; None when confirmed
        self.sent: asyncio.Future[None] = self.loop.create_future()
        self.sent.add_done_callback(_retrieved)

    def decide(self, reason: str | None) -> Answer:
        """Decide once (the first decision wins), from the loop or a handler's thread."""
        try:
            on_loop = asyncio.get_running_loop() is self.loop
        except RuntimeError:
            on_loop = False
        if on_loop:
            self._decide(reason)
        else:
            self.loop.call_soon_threadsafe(self._decide, reason)
        return Answer(self.sent)

    def _decide(self, reason: str | None) -> None:
        if self.decided:
            return
        self.decided, self.reason = True, reason
        token = self.link.token.reveal()
        frame = (
            wire.confirm(token, self.message_id)
            if reason is None
            else wire.failed(token, self.message_id, reason)
        )
        task = self.loop.create_task(self.link.send(frame))
        task.add_done_callback(self._sent)

    def _sent(self, task: asyncio.Task[None]) -> None:
        if self.sent.done():
            return
        if task.cancelled() or task.exception() is not None:
            self.sent.set_exception(
                TmcConnectionLost(f"message {self.message_id}: connection lost")
            )
        else:
            self.sent.set_result(None)

    @property
    def outcome(self) -> str:
        if not self.decided:
            return "unanswered"
        return "confirmed" if self.reason is None else "failed"


# Routing


@dataclass(frozen=True)
class _Route:
    handler: Callable[[Message[Any]], Awaitable[None] | None]
    decoder: Callable[[Any], Any] | None


class _Routes:
    """Exact topics first, then the longest prefix ending at a `_`, then the catch-all."""

    def __init__(self) -> None:
        self.topics: dict[str, _Route] = {}
        self.any: _Route | None = None

    def match(self, topic: str) -> _Route | None:
        if topic in self.topics:
            return self.topics[topic]
        parts = topic.split("_")
        for end in range(len(parts) - 1, 0, -1):
            route = self.topics.get("_".join(parts[:end]))
            if route:
                return route
        return self.any


# Duplicates


_DUPLICATE_KEYS = (
    ("taobao_trade", "trade", "tid"),
    ("taobao_item", "item", "num_iid"),
    ("taobao_refund", "refund", "refund_id"),
)


class DuplicateFilter:
    """Handles only the first of a burst of messages about one trade, item or refund.

    Keyed as the Java SDK's (`trade_<tid>`, `item_<num_iid>`, `refund_<refund_id>`); a key
    is remembered `window` seconds (at most `max_keys` of them) and forgotten when its
    message fails, so a redelivery is handled again.
    """

    def __init__(self, window: float = 60.0, max_keys: int = 100_000) -> None:
        self.window = window
        self.max_keys = max_keys
        self._seen: OrderedDict[str, float] = OrderedDict()

    @staticmethod
    def key(topic: str, data: Any) -> str | None:
        """The message's key, or None when it has none."""
        if not isinstance(data, dict):
            return None
        for prefix, name, field_name in _DUPLICATE_KEYS:
            if topic.startswith(prefix) and data.get(field_name) is not None:
                return f"{name}_{data[field_name]}"
        return None

    def seen(self, key: str) -> bool:
        """Whether `key` came within the window; remembers it either way."""
        now = time.monotonic()
        while self._seen and (
            len(self._seen) > self.max_keys
            or next(iter(self._seen.values())) < now - self.window
        ):
            self._seen.popitem(last=False)
        duplicate = key in self._seen
        self._seen[key] = now
        self._seen.move_to_end(key)
        return duplicate

    def forget(self, key: str) -> None:
        """Forget `key` (its message failed: the redelivery is no duplicate)."""
        self._seen.pop(key, None)


# Connections


@dataclass(frozen=True)
class Reconnect:
    """Backoff between connection attempts: `initial` doubling by `factor` up to `maximum`
    seconds, each delay scaled by a random factor in [1 - jitter, 1]; `attempts` failed
    attempts in a row end `run()` (None: retry for ever)."""

    initial: float = 1.0
    maximum: float = 30.0
    factor: float = 2.0
    jitter: float = 0.5
    attempts: int | None = None

    def delay(self, failures: int) -> float:
        """The wait after `failures` failed attempts in a row."""
        base = min(self.maximum, self.initial * self.factor ** min(failures - 1, 64))
        return base * (1 - self.jitter * random.random())


class _Link:
    """One accepted connection: its socket and routing token."""

    def __init__(self, ws: ClientConnection, token: str) -> None:
        self.ws = ws
        self.token = Secret(token)
        self.lost = asyncio.Event()

    async def send(self, frame: wire.Frame) -> None:
        if self.lost.is_set():
            raise TmcConnectionLost("the connection is gone")
        await self.ws.send(wire.encode(frame))

    def __repr__(self) -> str:
        return "<TMC connection>"


# The client


class TmcClient:
    """A TMC consumer (and publisher) on one long connection, reconnecting after any drop.

    Register handlers with `on(topic)` / `on_any`, then `await client.run()` or
    `async with client: ...`; `await client.close()` shuts down gracefully.
    """

    def __init__(
        self,
        app_key: str,
        app_secret: str,
        *,
        group: str = "default",
        url: str = TMC_PRODUCTION,
        max_in_flight: int = 16,
        auto_confirm: bool = True,
        pull_interval: float = 5.0,
        ping_interval: float = 45.0,
        connect_timeout: float = 10.0,
        publish_timeout: float = 10.0,
        reconnect: Reconnect = Reconnect(),
        duplicate_filter: DuplicateFilter | None = None,
        token: str | None = None,
    ) -> None:
        if max_in_flight < 1:
            raise UsageError("max_in_flight must be at least 1")
        self.app_key = app_key
        self._secret = Secret(app_secret)
        del app_secret
        self.group = group
        self.url = url
        self.max_in_flight = max_in_flight
        self.auto_confirm = auto_confirm
        self.pull_interval = pull_interval
        self.ping_interval = ping_interval
        self.connect_timeout = connect_timeout
        self.publish_timeout = publish_timeout
        self.reconnect = reconnect
        self.duplicate_filter = duplicate_filter
        self._token = Secret(token or "")
        self._routes = _Routes()
        self._link: _Link | None = None
        self._connected = asyncio.Event()
        self._closing = asyncio.Event()
        self._pull_now = asyncio.Event()
        self._slots = asyncio.Semaphore(max_in_flight)
        self._busy = 0
        self._deliveries: set[asyncio.Task[None]] = set()
        self._acks: dict[int, asyncio.Future[wire.Frame]] = {}
        self._flags = itertools.count(1)
        self._runner: asyncio.Task[None] | None = None
        self._accepted = False  # the current attempt's CONNECT was accepted
        self._starved = False  # a pull was skipped or a message waited for a slot

    def __repr__(self) -> str:
        return f"TmcClient(app_key={self.app_key!r}, group={self.group!r}, url={self.url!r})"

    # Handlers

    @overload
    def on(
        self, topic: str
    ) -> Callable[[Handler[Any]], Handler[Any]]: ...  # pragma: no cover

    @overload
    def on(
        self, topic: str, *, model: type[ModelT]
    ) -> Callable[[Handler[ModelT]], Handler[ModelT]]: ...  # pragma: no cover

    @overload
    def on(
        self, topic: str, *, decoder: Decoder[ContentT]
    ) -> Callable[[Handler[ContentT]], Handler[ContentT]]: ...  # pragma: no cover

    def on(
        self,
        topic: str,
        *,
        model: type[Any] | None = None,
        decoder: Decoder[Any] | None = None,
    ) -> Callable[[Handler[Any]], Handler[Any]]:
        """Register the decorated handler for `topic`, or every topic it is a prefix of
        (`"taobao_trade"`); `model` (a pydantic model) or `decoder` (a function of the
        JSON) makes `message.content` typed."""
        if not topic:
            raise UsageError("a topic is needed: use on_any for every topic")
        chosen = decoder or (model.model_validate if model is not None else None)

        def register(handler: Handler[Any]) -> Handler[Any]:
            self._routes.topics[topic] = _Route(handler, chosen)
            return handler

        return register

    def on_any(self, handler: Handler[Any]) -> Handler[Any]:
        """Register the decorated handler for topics no other handler takes."""
        self._routes.any = _Route(handler, None)
        return handler

    # Running

    async def __aenter__(self) -> TmcClient:
        """Start consuming; returns once connected (raises if refused)."""
        self._runner = asyncio.get_running_loop().create_task(self.run())
        connected = asyncio.ensure_future(self._connected.wait())
        await asyncio.wait([connected, self._runner], return_when="FIRST_COMPLETED")
        connected.cancel()
        if self._runner.done():
            self._runner.result()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def run(self) -> None:
        """Hold the connection until `close()`, reconnecting after drops (with backoff).

        Raises TmcConnectionRefused at once for a refused CONNECT, and TmcError when
        `reconnect.attempts` attempts in a row failed.
        """
        failures = 0
        while not self._closing.is_set():
            self._accepted = False
            try:
                await self._session()
            except InvalidURI:
                raise UsageError(f"not a WebSocket URL: {cut(self.url)}") from None
            except _TRANSIENT as error:
                if self._closing.is_set():
                    break
                LOGGER.warning("TMC connection failed: %s", _describe(error))
            failures = 1 if self._accepted else failures + 1
            if not self._closing.is_set():
                if self.reconnect.attempts and failures >= self.reconnect.attempts:
                    raise TmcError(f"TMC: {failures} connection attempts failed")
                with contextlib.suppress(TimeoutError):
                    delay = self.reconnect.delay(failures)
                    await asyncio.wait_for(self._closing.wait(), delay)

    def run_forever(self, *, shutdown_timeout: float = 30.0) -> None:
        """Run until SIGTERM or SIGINT, then shut down gracefully (blocking)."""

        async def main() -> None:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(
                    signum, lambda: loop.create_task(self.close(shutdown_timeout))
                )
            await self.run()

        asyncio.run(main())

    async def close(self, timeout: float = 30.0) -> None:
        """Stop taking messages, let in-flight handlers finish (within `timeout` seconds) and
        send their answers, then close the connection. Unfinished handlers are cancelled:
        their messages stay unconfirmed."""
        self._closing.set()
        pending = set(self._deliveries)
        if pending:
            _, late = await asyncio.wait(pending, timeout=timeout)
            for task in late:
                task.cancel()
        link = self._link
        if link is not None:
            await link.ws.close()
        if self._runner is not None and self._runner is not asyncio.current_task():
            with contextlib.suppress(asyncio.CancelledError, TmcError):
                await asyncio.wait_for(self._runner, timeout=max(timeout, 1.0))

    async def wait_connected(self, timeout: float | None = None) -> None:
        """Wait until a connection is accepted."""
        await asyncio.wait_for(self._connected.wait(), timeout)

    # One connection

    async def _session(self) -> None:
        async with connect(
            self.url,
            open_timeout=self.connect_timeout,
            ping_interval=self.ping_interval,
            ping_timeout=self.ping_interval,
            close_timeout=2.0,
            max_size=2 * wire.MAX_FIELD_BYTES,
            max_queue=4,
            compression=None,
            user_agent_header=SDK,
            logger=_WEBSOCKETS_LOGGER,
        ) as ws:
            link = await self._handshake(ws)
            self._link = link
            self._accepted = True
            self._connected.set()
            LOGGER.info("TMC connected to %s as group %s", self.url, self.group)
            puller = asyncio.get_running_loop().create_task(self._puller(link))
            try:
                await self._read(link)
            finally:
                self._lose(link)
                puller.cancel()

    async def _handshake(self, ws: ClientConnection) -> _Link:
        timestamp = str(int(time.time() * 1000))
        params = {"app_key": self.app_key, "group_name": self.group}
        params["timestamp"] = timestamp
        flag = next(self._flags)
        token = self._token.reveal()
        frame = wire.connect(
            self.app_key,
            self.group,
            timestamp,
            sign(params, self._secret, "md5"),
            flag=flag,
            extra=(
                ("sdk", wire.Value.string(SDK)),
                ("intranet_ip", wire.Value.string(_local_ip(ws))),
                ("minor_group", wire.Value.string("default")),
                ("filter_exp", wire.Value.string("*")),
                ("token", wire.Value.string(token) if token else wire.Value.void()),
            ),
        )
        await ws.send(wire.encode(frame))
        reply = wire.decode(
            _binary(await asyncio.wait_for(ws.recv(), self.connect_timeout))
        )
        if reply.type is not wire.FrameType.CONNECTACK or reply.is_error:
            raise TmcConnectionRefused(reply.status_code, reply.status_phrase)
        return _Link(ws, reply.token)

    def _lose(self, link: _Link) -> None:
        link.lost.set()
        self._connected.clear()
        if self._link is link:
            self._link = None
        for future in self._acks.values():
            if not future.done():
                future.set_exception(TmcConnectionLost("the connection dropped"))
        self._acks.clear()

    async def _puller(self, link: _Link) -> None:
        """A pull right after connecting, then every pull_interval or when a slot frees."""
        while not self._closing.is_set():
            self._pull_now.clear()
            if self._busy < self.max_in_flight:
                with contextlib.suppress(TmcConnectionLost, ConnectionClosed):
                    await link.send(wire.pull(link.token.reveal()))
            else:
                self._starved = True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._pull_now.wait(), self.pull_interval)

    async def _read(self, link: _Link) -> None:
        while not self._closing.is_set():
            try:
                frame = wire.decode(_binary(await link.ws.recv()))
            except wire.WireError as error:
                LOGGER.warning("TMC sent a frame that cannot be read: %s", error)
                continue
            if frame.type is wire.FrameType.SENDACK:
                self._acked(frame)
            elif frame.type is wire.FrameType.SEND and frame.kind == wire.Kind.DATA:
                await self._take(link, frame)

    async def _take(self, link: _Link, frame: wire.Frame) -> None:
        try:
            pushed = wire.pushed(frame)
        except wire.WireError as error:
            LOGGER.warning("TMC pushed a message that cannot be read: %s", error)
            return
        if self._slots.locked():
            self._starved = True
        await self._slots.acquire()  # all busy: stop reading (no unbounded buffering)
        if self._closing.is_set():
            self._slots.release()  # not started: it stays unconfirmed
            return
        self._busy += 1
        task = asyncio.get_running_loop().create_task(self._deliver(link, pushed))
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)

    # One message

    async def _deliver(self, link: _Link, pushed: wire.Pushed) -> None:
        started = time.monotonic()
        delivery = _Delivery(link, pushed.id)
        route = self._routes.match(pushed.topic)
        message = _message(pushed, delivery, route.decoder if route else None)
        key = (
            self.duplicate_filter.key(pushed.topic, message.data)
            if self.duplicate_filter
            else None
        )
        note = ""
        try:
            if key and self.duplicate_filter and self.duplicate_filter.seen(key):
                note = " (duplicate)"
                delivery.decide(None)
            elif route is None:
                delivery.decide(f"no handler for topic {pushed.topic}")
            else:
                note = await self._handle(route, message, delivery)
            await _settled(delivery)
        finally:
            if key and self.duplicate_filter and delivery.reason is not None:
                self.duplicate_filter.forget(key)
            self._busy -= 1
            self._slots.release()
            if self._starved:
                self._starved = False
                self._pull_now.set()
            LOGGER.debug(
                "TMC message %s id=%s %s%s in %.1f ms",
                pushed.topic,
                pushed.id,
                delivery.outcome,
                note,
                (time.monotonic() - started) * 1000,
            )

    async def _handle(
        self, route: _Route, message: Message[Any], delivery: _Delivery
    ) -> str:
        try:
            if inspect.iscoroutinefunction(route.handler):
                await route.handler(message)
            else:
                result = await asyncio.to_thread(route.handler, message)
                if inspect.isawaitable(result):
                    await result
        except Exception as error:  # the handler's failure is the message's outcome
            delivery.decide(
                cut(f"{type(error).__name__}: {error}", wire.MAX_REASON_CHARS)
            )
            LOGGER.warning(
                "TMC handler for %s raised (message %s failed)",
                message.topic,
                message.id,
                exc_info=error,
            )
            return f" ({type(error).__name__})"
        if self.auto_confirm:
            delivery.decide(None)
        return ""

    # Publishing

    async def publish(
        self, topic: str, content: str, *, session: str | None = None
    ) -> None:
        """Publish `content` on `topic` over the connection; returns once TMC acknowledged it
        (TmcPublishError if it refused, TmcConnectionLost if the connection dropped)."""
        wrapped = Secret(session) if session is not None else None
        del session
        await asyncio.wait_for(self._connected.wait(), self.publish_timeout)
        link = self._link
        if link is None:
            raise TmcConnectionLost("not connected")
        flag = next(self._flags)
        future: asyncio.Future[wire.Frame] = asyncio.get_running_loop().create_future()
        self._acks[flag] = future
        try:
            await link.send(
                wire.data(
                    link.token.reveal(),
                    topic,
                    content,
                    session=wrapped.reveal() if wrapped is not None else None,
                    flag=flag,
                )
            )
            ack = await asyncio.wait_for(future, self.publish_timeout)
        finally:
            self._acks.pop(flag, None)
        if ack.is_error:
            raise TmcPublishError(ack.status_code, ack.status_phrase)

    def _acked(self, frame: wire.Frame) -> None:
        future = self._acks.get(frame.flag)
        if future is not None and not future.done():
            future.set_result(frame)


async def _settled(delivery: _Delivery) -> None:
    """Wait until the message is answered and the answer sent, or its connection is lost."""
    if not delivery.decided:
        decided = asyncio.ensure_future(_decided(delivery))
        lost = asyncio.ensure_future(delivery.link.lost.wait())
        await asyncio.wait([decided, lost], return_when="FIRST_COMPLETED")
        decided.cancel()
        lost.cancel()
    if delivery.decided:
        with contextlib.suppress(TmcConnectionLost):
            await Answer(delivery.sent)


async def _decided(delivery: _Delivery) -> None:
    await asyncio.shield(delivery.sent)


def _message(
    pushed: wire.Pushed, delivery: _Delivery, decoder: Callable[[Any], Any] | None
) -> Message[Any]:
    data: Any = None
    content: Any = None
    error: Exception | None = None
    try:
        data = json.loads(pushed.content) if pushed.content else None
        content = decoder(data) if decoder else data
    except Exception as problem:  # a decoder's any failure is the message's error
        error = problem
    return Message(
        id=pushed.id,
        topic=pushed.topic,
        text=pushed.content,
        data=data,
        content=content,
        user_id=pushed.user_id,
        nick=pushed.nick,
        publisher=pushed.publisher,
        published_at=pushed.time.astimezone(GMT8) if pushed.time else None,
        error=error,
        _delivery=delivery,
    )


_TRANSIENT = (
    OSError,
    TimeoutError,
    InvalidHandshake,
    ConnectionClosed,
    wire.WireError,
    TmcConnectionLost,
)


def _binary(data: str | bytes) -> bytes:
    if isinstance(data, str):
        raise wire.WireError("a text WebSocket message (TMC frames are binary)")
    return data


def _local_ip(ws: ClientConnection) -> str:
    address = ws.local_address
    return str(address[0]) if address else ""


def _describe(error: BaseException) -> str:
    return cut(f"{type(error).__name__}: {error}", 200)
