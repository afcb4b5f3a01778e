"""Entries of the output swapped for staged ones, each in one step, with a journal for killed runs.

The guarantee: at every instant each entry of the output (`topapi/`, `pyproject.toml`) is whole,
its old tree or its new one. Where the system has renameat2(RENAME_EXCHANGE) (Linux) a folder is
exchanged with its staged successor in one step; elsewhere it is moved aside and the new one moved
in, so a run killed between those two renames leaves it missing until the next run. Before the
first swap a journal names the staging folder and the identity (device, inode) of each staged
entry; a run that finds a journal finishes the swaps it names, so a killed run's output is
completed, never left a mix of old and new entries past the next run.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import re
import shutil
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from types import FrameType
from typing import cast

STAGING_PREFIX = ".topgen-"
# tempfile.mkdtemp's names: a generous match of its eight random characters, never the cache's.
STAGING_NAME = re.compile(r"\.topgen-[a-z0-9_]{8}")
# An entry of the output is a plain name in it, never a path out of it.
ENTRY_NAME = re.compile(r"(?!\.\.?$)[\w.-]+")
NEW = "new"
RETIRED = "old"
LOCK_FILE = ".topgen.lock"
JOURNAL_FILE = ".topgen.journal"
# The signals that would stop a run between two swaps: held until the swaps are done.
HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2
# The answers of a renameat2 that this system or file system does not offer.
_NO_EXCHANGE = frozenset({errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP})


@contextmanager
def locked(out_dir: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold the output's lock: runs that write take turns, readers wait for a write to finish.

    A reader (`shared`) never creates the lock file: where there is none, no run is writing.
    """
    flags = os.O_RDONLY if shared else os.O_RDWR | os.O_CREAT
    try:
        handle = os.open(out_dir / LOCK_FILE, flags, 0o644)
    except FileNotFoundError:
        if not shared:
            raise
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


@contextmanager
def held_signals() -> Iterator[None]:
    """Hold off Ctrl-C (and SIGTERM, SIGHUP) until the block is done, then act on it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def remember(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    previous = {held: signal.signal(held, remember) for held in HELD_SIGNALS}
    try:
        yield
    finally:
        for held, handler in previous.items():
            signal.signal(held, handler)
        for signum in dict.fromkeys(caught):
            signal.raise_signal(signum)


def swap_entries(out_dir: Path, staging: Path, entries: Sequence[str]) -> None:
    """Swap each of `staging`/new's entries into `out_dir`, journalled; the old ones are retired."""
    journal = {
        "staging": staging.name,
        "entries": {entry: _identity(staging / NEW / entry) for entry in entries},
    }
    (staging / JOURNAL_FILE).write_text(json.dumps(journal), encoding="utf-8")
    os.replace(staging / JOURNAL_FILE, out_dir / JOURNAL_FILE)
    for entry in entries:
        _put(staging / NEW / entry, out_dir / entry, staging / RETIRED / entry)
    (out_dir / JOURNAL_FILE).unlink()


def recover(out_dir: Path) -> None:
    """Finish the swaps of a killed run's journal, then remove what killed runs staged."""
    journal = _read_journal(out_dir / JOURNAL_FILE)
    if journal is not None:
        staging, identities = out_dir / journal[0], journal[1]
        for entry, identity in identities.items():
            new = staging / NEW / entry
            if _identity(out_dir / entry) != identity and _identity(new) == identity:
                _put(new, out_dir / entry, staging / RETIRED / entry)
    (out_dir / JOURNAL_FILE).unlink(missing_ok=True)
    for stale in out_dir.iterdir():
        if STAGING_NAME.fullmatch(stale.name) and stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)


def _read_journal(path: Path) -> tuple[str, dict[str, list[int]]] | None:
    """A killed run's journal: its staging folder, its entries' identities; None if none is there.

    What is not a journal this module wrote is no journal: nothing outside the output is touched.
    """
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        staging, entries = journal["staging"], journal["entries"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not isinstance(staging, str) or not STAGING_NAME.fullmatch(staging):
        return None
    if not isinstance(entries, dict) or not all(map(ENTRY_NAME.fullmatch, entries)):
        return None
    return staging, entries


def _put(new: Path, current: Path, retired: Path) -> None:
    """Make `new` the output's `current` in one step where the system can; `current` retires."""
    if not os.path.lexists(current) or not (new.is_dir() or current.is_dir()):
        os.replace(new, current)
    elif not _exchange(new, current):
        retired.parent.mkdir(parents=True, exist_ok=True)
        os.replace(current, retired)
        os.replace(new, current)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (renameat2 RENAME_EXCHANGE); False where that is not offered."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE):
        code = ctypes.get_errno()
        if code in _NO_EXCHANGE:
            return False
        raise OSError(code, os.strerror(code), str(first), None, str(second))
    return True


@cache
def _renameat2() -> Callable[..., int] | None:
    """libc's renameat2, where there is one."""
    with suppress(OSError, AttributeError):
        function = ctypes.CDLL(None, use_errno=True).renameat2
        function.argtypes = [
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_uint,
        ]
        function.restype = ctypes.c_int
        return cast("Callable[..., int]", function)
    return None


def _identity(path: Path) -> list[int] | None:
    """The device and inode of `path` (not followed), or None when there is nothing there."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return None
    return [found.st_dev, found.st_ino]
