"""The sandbox's message service: publishes into the group queues and hands messages out.

Each message goes to one consumer of its group at a time. A long-connection consumer holds
what it was pushed until it confirms, fails (pending again after `redeliver_after`) or goes
away (pending again at once); a REST consumer's hold is a lease of `redeliver_after`. Every
method runs on the sandbox's event loop, so the store needs no locks.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Collection
from dataclasses import dataclass, field

from .store import Draft, MemoryStore, Message, Store

DEFAULT_GROUP = "default"
DEFAULT_REDELIVER_AFTER = 300.0  # seconds, as TOP's sample says
DEFAULT_WINDOW = 200  # messages one connection may hold unconfirmed
MAX_FRAME_BYTES = 1024 * 1024
MAX_CONNECTIONS = 256
HANDSHAKE_SECONDS = 10.0
PUSH_CHUNK = 32  # messages handed to one consumer before the next one's turn
REST_HOLDER = "rest"


def now_ms() -> int:
    """The wall clock in epoch milliseconds: stored times outlive the process."""
    return time.time_ns() // 1_000_000


@dataclass(frozen=True)
class TmcSettings:
    """How the message service behaves and what a connection may do; tests shorten delays."""

    redeliver_after: float = DEFAULT_REDELIVER_AFTER
    window: int = DEFAULT_WINDOW
    max_frame: int = MAX_FRAME_BYTES
    max_connections: int = MAX_CONNECTIONS
    handshake_seconds: float = HANDSHAKE_SECONDS


DEFAULT_SETTINGS = TmcSettings()


@dataclass
class Stats:
    """How many messages a group's queue took in and handed out since the sandbox started."""

    put: int = 0
    got: int = 0


@dataclass(eq=False)
class Consumer:
    """One long connection of a group: what it holds, and the messages waiting to be sent."""

    holder: str
    group: str
    window: int
    outbox: asyncio.Queue[Message] = field(default_factory=asyncio.Queue)
    held: set[int] = field(default_factory=set)
    pulling: bool = False

    @property
    def room(self) -> int:
        """How many more messages it may be pushed."""
        return self.window - len(self.held) if self.pulling else 0


class Hub:
    """The queues of every group and the consumers connected to them."""

    def __init__(
        self, store: Store | None = None, settings: TmcSettings = DEFAULT_SETTINGS
    ) -> None:
        self.store: Store = store if store is not None else MemoryStore()
        self.settings = settings
        self._consumers: dict[str, list[Consumer]] = {}
        self._numbers = itertools.count(1)
        self._waking: set[str] = set()
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._stats: dict[str, Stats] = {}

    def stats(self, group: str) -> Stats:
        """The group's counts (taobao.tmc.queue.get)."""
        return self._stats.setdefault(group, Stats())

    @property
    def redeliver_ms(self) -> int:
        """The redelivery delay in milliseconds."""
        return round(self.settings.redeliver_after * 1000)

    def publish(self, draft: Draft, available_ms: int | None = None) -> Message:
        """Queue a message (QueueFullError if full), pushed from `available_ms` (or at once)."""
        message = self.store.add(draft, available_ms)
        self.stats(draft.group).put += 1
        self._wake(draft.group)
        return message

    @property
    def connections(self) -> int:
        """How many long connections are attached."""
        return sum(len(consumers) for consumers in self._consumers.values())

    def attach(self, group: str) -> Consumer:
        """A new long-connection consumer of `group`."""
        consumer = Consumer(f"connection-{next(self._numbers)}", group, self.settings.window)
        self._consumers.setdefault(group, []).append(consumer)
        return consumer

    def detach(self, consumer: Consumer) -> None:
        """The connection is gone: what it held unconfirmed goes to the group's others."""
        consumers = self._consumers.get(consumer.group, [])
        if consumer in consumers:
            consumers.remove(consumer)
        if not consumers:
            self._consumers.pop(consumer.group, None)
        self.store.release(consumer.holder)
        consumer.held.clear()
        self._wake(consumer.group)

    def pull(self, consumer: Consumer) -> None:
        """The consumer asks for what is pending: from now on it is pushed while it has room."""
        consumer.pulling = True
        self._wake(consumer.group)

    def confirm(self, consumer: Consumer, message_id: int) -> None:
        """The consumer handled a message: it leaves the queue."""
        self.store.confirm(consumer.group, [message_id])
        consumer.held.discard(message_id)
        self._wake(consumer.group)

    def fail(self, consumer: Consumer, message_id: int) -> None:
        """The consumer could not handle a message: pending again after `redeliver_after`."""
        consumer.held.discard(message_id)
        due = now_ms() + self.redeliver_ms
        if self.store.fail(consumer.group, message_id, consumer.holder, due):  # if it held it
            self._wake(consumer.group)

    def consume(self, group: str, quantity: int) -> list[Message]:
        """Messages for a REST consumer, leased for `redeliver_after`."""
        now = now_ms()
        taken = self.store.take(group, REST_HOLDER, quantity, now, now + self.redeliver_ms)
        self.stats(group).got += len(taken)
        return taken  # when the lease ends, the next dispatch of the group has it scheduled

    def confirm_ids(self, group: str, ids: Collection[int]) -> int:
        """Confirm messages by id (REST); how many were unconfirmed."""
        removed = self.store.confirm(group, ids)
        for consumer in self._consumers.get(group, []):
            consumer.held.difference_update(ids)
        self._wake(group)
        return removed

    def _wake(self, group: str) -> None:
        """Push what is pending to the group's consumers, soon (once per loop iteration)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # called outside the server (a unit of the gateway): no consumers
            return
        if group not in self._waking:
            self._waking.add(group)
            loop.call_soon(self._dispatch, group)

    def _dispatch(self, group: str) -> None:
        self._waking.discard(group)
        now = now_ms()
        consumers = self._consumers.get(group, [])
        while True:  # bounded: each round takes messages or stops, and rooms are finite
            hungry = [c for c in consumers if c.room > 0]
            if not hungry:
                return
            taken_any = False
            for consumer in hungry:
                limit = min(consumer.room, PUSH_CHUNK)
                taken = self.store.take(group, consumer.holder, limit, now, None)
                self.stats(group).got += len(taken)
                for message in taken:
                    consumer.held.add(message.id)
                    consumer.outbox.put_nowait(message)
                taken_any = taken_any or bool(taken)
            if consumers:
                consumers.append(consumers.pop(0))  # the next round starts with the next one
            if not taken_any:
                break
        self._schedule(group, now)

    def _schedule(self, group: str, now: int) -> None:
        """Wake the group when its next message becomes pending (a redelivery, a lease's end)."""
        due = self.store.next_due(group)
        if due is None:
            return
        timer = self._timers.pop(group, None)
        if timer is not None:
            timer.cancel()
        loop = asyncio.get_running_loop()
        delay = max(due - now, 0) / 1000 + 0.001
        self._timers[group] = loop.call_later(delay, self._wake, group)

    def close(self) -> None:
        """Cancel the timers and close the store."""
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self.store.close()
