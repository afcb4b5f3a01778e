"""Files written whole (a reader sees the old file or the new one), input files read bounded."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

# Far beyond any spec, doc page or fixture (the largest are some 100 KB): a bigger one is a mistake.
MAX_INPUT_BYTES = 16 * 1024 * 1024


def write_atomically(path: Path, text: str) -> None:
    """Write `path` through a temporary file beside it, so no reader sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_input(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    """The UTF-8 text of the regular file `path`, at most `limit` bytes long.

    OSError when it cannot be opened; ValueError (UnicodeDecodeError among them) when it is no
    regular file (a device such as /dev/zero, a FIFO, a folder), is longer, or is not UTF-8.
    Neither a device nor a FIFO is ever read from: the open does not wait for a writer.
    """
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(handle, "rb") as stream:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise ValueError(f"not a regular file ({_kind(mode)})")
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {limit // (1024 * 1024)} MiB, far beyond any TOP document")
    return data.decode("utf-8")


def _kind(mode: int) -> str:
    kinds = {stat.S_ISDIR: "a folder", stat.S_ISCHR: "a character device", stat.S_ISFIFO: "a FIFO"}
    return next((name for test, name in kinds.items() if test(mode)), "a special file")
