"""TMC's long connection in the sandbox: the WebSocket at `/`, spoken in v2 frames.

A client sends CONNECT (signed with the app's secret), gets CONNECTACK with a routing token,
then SENDs: PullRequest, Confirm, Failed, Data. The sandbox pushes its group's messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aiohttp import WSMessage, WSMsgType, web

from topgen.runtime import _tmc_wire as wire

from ..gateway import MAX_SKEW, Sandbox, signature
from .hub import DEFAULT_GROUP, Consumer, now_ms
from .registry import MAX_GROUP_NAME
from .service import Tmc, auth_token
from .store import Message, QueueFullError

log = logging.getLogger("topgen.serve.tmc")

REFUSED = 401  # StatusCode of a refused CONNECT: bad sign, unknown app key, stale timestamp
BAD_FRAME = 400
BUSY = 503
CLOSE_PROTOCOL = 1002  # WebSocket close codes
CLOSE_UNSUPPORTED = 1003
CLOSE_POLICY = 1008
CLOSE_FULL = 1013


class RefusedError(Exception):
    """A CONNECT the sandbox refuses: the StatusCode and StatusPhrase it answers."""

    def __init__(self, code: int, phrase: str) -> None:
        super().__init__(phrase)
        self.code, self.phrase = code, phrase


def handler(
    current: Callable[[], Sandbox],
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """The aiohttp handler of `/`, for the sandbox `current()` returns (it may be reloaded)."""

    async def tmc_socket(request: web.Request) -> web.StreamResponse:
        sandbox = current()
        if sandbox.tmc is None:
            raise web.HTTPNotFound(text="this sandbox has no message service")
        settings = sandbox.tmc.hub.settings
        socket = web.WebSocketResponse(max_msg_size=settings.max_frame, autoping=True)
        await socket.prepare(request)
        await Connection(sandbox, sandbox.tmc, socket).run()
        return socket

    return tmc_socket


@dataclass(frozen=True)
class Accepted:
    """A CONNECT the sandbox accepted."""

    group: str
    flag: int


@dataclass
class Connection:
    """One client's long connection, from CONNECT to close."""

    sandbox: Sandbox
    tmc: Tmc
    socket: web.WebSocketResponse

    def __post_init__(self) -> None:
        self.token = secrets.token_hex(16)
        self._sending = asyncio.Lock()

    async def run(self) -> None:
        """Shake hands, then serve the client until it or the sandbox closes."""
        accepted = await self._handshake()
        if accepted is None:
            return
        hub = self.tmc.hub
        consumer = hub.attach(accepted.group)
        log.info("TMC connection %s of group %s open", consumer.holder, accepted.group)
        pusher = asyncio.create_task(self._push(consumer))
        try:
            await self._send(wire.connect_ack(accepted.flag, self.token))
            await self._serve(consumer)
        finally:
            pusher.cancel()
            hub.detach(consumer)
            log.info("TMC connection %s closed", consumer.holder)

    async def _handshake(self) -> Accepted | None:
        settings = self.tmc.hub.settings
        try:
            async with asyncio.timeout(settings.handshake_seconds):
                first = await self.socket.receive()
        except TimeoutError:
            await self.socket.close(code=CLOSE_POLICY, message=b"no CONNECT in time")
            return None
        frame = await self._frame(first)
        if frame is None:
            return None
        if frame.type is not wire.FrameType.CONNECT:
            await self.socket.close(code=CLOSE_PROTOCOL, message=b"the first frame is not CONNECT")
            return None
        try:
            group = self._check_connect(frame)
        except RefusedError as refused:
            log.info("TMC CONNECT refused: %s", refused.phrase)
            await self._send(wire.refusal(frame.flag, refused.code, refused.phrase))
            await self.socket.close(code=CLOSE_POLICY, message=refused.phrase.encode()[:120])
            return None
        return Accepted(group, frame.flag)

    def _check_connect(self, frame: wire.Frame) -> str:
        """The group of an acceptable CONNECT; RefusedError otherwise."""
        app_key = frame.text("app_key") or ""
        group = frame.text("group_name") or DEFAULT_GROUP
        timestamp = frame.text("timestamp") or ""
        if not app_key:
            raise RefusedError(REFUSED, "Missing App Key")
        if len(group) > MAX_GROUP_NAME:
            raise RefusedError(BAD_FRAME, f"Invalid Group Name: longer than {MAX_GROUP_NAME}")
        if app_key != self.sandbox.app_key:
            raise RefusedError(REFUSED, "Invalid App Key")
        _check_timestamp(timestamp)
        signed = {"app_key": app_key, "group_name": group, "timestamp": timestamp}
        expected = signature(signed, self.sandbox.app_secret, "md5")
        if not hmac.compare_digest((frame.text("sign") or "").upper(), expected):
            raise RefusedError(REFUSED, "Invalid Signature")
        token = frame.text("token")
        if token and not hmac.compare_digest(token, auth_token(self.sandbox.app_secret, group)):
            raise RefusedError(REFUSED, "Invalid Token")
        if self.tmc.hub.connections >= self.tmc.hub.settings.max_connections:
            raise RefusedError(BUSY, "too many connections")
        return group

    async def _frame(self, received: WSMessage) -> wire.Frame | None:
        """The frame a WebSocket message holds; None (the socket closed) when it holds none."""
        if received.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED):
            return None
        if received.type is WSMsgType.ERROR:  # too large, or not WebSocket: aiohttp closed it
            log.info("TMC connection dropped: %s", self.socket.exception())
            return None
        if received.type is not WSMsgType.BINARY:
            await self.socket.close(code=CLOSE_UNSUPPORTED, message=b"TMC frames are binary")
            return None
        try:
            return wire.decode(received.data)
        except wire.WireError as error:
            log.info("TMC connection sent a bad frame: %s", error)
            await self.socket.close(code=CLOSE_PROTOCOL, message=str(error).encode()[:120])
            return None

    async def _serve(self, consumer: Consumer) -> None:
        while not self.socket.closed:
            frame = await self._frame(await self.socket.receive())
            if frame is None:
                return
            if frame.type is not wire.FrameType.SEND or frame.token != self.token:
                why = b"a SEND with the connection's token was expected"
                await self.socket.close(code=CLOSE_POLICY, message=why)
                return
            await self._handle(consumer, frame)

    async def _handle(self, consumer: Consumer, frame: wire.Frame) -> None:
        hub = self.tmc.hub
        kind = frame.kind
        message_id = frame.integer("id")
        if kind == wire.Kind.PULL_REQUEST:
            hub.pull(consumer)
        elif kind == wire.Kind.CONFIRM and message_id is not None:
            hub.confirm(consumer, message_id)
        elif kind == wire.Kind.FAILED and message_id is not None:
            hub.fail(consumer, message_id)
        elif kind == wire.Kind.DATA:
            await self._send(self._publish(frame))
        else:
            log.info("TMC connection %s sent an unknown SEND (kind %s)", consumer.holder, kind)

    def _publish(self, frame: wire.Frame) -> wire.Frame:
        """Publish a Data frame's message; the SENDACK to answer."""
        topic, content = frame.text("topic"), frame.text("content")
        if not topic or content is None:
            return wire.send_ack(frame.flag, BAD_FRAME, "a Data frame needs a topic and content")
        draft = self.tmc.draft(self.sandbox.app_key, frame.text("session"), topic, content)
        try:
            self.tmc.hub.publish(draft)
        except QueueFullError as full:
            return wire.send_ack(frame.flag, BUSY, str(full))
        return wire.send_ack(frame.flag)

    async def _push(self, consumer: Consumer) -> None:
        """Send the consumer's messages as the hub hands them over, until the socket closes."""
        with contextlib.suppress(ConnectionError):  # what it held goes back when it detaches
            while True:
                message = await consumer.outbox.get()
                await self._send(wire.push(self.token, _pushed(message)))

    async def _send(self, frame: wire.Frame) -> None:
        async with self._sending:  # pushes and SENDACKs come from two tasks
            await self.socket.send_bytes(wire.encode(frame))


def _check_timestamp(text: str) -> None:
    if not text.isdigit():
        raise RefusedError(REFUSED, "Invalid Timestamp")
    if abs(int(text) - now_ms()) > MAX_SKEW / timedelta(milliseconds=1):
        raise RefusedError(REFUSED, "Invalid Timestamp: more than 10 minutes off")


def _pushed(message: Message) -> wire.Pushed:
    return wire.Pushed(
        id=message.id,
        topic=message.topic,
        content=message.content,
        time=datetime.fromtimestamp(message.published_ms / 1000, UTC),
        publisher=message.publisher,
        nick=message.nick,
        user_id=message.user_id,
    )
