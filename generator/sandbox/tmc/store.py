"""Where the sandbox keeps its TMC messages: one interface, kept in memory or in SQLite.

A message is pending until confirmed. Taken by a consumer it is held by that consumer (its
`holder`) until confirmed, failed (pending again after the redelivery delay) or released (its
holder went away: pending again at once). A hold may carry a lease (REST consumers): when it
ends, the message is pending again.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

DEFAULT_MAX_QUEUE = 100_000


@dataclass(frozen=True)
class Draft:
    """A message to publish into a group's queue."""

    group: str
    topic: str
    content: str
    user_id: int
    nick: str
    publisher: str
    published_ms: int


@dataclass(frozen=True)
class Message(Draft):
    """A message in a queue, with the id the sandbox gave it."""

    id: int


class QueueFullError(Exception):
    """A group's queue holds as many messages as it may: the message is refused."""

    def __init__(self, group: str, limit: int) -> None:
        super().__init__(f"the queue of group {group!r} is full ({limit} messages unconfirmed)")
        self.group, self.limit = group, limit


class Store(Protocol):
    """The queues of every group; every method is called from the sandbox's event loop."""

    def add(self, draft: Draft, available_ms: int | None = None) -> Message:
        """Queue a message, pending from `available_ms` (or at once); QueueFullError if full."""
        ...

    def take(
        self, group: str, holder: str, limit: int, now_ms: int, lease_ms: int | None
    ) -> list[Message]:
        """Up to `limit` pending messages of `group`, oldest first, now held by `holder`."""
        ...

    def confirm(self, group: str, ids: Iterable[int]) -> int:
        """Remove the messages of `group` with these ids; how many there were."""
        ...

    def fail(self, group: str, message_id: int, holder: str, available_ms: int) -> bool:
        """Release a message `holder` holds, pending again from `available_ms`; whether it did."""
        ...

    def release(self, holder: str) -> None:
        """Make every message `holder` holds pending again, at once, in its place in line."""
        ...

    def next_due(self, group: str) -> int | None:
        """When a message of `group` next becomes pending (ms), or None if none will."""
        ...

    def count(self, group: str) -> int:
        """How many messages of `group` are unconfirmed, held ones included."""
        ...

    def groups(self) -> list[str]:
        """The groups that have unconfirmed messages, sorted."""
        ...

    def close(self) -> None:
        """Release what the store holds open."""
        ...


@dataclass
class _Entry:
    message: Message
    available_ms: int
    holder: str | None = None
    lease_ms: int | None = None


@dataclass
class _Queue:
    entries: dict[int, _Entry]
    ready: list[tuple[int, int]]  # heap of (available_ms, id); stale items are skipped
    leases: list[tuple[int, int]]  # heap of (lease_ms, id)


class MemoryStore:
    """Queues in memory, lost when the sandbox stops."""

    def __init__(self, max_queue: int = DEFAULT_MAX_QUEUE) -> None:
        self.max_queue = max_queue
        self._queues: dict[str, _Queue] = {}
        self._held: dict[str, set[tuple[str, int]]] = {}
        self._last_id = 0

    def add(self, draft: Draft, available_ms: int | None = None) -> Message:
        """Append a message to its group's queue; QueueFullError when the queue is full."""
        available = draft.published_ms if available_ms is None else available_ms
        queue = self._queues.setdefault(draft.group, _Queue({}, [], []))
        if len(queue.entries) >= self.max_queue:
            raise QueueFullError(draft.group, self.max_queue)
        self._last_id += 1
        message = Message(**vars(draft), id=self._last_id)
        queue.entries[message.id] = _Entry(message, available)
        heapq.heappush(queue.ready, (available, message.id))
        return message

    def take(
        self, group: str, holder: str, limit: int, now_ms: int, lease_ms: int | None
    ) -> list[Message]:
        """Up to `limit` pending messages of `group`, oldest first, now held by `holder`."""
        queue = self._queues.get(group)
        if queue is None:
            return []
        self._end_leases(queue, now_ms)
        taken: list[Message] = []
        while queue.ready and queue.ready[0][0] <= now_ms and len(taken) < limit:
            available, message_id = heapq.heappop(queue.ready)
            entry = queue.entries.get(message_id)
            if entry is None or entry.holder is not None or entry.available_ms != available:
                continue  # confirmed, or taken and pending again under a newer heap item
            entry.holder, entry.lease_ms = holder, lease_ms
            if lease_ms is not None:
                heapq.heappush(queue.leases, (lease_ms, message_id))
            self._held.setdefault(holder, set()).add((group, message_id))
            taken.append(entry.message)
        return taken

    def _end_leases(self, queue: _Queue, now_ms: int) -> None:
        while queue.leases and queue.leases[0][0] <= now_ms:
            lease_ms, message_id = heapq.heappop(queue.leases)
            entry = queue.entries.get(message_id)
            if entry is not None and entry.holder is not None and entry.lease_ms == lease_ms:
                self._pending(queue, entry, lease_ms)

    def _pending(self, queue: _Queue, entry: _Entry, available_ms: int) -> None:
        assert entry.holder is not None
        self._held.get(entry.holder, set()).discard((entry.message.group, entry.message.id))
        entry.holder, entry.lease_ms, entry.available_ms = None, None, available_ms
        heapq.heappush(queue.ready, (available_ms, entry.message.id))

    def confirm(self, group: str, ids: Iterable[int]) -> int:
        """Remove the messages of `group` with these ids; how many there were."""
        queue = self._queues.get(group)
        if queue is None:
            return 0
        removed = 0
        for message_id in set(ids):
            entry = queue.entries.pop(message_id, None)
            if entry is None:
                continue
            removed += 1
            if entry.holder is not None:
                self._held.get(entry.holder, set()).discard((group, message_id))
        if not queue.entries:
            del self._queues[group]
        return removed

    def fail(self, group: str, message_id: int, holder: str, available_ms: int) -> bool:
        """Release a message `holder` holds, pending again from `available_ms`; whether it did."""
        queue = self._queues.get(group)
        entry = queue.entries.get(message_id) if queue else None
        if queue is None or entry is None or entry.holder != holder:
            return False
        self._pending(queue, entry, available_ms)
        return True

    def release(self, holder: str) -> None:
        """Make every message `holder` holds pending again, at once, in its place in line."""
        for group, message_id in sorted(self._held.pop(holder, set())):
            queue = self._queues[group]
            entry = queue.entries[message_id]
            self._pending(queue, entry, entry.available_ms)

    def next_due(self, group: str) -> int | None:
        """When a message of `group` next becomes pending (ms), or None if none will."""
        queue = self._queues.get(group)
        if queue is None:
            return None
        while queue.ready and not self._current(queue, queue.ready[0]):
            heapq.heappop(queue.ready)
        while queue.leases and not self._leased(queue, queue.leases[0]):
            heapq.heappop(queue.leases)
        due = [heap[0][0] for heap in (queue.ready, queue.leases) if heap]
        return min(due) if due else None

    @staticmethod
    def _current(queue: _Queue, item: tuple[int, int]) -> bool:
        entry = queue.entries.get(item[1])
        return entry is not None and entry.holder is None and entry.available_ms == item[0]

    @staticmethod
    def _leased(queue: _Queue, item: tuple[int, int]) -> bool:
        entry = queue.entries.get(item[1])
        return entry is not None and entry.holder is not None and entry.lease_ms == item[0]

    def count(self, group: str) -> int:
        """How many messages of `group` are unconfirmed, held ones included."""
        queue = self._queues.get(group)
        return len(queue.entries) if queue else 0

    def groups(self) -> list[str]:
        """The groups that have unconfirmed messages, sorted."""
        return sorted(self._queues)

    def close(self) -> None:
        """Nothing to release: the queues go with the object."""
