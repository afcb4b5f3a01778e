"""The sandbox's message service as one object: the queues, the users, the connection token."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from pathlib import Path

from .hub import DEFAULT_SETTINGS, Hub, TmcSettings, now_ms
from .registry import (
    DEFAULT_NICK,
    DEFAULT_USER_ID,
    Registry,
    dump_registry,
    load_registry,
    session_user,
)
from .sqlite import SqliteStore, StateFileError
from .store import DEFAULT_MAX_QUEUE, Draft, MemoryStore, Message

TAOBAO_PUBLISHER = "12497914"  # the publisher of Taobao's own events


@dataclass
class Tmc:
    """What `topgen serve` keeps between calls and connections, across spec reloads."""

    hub: Hub = field(default_factory=Hub)
    registry: Registry = field(default_factory=Registry)

    @classmethod
    def open(
        cls,
        state: Path | None = None,
        settings: TmcSettings = DEFAULT_SETTINGS,
        max_queue: int = DEFAULT_MAX_QUEUE,
    ) -> Tmc:
        """In memory, or in the SQLite file `state`, users and groups included
        (StateFileError when it is not one)."""
        if state is None:
            return cls(Hub(MemoryStore(max_queue), settings))
        store = SqliteStore(state, max_queue)
        registry = _kept_registry(store)
        return cls(Hub(store, settings), registry)

    def draft(
        self, publisher: str, session: str | None, topic: str, content: str, group: str = ""
    ) -> Draft:
        """A message published by app `publisher` for the session's user (or the default one)."""
        user_id, nick = session_user(session) if session else (DEFAULT_USER_ID, DEFAULT_NICK)
        target = group or self.registry.group_of(nick)
        return Draft(target, topic, content, user_id, nick, publisher, now_ms())

    def publish_event(
        self,
        topic: str,
        content: str,
        *,
        nick: str = DEFAULT_NICK,
        user_id: int = DEFAULT_USER_ID,
        group: str | None = None,
        publisher: str = TAOBAO_PUBLISHER,
    ) -> Message:
        """Queue a message as TOP would push it (Taobao's own event by default)."""
        target = group or self.registry.group_of(nick)
        draft = Draft(target, topic, content, user_id, nick, publisher, now_ms())
        return self.hub.publish(draft)

    def close(self) -> None:
        """Stop the timers and close the store."""
        self.hub.close()


def _kept_registry(store: SqliteStore) -> Registry:
    """The users and groups of the state file, saved back on each change."""
    text = store.registry_state()
    try:
        registry = Registry() if text is None else load_registry(text)
    except ValueError as exc:
        store.close()
        raise StateFileError(f"{store.path}: not a topgen sandbox state file: {exc}") from None
    registry.saved = lambda changed: store.save_registry_state(dump_registry(changed))
    return registry


def auth_token(app_secret: str, group: str) -> str:
    """taobao.tmc.auth.get's connection token for a group: checkable, and not the secret."""
    return hmac.new(app_secret.encode(), f"tmc-auth:{group}".encode(), hashlib.sha256).hexdigest()
