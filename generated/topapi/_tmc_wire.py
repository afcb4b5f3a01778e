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


class _Reader:
    """A cursor over the frame's bytes; every read checks what is left."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def take(self, size: int, what: str) -> bytes:
        if size > len(self.data) - self.offset:
            raise WireError(f"truncated frame: {what} needs {size} bytes", self.offset)
        chunk = self.data[self.offset : self.offset + size]
        self.offset += size
        return chunk

    def unpack(self, shape: struct.Struct, what: str) -> int:
        number: int = shape.unpack(self.take(shape.size, what))[0]
        return number

    def counted(self, what: str) -> bytes:
        start = self.offset
        size = self.unpack(_I32, f"the length of {what}")
        if size < 0 or size > MAX_FIELD_BYTES:
            raise WireError(f"{what} has an impossible length {size}", start)
        return self.take(size, what)

    def text(self, what: str) -> str:
        start = self.offset
        data = self.counted(what)
        try:
            return data.decode()
        except UnicodeDecodeError:
            raise WireError(f"{what} is not UTF-8", start) from None


def decode(data: bytes) -> Frame:
    """The frame `data` holds, all of it; WireError (with the byte offset) when it is not one."""
    reader = _Reader(data)
    version = reader.unpack(_U8, "the protocol version")
    if version != PROTOCOL_VERSION:
        raise WireError(f"protocol version {version}, not {PROTOCOL_VERSION}", 0)
    frame_type = _enum(
        FrameType, reader.unpack(_U8, "the message type"), "message type", 1
    )
    fields: dict[str, int | str] = {}
    custom: list[tuple[str, Value]] = []
    while True:
        start = reader.offset
        header = _enum(
            _Header, reader.unpack(_I16, "a header type"), "header type", start
        )
        if header is _Header.END_OF_HEADERS:
            break
        if header is _Header.CUSTOM:
            custom.append(_custom(reader))
        elif header in (_Header.STATUS_CODE, _Header.FLAG):
            fields[header.name.lower()] = reader.unpack(
                _I32, f"the {header.name} header"
            )
        else:
            fields[header.name.lower()] = reader.text(f"the {header.name} header")
    if reader.offset != len(data):
        raise WireError(
            f"{len(data) - reader.offset} bytes after the headers", reader.offset
        )
    return Frame(frame_type, custom=tuple(custom), **fields)  # type: ignore[arg-type]


def _enum(kind: type[E], number: int, what: str, offset: int) -> E:
    try:
        return kind(number)
    except ValueError:
        raise WireError(f"unknown {what} {number}", offset) from None


def _custom(reader: _Reader) -> tuple[str, Value]:
    name = reader.text("a Custom header's name")
    start = reader.offset
    fmt = _enum(
        ValueFormat, reader.unpack(_U8, "a value format"), "value format", start
    )
    what = f"the value of {name!r}"
    if fmt is ValueFormat.VOID:
        return name, Value.void()
    if fmt is ValueFormat.COUNTED_STRING:
        return name, Value.string(reader.text(what))
    if fmt is ValueFormat.BYTE_ARRAY:
        return name, Value.byte_array(reader.counted(what))
    if fmt is ValueFormat.DATE:
        start = reader.offset
        millis = reader.unpack(_I64, what)
        try:
            return name, Value.date(EPOCH + millis * _MILLISECOND)
        except OverflowError:
            raise WireError(f"{what} is a date out of range", start) from None
    return name, Value(fmt, reader.unpack(_INTEGERS[fmt], what))


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
