"""The TMC queues' two stores behind one interface: in memory and SQLite (WAL)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from topgen.sandbox.tmc.sqlite import SqliteStore, StateFileError
from topgen.sandbox.tmc.store import Draft, MemoryStore, QueueFullError, Store

NOW = 1_700_000_000_000


def draft(group: str = "default", n: int = 0) -> Draft:
    """A message of `group` published at NOW."""
    return Draft(group, "taobao_trade_TradeBuyerPay", f'{{"n":{n}}}', 1, "nick", "12497914", NOW)


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each store, with a queue limit of 5 per group."""
    made: Store = MemoryStore(5) if request.param == "memory" else SqliteStore(tmp_path / "s.db", 5)
    yield made
    made.close()


def taken_ids(store: Store, holder: str, now: int = NOW, lease: int | None = None) -> list[int]:
    """The ids `holder` takes from the default group."""
    return [m.id for m in store.take("default", holder, 10, now, lease)]


def test_one_holder_at_a_time_and_confirm_removes(store: Store) -> None:
    """Taken messages are held: nobody else gets them; confirmed ones are gone."""
    ids = [store.add(draft(n=n)).id for n in range(3)]
    assert taken_ids(store, "a") == ids
    assert taken_ids(store, "b") == []
    assert store.confirm("default", [ids[0], ids[0], 999]) == 1
    assert store.count("default") == 2
    store.release("a")
    assert taken_ids(store, "b") == ids[1:]


def test_failed_is_pending_again_only_from_its_time(store: Store) -> None:
    """A failed message waits until its redelivery time; only its holder can fail it."""
    (first,) = [store.add(draft()).id]
    taken_ids(store, "a")
    assert not store.fail("default", first, "b", NOW + 1000)
    assert store.fail("default", first, "a", NOW + 1000)
    assert store.next_due("default") == NOW + 1000
    assert taken_ids(store, "b", NOW + 999) == []
    assert taken_ids(store, "b", NOW + 1000) == [first]


def test_a_lease_ends(store: Store) -> None:
    """A REST hold ends at its lease: the message is pending again then."""
    (first,) = [store.add(draft()).id]
    assert taken_ids(store, "rest", NOW, NOW + 500) == [first]
    assert store.next_due("default") == NOW + 500
    assert taken_ids(store, "other", NOW + 499) == []
    assert taken_ids(store, "other", NOW + 500) == [first]


def test_groups_are_apart_and_bounded(store: Store) -> None:
    """Each group has its own queue of at most max_queue messages; ids are never reused."""
    ids = [store.add(draft("g1", n)).id for n in range(5)]
    with pytest.raises(QueueFullError, match="'g1' is full \\(5 messages"):
        store.add(draft("g1"))
    other = store.add(draft("g2"))
    assert store.groups() == ["g1", "g2"]
    assert [m.id for m in store.take("g1", "a", 10, NOW, None)] == ids
    store.confirm("g1", ids)
    assert store.add(draft("g1")).id > other.id > max(ids)
    assert store.groups() == ["g1", "g2"]


def test_sqlite_keeps_what_was_not_confirmed(tmp_path: Path) -> None:
    """Reopened, the file has every unconfirmed message, held ones pending again."""
    path = tmp_path / "state.db"
    first = SqliteStore(path)
    ids = [first.add(draft(n=n)).id for n in range(4)]
    first.take("default", "connection-1", 2, NOW, None)
    first.confirm("default", [ids[3]])
    first.close()
    second = SqliteStore(path)
    assert second.count("default") == 3
    assert [m.id for m in second.take("default", "x", 10, NOW + 10, None)] == ids[:3]
    assert second.add(draft()).id == ids[-1] + 1
    second.close()
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_a_file_that_is_not_a_state_file_is_refused(tmp_path: Path) -> None:
    """Not SQLite, or someone else's database: one clear error naming the file."""
    text = tmp_path / "notes.txt"
    text.write_text("hello " * 1000)
    with pytest.raises(StateFileError, match=r"notes\.txt: not a topgen sandbox state file"):
        SqliteStore(text)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(StateFileError, match="other tables"):
        SqliteStore(other)


def test_a_state_file_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    """No folder is created for it: the error names the file and the folder."""
    with pytest.raises(StateFileError, match=r"folder .* does not exist"):
        SqliteStore(tmp_path / "nowhere" / "state.db")
    assert not (tmp_path / "nowhere").exists()


def test_a_version_1_state_file_keeps_its_messages_and_gains_the_registry(tmp_path: Path) -> None:
    """A state file of the first schema (queues only) opens with its messages, upgraded."""
    path = tmp_path / "old.db"
    made = SqliteStore(path)
    made.add(draft())
    made.close()
    with sqlite3.connect(path) as db:  # what version 1 wrote: the queues alone
        db.executescript("DROP TABLE registry; PRAGMA user_version=1;")
    upgraded = SqliteStore(path)
    assert upgraded.count("default") == 1 and upgraded.registry_state() is None
    upgraded.save_registry_state("{}")
    upgraded.close()
    reopened = SqliteStore(path)
    assert reopened.registry_state() == "{}" and reopened.count("default") == 1
    reopened.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
