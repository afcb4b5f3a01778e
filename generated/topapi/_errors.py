"""The exceptions topapi raises; every one derives from TopapiError."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class TopapiError(Exception):
    """Base of every exception topapi raises."""


class TopError(TopapiError):
    """TOP answered a call with an error_response."""

    def __init__(
        self,
        code: int,
        msg: str,
        sub_code: str | None = None,
        sub_msg: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.code = code
        self.msg = msg
        self.sub_code = sub_code
        self.sub_msg = sub_msg
        self.request_id = request_id
        super().__init__(self._describe())

    def _describe(self) -> str:
        text = f"TOP error {self.code}: {self.msg}"
        if self.sub_code or self.sub_msg:
            text += f" ({self.sub_code}: {self.sub_msg})"
        if self.request_id:
            text += f" [request_id {self.request_id}]"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, msg={self.msg!r}, "
            f"sub_code={self.sub_code!r}, sub_msg={self.sub_msg!r}, request_id={self.request_id!r})"
        )

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> TopError:
        """The error of an error_response body (its content, without the error_response key)."""
        code = payload.get("code")
        if isinstance(code, str) and code.strip().lstrip("-").isdigit():
            code = int(code)
        if not isinstance(code, int) or isinstance(code, bool):
            raise ResponseError(
                f"error_response has no numeric code: {code!r}", raw=repr(payload)
            )
        return cls(
            code=code,
            msg=str(payload.get("msg", "")),
            sub_code=_text(payload.get("sub_code")),
            sub_msg=_text(payload.get("sub_msg")),
            request_id=_text(payload.get("request_id")),
        )


class ResponseError(TopapiError):
    """TOP's answer could not be read as the API's response; `raw` holds the body as text."""

    def __init__(self, message: str, *, raw: str, status_code: int = 0) -> None:
        super().__init__(message)
        self.raw = raw
        self.status_code = status_code


class TransportError(TopapiError):
    """The call did not reach TOP, or its answer did not come back (network, timeout)."""


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
