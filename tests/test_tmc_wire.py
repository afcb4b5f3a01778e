"""TMC's v2 frames: the vectors of top-tmc.md §6, round trips and malformed input, for topapi's
codec (topapi._tmc_wire) and the tests' own (tests/tmcframes.py)."""

from __future__ import annotations

import gzip
import struct
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from topapi import _tmc_wire as wire
from topapi._sign import sign
from topapi._tmc_wire import Frame, FrameType, Kind, Value, ValueFormat, WireError

from . import tmcframes

SECRET, APP_KEY, GROUP, TIMESTAMP = "s3cret", "12345678", "default", "1700000000000"
SIGN = "0B4E560E8FF04DDF0D44329088F142C7"
CONNECT = (
    "02000400010000000100070000006170705f6b65790108000000313233343536373801000a0000006772"
    "6f75705f6e616d65010700000064656661756c7401000900000074696d657374616d70010d0000003137"
    "30303030303030303030300100040000007369676e0120000000304234453536304538464630344444"
    "46304434343332393038384631343243370000"
)
CONNECTACK = "0201040001000000050002000000746b0000"
CONFIRM = "0202050002000000746b0100060000005f5f6b696e640202010002000000696405e9030000000000000000"
FAILED = (
    "0202050002000000746b0100060000005f5f6b696e640214010002000000696405e90300000000000001"
    "00030000006d7367010c000000e5ba93e5ad98e4b88de8b6b30000"
)
PUSHED = (
    "0202050002000000746b0100060000005f5f6b696e640203010002000000696405e9030000000000000100"
    "05000000746f706963011a00000074616f62616f5f74726164655f5472616465427579657250617901000700"
    "0000636f6e74656e7401290000007b22746964223a3538363037303539373337363736302c227061796d65"
    "6e74223a2233302e3336227d01000400000074696d65060068e5cf8b0100000100090000007075626c6973"
    "686572010800000031323439373931340100040000006e69636b0106000000e4b9b0e5aeb601000600000075"
    "7365726964057f43f92a000000000000"
)
CONTENT = '{"tid":586070597376760,"payment":"30.36"}'
PUBLISHED = datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
PUSHED_MESSAGE = wire.Pushed(
    id=1001,
    topic="taobao_trade_TradeBuyerPay",
    content=CONTENT,
    time=PUBLISHED,
    publisher="12497914",
    nick="买家",
    user_id=720978815,
)


# The vectors, through topapi's codec


def test_connect_sign_is_the_md5_signature_of_the_three_keys() -> None:
    """The CONNECT sign is TOP's md5 signature over app_key, group_name and timestamp."""
    params = {"app_key": APP_KEY, "group_name": GROUP, "timestamp": TIMESTAMP}
    assert sign(params, SECRET, "md5") == SIGN


def test_connect_vector() -> None:
    """CONNECT encodes to the vector; decoded, it gives its fields back."""
    frame = wire.connect(APP_KEY, GROUP, TIMESTAMP, SIGN, flag=1)
    assert wire.encode(frame).hex() == CONNECT
    decoded = wire.decode(bytes.fromhex(CONNECT))
    assert decoded == frame
    assert decoded.type is FrameType.CONNECT and decoded.flag == 1
    names = [name for name, _ in decoded.custom]
    assert names == ["app_key", "group_name", "timestamp", "sign"]
    assert decoded.text("sign") == SIGN and decoded.text("timestamp") == TIMESTAMP


def test_connectack_vector() -> None:
    """CONNECTACK with Flag 1 and Token tk."""
    assert wire.encode(wire.connect_ack(1, "tk")).hex() == CONNECTACK
    decoded = wire.decode(bytes.fromhex(CONNECTACK))
    assert (decoded.type, decoded.flag, decoded.token) == (FrameType.CONNECTACK, 1, "tk")
    assert not decoded.is_error and decoded.custom == ()


def test_confirm_vector() -> None:
    """Confirm of id 1001: Token, __kind Byte 2, id Int64."""
    assert wire.encode(wire.confirm("tk", 1001)).hex() == CONFIRM
    decoded = wire.decode(bytes.fromhex(CONFIRM))
    assert decoded.token == "tk" and decoded.kind == Kind.CONFIRM
    assert decoded.get("__kind") == Value.byte(2)
    assert decoded.get("id") == Value.int64(1001)


def test_failed_vector() -> None:
    """Failed of id 1001 with a Chinese reason (UTF-8 byte length counted)."""
    assert wire.encode(wire.failed("tk", 1001, "库存不足")).hex() == FAILED
    decoded = wire.decode(bytes.fromhex(FAILED))
    assert decoded.kind == Kind.FAILED and decoded.integer("id") == 1001
    assert decoded.text("msg") == "库存不足"


def test_pushed_message_vector() -> None:
    """The pushed message encodes to the vector and reads back as its fields."""
    assert wire.encode(wire.push("tk", PUSHED_MESSAGE)).hex() == PUSHED
    decoded = wire.decode(bytes.fromhex(PUSHED))
    assert decoded.token == "tk" and decoded.kind == Kind.DATA
    assert wire.pushed(decoded) == PUSHED_MESSAGE
    assert decoded.get("time") == Value.date(PUBLISHED)


def test_failed_reason_is_cut_to_128_characters() -> None:
    """A long reason is truncated by characters (not bytes), as the Java SDK does."""
    frame = wire.decode(wire.encode(wire.failed("tk", 7, "错" * 300)))
    assert frame.text("msg") == "错" * 128


def test_pull_and_data_frames() -> None:
    """A PullRequest carries only its kind; a Data frame topic, content, session and Flag."""
    pull = wire.decode(wire.encode(wire.pull("tk")))
    assert pull.kind == Kind.PULL_REQUEST and pull.custom == (("__kind", Value.byte(1)),)
    data = wire.decode(wire.encode(wire.data("tk", "t", "{}", session="s", flag=9)))
    assert (data.kind, data.flag, data.text("topic"), data.text("session")) == (3, 9, "t", "s")
    assert wire.data("tk", "t", "{}").get("session") is None


def test_error_replies() -> None:
    """A refusal or a failed SENDACK is an error: a status code or a phrase."""
    refused = wire.decode(wire.encode(wire.refusal(1, 403, "bad sign")))
    assert refused.is_error and (refused.status_code, refused.status_phrase) == (403, "bad sign")
    assert wire.decode(wire.encode(wire.send_ack(3, 0, "oops"))).is_error
    assert not wire.decode(wire.encode(wire.send_ack(3))).is_error


# The vectors, through the tests' own codec


def test_own_codec_encodes_the_vectors() -> None:
    """tests/tmcframes.py writes the same bytes for every vector."""
    assert tmcframes.connect(APP_KEY, GROUP, TIMESTAMP, SIGN).hex() == CONNECT
    assert tmcframes.connect_ack(1, "tk").hex() == CONNECTACK
    assert tmcframes.send("tk", 2, ("id", tmcframes.INT64, 1001)).hex() == CONFIRM
    failed = tmcframes.send("tk", 20, ("id", 5, 1001), ("msg", tmcframes.STRING, "库存不足"))
    assert failed.hex() == FAILED
    pushed = tmcframes.push(
        "tk",
        1001,
        "taobao_trade_TradeBuyerPay",
        CONTENT,
        time_ms=1700000000000,
        publisher="12497914",
        nick="买家",
        userid=720978815,
    )
    assert pushed.hex() == PUSHED


def test_own_codec_decodes_the_vectors() -> None:
    """tests/tmcframes.py reads every vector back to its fields."""
    connect = tmcframes.decode(bytes.fromhex(CONNECT))
    assert (connect.type, connect.flag, connect.value("sign")) == (0, 1, SIGN)
    ack = tmcframes.decode(bytes.fromhex(CONNECTACK))
    assert (ack.type, ack.flag, ack.token) == (1, 1, "tk")
    failed = tmcframes.decode(bytes.fromhex(FAILED))
    assert (failed.kind, failed.value("id"), failed.value("msg")) == (20, 1001, "库存不足")
    pushed = tmcframes.decode(bytes.fromhex(PUSHED))
    assert pushed.value("time") == 1700000000000 and pushed.value("nick") == "买家"
    assert pushed.value("userid") == 720978815 and pushed.value("content") == CONTENT


# Any integer width; gzip'd content


@pytest.mark.parametrize("fmt", [tmcframes.BYTE, tmcframes.INT16, tmcframes.INT32])
def test_an_integer_of_any_width_is_read(fmt: int) -> None:
    """tmcpy writes small ids as Int32: the id is read whatever its width."""
    frame = wire.decode(tmcframes.push("tk", 100, "t", "{}", id_format=fmt))
    assert wire.pushed(frame).id == 100
    assert frame.get("id") == Value(ValueFormat(fmt), 100)


def test_gzipped_content_is_inflated() -> None:
    """A ByteArray content is gzip'd UTF-8: read as its text, both ways."""
    frame = wire.decode(tmcframes.push("tk", 5, "t", '{"nick":"买家"}', gzipped=True))
    assert frame.get("content") is not None
    assert frame.get("content").format is ValueFormat.BYTE_ARRAY  # type: ignore[union-attr]
    assert wire.pushed(frame).content == '{"nick":"买家"}'
    ours = wire.push("tk", wire.Pushed(5, "t", "库存"), gzipped=True)
    assert tmcframes.decode(wire.encode(ours)).value("content") != "库存"
    assert gzip.decompress(tmcframes.decode(wire.encode(ours)).value("content")) == "库存".encode()


def test_a_decompression_bomb_is_refused() -> None:
    """Content inflating past the bound is an error, not gigabytes of memory."""
    bomb = gzip.compress(b"0" * (wire.MAX_CONTENT_BYTES + 1))
    with pytest.raises(WireError, match="inflating past"):
        wire.content_text(Value.byte_array(bomb))


@pytest.mark.parametrize(
    "content", [b"not gzip", gzip.compress(b"\xff\xfe"), gzip.compress(b"{}")[:-6]]
)
def test_bad_gzipped_content_is_an_error(content: bytes) -> None:
    """Not gzip, not UTF-8, or cut short: a WireError each."""
    with pytest.raises(WireError):
        wire.content_text(Value.byte_array(content))


# Round trips

_TEXT = st.text(max_size=40)
_VALUES = st.one_of(
    st.just(Value.void()),
    _TEXT.map(Value.string),
    st.integers(-(2**7), 2**7 - 1).map(Value.byte),
    st.integers(-(2**15), 2**15 - 1).map(Value.int16),
    st.integers(-(2**31), 2**31 - 1).map(Value.int32),
    st.integers(-(2**63), 2**63 - 1).map(Value.int64),
    st.binary(max_size=40).map(Value.byte_array),
    st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
    ).map(lambda moment: Value.date(moment.replace(microsecond=moment.microsecond // 1000 * 1000))),
)
_FRAMES = st.builds(
    Frame,
    type=st.sampled_from(FrameType),
    status_code=st.integers(0, 2**31 - 1),
    status_phrase=_TEXT,
    flag=st.integers(0, 2**31 - 1),
    token=_TEXT,
    custom=st.lists(st.tuples(_TEXT, _VALUES), max_size=6).map(tuple),
)


@given(_FRAMES)
def test_round_trip(frame: Frame) -> None:
    """decode(encode(frame)) is the frame; the tests' own codec reads it to the same bytes."""
    data = wire.encode(frame)
    assert wire.decode(data) == frame
    assert wire._decode_carefully(data) == frame  # the reader that locates errors agrees
    assert tmcframes.encode(tmcframes.decode(data)) == data


def test_a_date_keeps_its_instant_in_any_zone() -> None:
    """A GMT+8 moment goes on the wire as its epoch milliseconds."""
    moment = datetime(2023, 11, 15, 6, 13, 20, tzinfo=timezone(timedelta(hours=8)))
    frame = Frame(FrameType.SEND, custom=(("time", Value.date(moment)),))
    assert tmcframes.decode(wire.encode(frame)).value("time") == 1700000000000


# Malformed input

_GOOD = bytes.fromhex(CONFIRM)


@pytest.mark.parametrize("cut", range(len(_GOOD)))
def test_every_truncation_is_an_error_with_its_offset(cut: int) -> None:
    """A frame cut anywhere is a WireError naming a byte offset within it."""
    with pytest.raises(WireError) as caught:
        wire.decode(_GOOD[:cut])
    assert caught.value.offset is not None and 0 <= caught.value.offset <= cut


@pytest.mark.parametrize(
    ("data", "message", "offset"),
    [
        (b"\x03\x00\x00\x00", "protocol version 3", 0),
        (b"\x02\x09\x00\x00", "unknown message type 9", 1),
        (b"\x02\x02\x07\x00", "unknown header type 7", 2),
        (b"\x02\x02\x01\x00\x01\x00\x00\x00a\x09", "unknown value format 9", 9),
        (b"\x02\x02\x05\x00\xff\xff\xff\xff", "impossible length -1", 4),
        (b"\x02\x02\x05\x00\x02\x00\x00\x00\xff\xfe\x00\x00", "TOKEN header is not UTF-8", 4),
        (b"\x02\x02\x00\x00\x00", "1 bytes after the headers", 4),
    ],
)
def test_malformed_frames(data: bytes, message: str, offset: int) -> None:
    """Unknown versions, types, headers and formats, bad lengths and text: located errors."""
    with pytest.raises(WireError, match=message) as caught:
        wire.decode(data)
    assert caught.value.offset == offset
    assert f"at byte {offset}" in str(caught.value)


def test_a_hostile_length_is_refused_before_reading() -> None:
    """A counted string claiming 2 GB is refused by its length, whatever follows."""
    data = b"\x02\x02\x05\x00" + struct.pack("<i", 2**31 - 1) + b"x" * 100
    with pytest.raises(WireError, match="impossible length"):
        wire.decode(data)
    with pytest.raises(WireError, match="impossible length"):
        wire.decode(b"\x02\x02\x05\x00" + struct.pack("<i", wire.MAX_FIELD_BYTES + 1))


def test_a_date_out_of_range_is_an_error() -> None:
    """An Int64 of milliseconds past year 9999 is a located error, not an OverflowError."""
    data = b"\x02\x02\x01\x00\x01\x00\x00\x00t\x06" + struct.pack("<q", 2**62) + b"\x00\x00"
    with pytest.raises(WireError, match="date out of range"):
        wire.decode(data)


@pytest.mark.parametrize(
    ("fmt", "value"),
    [
        (ValueFormat.BYTE, 128),
        (ValueFormat.INT32, 2**31),
        (ValueFormat.INT64, "1"),
        (ValueFormat.INT16, True),
        (ValueFormat.COUNTED_STRING, b"x"),
        (ValueFormat.DATE, datetime(2023, 1, 1)),
        (ValueFormat.VOID, 0),
    ],
)
def test_a_value_that_does_not_fit_its_format_is_refused(fmt: ValueFormat, value: object) -> None:
    """Values are checked when made: encode never writes a wrong width or type."""
    with pytest.raises(ValueError, match=fmt.name):
        Value(fmt, value)  # type: ignore[arg-type]


def test_a_pushed_frame_without_id_or_topic_is_an_error() -> None:
    """pushed() refuses a frame that is not a whole pushed message."""
    with pytest.raises(WireError, match="without an integer id"):
        wire.pushed(wire.decode(tmcframes.send("tk", 3, ("topic", tmcframes.STRING, "t"))))
    with pytest.raises(WireError, match="not a pushed message"):
        wire.pushed(wire.decode(bytes.fromhex(CONFIRM)))


def test_the_token_is_not_in_a_frames_repr() -> None:
    """The routing token is a credential of the connection: not shown."""
    assert "tk" not in repr(wire.decode(bytes.fromhex(CONNECTACK)))
