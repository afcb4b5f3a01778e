"""What TopClient and AsyncTopClient share: configuration, signing, encoding and decoding."""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Any, Self, TypedDict, Unpack, cast

import httpx

from topapi._codec import DATETIME_FORMAT, GMT8, decode_response
from topapi._envelope import (
    API_VERSION,
    DEFAULT_SIGN_METHOD,
    GATEWAY_PRODUCTION,
    SignMethod,
)
from topapi._errors import TransportError
from topapi._model import ResponseT, SessionUse, TopRequest
from topapi._sign import sign

DEFAULT_TIMEOUT = 15.0
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded;charset=UTF-8"


class ClientOptions(TypedDict, total=False):
    """The keyword options of TopClient and AsyncTopClient."""

    gateway: str
    sign_method: SignMethod
    format: str
    simplify: bool
    timeout: float
    partner_id: str | None
    target_app_key: str | None


class ClientCore:
    """Configuration and the pure steps of a call: request to signed form, body to response."""

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
        partner_id: str | None = None,
        target_app_key: str | None = None,
    ) -> None:
        if format not in ("json", "xml"):
            raise ValueError(f"format must be 'json' or 'xml', not {format!r}")
        self.app_key = app_key
        self.__secret = app_secret
        self.gateway = gateway
        self.sign_method: SignMethod = sign_method
        self.format = format
        self.simplify = simplify
        self.timeout = timeout
        self.partner_id = partner_id
        self.target_app_key = target_app_key

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
        """Every text parameter of a call, system ones and `sign` included."""
        if request.session_use is SessionUse.REQUIRED and not session:
            raise ValueError(
                f"{request.top_method} needs the user's session key: pass session=..."
            )
        moment = timestamp or datetime.now(GMT8)
        if moment.tzinfo is not None:
            moment = moment.astimezone(GMT8)
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
        params = {key: value for key, value in system.items() if value}
        params.update(request.to_params())
        params["sign"] = sign(params, self.__secret, self.sign_method)
        return params

    def read_response(
        self, request: TopRequest[ResponseT], body: bytes, status_code: int = 0
    ) -> ResponseT:
        """The typed response of a body TOP answered `request` with."""
        return cast(
            "ResponseT",
            decode_response(request.response_type, body, self.format, status_code),
        )


class SyncClientBase(ClientCore):
    """The synchronous transport, over an httpx.Client."""

    def __init__(
        self,
        app_key: str,
        app_secret: str,
        *,
        http_client: httpx.Client | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        super().__init__(app_key, app_secret, **options)
        self._http = http_client or httpx.Client()

    def execute(
        self,
        request: TopRequest[ResponseT],
        *,
        session: str | None = None,
        timeout: float | None = None,
    ) -> ResponseT:
        """Call TOP with `request` and return its typed response."""
        params = self.signed_params(request, session=session)
        try:
            answer = self._http.post(
                self.gateway,
                data=params,
                headers={"Content-Type": FORM_CONTENT_TYPE},
                timeout=self.timeout if timeout is None else timeout,
            )
        except httpx.HTTPError as exc:
            raise TransportError(
                f"{request.top_method}: {type(exc).__name__}: {exc}"
            ) from None
        return self.read_response(request, answer.content, answer.status_code)

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, *exc_info: type[BaseException] | BaseException | TracebackType | None
    ) -> None:
        self.close()


class AsyncClientBase(ClientCore):
    """The asynchronous transport, over an httpx.AsyncClient."""

    def __init__(
        self,
        app_key: str,
        app_secret: str,
        *,
        http_client: httpx.AsyncClient | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        super().__init__(app_key, app_secret, **options)
        self._http = http_client or httpx.AsyncClient()

    async def execute(
        self,
        request: TopRequest[ResponseT],
        *,
        session: str | None = None,
        timeout: float | None = None,
    ) -> ResponseT:
        """Call TOP with `request` and return its typed response."""
        params = self.signed_params(request, session=session)
        try:
            answer = await self._http.post(
                self.gateway,
                data=params,
                headers={"Content-Type": FORM_CONTENT_TYPE},
                timeout=self.timeout if timeout is None else timeout,
            )
        except httpx.HTTPError as exc:
            raise TransportError(
                f"{request.top_method}: {type(exc).__name__}: {exc}"
            ) from None
        return self.read_response(request, answer.content, answer.status_code)

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, *exc_info: type[BaseException] | BaseException | TracebackType | None
    ) -> None:
        await self.aclose()
