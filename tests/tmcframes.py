"""The tests' own TMC v2 frame codec, written apart from topapi's (runtime/_tmc_wire.py).

Plain struct code over the layout of top-tmc.md §2, so a test of the client or the sandbox
does not check topapi's codec against itself. Dates are raw epoch milliseconds here.
"""

from __future__ import annotations

import gzip
import struct
from dataclasses import dataclass, field
from typing import Any

CONNECT, CONNECTACK, SEND, SENDACK = 0, 1, 2, 3
PULL, CONFIRM, DATA, FAILED = 1, 2, 3, 20
VOID, STRING, BYTE, INT16, INT32, INT64, DATE, BYTES = range(8)
_INT_SHAPES = {BYTE: "<b", INT16: "<h", INT32: "<i", INT64: "<q", DATE: "<q"}


@dataclass
class RawFrame:
    """A frame as the tests see it: custom headers are (name, format, value) triples."""

    type: int
    status_code: int = 0
    status_phrase: str = ""
    flag: int = 0
    token: str = ""
    custom: list[tuple[str, int, Any]] = field(default_factory=list)

    def value(self, name: str) -> Any:
        """The first custom header called `name`'s value, or None."""
        for key, _format, value in self.custom:
            if key == name:
                return value
        return None

    @property
    def kind(self) -> Any:
        """The `__kind` header."""
        return self.value("__kind")


def _string(text: str) -> bytes:
    data = text.encode("utf-8")
    return struct.pack("<i", len(data)) + data


def encode(frame: RawFrame) -> bytes:
    """The frame's bytes, standard headers first as the Java encoder writes them."""
    out = struct.pack("<BB", 2, frame.type)
    if frame.status_code > 0:
        out += struct.pack("<hi", 2, frame.status_code)
    if frame.status_phrase:
        out += struct.pack("<h", 3) + _string(frame.status_phrase)
    if frame.flag > 0:
        out += struct.pack("<hi", 4, frame.flag)
    if frame.token:
        out += struct.pack("<h", 5) + _string(frame.token)
    for name, fmt, value in frame.custom:
        out += struct.pack("<h", 1) + _string(name) + struct.pack("<B", fmt)
        if fmt == STRING:
            out += _string(value)
        elif fmt == BYTES:
            out += struct.pack("<i", len(value)) + value
        elif fmt in _INT_SHAPES:
            out += struct.pack(_INT_SHAPES[fmt], value)
    return out + struct.pack("<h", 0)


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def unpack(self, shape: str) -> Any:
        (value,) = struct.unpack_from(shape, self.data, self.pos)
        self.pos += struct.calcsize(shape)
        return value

    def counted(self) -> bytes:
        size = self.unpack("<i")
        if size < 0 or self.pos + size > len(self.data):
            raise ValueError(f"bad length {size} at {self.pos - 4}")
        self.pos += size
        return self.data[self.pos - size : self.pos]

    def value(self, fmt: int) -> Any:
        if fmt == STRING:
            return self.counted().decode("utf-8")
        if fmt == BYTES:
            return self.counted()
        if fmt in _INT_SHAPES:
            return self.unpack(_INT_SHAPES[fmt])
        if fmt != VOID:
            raise ValueError(f"format {fmt}")
        return None


_STANDARD = {
    2: ("status_code", "<i"),
    3: ("status_phrase", ""),
    4: ("flag", "<i"),
    5: ("token", ""),
}


def decode(data: bytes) -> RawFrame:
    """The frame in `data`; struct.error or ValueError when it is not a whole frame."""
    cursor = _Cursor(data)
    if cursor.unpack("<B") != 2:
        raise ValueError("not version 2")
    frame = RawFrame(cursor.unpack("<B"))
    while (header := cursor.unpack("<h")) != 0:
        if header == 1:
            name = cursor.counted().decode("utf-8")
            fmt = cursor.unpack("<B")
            frame.custom.append((name, fmt, cursor.value(fmt)))
        elif header in _STANDARD:
            attribute, shape = _STANDARD[header]
            value = cursor.unpack(shape) if shape else cursor.counted().decode("utf-8")
            setattr(frame, attribute, value)
        else:
            raise ValueError(f"header {header}")
    if cursor.pos != len(data):
        raise ValueError("trailing bytes")
    return frame


def connect_ack(flag: int, token: str) -> bytes:
    """An accepting CONNECTACK."""
    return encode(RawFrame(CONNECTACK, flag=flag, token=token))


def refusal(flag: int, code: int, phrase: str) -> bytes:
    """A refusing CONNECTACK."""
    return encode(RawFrame(CONNECTACK, status_code=code, status_phrase=phrase, flag=flag))


def send_ack(flag: int, code: int = 0, phrase: str = "") -> bytes:
    """A SENDACK of a Data frame."""
    return encode(RawFrame(SENDACK, status_code=code, status_phrase=phrase, flag=flag))


def push(
    token: str,
    message_id: int,
    topic: str,
    content: str,
    *,
    time_ms: int | None = None,
    publisher: str | None = None,
    nick: str | None = None,
    userid: int | None = None,
    gzipped: bool = False,
    id_format: int = INT64,
) -> bytes:
    """A pushed message (a SEND of __kind 3), its content gzip'd into a ByteArray if asked."""
    body = (
        ("content", BYTES, gzip.compress(content.encode("utf-8")))
        if gzipped
        else ("content", STRING, content)
    )
    custom: list[tuple[str, int, Any]] = [
        ("__kind", BYTE, DATA),
        ("id", id_format, message_id),
        ("topic", STRING, topic),
        body,
    ]
    if time_ms is not None:
        custom.append(("time", DATE, time_ms))
    if publisher is not None:
        custom.append(("publisher", STRING, publisher))
    if nick is not None:
        custom.append(("nick", STRING, nick))
    if userid is not None:
        custom.append(("userid", INT64, userid))
    return encode(RawFrame(SEND, token=token, custom=custom))


def connect(
    app_key: str, group: str, timestamp: str, sign: str, *, flag: int = 1, extra: Any = ()
) -> bytes:
    """A CONNECT with the four signed headers, then `extra` (name, format, value) triples."""
    custom = [
        ("app_key", STRING, app_key),
        ("group_name", STRING, group),
        ("timestamp", STRING, timestamp),
        ("sign", STRING, sign),
        *extra,
    ]
    return encode(RawFrame(CONNECT, flag=flag, custom=custom))


def send(token: str, kind: int, *custom: tuple[str, int, Any], flag: int = 0) -> bytes:
    """A client SEND of `kind` with its custom headers (pull, confirm, failed, data)."""
    return encode(RawFrame(SEND, flag=flag, token=token, custom=[("__kind", BYTE, kind), *custom]))
