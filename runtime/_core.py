"""What TopClient and AsyncTopClient share: configuration, signing, encoding, retries, decoding."""

from __future__ import annotations

import importlib
import logging
import random
import time
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, cast

from topapi._codec import DATETIME_FORMAT, GMT8, decode_response, in_gmt8, sent
from topapi._envelope import (
    API_VERSION,
    DEFAULT_SIGN_METHOD,
    GATEWAY_PRODUCTION,
    SECRET_PARAMS,
    SignMethod,
)
from topapi._errors import (
    ThrottledError,
    TopapiError,
    TopError,
    TransportError,
    UsageError,
)
from topapi._model import ResponseT, SessionUse, TopRequest
from topapi._sign import sign

DEFAULT_TIMEOUT = 15.0
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded;charset=UTF-8"
REDACTED = "***"
if TYPE_CHECKING:
    import httpx

log = logging.getLogger("topapi")

HttpT = TypeVar("HttpT", "httpx.Client", "httpx.AsyncClient")


def _httpx() -> ModuleType:
    """httpx, imported on the first call rather than with topapi: it costs ~100 ms to import."""
    return importlib.import_module("httpx")


class _Secret:
    """A secret that never shows itself in repr(), str() or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return repr(REDACTED)

    __str__ = __repr__


@dataclass(frozen=True, repr=False)
class PreparedCall:
    """One HTTP request, ready to send: signed text fields and unsigned file parts."""

    method: str
    data: dict[str, str]
    files: dict[str, tuple[str, bytes, str]]

    def __repr__(self) -> str:
        return f"PreparedCall(method={self.method!r}, data={redacted(self.data)!r})"


def _is_utf8(text: str) -> bool:
    """Whether a text can be sent as UTF-8 (it holds no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
        max_retries: int = 0,
        retry_backoff: float = 0.5,
        max_retry_wait: float = 30.0,
        partner_id: str | None = None,
        target_app_key: str | None = None,
        http_client: HttpT | None = None,
    ) -> None:
        if format not in ("json", "xml"):
            raise UsageError(f"format must be 'json' or 'xml', not {format!r}")
        if max_retries < 0:
            raise UsageError("max_retries must be 0 or more")
        if sign_method not in typing.get_args(SignMethod):
            methods = ", ".join(map(repr, typing.get_args(SignMethod)))
            raise UsageError(
                f"sign_method must be one of {methods}, not {sign_method!r}"
            )
        self.app_key = app_key
        self._secret = _Secret(app_secret)
        self.gateway = gateway
        self.sign_method: SignMethod = sign_method
        self.format = format
        self.simplify = simplify
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_backoff = retry_backoff
        self.max_retry_wait = max_retry_wait
        self.partner_id = partner_id
        self.target_app_key = target_app_key
        self._http_client: HttpT | None = http_client
        # An http_client passed in is the caller's: only one topapi made is closed here.
        self._owns_http = http_client is None

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
        return (
            f"{type(self).__name__}(app_key={self.app_key!r}, gateway={self.gateway!r})"
        )

    def signed_params(
        self,
        request: TopRequest[Any],
        *,
        session: str | None = None,
        timestamp: datetime | None = None,
    ) -> dict[str, str]:
        """Every text parameter of a call, system ones and `sign` included; empty ones left out."""
        if request.session_use is SessionUse.REQUIRED and not session:
            raise UsageError(
                f"{request.top_method}: needs the user's session key: pass session=..."
            )
        moment = datetime.now(GMT8) if timestamp is None else in_gmt8(timestamp)
        system = {
            "method": request.top_method,
            "app_key": self.app_key,
            "timestamp": moment.strftime(DATETIME_FORMAT),
            "v": API_VERSION,
            "sign_method": self.sign_method,
            "format": self.format,
            "simplify": "true" if self.simplify else "",
            "session": session or "",
            "partner_id": self.partner_id or "",
            "target_app_key": self.target_app_key or "",
        }
        params = {**request.to_params(), **sent(system)}
        unreadable = [key for key, value in params.items() if not _is_utf8(value)]
        if (
            unreadable
        ):  # checked here, so no exception holding the string-to-sign is raised
            raise UsageError(
                f"{request.top_method}: {', '.join(unreadable)}: not valid text (UTF-8)"
            )
        params["sign"] = sign(params, self._secret.reveal(), self.sign_method)
        return params

    def prepare(
        self, request: TopRequest[Any], *, session: str | None = None
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

    def _post_options(
        self, call: PreparedCall, timeout: float | None
    ) -> dict[str, Any]:
        options: dict[str, Any] = {
            "data": call.data,
            "timeout": self.timeout if timeout is None else timeout,
        }
        if call.files:
            options["files"] = call.files
        else:
            options["headers"] = {"Content-Type": FORM_CONTENT_TYPE}
        return options

    def _transport_error(
        self, call: PreparedCall, exc: httpx.HTTPError
    ) -> TransportError:
        httpx = _httpx()
        # Failures before a byte of the request left: the call was certainly not executed.
        sent = not isinstance(
            exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout
        )
        what = "the answer did not come back" if sent else "the request was not sent"
        message = f"{call.method}: {what}: {type(exc).__name__}: {exc}"
        return TransportError(message, sent=sent)

    def _finish(
        self, request: TopRequest[ResponseT], answer: httpx.Response, started: float
    ) -> ResponseT:
        try:
            response = self.read_response(request, answer.content, answer.status_code)
        except TopapiError as exc:
            self._log(request, type(exc).__name__, started)
            raise
        self._log(request, "ok", started)
        return response

    def _log(self, request: TopRequest[Any], outcome: str, started: float) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        log.debug("%s %s in %.1f ms", request.top_method, outcome, elapsed)

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
        client: httpx.Client = _httpx().Client()
        return client

    def execute(
        self,
        request: TopRequest[ResponseT],
        *,
        session: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> ResponseT:
        """Call TOP with `request` and return its typed response."""
        attempt = 0
        while True:
            try:
                return self._attempt(request, session, timeout)
            except (TopError, TransportError) as error:
                delay = self._retry_delay(error, attempt, max_retries)
                if delay is None:
                    raise
                log.debug(
                    "%s: retrying in %.2f s after %s", request.top_method, delay, error
                )
            time.sleep(delay)
            attempt += 1

    def _attempt(
        self, request: TopRequest[ResponseT], session: str | None, timeout: float | None
    ) -> ResponseT:
        call = self.prepare(request, session=session)
        started = time.perf_counter()
        try:
            answer = self._http.post(self.gateway, **self._post_options(call, timeout))
        except _httpx().HTTPError as exc:
            self._log(request, type(exc).__name__, started)
            raise self._transport_error(call, exc) from None
        return self._finish(request, answer, started)

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
        session: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> ResponseT:
        """Call TOP with `request` and return its typed response."""
        attempt = 0
        while True:
            try:
                return await self._attempt(request, session, timeout)
            except (TopError, TransportError) as error:
                delay = self._retry_delay(error, attempt, max_retries)
                if delay is None:
                    raise
                log.debug(
                    "%s: retrying in %.2f s after %s", request.top_method, delay, error
                )
            await _sleep(delay)
            attempt += 1

    async def _attempt(
        self, request: TopRequest[ResponseT], session: str | None, timeout: float | None
    ) -> ResponseT:
        call = self.prepare(request, session=session)
        started = time.perf_counter()
        try:
            answer = await self._http.post(
                self.gateway, **self._post_options(call, timeout)
            )
        except _httpx().HTTPError as exc:
            self._log(request, type(exc).__name__, started)
            raise self._transport_error(call, exc) from None
        return self._finish(request, answer, started)

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
