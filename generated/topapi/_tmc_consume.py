"""What every TMC consumer shares: messages, handlers and their routing, at-least-once delivery
with bounded concurrency, the duplicate filter and graceful shutdown.

A consumer takes messages from a channel (the long connection, or a REST batch) that answers
them: Confirm after the handler succeeded, Failed when it raised or called `message.fail`.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import signal
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

from topapi import _tmc_wire as wire
from topapi._codec import GMT8
from topapi._errors import TmcConnectionLost, TmcError, UsageError, cut
from topapi._tmc_wire import Pushed
from topapi._topic import Direction, TopicPayload, decode, decode_data, payload_type

if TYPE_CHECKING:  # generated with the topics: on()'s overloads, one per topic
    from topapi._tmc_on import On

LOGGER = logging.getLogger("topapi.tmc")

ContentT = TypeVar("ContentT")
Handler = Callable[["Message[ContentT]"], Awaitable[None] | None]
Decoder = Callable[[Any], ContentT]
ConsumerT = TypeVar("ConsumerT", bound="Consumer")


class Channel(Protocol):
    """Where messages come from and their answers go."""

    lost: asyncio.Event  # set when answers can no longer be sent

    async def answer(self, message_id: int, reason: str | None) -> None:
        """Confirm the message (reason None) or fail it."""


# Messages


@dataclass(frozen=True, eq=False)
class Message(Generic[ContentT]):
    """A message of TMC: `text` is the content as sent, `data` its JSON, `content` the decoded
    value (the topic's payload model of topapi.topics, the handler's model or decoder's
    value, or else the JSON); `error` is why decoding failed (None normally; for a payload
    model the ContentError with the raw text), and then reading `content` raises it."""

    id: int
    topic: str
    text: str
    data: Any
    _content: ContentT
    user_id: int | None
    nick: str | None
    publisher: str | None
    published_at: datetime | None  # GMT+8, aware
    _delivery: _Delivery = field(repr=False)
    error: Exception | None = None

    @property
    def content(self) -> ContentT:
        """The decoded content; `error` if it could not be decoded (check `error` first)."""
        if self.error is not None:
            raise self.error
        return self._content

    def confirm(self) -> Answer:
        """Confirm it now (await the result to know the answer went out)."""
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
    """One message from one channel: its decision (confirm or fail) and its sending."""

    def __init__(self, channel: Channel, message_id: int) -> None:
        self.channel = channel
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
        if reason is not None:
            reason = reason[: wire.MAX_REASON_CHARS]
        task = self.loop.create_task(self.channel.answer(self.message_id, reason))
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
        answer = "confirmed" if self.reason is None else "failed"
        if self.sent.done() and not self.sent.cancelled() and self.sent.exception():
            return f"{answer} but not sent (connection lost)"
        return answer

    async def settled(self) -> None:
        """Wait until answered and the answer sent, or the channel is lost."""
        if not self.decided:
            waiters: list[asyncio.Future[Any]] = [
                asyncio.ensure_future(asyncio.shield(self.sent)),
                asyncio.ensure_future(self.channel.lost.wait()),
            ]
            await asyncio.wait(waiters, return_when="FIRST_COMPLETED")
            for waiter in waiters:
                waiter.cancel()
        if self.decided:
            with contextlib.suppress(TmcConnectionLost):
                await Answer(self.sent)


def message_of(
    pushed: Pushed,
    delivery: _Delivery,
    route: _Route | None,
    error: Exception | None = None,
) -> Message[Any]:
    """The handler's Message: content decoded as JSON, then by the route's decoder, or by
    the topic's payload model (the route's, or the registry's for the message's)."""
    data: Any = None
    content: Any = None
    if error is None:
        data, content, error = _decoded(pushed, route)
    return Message(
        id=pushed.id,
        topic=pushed.topic,
        text=pushed.content,
        data=data,
        _content=content,
        user_id=pushed.user_id,
        nick=pushed.nick,
        publisher=pushed.publisher,
        published_at=pushed.time.astimezone(GMT8) if pushed.time else None,
        _delivery=delivery,
        error=error,
    )


def _decoded(pushed: Pushed, route: _Route | None) -> tuple[Any, Any, Exception | None]:
    """The message's JSON, its content, and why it could not be decoded (or None)."""
    text = pushed.content
    decoder = route.decoder if route else None
    payload = route.payload if route else None
    if decoder is None and payload is None:  # typed by default where the topic is known
        payload = payload_type(pushed.topic)
    try:  # strict=False, as topapi.topics reads it: TOP's JSON may hold raw control characters
        data = json.loads(text, strict=False) if text else None
    except (ValueError, RecursionError) as problem:
        return None, None, decode(payload, text)[1] if payload else problem
    if payload is not None:
        content, error = decode_data(payload, data, text)
        return data, content, error
    try:
        return data, decoder(data) if decoder else data, None
    except Exception as problem:  # a decoder's any failure is the message's error
        return data, None, problem


# Routing


@dataclass(frozen=True)
class _Route:
    handler: Callable[[Message[Any]], Awaitable[None] | None]
    decoder: Callable[[Any], Any] | None = None
    payload: type[TopicPayload] | None = None  # decodes through topapi.topics


class _Routes:
    """Exact topics first, then the longest prefix ending at a `_`, then the catch-all."""

    def __init__(self) -> None:
        self.topics: dict[str, _Route] = {}
        self.any: _Route | None = None

    @property
    def empty(self) -> bool:
        """No handler at all (a client that only publishes)."""
        return not self.topics and self.any is None

    def match(self, topic: str) -> _Route | None:
        if topic in self.topics:
            return self.topics[topic]
        parts = topic.split("_")
        for end in range(len(parts) - 1, 0, -1):
            route = self.topics.get("_".join(parts[:end]))
            if route:
                return route
        return self.any


def _is_payload(model: type[Any]) -> bool:
    return isinstance(model, type) and issubclass(model, TopicPayload)


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
    message fails, so a redelivery is handled again. Duplicates are confirmed unhandled.
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


# The consumer


class Consumer:
    """Handlers, bounded concurrency and graceful shutdown, over any channel."""

    def __init__(
        self,
        *,
        max_in_flight: int,
        auto_confirm: bool,
        duplicate_filter: DuplicateFilter | None,
    ) -> None:
        if max_in_flight < 1:
            raise UsageError("max_in_flight must be at least 1")
        self.max_in_flight = max_in_flight
        self.auto_confirm = auto_confirm
        self.duplicate_filter = duplicate_filter
        self._routes = _Routes()
        self._closing = asyncio.Event()
        self._ready = asyncio.Event()  # set when taking messages (connected)
        self._slots = asyncio.Semaphore(max_in_flight)
        self._busy = 0
        self._deliveries: set[asyncio.Task[None]] = set()
        self._runner: asyncio.Task[None] | None = None
        self._slot_wanted = asyncio.Event()  # a slot freed after all were busy
        self._starved = False

    # Handlers

    @property
    def on(self) -> On:
        """Register the decorated handler for a topic (its name, or its payload class of
        topapi.topics), or every topic a name is a prefix of (`"taobao_trade"`). A topic
        topapi.topics knows gets its model as `message.content`; `model` (a pydantic model)
        or `decoder` (a function of the JSON) choose another."""
        # On's overloads, per topic, are generated; they type _subscribe (checked in
        # topapi); cast only because runtime/, checked alone, is not the topapi On names.
        return cast("On", self._subscribe)

    def _subscribe(
        self,
        topic: str | type[TopicPayload],
        *,
        model: type[Any] | None = None,
        decoder: Decoder[Any] | None = None,
    ) -> Callable[[Handler[Any]], Handler[Any]]:
        if isinstance(topic, type):
            if not _is_payload(topic):
                raise UsageError(
                    f"on({topic.__name__}): a topic name or a payload class of"
                    " topapi.topics is needed (model= takes another model)"
                )
            model, topic = topic, topic.top_topic
        if not topic:
            raise UsageError("a topic is needed: use on_any for every topic")
        if decoder is None and model is not None and not _is_payload(model):
            decoder = model.model_validate
        payload = model if decoder is None else None

        def register(handler: Handler[Any]) -> Handler[Any]:
            self._routes.topics[topic] = _Route(handler, decoder, payload)
            return handler

        return register

    def on_any(self, handler: Handler[Any]) -> Handler[Any]:
        """Register the decorated handler for topics no other handler takes."""
        self._routes.any = _Route(handler)
        return handler

    # Running

    async def run(self) -> None:
        """Consume until `close()`."""
        raise NotImplementedError  # pragma: no cover

    async def __aenter__(self: ConsumerT) -> ConsumerT:
        """Start consuming in the background; returns once taking messages (raises if
        the consumer could not start, e.g. a refused connection)."""
        self._runner = asyncio.get_running_loop().create_task(self.run())
        ready = asyncio.ensure_future(self._ready.wait())
        await asyncio.wait([ready, self._runner], return_when="FIRST_COMPLETED")
        ready.cancel()
        if self._runner.done():
            self._runner.result()
        self._runner.add_done_callback(self._stopped)
        return self

    def _stopped(self, runner: asyncio.Task[None]) -> None:
        """Say at once when consuming stopped on its own: the block may not end for hours."""
        if not self._closing.is_set() and not runner.cancelled() and runner.exception():
            LOGGER.error("TMC: stopped consuming: %s", runner.exception())

    async def __aexit__(
        self, kind: object, error: BaseException | None, _: object
    ) -> None:
        try:
            await self.close()
        except TmcError as stopped:
            if error is None:
                raise
            error.add_note(f"and the TMC consumer had stopped: {stopped}")

    def run_forever(self, *, shutdown_timeout: float = 30.0) -> None:
        """Run until SIGTERM or SIGINT, then shut down gracefully (blocking)."""

        async def main() -> None:
            loop = asyncio.get_running_loop()
            closing: list[asyncio.Task[None]] = []  # held: the loop keeps tasks weakly
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(
                    signum,
                    lambda: closing.append(
                        loop.create_task(self.close(shutdown_timeout))
                    ),
                )
            await self.run()
            await asyncio.gather(*closing)

        asyncio.run(main())

    async def close(self, timeout: float = 30.0) -> None:
        """Stop taking messages, let in-flight handlers finish (within `timeout` seconds)
        and send their answers, then stop. Unfinished handlers are cancelled: their
        messages stay unconfirmed. Raises what stopped the consumer before, if it stopped on
        its own (a refused reconnect, say)."""
        runner = self._runner
        ended = runner is not None and runner.done()
        self._closing.set()
        await self._finish_handlers(timeout)
        await self._stop()
        if runner is None or runner is asyncio.current_task():
            return
        if ended and not runner.cancelled():
            runner.result()
        with contextlib.suppress(asyncio.CancelledError, TmcError):
            await asyncio.wait_for(runner, timeout=max(timeout, 1.0))

    async def _finish_handlers(self, timeout: float) -> None:
        # close() called by a handler does not wait for that handler (itself)
        pending = self._deliveries - {asyncio.current_task()}
        if pending:
            _, late = await asyncio.wait(pending, timeout=timeout)
            for task in late:
                task.cancel()

    async def _stop(self) -> None:
        """Close the channel once the handlers are done."""

    # Messages

    async def _take(
        self, channel: Channel, pushed: Pushed, error: Exception | None = None
    ) -> asyncio.Task[None] | None:
        """Start the message's handler once a slot is free; until then, take nothing more.

        None when closing, or without any handler (a client that only publishes): the
        message is not started and stays unconfirmed, for another consumer of the group.
        """
        if self._routes.empty:
            return None
        if self._slots.locked():
            self._starved = True
        await self._slots.acquire()  # all busy: stop reading (no unbounded buffering)
        if self._closing.is_set():
            self._slots.release()
            return None
        self._busy += 1
        task = asyncio.get_running_loop().create_task(
            self._deliver(channel, pushed, error)
        )
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)
        return task

    async def _pause(self, seconds: float) -> None:
        """Sleep `seconds`, or less if closing."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    async def _deliver(
        self, channel: Channel, pushed: Pushed, error: Exception | None
    ) -> None:
        started = time.monotonic()
        delivery = _Delivery(channel, pushed.id)
        route = self._routes.match(pushed.topic)
        message = message_of(pushed, delivery, route, error)
        dedup = self.duplicate_filter
        key = dedup.key(pushed.topic, message.data) if dedup else None
        note = ""
        try:
            if dedup and key and dedup.seen(key):
                note = " (duplicate)"
                delivery.decide(None)
            elif route is None:
                delivery.decide(f"no handler for topic {pushed.topic}")
            else:
                note = await self._handle(route, message, delivery)
            await delivery.settled()
        finally:
            if dedup and key and delivery.reason is not None:
                dedup.forget(key)
            self._busy -= 1
            self._slots.release()
            if self._starved:
                self._starved = False
                self._slot_wanted.set()
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


def outgoing(message: str | TopicPayload, content: str | None) -> tuple[str, str]:
    """The topic and content to publish: as given, or an `out` topic's payload model's."""
    if not isinstance(message, TopicPayload):
        if content is None:
            raise UsageError(
                f"publishing {cut(message)}: a content is needed"
                " (or an out topic's payload model instead of the topic)"
            )
        return message, content
    topic = message.top_topic
    if content is not None:
        raise UsageError(f"publishing {topic}: the model is the content, give no other")
    if message.top_direction is not Direction.OUT:
        raise UsageError(
            f"{topic} is an `in` topic: TOP pushes its messages, an app cannot publish it"
        )
    return topic, message.to_content()
