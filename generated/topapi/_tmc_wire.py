"""TMC's v2 binary frames (the message service's long connection): encoded and decoded.

Stdlib only and no other runtime module, so topgen's sandbox imports this very file as
`topgen.runtime._tmc_wire`: one source for the wire format. All integers little-endian.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from typing import TypeVar

PROTOCOL_VERSION = 2
# A counted string or byte array longer than this is refused before it is read: a hostile
# length never becomes an allocation.
MAX_FIELD_BYTES = 16 * 1024 * 1024
# A gzip'd content inflating past this is refused (a decompression bomb).
MAX_CONTENT_BYTES = 16 * 1024 * 1024
# The Java SDK truncates a Failed reason to this many characters.
MAX_REASON_CHARS = 128
KIND = "__kind"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


class WireError(ValueError):
    """Bytes that are not a v2 TMC frame: truncated, unknown or out of bounds, with the offset."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message if offset is None else f"{message} at byte {offset}")
        self.offset = offset


class FrameType(IntEnum):
    """The frame's message type (its second byte)."""

    CONNECT = 0
    CONNECTACK = 1
    SEND = 2
    SENDACK = 3


class Kind(IntEnum):
    """A SEND frame's `__kind` Custom header: what the frame asks or carries."""

    PULL_REQUEST = 1
    CONFIRM = 2
    DATA = 3
    FAILED = 20


class ValueFormat(IntEnum):
    """The format byte of a Custom header's value."""

    VOID = 0
    COUNTED_STRING = 1
    BYTE = 2
    INT16 = 3
    INT32 = 4
    INT64 = 5
    DATE = 6
    BYTE_ARRAY = 7


class _Header(IntEnum):
    END_OF_HEADERS = 0
    CUSTOM = 1
    STATUS_CODE = 2
    STATUS_PHRASE = 3
    FLAG = 4
    TOKEN = 5


_INTEGERS: dict[ValueFormat, struct.Struct] = {
    ValueFormat.BYTE: struct.Struct("<b"),
    ValueFormat.INT16: struct.Struct("<h"),
    ValueFormat.INT32: struct.Struct("<i"),
    ValueFormat.INT64: struct.Struct("<q"),
}
_U8 = struct.Struct("<B")
_I16 = struct.Struct("<h")
_I32 = struct.Struct("<i")
_I64 = struct.Struct("<q")

ValueData = None | str | int | bytes | datetime
E = TypeVar("E", bound=IntEnum)


@dataclass(frozen=True)
class Value:
    """A Custom header's value: its format and the Python value (checked to fit it)."""

    format: ValueFormat
    value: ValueData = None

    def __post_init__(self) -> None:
        problem = _value_problem(self.format, self.value)
        if problem:
            raise ValueError(f"a {self.format.name} value {problem}")

    @classmethod
    def void(cls) -> Value:
        """No value (Void)."""
        return cls(ValueFormat.VOID)

    @classmethod
    def string(cls, text: str) -> Value:
        """A CountedString."""
        return cls(ValueFormat.COUNTED_STRING, text)

    @classmethod
    def byte(cls, number: int) -> Value:
        """A Byte (signed, as Java's)."""
        return cls(ValueFormat.BYTE, number)

    @classmethod
    def int16(cls, number: int) -> Value:
        """An Int16."""
        return cls(ValueFormat.INT16, number)

    @classmethod
    def int32(cls, number: int) -> Value:
        """An Int32."""
        return cls(ValueFormat.INT32, number)

    @classmethod
    def int64(cls, number: int) -> Value:
        """An Int64."""
        return cls(ValueFormat.INT64, number)

    @classmethod
    def date(cls, moment: datetime) -> Value:
        """A Date (an aware datetime; milliseconds on the wire)."""
        return cls(ValueFormat.DATE, moment)

    @classmethod
    def byte_array(cls, data: bytes) -> Value:
        """A ByteArray."""
        return cls(ValueFormat.BYTE_ARRAY, data)


def _is_aware(value: object) -> bool:
    return isinstance(value, datetime) and value.utcoffset() is not None


_NON_INTEGERS: dict[ValueFormat, tuple[Callable[[object], bool], str]] = {
    ValueFormat.VOID: (lambda value: value is None, "holds nothing"),
    ValueFormat.COUNTED_STRING: (lambda value: isinstance(value, str), "is a str"),
    ValueFormat.BYTE_ARRAY: (lambda value: isinstance(value, bytes), "is bytes"),
    ValueFormat.DATE: (_is_aware, "is an aware datetime"),
}


def _value_problem(fmt: ValueFormat, value: object) -> str:
    """Why `value` cannot be a `fmt` value; empty when it can."""
    if fmt in _NON_INTEGERS:
        fits, requirement = _NON_INTEGERS[fmt]
        return "" if fits(value) else requirement
    if isinstance(value, bool) or not isinstance(value, int):
        return "is an int"
    bits = _INTEGERS[fmt].size * 8
    if not -(1 << (bits - 1)) <= value < 1 << (bits - 1):
        return f"fits in {bits} signed bits"
    return ""


Custom = tuple[tuple[str, Value], ...]


# Custom headers whose values are credentials: masked in a frame's repr.
SECRET_HEADERS = frozenset({"sign", "session", "token"})


@dataclass(frozen=True, repr=False)
class Frame:
    """One TMC message: its type, the standard headers and the Custom headers in order."""

    type: FrameType
    status_code: int = 0
    status_phrase: str = ""
    flag: int = 0
    token: str = ""
    custom: Custom = ()

    def __repr__(self) -> str:
        """The frame without its credentials: the token and secret headers masked."""
        custom = ", ".join(
            f"{name}=***" if name in SECRET_HEADERS else f"{name}={value.value!r}"
            for name, value in self.custom
        )
        return (
            f"Frame({self.type.name}, status={self.status_code} {self.status_phrase!r},"
            f" flag={self.flag}, token={'***' if self.token else ''!r}, {custom})"
        )

    def __post_init__(self) -> None:
        for name in ("status_code", "flag"):
            number = getattr(self, name)
            if not -(1 << 31) <= number < 1 << 31:
                raise ValueError(f"a frame's {name} fits in 32 signed bits")

    def get(self, name: str) -> Value | None:
        """The first Custom header called `name`, or None."""
        for key, value in self.custom:
            if key == name:
                return value
        return None

    def text(self, name: str) -> str | None:
        """A CountedString header's text (None when absent or not a string)."""
        value = self.get(name)
        return value.value if value and isinstance(value.value, str) else None

    def integer(self, name: str) -> int | None:
        """An integer header's number, whatever its width (None when absent or not one)."""
        value = self.get(name)
        return value.value if value and value.format in _INTEGERS else None  # type: ignore[return-value]

    def date(self, name: str) -> datetime | None:
        """A Date header's moment (None when absent or not a Date)."""
        value = self.get(name)
        return value.value if value and isinstance(value.value, datetime) else None

    @property
    def kind(self) -> int | None:
        """The `__kind` header (compare with `Kind`), or None."""
        return self.integer(KIND)

    @property
    def is_error(self) -> bool:
        """Whether the frame is an error reply: a non-zero StatusCode or a StatusPhrase."""
        return self.status_code != 0 or bool(self.status_phrase)


# Encoding


def encode(frame: Frame) -> bytes:
    """The frame's bytes, headers in the Java encoder's order."""
    out = bytearray(_U8.pack(PROTOCOL_VERSION) + _U8.pack(frame.type))
    if frame.status_code > 0:
        out += _I16.pack(_Header.STATUS_CODE) + _I32.pack(frame.status_code)
    if frame.status_phrase:
        out += _I16.pack(_Header.STATUS_PHRASE) + _counted(frame.status_phrase.encode())
    if frame.flag > 0:
        out += _I16.pack(_Header.FLAG) + _I32.pack(frame.flag)
    if frame.token:
        out += _I16.pack(_Header.TOKEN) + _counted(frame.token.encode())
    for name, value in frame.custom:
        out += _I16.pack(_Header.CUSTOM) + _counted(name.encode())
        out += _U8.pack(value.format) + _value_bytes(value)
    out += _I16.pack(_Header.END_OF_HEADERS)
    return bytes(out)


def _counted(data: bytes) -> bytes:
    return _I32.pack(len(data)) + data


def _value_bytes(value: Value) -> bytes:
    data = value.value
    if isinstance(data, str):
        return _counted(data.encode())
    if isinstance(data, bytes):
        return _counted(data)
    if isinstance(data, datetime):
        return _I64.pack((data - EPOCH) // _MILLISECOND)
    if isinstance(data, int):
        return _INTEGERS[value.format].pack(data)
    return b""


# Decoding
#
# A consumer's hot path: `decode` tries a quick reader without per-field checks and, on any
# trouble, reads again with the careful one, which locates the problem (WireError).

_FRAME_TYPES = {member.value: member for member in FrameType}
_HEADERS = {member.value: member for member in _Header}
_FORMATS = {member.value: member for member in ValueFormat}


def _need(data: bytes, offset: int, size: int, what: str) -> None:
    if size > len(data) - offset:
        raise WireError(f"truncated frame: {what} needs {size} bytes", offset)


def _number(data: bytes, offset: int, shape: struct.Struct, what: str) -> int:
    _need(data, offset, shape.size, what)
    number: int = shape.unpack_from(data, offset)[0]
    return number


def _counted_at(data: bytes, offset: int, what: str) -> tuple[bytes, int]:
    size = _number(data, offset, _I32, f"the length of {what}")
    if size < 0 or size > MAX_FIELD_BYTES:
        raise WireError(f"{what} has an impossible length {size}", offset)
    start = offset + 4
    _need(data, start, size, what)
    return data[start : start + size], start + size


def _text_at(data: bytes, offset: int, what: str) -> tuple[str, int]:
    chunk, end = _counted_at(data, offset, what)
    try:
        return chunk.decode(), end
    except UnicodeDecodeError:
        raise WireError(f"{what} is not UTF-8", offset) from None


def _trusted(fmt: ValueFormat, value: ValueData) -> Value:
    """A Value read from the wire: it fits its format by construction, so unchecked."""
    made = object.__new__(Value)
    object.__setattr__(made, "format", fmt)
    object.__setattr__(made, "value", value)
    return made


class _QuickReadError(Exception):
    """The quick reader gave up: the careful one says why."""


def decode(data: bytes) -> Frame:
    """The frame `data` holds, all of it; WireError (with the byte offset) when it is not one."""
    try:
        return _decode_quickly(data)
    except (
        _QuickReadError,
        struct.error,
        IndexError,
        KeyError,
        ValueError,
        OverflowError,
    ):
        return _decode_carefully(data)


def _decode_quickly(data: bytes) -> Frame:
    if data[0] != PROTOCOL_VERSION:
        raise _QuickReadError
    frame_type = _FRAME_TYPES[data[1]]
    fields: dict[str, int | str] = {}
    custom: list[tuple[str, Value]] = []
    offset = 2
    while True:
        header = _I16.unpack_from(data, offset)[0]
        offset += 2
        if header == _Header.CUSTOM:
            name, offset = _quick_text(data, offset)
            fmt = _FORMATS[data[offset]]
            value, offset = _QUICK_VALUES[fmt](data, offset + 1)
            custom.append((name, _trusted(fmt, value)))
        elif header == _Header.END_OF_HEADERS:
            break
        elif header in (_Header.STATUS_CODE, _Header.FLAG):
            fields[_HEADERS[header].name.lower()] = _I32.unpack_from(data, offset)[0]
            offset += 4
        else:
            fields[_HEADERS[header].name.lower()], offset = _quick_text(data, offset)
    if offset != len(data):
        raise _QuickReadError
    return Frame(frame_type, custom=tuple(custom), **fields)  # type: ignore[arg-type]


def _quick_bytes(data: bytes, offset: int) -> tuple[bytes, int]:
    size: int = _I32.unpack_from(data, offset)[0]
    end = offset + 4 + size
    if size < 0 or size > MAX_FIELD_BYTES or end > len(data):
        raise _QuickReadError
    return data[offset + 4 : end], end


def _quick_text(data: bytes, offset: int) -> tuple[str, int]:
    chunk, end = _quick_bytes(data, offset)
    return chunk.decode(), end


def _quick_number(shape: struct.Struct) -> Callable[[bytes, int], tuple[int, int]]:
    def read(data: bytes, offset: int) -> tuple[int, int]:
        return shape.unpack_from(data, offset)[0], offset + shape.size

    return read


def _quick_date(data: bytes, offset: int) -> tuple[datetime, int]:
    return EPOCH + _I64.unpack_from(data, offset)[0] * _MILLISECOND, offset + 8


_QUICK_VALUES: dict[ValueFormat, Callable[[bytes, int], tuple[ValueData, int]]] = {
    ValueFormat.VOID: lambda data, offset: (None, offset),
    ValueFormat.COUNTED_STRING: _quick_text,
    ValueFormat.BYTE_ARRAY: _quick_bytes,
    ValueFormat.DATE: _quick_date,
    **{fmt: _quick_number(shape) for fmt, shape in _INTEGERS.items()},
}


def _decode_carefully(data: bytes) -> Frame:
    version = _number(data, 0, _U8, "the protocol version")
    if version != PROTOCOL_VERSION:
        raise WireError(f"protocol version {version}, not {PROTOCOL_VERSION}", 0)
    frame_type = _lookup(
        _FRAME_TYPES, _number(data, 1, _U8, "the message type"), "message type", 1
    )
    fields: dict[str, int | str] = {}
    custom: list[tuple[str, Value]] = []
    offset = 2
    while True:
        number = _number(data, offset, _I16, "a header type")
        header = _lookup(_HEADERS, number, "header type", offset)
        offset += 2
        if header is _Header.END_OF_HEADERS:
            break
        if header is _Header.CUSTOM:
            name, offset = _text_at(data, offset, "a Custom header's name")
            value, offset = _value_at(data, offset, name)
            custom.append((name, value))
        elif header is _Header.STATUS_CODE or header is _Header.FLAG:
            what = f"the {header.name} header"
            fields[header.name.lower()] = _number(data, offset, _I32, what)
            offset += 4
        else:
            what = f"the {header.name} header"
            fields[header.name.lower()], offset = _text_at(data, offset, what)
    if offset != len(data):
        raise WireError(f"{len(data) - offset} bytes after the headers", offset)
    return Frame(frame_type, custom=tuple(custom), **fields)  # type: ignore[arg-type]


def _lookup(members: dict[int, E], number: int, what: str, offset: int) -> E:
    member = members.get(number)
    if member is None:
        raise WireError(f"unknown {what} {number}", offset)
    return member


def _value_at(data: bytes, offset: int, name: str) -> tuple[Value, int]:
    number = _number(data, offset, _U8, "a value format")
    fmt = _lookup(_FORMATS, number, "value format", offset)
    offset += 1
    if fmt is ValueFormat.COUNTED_STRING:
        text, offset = _text_at(data, offset, f"the value of {name!r}")
        return _trusted(fmt, text), offset
    if fmt is ValueFormat.VOID:
        return _trusted(fmt, None), offset
    if fmt is ValueFormat.BYTE_ARRAY:
        chunk, offset = _counted_at(data, offset, f"the value of {name!r}")
        return _trusted(fmt, chunk), offset
    shape = _I64 if fmt is ValueFormat.DATE else _INTEGERS[fmt]
    number = _number(data, offset, shape, f"the value of {name!r}")
    if fmt is not ValueFormat.DATE:
        return _trusted(fmt, number), offset + shape.size
    try:
        return _trusted(fmt, EPOCH + number * _MILLISECOND), offset + 8
    except OverflowError:
        raise WireError(
            f"the value of {name!r} is a date out of range", offset
        ) from None


# The protocol's frames


def connect(
    app_key: str,
    group_name: str,
    timestamp: str,
    sign: str,
    *,
    flag: int = 1,
    extra: Sequence[tuple[str, Value]] = (),
) -> Frame:
    """A CONNECT: app_key, group_name, timestamp and sign, then `extra` (sdk, token...)."""
    custom = (
        ("app_key", Value.string(app_key)),
        ("group_name", Value.string(group_name)),
        ("timestamp", Value.string(timestamp)),
        ("sign", Value.string(sign)),
    )
    return Frame(FrameType.CONNECT, flag=flag, custom=custom + tuple(extra))


def connect_ack(flag: int, token: str) -> Frame:
    """The server's CONNECTACK accepting a CONNECT: its Flag and the routing token."""
    return Frame(FrameType.CONNECTACK, flag=flag, token=token)


def refusal(flag: int, status_code: int, status_phrase: str) -> Frame:
    """The server's CONNECTACK refusing a CONNECT."""
    return Frame(
        FrameType.CONNECTACK,
        status_code=status_code,
        status_phrase=status_phrase,
        flag=flag,
    )


def _send(token: str, kind: Kind, custom: Custom = (), flag: int = 0) -> Frame:
    return Frame(
        FrameType.SEND,
        flag=flag,
        token=token,
        custom=((KIND, Value.byte(kind)), *custom),
    )


def pull(token: str) -> Frame:
    """A PullRequest: push what is pending."""
    return _send(token, Kind.PULL_REQUEST)


def confirm(token: str, message_id: int) -> Frame:
    """A Confirm of the pushed message `message_id`."""
    return _send(token, Kind.CONFIRM, (("id", Value.int64(message_id)),))


def failed(token: str, message_id: int, reason: str) -> Frame:
    """A Failed of `message_id`, its reason cut to 128 characters as Java does."""
    custom = (
        ("id", Value.int64(message_id)),
        ("msg", Value.string(reason[:MAX_REASON_CHARS])),
    )
    return _send(token, Kind.FAILED, custom)


def data(
    token: str, topic: str, content: str, *, session: str | None = None, flag: int = 0
) -> Frame:
    """A Data frame publishing `content` on `topic` (a Flag asks for a SENDACK)."""
    custom: Custom = (
        ("topic", Value.string(topic)),
        ("content", Value.string(content)),
    )
    if session is not None:
        custom += (("session", Value.string(session)),)
    return _send(token, Kind.DATA, custom, flag)


def send_ack(flag: int, status_code: int = 0, status_phrase: str = "") -> Frame:
    """The server's SENDACK of a Data frame (an error when a status is set)."""
    return Frame(
        FrameType.SENDACK,
        status_code=status_code,
        status_phrase=status_phrase,
        flag=flag,
    )


@dataclass(frozen=True)
class Pushed:
    """The fields of a message the server pushed (a SEND of `__kind` 3)."""

    id: int
    topic: str
    content: str
    time: datetime | None = None
    publisher: str | None = None
    nick: str | None = None
    user_id: int | None = None
    extra: Custom = ()


_PUSHED_FIELDS = {
    "__kind",
    "id",
    "topic",
    "content",
    "time",
    "publisher",
    "nick",
    "userid",
}


def push(token: str, message: Pushed, *, gzipped: bool = False) -> Frame:
    """The server's SEND pushing `message` (content gzip'd into a ByteArray if asked)."""
    text = message.content.encode()
    content = (
        Value.byte_array(_gzip(text)) if gzipped else Value.string(message.content)
    )
    custom: list[tuple[str, Value]] = [
        ("id", Value.int64(message.id)),
        ("topic", Value.string(message.topic)),
        ("content", content),
    ]
    if message.time is not None:
        custom.append(("time", Value.date(message.time)))
    for name, text_value in (("publisher", message.publisher), ("nick", message.nick)):
        if text_value is not None:
            custom.append((name, Value.string(text_value)))
    if message.user_id is not None:
        custom.append(("userid", Value.int64(message.user_id)))
    return _send(token, Kind.DATA, tuple(custom) + message.extra)


def _gzip(text: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=31)
    return compressor.compress(text) + compressor.flush()


def pushed(frame: Frame) -> Pushed:
    """The message a pushed SEND carries; WireError when its id or topic is missing."""
    message_id = frame.integer("id")
    topic = frame.text("topic")
    if frame.type is not FrameType.SEND or frame.kind != Kind.DATA:
        raise WireError("not a pushed message (a SEND of __kind 3)")
    if message_id is None or topic is None:
        raise WireError("a pushed message without an integer id and a string topic")
    return Pushed(
        id=message_id,
        topic=topic,
        content=content_text(frame.get("content")),
        time=frame.date("time"),
        publisher=_as_text(frame.get("publisher")),
        nick=frame.text("nick"),
        user_id=frame.integer("userid"),
        extra=tuple(item for item in frame.custom if item[0] not in _PUSHED_FIELDS),
    )


def _as_text(value: Value | None) -> str | None:
    """A text field some servers send as a number (publisher): its text either way."""
    if value is None or value.value is None:
        return None
    return str(value.value) if not isinstance(value.value, bytes) else None


def content_text(value: Value | None) -> str:
    """A message's content as text: a String as is, a ByteArray gunzipped (bounded) UTF-8."""
    if value is None or value.format is ValueFormat.VOID:
        return ""
    if isinstance(value.value, str):
        return value.value
    if not isinstance(value.value, bytes):
        raise WireError(f"a content of format {value.format.name}")
    inflater = zlib.decompressobj(wbits=47)  # gzip or zlib header, detected
    try:
        text = inflater.decompress(value.value, MAX_CONTENT_BYTES)
        if inflater.unconsumed_tail:
            raise WireError(
                f"a gzip'd content inflating past {MAX_CONTENT_BYTES} bytes"
            )
        if not inflater.eof:
            raise WireError("a gzip'd content cut short")
        return text.decode()
    except (zlib.error, UnicodeDecodeError) as error:
        raise WireError(f"a content that is not gzip'd UTF-8: {error}") from None
