"""topapi.tmc: TOP's message service (TMC), asyncio-native: over its long connection
(`TmcClient`) or by REST polling (`TmcPoller`), with the same handlers.

Delivery is at least once: a message is confirmed only after its handler succeeded; a handler
that raises (or calls `message.fail`) sends Failed so TMC redelivers it; a message whose
connection dropped before its answer was sent stays unconfirmed and comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import itertools
import logging
import random
import time
from dataclasses import dataclass
from types import ModuleType
from typing import Any, overload

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from topapi import _tmc_wire as wire
from topapi._client import AsyncTopClient
from topapi._codec import GMT8, in_gmt8
from topapi._errors import (
    TmcConnectionLost,
    TmcConnectionRefused,
    TmcError,
    TmcPublishError,
    TopapiError,
    UsageError,
    cut,
)
from topapi._sign import Secret, sign
from topapi._tmc_consume import (
    LOGGER,
    Answer,
    Consumer,
    DuplicateFilter,
    Message,
    outgoing,
)
from topapi._topic import TopicPayload

__all__ = [
    "GMT8",
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
    "TmcPoller",
    "TmcPublishError",
]

TMC_PRODUCTION = "ws://mc.api.taobao.com/"
TMC_SANDBOX = "ws://mc.api.tbsandbox.com/"
SDK = "topapi-tmc"

# websockets' DEBUG lines dump frame bytes (the token, a sign): its logger drops them.
_WEBSOCKETS_LOGGER = logging.getLogger("topapi.tmc.websockets")
_WEBSOCKETS_LOGGER.addFilter(lambda record: record.levelno > logging.DEBUG)


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

    async def answer(self, message_id: int, reason: str | None) -> None:
        """A Confirm, or a Failed with its reason, on this connection only."""
        token = self.token.reveal()
        if reason is None:
            await self.send(wire.confirm(token, message_id))
        else:
            await self.send(wire.failed(token, message_id, reason))

    def __repr__(self) -> str:
        return "<TMC connection>"


# The client


class TmcClient(Consumer):
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
        auth_client: AsyncTopClient | None = None,
    ) -> None:
        super().__init__(
            max_in_flight=max_in_flight,
            auto_confirm=auto_confirm,
            duplicate_filter=duplicate_filter,
        )
        self.app_key = app_key
        self._secret = Secret(app_secret)
        del app_secret
        self.group = group
        self.url = url
        self.pull_interval = pull_interval
        self.ping_interval = ping_interval
        self.connect_timeout = connect_timeout
        self.publish_timeout = publish_timeout
        self.reconnect = reconnect
        self._token = Secret(token or "")
        self.auth_client = auth_client
        self._link: _Link | None = None
        self._acks: dict[int, asyncio.Future[wire.Frame]] = {}
        self._flags = itertools.count(1)
        self._accepted = False  # the current attempt's CONNECT was accepted

    def __repr__(self) -> str:
        return f"TmcClient(app_key={self.app_key!r}, group={self.group!r}, url={self.url!r})"

    # Running

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
            except (TmcConnectionRefused, UsageError):
                raise
            except _TRANSIENT as error:
                if self._closing.is_set():
                    break
                LOGGER.warning("TMC connection failed: %s", _describe(error))
            failures = 1 if self._accepted else failures + 1
            if not self._closing.is_set():
                if self.reconnect.attempts and failures >= self.reconnect.attempts:
                    raise TmcError(f"TMC: {failures} connection attempts failed")
                await self._pause(self.reconnect.delay(failures))

    async def _stop(self) -> None:
        link = self._link
        if link is not None:
            await link.ws.close()

    async def wait_connected(self, timeout: float | None = None) -> None:
        """Wait until a connection is accepted."""
        await asyncio.wait_for(self._ready.wait(), timeout)

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
            self._ready.set()
            LOGGER.info("TMC connected to %s as group %s", self.url, self.group)
            puller = asyncio.get_running_loop().create_task(self._puller(link))
            try:
                await self._read(link)
            finally:
                self._lose(link)
                puller.cancel()

    async def _connection_token(self) -> str:
        """The CONNECT's token: given, or from taobao.tmc.auth.get (production, or when an
        auth_client is given), or none."""
        if self._token or (self.auth_client is None and self.url != TMC_PRODUCTION):
            return self._token.reveal()
        auth = rest_api("taobao_tmc_auth_get")
        if self.auth_client is not None:
            response = await auth.acall(self.auth_client, group=self.group)
        else:
            async with AsyncTopClient(self.app_key, self._secret.reveal()) as top:
                response = await auth.acall(top, group=self.group)
        result: str = response.result or ""
        return result

    async def _handshake(self, ws: ClientConnection) -> _Link:
        token = Secret(await self._connection_token())
        timestamp = str(int(time.time() * 1000))
        params = {"app_key": self.app_key, "group_name": self.group}
        params["timestamp"] = timestamp
        flag = next(self._flags)
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
                (
                    "token",
                    wire.Value.string(token.reveal()) if token else wire.Value.void(),
                ),
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
        self._ready.clear()
        if self._link is link:
            self._link = None
        for future in self._acks.values():
            if not future.done():
                future.set_exception(TmcConnectionLost("the connection dropped"))
        self._acks.clear()

    async def _puller(self, link: _Link) -> None:
        """A pull right after connecting, then every pull_interval or when a slot frees."""
        while not self._closing.is_set():
            self._slot_wanted.clear()
            if self._routes.empty:
                pass  # only publishing: nothing to pull for
            elif self._busy < self.max_in_flight:
                with contextlib.suppress(TmcConnectionLost, ConnectionClosed):
                    await link.send(wire.pull(link.token.reveal()))
            else:
                self._starved = True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._slot_wanted.wait(), self.pull_interval)

    async def _read(self, link: _Link) -> None:
        # Until the socket closes, closing included: answers still go out while handlers
        # finish, and a message pushed meanwhile is left unstarted (see _take).
        while True:
            try:
                frame = wire.decode(_binary(await link.ws.recv()))
            except wire.WireError as error:
                LOGGER.warning("TMC sent a frame that cannot be read: %s", error)
                continue
            if frame.type is wire.FrameType.SENDACK:
                self._acked(frame)
            elif frame.type is wire.FrameType.SEND and frame.kind == wire.Kind.DATA:
                await self._take_pushed(link, frame)

    async def _take_pushed(self, link: _Link, frame: wire.Frame) -> None:
        try:
            await self._take(link, wire.pushed(frame))
            return
        except wire.WireError as error:
            problem = error
        message_id, topic = frame.integer("id"), frame.text("topic")
        if message_id is None or topic is None:
            LOGGER.warning("TMC pushed a message that cannot be read: %s", problem)
            return
        # Its content cannot be read: the handler gets it with `error` set, and decides.
        pushed = wire.Pushed(message_id, topic, "", frame.date("time"))
        await self._take(link, pushed, problem)

    # Publishing

    @overload
    async def publish(
        self, topic: str, content: str, *, session: str | None = None
    ) -> None: ...  # pragma: no cover

    @overload
    async def publish(
        self, topic: TopicPayload, *, session: str | None = None
    ) -> None: ...  # pragma: no cover

    async def publish(
        self,
        topic: str | TopicPayload,
        content: str | None = None,
        *,
        session: str | None = None,
    ) -> None:
        """Publish `content` on `topic` (or an `out` topic's payload model, as its content)
        over the connection; returns once TMC acknowledged it (TmcPublishError if it
        refused, TmcConnectionLost if not connected within `publish_timeout` or dropped,
        TmcError if no SENDACK came within it)."""
        wrapped = Secret(session) if session is not None else None
        del session
        topic, content = outgoing(topic, content)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), self.publish_timeout)
        link = self._link
        if link is None:
            raise TmcConnectionLost(f"not connected within {self.publish_timeout} s")
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
        except TimeoutError:
            raise TmcError(f"no SENDACK within {self.publish_timeout} s") from None
        finally:
            self._acks.pop(flag, None)
        if ack.is_error:
            raise TmcPublishError(ack.status_code, ack.status_phrase)

    def _acked(self, frame: wire.Frame) -> None:
        future = self._acks.get(frame.flag)
        if future is not None and not future.done():
            future.set_result(frame)


_TRANSIENT = (
    TopapiError,  # taobao.tmc.auth.get failed
    OSError,
    TimeoutError,
    InvalidHandshake,
    ConnectionClosed,
    wire.WireError,
    TmcConnectionLost,
)


def rest_api(module: str) -> ModuleType:
    """The generated binding of a TMC REST API, imported when first needed."""
    try:
        return importlib.import_module(f"topapi.apis.{module}")
    except ModuleNotFoundError:
        method = module.replace("_", ".")
        raise UsageError(
            f"this topapi was generated without {method}: add its spec and regenerate"
        ) from None


def _binary(data: str | bytes) -> bytes:
    if isinstance(data, str):
        raise wire.WireError("a text WebSocket message (TMC frames are binary)")
    return data


def _local_ip(ws: ClientConnection) -> str:
    address = ws.local_address
    return str(address[0]) if address else ""


def _describe(error: BaseException) -> str:
    return cut(f"{type(error).__name__}: {error}", 200)


# REST polling


class _Batch:
    """The messages of one consume call: their confirms go in one confirm call after the
    handlers. REST has no Failed: a message not confirmed comes back after TMC's lease.
    """

    def __init__(self) -> None:
        self.lost = asyncio.Event()  # never: a REST batch has no connection to lose
        self.confirmed: list[int] = []

    async def answer(self, message_id: int, reason: str | None) -> None:
        if reason is None:
            self.confirmed.append(message_id)

    def __repr__(self) -> str:
        return f"<TMC batch of {len(self.confirmed)} confirmed>"


MAX_CONFIRM_IDS = 200


class TmcPoller(Consumer):
    """The same handlers over REST polling, for hosts that cannot hold a WebSocket:
    `taobao.tmc.messages.consume` batches (up to 200), sleeping `idle_sleep` when one is
    empty, `taobao.tmc.messages.confirm` after the handlers."""

    def __init__(
        self,
        client: AsyncTopClient,
        *,
        group: str | None = None,
        quantity: int = 100,
        idle_sleep: float = 1.0,
        max_in_flight: int = 16,
        auto_confirm: bool = True,
        duplicate_filter: DuplicateFilter | None = None,
        retry: Reconnect = Reconnect(),
    ) -> None:
        super().__init__(
            max_in_flight=max_in_flight,
            auto_confirm=auto_confirm,
            duplicate_filter=duplicate_filter,
        )
        if not 10 <= quantity <= 200:
            raise UsageError(f"quantity must be 10 to 200, not {quantity}")
        self.client = client
        self.group = group
        self.quantity = quantity
        self.idle_sleep = idle_sleep
        self.retry = retry

    def __repr__(self) -> str:
        return f"TmcPoller(app_key={self.client.app_key!r}, group={self.group!r})"

    async def run(self) -> None:
        """Poll until `close()`; TmcError when `retry.attempts` calls in a row failed."""
        consume = rest_api("taobao_tmc_messages_consume")
        confirm = rest_api("taobao_tmc_messages_confirm")
        self._ready.set()
        failures = 0
        while not self._closing.is_set():
            try:
                response = await consume.acall(
                    self.client, group_name=self.group, quantity=self.quantity
                )
            except TopapiError as error:
                failures += 1
                LOGGER.warning("TMC consume failed: %s", _describe(error))
                if self.retry.attempts and failures >= self.retry.attempts:
                    raise TmcError(
                        f"TMC: {failures} consume calls in a row failed"
                    ) from error
                await self._pause(self.retry.delay(failures))
                continue
            failures = 0
            if response.messages:
                await self._batch(response.messages, confirm)
            else:
                await self._pause(self.idle_sleep)

    @overload
    async def publish(
        self, topic: str, content: str, *, session: str | None = None
    ) -> list[str]: ...  # pragma: no cover

    @overload
    async def publish(
        self, topic: TopicPayload, *, session: str | None = None
    ) -> list[str]: ...  # pragma: no cover

    async def publish(
        self,
        topic: str | TopicPayload,
        content: str | None = None,
        *,
        session: str | None = None,
    ) -> list[str]:
        """Publish `content` on `topic` (or an `out` topic's payload model, as its content)
        through taobao.tmc.message.produce; the message ids (TopError or BusinessError if
        TOP refused it)."""
        topic, content = outgoing(topic, content)
        produce = rest_api("taobao_tmc_message_produce")
        response = await produce.acall(
            self.client, topic=topic, content=content, session=session
        )
        ids: list[str] = response.msg_ids or []
        return ids

    async def _batch(self, messages: list[Any], confirm: ModuleType) -> None:
        batch = _Batch()
        tasks = []
        for item in messages:
            task = await self._take(batch, _pushed(item))
            if task is None:
                break
            tasks.append(task)
        if tasks:
            await asyncio.wait(tasks)
        for start in range(0, len(batch.confirmed), MAX_CONFIRM_IDS):
            ids = batch.confirmed[start : start + MAX_CONFIRM_IDS]
            try:
                await confirm.acall(
                    self.client,
                    group_name=self.group,
                    s_message_ids=list(map(str, ids)),
                )
            except TopapiError as error:  # they come back: delivery is at least once
                LOGGER.warning(
                    "TMC confirm of %d failed: %s", len(ids), _describe(error)
                )


def _pushed(item: Any) -> wire.Pushed:
    """A consumed TmcMessage as the fields of a pushed one."""
    return wire.Pushed(
        id=item.id,
        topic=item.topic or "",
        content=item.content or "",
        time=in_gmt8(item.pub_time) if item.pub_time else None,
        publisher=item.pub_app_key,
        nick=item.user_nick,
        user_id=item.user_id,
    )
