"""What TopClient and AsyncTopClient share: configuration, signing, encoding, retries, decoding."""

from __future__ import annotations

import importlib
import logging
import random
import time
import typing
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, Generic, NoReturn, Self, TypeVar, cast
from urllib.parse import urlsplit

from topapi._codec import DATETIME_FORMAT, GMT8, decode_response, in_gmt8, sent
from topapi._envelope import (
    API_VERSION,
    DEFAULT_SIGN_METHOD,
    GATEWAY_PRODUCTION,
    SECRET_PARAMS,
    SignMethod,
)
from topapi._errors import (
    BodyTooLargeError,
    ThrottledError,
    TopapiError,
    TopError,
    TransportError,
    UsageError,
    cut,
    quoted,
)
from topapi._model import ResponseT, SessionUse, TopRequest
from topapi._sign import REDACTED, Secret, sign

DEFAULT_TIMEOUT = 15.0
DEFAULT_MAX_BODY_SIZE = 64 * 1024 * 1024
DEFAULT_MAX_BATCH_SIZE = 20
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded;charset=UTF-8"
BATCH_CONTENT_TYPE = "text/plain;charset=UTF-8"
RAW_PREFIX = 64 * 1024  # how much of a body too large to read a BodyTooLargeError keeps
if TYPE_CHECKING:
    import httpx

log = logging.getLogger("topapi")

HttpT = TypeVar("HttpT", "httpx.Client", "httpx.AsyncClient")
T = TypeVar("T")


def _httpx() -> ModuleType:
    """httpx, imported on the first call rather than with topapi: it costs ~100 ms to import."""
    return importlib.import_module("httpx")


def _bounds() -> ModuleType:
    """topapi._deadline, imported with the first synchronous call (it imports httpx)."""
    return importlib.import_module("topapi._deadline")


class SignedParams(dict[str, str]):
    """Form fields of a call: a dict whose repr hides the session key and the signature.

    Tracebacks that show frame locals print it by its repr, so they never show either.
    """

    def __repr__(self) -> str:
        return repr(redacted(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (redacted(self),))


class HiddenBytes(bytes):
    """A batch's body as sent: its repr hides it, since it holds the calls' session keys."""

    def __repr__(self) -> str:
        return f"<{len(self)} bytes, not shown>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (bytes, (repr(self).encode(),))


def as_secret(value: Secret | str | None) -> Secret | None:
    """A session key wrapped, so the frames it passes through hold no plain text of it."""
    if value is None or isinstance(value, Secret):
        return value
    return Secret(value)


def put_session(params: SignedParams, session: Secret | None) -> None:
    """The session parameter, where there is a session (a blank one is none)."""
    if session and session.reveal().strip():
        params["session"] = session.reveal()


def check_gateway(url: str) -> str:
    """The gateway URL when httpx can send to it; otherwise a UsageError saying why."""
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port >= 0
    except ValueError as exc:  # a port out of range or not a number, a broken [IPv6]
        why = str(exc)
    else:
        why = ""
        if parts.scheme not in ("http", "https"):
            why = "its scheme must be http or https"
        elif not parts.hostname or not port_ok:
            why = "it has no host"
        elif any(char.isspace() or not char.isprintable() for char in url):
            why = "it holds a space or a control character"
    if why:
        raise UsageError(f"gateway {quoted(url)} is not a URL topapi can call: {why}")
    return url


class _Progress:
    """How far a request got, from httpx's trace events: whether any of it left."""

    __slots__ = ("sent", "traced")

    def __init__(self) -> None:
        self.traced = False
        self.sent = False

    def saw(self, event: str) -> None:
        self.traced = True
        if "send_request" in event:
            self.sent = True

    def trace(self, event: str, _info: object) -> None:
        self.saw(event)

    async def atrace(self, event: str, _info: object) -> None:
        self.saw(event)


class _Deadline:
    """The moment a call's `timeout` runs out, for the whole call: connect, send, every read."""

    __slots__ = ("at",)

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def passed(self) -> bool:
        return time.monotonic() >= self.at


class _DeadlineError(Exception):
    """The call's deadline passed while its answer was being read."""


@dataclass(frozen=True, repr=False)
class PreparedCall:
    """One HTTP request, ready to send: signed text fields and unsigned file parts.

    A batch has a text `body` instead, signed with `data`, which goes in the query string
    of `url`; `method` then names the batch in messages.
    """

    method: str
    data: dict[str, str]
    files: dict[str, tuple[str, bytes, str]]
    body: str | None = None
    url: str = ""

    def __repr__(self) -> str:
        return f"PreparedCall(method={self.method!r}, data={redacted(self.data)!r})"


def _is_utf8(text: str) -> bool:
    """Whether a text can be sent as UTF-8 (it holds no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(what: str, params: Mapping[str, str]) -> None:
    """UsageError naming the parameters that cannot be sent as UTF-8 (checked before signing,
    so no exception holding the string-to-sign is raised)."""
    unreadable = [key for key, value in params.items() if not _is_utf8(value)]
    if unreadable:
        raise UsageError(f"{what}: {', '.join(unreadable)}: not valid text (UTF-8)")


def redacted(params: Mapping[str, str]) -> dict[str, str]:
    """The parameters with the session key and the signature hidden, fit for logs."""
    return {
        key: REDACTED if key in SECRET_PARAMS else value
        for key, value in params.items()
    }


class ClientCore(Generic[HttpT]):
    """Configuration and the steps of a call that do not depend on sync or async I/O."""

    def __init__(
        self,
        app_key: str,
        app_secret: str,
        *,
        gateway: str = GATEWAY_PRODUCTION,
        sign_method: SignMethod = DEFAULT_SIGN_METHOD,
        format: str = "json",
        simplify: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        max_retries: int = 0,
        retry_backoff: float = 0.5,
        max_retry_wait: float = 30.0,
        max_batch_size: int = DEFAULT_MAX_BATCH_SIZE,
        partner_id: str | None = None,
        target_app_key: str | None = None,
        http_client: HttpT | None = None,
        check: bool = True,
    ) -> None:
        secret = Secret(app_secret)  # first: a traceback of __init__ shows it wrapped
        del app_secret
        if not _is_utf8(secret.reveal()):  # checked: an encoding error holds the text
            raise UsageError("app_secret is not valid text (UTF-8)")
        if format not in ("json", "xml"):
            raise UsageError(f"format must be 'json' or 'xml', not {quoted(format)}")
        if max_retries < 0:
            raise UsageError("max_retries must be 0 or more")
        if max_body_size < 1:
            raise UsageError("max_body_size must be 1 or more")
        if max_batch_size < 1:
            raise UsageError("max_batch_size must be 1 or more")
        if sign_method not in typing.get_args(SignMethod):
            methods = ", ".join(map(repr, typing.get_args(SignMethod)))
            raise UsageError(
                f"sign_method must be one of {methods}, not {quoted(sign_method)}"
            )
        self.app_key = app_key
        self._secret = secret
        self.gateway = gateway
        self.sign_method: SignMethod = sign_method
        self.format = format
        self.simplify = simplify
        self.timeout = timeout
        self.max_body_size = max_body_size
        self.max_retries = max_retries
        self.retry_backoff = retry_backoff
        self.max_retry_wait = max_retry_wait
        self.max_batch_size = max_batch_size
        self.partner_id = partner_id
        self.target_app_key = target_app_key
        # Whether a call that breaks a documented limit is refused before it is sent.
        self.check = check
        self._http_client: HttpT | None = http_client
        # An http_client passed in is the caller's: only one topapi made is closed here.
        self._owns_http = http_client is None

    @property
    def gateway(self) -> str:
        """The URL calls are posted to; one httpx cannot send to is refused when set."""
        return self._gateway

    @gateway.setter
    def gateway(self, url: str) -> None:
        self._gateway = check_gateway(url)

    def __reduce__(self) -> NoReturn:
        raise TypeError(
            f"{type(self).__name__} cannot be pickled: it holds the app secret and open "
            "connections; pickle its options and make a new client instead"
        )

    @property
    def _http(self) -> HttpT:
        """The HTTP client: the one given, or one made on first use and kept for reuse."""
        client = self._http_client
        if client is None:
            client = self._http_client = self._new_http()
        return client

    def _new_http(self) -> HttpT:
        raise NotImplementedError

    def __repr__(self) -> str:
        # From __dict__: a traceback may show a client whose __init__ did not finish.
        app_key, gateway = (self.__dict__.get(name) for name in ("app_key", "_gateway"))
        return f"{type(self).__name__}(app_key={app_key!r}, gateway={gateway!r})"

    def signed_params(
        self,
        request: TopRequest[Any],
        *,
        session: Secret | str | None = None,
        timestamp: datetime | None = None,
    ) -> SignedParams:
        """Every text parameter of a call, system ones and `sign` included; empty ones left out."""
        session = as_secret(session)
        if request.session_use is SessionUse.REQUIRED and not session:
            raise UsageError(
                f"{request.top_method}: needs the user's session key: pass session=..."
            )
        system = {"method": request.top_method, **self.system_params(timestamp)}
        params = SignedParams({**request.to_params(), **system})
        put_session(params, session)
        check_text(request.top_method, params)
        params["sign"] = self.sign(params)
        return params

    def sign(self, params: Mapping[str, str], body: str = "") -> str:
        """The signature of `params` (and a batch's `body`) with the app secret."""
        return sign(params, self._secret, self.sign_method, body)

    def system_params(self, timestamp: datetime | None = None) -> dict[str, str]:
        """The system parameters every call sends but `method`, `session` and `sign`."""
        moment = datetime.now(GMT8) if timestamp is None else in_gmt8(timestamp)
        system = {
            "app_key": self.app_key,
            "timestamp": moment.strftime(DATETIME_FORMAT),
            "v": API_VERSION,
            "sign_method": self.sign_method,
            "format": self.format,
            "simplify": "true" if self.simplify else "",
            "partner_id": self.partner_id or "",
            "target_app_key": self.target_app_key or "",
        }
        return sent(system)

    def prepare(
        self, request: TopRequest[Any], *, session: Secret | str | None = None
    ) -> PreparedCall:
        """The HTTP request of a call: signed form fields, and file parts when there are any."""
        files = {
            name: (file.filename, file.content, file.content_type)
            for name, file in request.file_params().items()
        }
        call = PreparedCall(
            request.top_method, self.signed_params(request, session=session), files
        )
        log.debug("%s: sending %s", call.method, redacted(call.data))
        return call

    def read_response(
        self, request: TopRequest[ResponseT], body: bytes, status_code: int = 0
    ) -> ResponseT:
        """The typed response of a body TOP answered `request` with; errors raise."""
        response = decode_response(
            request.response_type,
            body,
            self.format,
            status_code,
            simplify=self.simplify,
        )
        return cast("ResponseT", response)

    def _check(self, request: TopRequest[Any], check: bool | None) -> None:
        """Refuse a call that breaks a documented limit, unless checks are off for it."""
        if self.check if check is None else check:
            request.check_limits()

    def _deadline(self, timeout: float | None) -> _Deadline:
        return _Deadline(self.timeout if timeout is None else timeout)

    def _post_options(
        self, call: PreparedCall, deadline: _Deadline, trace: Any
    ) -> dict[str, Any]:
        options: dict[str, Any] = {
            "data": call.data,
            # httpx's timeouts are per phase and per read: each gets what remains of the
            # deadline, which the reading loop also checks between chunks.
            "timeout": deadline.remaining(),
            "extensions": {"trace": trace},
        }
        if call.body is not None:
            options["params"] = options.pop("data")
            options["content"] = HiddenBytes(call.body.encode())
            options["headers"] = {"Content-Type": BATCH_CONTENT_TYPE}
        elif call.files:
            options["files"] = call.files
        else:
            options["headers"] = {"Content-Type": FORM_CONTENT_TYPE}
        return options

    def _transport_error(
        self, call: PreparedCall, exc: Exception, progress: _Progress
    ) -> TopapiError:
        """The error a failed send stands for; `sent` says whether any of the request left."""
        httpx = _httpx()
        if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
            return UsageError(f"{call.method}: the gateway URL is refused: {exc}")
        if progress.traced:
            sent = progress.sent
        else:  # a transport that reports no trace events: judge by where it failed
            sent = not isinstance(
                exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout
            )
        what = "the answer did not come back" if sent else "the request was not sent"
        if isinstance(exc, _DeadlineError | TimeoutError):
            why = "the call's timeout ran out"
        elif isinstance(
            exc, httpx.TimeoutException
        ):  # each phase waits what remains of it
            why = f"the call's timeout ran out ({type(exc).__name__})"
        else:
            why = f"{type(exc).__name__}: {cut(str(exc))}"
        return TransportError(f"{call.method}: {what}: {why}", sent=sent)

    def _body_limit(self, call: PreparedCall, answer: httpx.Response) -> int:
        """The most bytes of a body to read; one that says it is larger is refused unread."""
        length = answer.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.max_body_size:
            raise self._too_large(call, answer, b"")
        return self.max_body_size

    def _too_large(
        self, call: PreparedCall, answer: httpx.Response, start: bytes
    ) -> BodyTooLargeError:
        return BodyTooLargeError(
            f"{call.method}: the answer is larger than max_body_size "
            f"({self.max_body_size} bytes): it was not read",
            raw=start[:RAW_PREFIX].decode("utf-8", errors="replace"),
            status_code=answer.status_code,
        )

    def _finish(
        self, request: TopRequest[ResponseT], body: bytes, status: int, started: float
    ) -> ResponseT:
        try:
            response = self.read_response(request, body, status)
        except TopapiError as exc:
            self._log(request.top_method, type(exc).__name__, started)
            raise
        self._log(request.top_method, "ok", started)
        return response

    def _log(self, what: str, outcome: str, started: float) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        log.debug("%s %s in %.1f ms", what, outcome, elapsed)

    def _retry_delay(
        self, error: TopapiError, attempt: int, max_retries: int | None
    ) -> float | None:
        """Seconds to wait before retrying after `error`, or None when it must not be retried.

        Only what cannot have executed the call, or what TOP says to retry, is retried:
        transport errors before the request was sent, isp.* sub_codes, and throttling
        (code 7), which waits the ban TOP states, capped at `max_retry_wait`.
        """
        allowed = self.max_retries if max_retries is None else max_retries
        if attempt >= allowed:
            return None
        backoff = min(
            self.max_retry_wait, self.retry_backoff * 2.0**attempt
        ) * random.uniform(0.5, 1)
        if isinstance(error, ThrottledError):
            return min(self.max_retry_wait, float(error.ban_seconds or backoff))
        if isinstance(error, TransportError) and not error.sent:
            return backoff
        if isinstance(error, TopError) and (error.sub_code or "").startswith("isp."):
            return backoff
        return None


async def _sleep(seconds: float) -> None:
    # asyncio is imported here, on the first retry, not with topapi: it costs tens of ms.
    import asyncio  # noqa: PLC0415

    await asyncio.sleep(seconds)


class SyncClientBase(ClientCore["httpx.Client"]):
    """The synchronous transport, over an httpx.Client kept for connection reuse."""

    def _new_http(self) -> httpx.Client:
        client: httpx.Client = _bounds().bounded_client()
        return client

    def execute(
        self,
        request: TopRequest[ResponseT],
        *,
        session: Secret | str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        check: bool | None = None,
    ) -> ResponseT:
        """Call TOP with `request` and return its typed response.

        `timeout` (seconds, the client's when None) bounds each attempt as a whole.
        `check` (the client's when None): refuse a request that breaks a documented limit
        with InvalidArgumentError, before sending it.
        """
        # Rebound, so this frame's locals hold the session wrapped, never as text.
        session = as_secret(session)
        self._check(request, check)
        return self.retrying(
            lambda: self._attempt(request, session, timeout),
            request.top_method,
            max_retries,
        )

    def retrying(
        self, attempt: Callable[[], T], what: str, max_retries: int | None
    ) -> T:
        """`attempt()`, tried again after what `_retry_delay` says may be retried."""
        tries = 0
        while True:
            try:
                return attempt()
            except (TopError, TransportError) as error:
                delay = self._retry_delay(error, tries, max_retries)
                if delay is None:
                    raise
                log.debug("%s: retrying in %.2f s after %s", what, delay, error)
            time.sleep(delay)
            tries += 1

    def _attempt(
        self,
        request: TopRequest[ResponseT],
        session: Secret | None,
        timeout: float | None,
    ) -> ResponseT:
        deadline = self._deadline(timeout)
        call = self.prepare(request, session=session)
        started = time.perf_counter()
        body, status = self.exchange(call, deadline, started)
        return self._finish(request, body, status, started)

    def exchange(
        self, call: PreparedCall, deadline: _Deadline, started: float
    ) -> tuple[bytes, int]:
        """Post `call` and read its answer: the body and the HTTP status."""
        progress = _Progress()
        options = self._post_options(call, deadline, progress.trace)
        failure: TopapiError | None = None
        try:
            with (
                _bounds().deadline(deadline.at),
                self._http.stream(
                    "POST", call.url or self.gateway, **options
                ) as answer,
            ):
                body = self._read(call, answer, deadline)
        except (_httpx().HTTPError, _httpx().InvalidURL, _DeadlineError) as exc:
            failure = self._transport_error(call, exc, progress)
        if failure is not None:
            # Raised here, outside the except clause: its __context__ would hold httpx's
            # exception, whose traceback's frames hold the form (session=...&sign=...).
            self._log(call.method, type(failure).__name__, started)
            raise failure
        return body, answer.status_code

    def _read(
        self, call: PreparedCall, answer: httpx.Response, deadline: _Deadline
    ) -> bytes:
        """The body, read in chunks: up to the size limit, and while the deadline holds."""
        limit = self._body_limit(call, answer)
        body = bytearray()
        chunks: Iterator[bytes] = answer.iter_bytes()
        for chunk in chunks:
            body += chunk
            if len(body) > limit:
                raise self._too_large(call, answer, bytes(body))
            if deadline.passed():
                raise _DeadlineError
        return bytes(body)

    def close(self) -> None:
        """Close the HTTP connections topapi opened; an `http_client` passed in stays open."""
        if self._owns_http and self._http_client is not None:
            self._http_client.close()
            self._http_client = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClientBase(ClientCore["httpx.AsyncClient"]):
    """The asynchronous transport, over an httpx.AsyncClient kept for connection reuse."""

    def _new_http(self) -> httpx.AsyncClient:
        client: httpx.AsyncClient = _httpx().AsyncClient()
        return client

    async def execute(
        self,
        request: TopRequest[ResponseT],
        *,
        session: Secret | str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        check: bool | None = None,
    ) -> ResponseT:
        """Call TOP with `request` and return its typed response.

        `timeout` (seconds, the client's when None) bounds each attempt as a whole.
        `check` (the client's when None): refuse a request that breaks a documented limit
        with InvalidArgumentError, before sending it.
        """
        # Rebound, so this frame's locals hold the session wrapped, never as text.
        session = as_secret(session)
        self._check(request, check)
        return await self.retrying(
            lambda: self._attempt(request, session, timeout),
            request.top_method,
            max_retries,
        )

    async def retrying(
        self,
        attempt: Callable[[], Awaitable[T]],
        what: str,
        max_retries: int | None,
    ) -> T:
        """`await attempt()`, tried again after what `_retry_delay` says may be retried."""
        tries = 0
        while True:
            try:
                return await attempt()
            except (TopError, TransportError) as error:
                delay = self._retry_delay(error, tries, max_retries)
                if delay is None:
                    raise
                log.debug("%s: retrying in %.2f s after %s", what, delay, error)
            await _sleep(delay)
            tries += 1

    async def _attempt(
        self,
        request: TopRequest[ResponseT],
        session: Secret | None,
        timeout: float | None,
    ) -> ResponseT:
        deadline = self._deadline(timeout)
        call = self.prepare(request, session=session)
        started = time.perf_counter()
        body, status = await self.exchange(call, deadline, started)
        return self._finish(request, body, status, started)

    async def exchange(
        self, call: PreparedCall, deadline: _Deadline, started: float
    ) -> tuple[bytes, int]:
        """Post `call` and read its answer: the body and the HTTP status."""
        import asyncio  # noqa: PLC0415 (loaded already: this runs in its event loop)

        progress = _Progress()
        options = self._post_options(call, deadline, progress.atrace)
        failure: TopapiError | None = None
        url = call.url or self.gateway
        try:
            async with asyncio.timeout(deadline.remaining()):
                async with self._http.stream("POST", url, **options) as answer:
                    body = await self._read(call, answer)
        except (_httpx().HTTPError, _httpx().InvalidURL, TimeoutError) as exc:
            failure = self._transport_error(call, exc, progress)
        if failure is not None:
            # Raised outside the except clause, so no __context__ holds the sent form.
            self._log(call.method, type(failure).__name__, started)
            raise failure
        return body, answer.status_code

    async def _read(self, call: PreparedCall, answer: httpx.Response) -> bytes:
        """The body, read in chunks up to the size limit (asyncio.timeout bounds the time)."""
        limit = self._body_limit(call, answer)
        body = bytearray()
        chunks: AsyncIterator[bytes] = answer.aiter_bytes()
        async for chunk in chunks:
            body += chunk
            if len(body) > limit:
                raise self._too_large(call, answer, bytes(body))
        return bytes(body)

    async def aclose(self) -> None:
        """Close the HTTP connections topapi opened; an `http_client` passed in stays open."""
        if self._owns_http and self._http_client is not None:
            await self._http_client.aclose()
            self._http_client = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
