"""The TMC queues in a SQLite file (WAL): what was not confirmed survives a killed sandbox."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from .store import DEFAULT_MAX_QUEUE, Draft, Message, QueueFullError

SCHEMA_VERSION = 2  # 2 added the registry; a version 1 file gains it when opened
_COLUMNS = "grp, topic, content, user_id, nick, publisher, published_ms, id"
_SCHEMA = """
CREATE TABLE message (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    grp TEXT NOT NULL,
    topic TEXT NOT NULL,
    content TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    nick TEXT NOT NULL,
    publisher TEXT NOT NULL,
    published_ms INTEGER NOT NULL,
    available_ms INTEGER NOT NULL,
    holder TEXT,
    lease_ms INTEGER
);
CREATE INDEX message_ready ON message (grp, available_ms, id) WHERE holder IS NULL;
CREATE INDEX message_leased ON message (grp, lease_ms) WHERE lease_ms IS NOT NULL;
CREATE INDEX message_held ON message (holder) WHERE holder IS NOT NULL;
"""
_REGISTRY_SCHEMA = """
CREATE TABLE registry (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL);
"""


class StateFileError(ValueError):
    """The --state file is not a topgen sandbox state file (or cannot be opened)."""


class SqliteStore:
    """Queues in a SQLite database in WAL mode; ids are never reused (AUTOINCREMENT)."""

    def __init__(self, path: Path, max_queue: int = DEFAULT_MAX_QUEUE) -> None:
        self.path, self.max_queue = path, max_queue
        if not path.parent.is_dir():
            raise StateFileError(f"{path}: its folder {path.parent} does not exist")
        try:
            # Opened where the sandbox is built, used on its event loop's thread (one at a time).
            self._db = sqlite3.connect(path, check_same_thread=False)
            self._open()
        except sqlite3.Error as exc:
            raise StateFileError(f"{path}: not a topgen sandbox state file: {exc}") from None

    def _open(self) -> None:
        db = self._db
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # a killed process loses nothing committed
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise sqlite3.DatabaseError("it holds other tables")
            db.executescript(f"BEGIN; {_SCHEMA} PRAGMA user_version=1; COMMIT;")
            version = 1
        if version == 1:
            db.executescript(f"BEGIN; {_REGISTRY_SCHEMA} PRAGMA user_version=2; COMMIT;")
            version = 2
        if version != SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"schema version {version}, not {SCHEMA_VERSION}")
        self._release_all()
        rows = db.execute("SELECT grp, count(*) FROM message GROUP BY grp").fetchall()
        self._counts: dict[str, int] = dict(rows)

    def _release_all(self) -> None:
        """The consumers of the previous run are gone: what they held is pending again."""
        with self._db:
            self._db.execute(
                "UPDATE message SET holder = NULL, lease_ms = NULL WHERE holder IS NOT NULL"
            )

    def add(self, draft: Draft, available_ms: int | None = None) -> Message:
        """Append a message to its group's queue; QueueFullError when the queue is full."""
        with self._db:
            if self.count(draft.group) >= self.max_queue:
                raise QueueFullError(draft.group, self.max_queue)
            cursor = self._db.execute(
                "INSERT INTO message (grp, topic, content, user_id, nick, publisher, "
                "published_ms, available_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    draft.group,
                    draft.topic,
                    draft.content,
                    draft.user_id,
                    draft.nick,
                    draft.publisher,
                    draft.published_ms,
                    draft.published_ms if available_ms is None else available_ms,
                ),
            )
        assert cursor.lastrowid is not None
        self._counts[draft.group] = self._counts.get(draft.group, 0) + 1
        return Message(**vars(draft), id=cursor.lastrowid)

    def take(
        self, group: str, holder: str, limit: int, now_ms: int, lease_ms: int | None
    ) -> list[Message]:
        """Up to `limit` pending messages of `group`, oldest first, now held by `holder`."""
        with self._db:
            self._db.execute(
                "UPDATE message SET holder = NULL, available_ms = lease_ms, lease_ms = NULL "
                "WHERE grp = ? AND lease_ms IS NOT NULL AND lease_ms <= ?",
                (group, now_ms),
            )
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM message WHERE grp = ? AND holder IS NULL "
                "AND available_ms <= ? ORDER BY available_ms, id LIMIT ?",
                (group, now_ms, limit),
            ).fetchall()
            self._db.executemany(
                "UPDATE message SET holder = ?, lease_ms = ? WHERE id = ?",
                [(holder, lease_ms, row[-1]) for row in rows],
            )
        return [Message(*row) for row in rows]

    def confirm(self, group: str, ids: Iterable[int]) -> int:
        """Remove the messages of `group` with these ids; how many there were."""
        with self._db:
            cursor = self._db.executemany(
                "DELETE FROM message WHERE grp = ? AND id = ?",
                [(group, message_id) for message_id in set(ids)],
            )
        removed = max(cursor.rowcount, 0)
        left = self._counts.get(group, 0) - removed
        if left > 0:
            self._counts[group] = left
        else:
            self._counts.pop(group, None)
        return removed

    def fail(self, group: str, message_id: int, holder: str, available_ms: int) -> bool:
        """Release a message `holder` holds, pending again from `available_ms`; whether it did."""
        with self._db:
            cursor = self._db.execute(
                "UPDATE message SET holder = NULL, lease_ms = NULL, available_ms = ? "
                "WHERE grp = ? AND id = ? AND holder = ?",
                (available_ms, group, message_id, holder),
            )
        return cursor.rowcount > 0

    def release(self, holder: str) -> None:
        """Make every message `holder` holds pending again, at once, in its place in line."""
        with self._db:
            self._db.execute(
                "UPDATE message SET holder = NULL, lease_ms = NULL WHERE holder = ?", (holder,)
            )

    def next_due(self, group: str) -> int | None:
        """When a message of `group` next becomes pending (ms), or None if none will."""
        ready = self._db.execute(
            "SELECT min(available_ms) FROM message WHERE grp = ? AND holder IS NULL", (group,)
        ).fetchone()[0]
        leased = self._db.execute(
            "SELECT min(lease_ms) FROM message WHERE grp = ? AND lease_ms IS NOT NULL", (group,)
        ).fetchone()[0]
        due = [value for value in (ready, leased) if value is not None]
        return min(due) if due else None

    def count(self, group: str) -> int:
        """How many messages of `group` are unconfirmed, held ones included."""
        return self._counts.get(group, 0)

    def groups(self) -> list[str]:
        """The groups that have unconfirmed messages, sorted."""
        return sorted(self._counts)

    def registry_state(self) -> str | None:
        """The users and groups as last saved (JSON text), or None if never saved."""
        row = self._db.execute("SELECT state FROM registry WHERE id = 1").fetchone()
        return None if row is None else str(row[0])

    def save_registry_state(self, state: str) -> None:
        """Keep the users and groups (JSON text)."""
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO registry (id, state) VALUES (1, ?)", (state,))

    def close(self) -> None:
        """Close the database."""
        self._db.close()
