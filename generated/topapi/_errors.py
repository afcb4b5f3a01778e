"""The exceptions topapi raises; every one derives from TopapiError."""

from __future__ import annotations

import contextlib
import re
import reprlib
from collections.abc import Mapping
from typing import Any

_BAN_SECONDS = re.compile(
    r"ban will last (?:for )?(\d+) (?:more )?seconds?", re.IGNORECASE
)


QUOTE_LIMIT = 200


def _quoting() -> reprlib.Repr:
    shape = reprlib.Repr()
    shape.maxlevel = 3
    shape.maxstring = shape.maxother = shape.maxlong = QUOTE_LIMIT
    return shape


_QUOTING = _quoting()


def quoted(value: Any, limit: int = QUOTE_LIMIT) -> str:
    """A value as an error message quotes it: its repr, at most `limit` characters.

    reprlib bounds the work on huge or deeply nested values; the cut bounds the message.
    """
    return cut(_QUOTING.repr(value), limit)


def cut(text: str, limit: int = QUOTE_LIMIT) -> str:
    """A text as an error message shows it: at most `limit` characters, "..." when cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


class TopapiError(Exception):
    """Base of every exception topapi raises."""


class UsageError(TopapiError, ValueError):
    """A call topapi refused before sending it: a missing session, an argument that does not fit."""


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
        self.method = ""  # set with the raw body when the error is read from a call
        self.raw_body = ""
        self.status_code = 0
        super().__init__(self._describe())

    def __str__(self) -> str:
        return self._describe()

    def _describe(self) -> str:
        text = f"{self.method}: " if self.method else ""
        text += f"TOP error {self.code}: {cut(self.msg)}"
        detail = ": ".join(cut(part) for part in (self.sub_code, self.sub_msg) if part)
        if detail:
            text += f" ({detail})"
        if self.request_id:
            text += f" [request_id {cut(self.request_id)}]"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        fields = (self.code, self.msg, self.sub_code, self.sub_msg, self.request_id)
        return (type(self), fields, self.__dict__)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, msg={self.msg!r}, "
            f"sub_code={self.sub_code!r}, sub_msg={self.sub_msg!r}, request_id={self.request_id!r})"
        )

    @staticmethod
    def from_payload(payload: Mapping[str, Any]) -> TopError:
        """The error of an error_response body, as the subclass its code and sub_code call for."""
        code = payload.get("code")
        if isinstance(code, str):
            with contextlib.suppress(ValueError):
                code = int(code)
        if not isinstance(code, int) or isinstance(code, bool):
            raise ResponseError(
                f"error_response has no numeric code: {quoted(code)}",
                raw=quoted(payload),
            )
        sub_code = _text(payload.get("sub_code"))
        error_class = error_class_for(code, sub_code)
        return error_class(
            code=code,
            msg=str(payload.get("msg", "")),
            sub_code=sub_code,
            sub_msg=_text(payload.get("sub_msg")),
            request_id=_text(payload.get("request_id")),
        )


class ThrottledError(TopError):
    """Code 7 or an accesscontrol.* sub_code: too many calls; `ban_seconds` when TOP says."""

    @property
    def ban_seconds(self) -> int | None:
        """How long TOP says the ban lasts ("This ban will last for 12 more seconds")."""
        for text in (self.sub_msg, self.msg):
            found = _BAN_SECONDS.search(text or "")
            if found:
                return int(found.group(1))
        return None


class AuthorizationError(TopError):
    """Codes 26, 27, 11-13: the session is missing, invalid or expired, or lacks permission."""


class SignatureError(TopError):
    """Codes 25 and 31: the signature or the timestamp was refused."""


class InvalidArgumentError(TopError):
    """isv.* sub_codes and codes 40, 41, 43: the caller's arguments were refused."""


def invalid_argument(method: str, field: str, why: str) -> InvalidArgumentError:
    """The error TOP answers (code 41) for an argument that breaks a documented limit.

    topapi raises it before sending such a call, as TOP's own SDKs do; nothing was sent.
    """
    error = InvalidArgumentError(
        code=41,
        msg=f"Invalid arguments:{field}",
        sub_code=f"isv.invalid-parameter:{field}",
        sub_msg=f"{field} {why} (refused before sending; check=False sends it anyway)",
    )
    error.method = method
    return error


class ServerError(TopError):
    """isp.* sub_codes and code 10: a transient fault on TOP's side; worth retrying."""


_BY_CODE: dict[int, type[TopError]] = {
    7: ThrottledError,
    10: ServerError,
    11: AuthorizationError,
    12: AuthorizationError,
    13: AuthorizationError,
    25: SignatureError,
    26: AuthorizationError,
    27: AuthorizationError,
    31: SignatureError,
    40: InvalidArgumentError,
    41: InvalidArgumentError,
    43: InvalidArgumentError,
}
_BY_SUB_CODE_PREFIX: dict[str, type[TopError]] = {
    "accesscontrol.": ThrottledError,
    "isp.": ServerError,
    "isv.": InvalidArgumentError,
}


def error_class_for(code: int, sub_code: str | None) -> type[TopError]:
    """The TopError subclass for a code and sub_code; throttling wins, then the code."""
    by_prefix = next(
        (
            cls
            for prefix, cls in _BY_SUB_CODE_PREFIX.items()
            if (sub_code or "").startswith(prefix)
        ),
        None,
    )
    if by_prefix is ThrottledError or code == 7:
        return ThrottledError
    return _BY_CODE.get(code) or by_prefix or TopError


class BusinessError(TopapiError):
    """A new-style API answered normally but reported failure in its business result."""

    def __init__(
        self, method: str, error_code: str | None, error_message: str | None
    ) -> None:
        super().__init__(
            f"{method} failed: {cut(str(error_code))}: {cut(str(error_message))}"
        )
        self.method = method
        self.error_code = error_code
        self.error_message = error_message

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            type(self),
            (self.method, self.error_code, self.error_message),
            self.__dict__,
        )


class ResponseError(TopapiError):
    """TOP's answer could not be read as the API's response; `raw` holds the body as text."""

    def __init__(self, message: str, *, raw: str = "", status_code: int = 0) -> None:
        super().__init__(message)
        self.raw = raw
        self.status_code = status_code

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), self.args, self.__dict__)


class BodyTooLargeError(ResponseError):
    """The answer's body is larger than the client's `max_body_size`: it was not read whole."""


class TransportError(TopapiError):
    """The call did not reach TOP, or its answer did not come back (network, timeout).

    `sent` tells whether the request may have reached TOP: a call that failed while
    connecting was certainly not executed, one that timed out waiting for the answer may
    have been.
    """

    def __init__(self, message: str, *, sent: bool = True) -> None:
        super().__init__(message)
        self.sent = sent

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), self.args, self.__dict__)


class TmcError(TopapiError):
    """The message service (TMC) long connection failed."""


class TmcConnectionRefused(TmcError):  # noqa: N818 - named as the event it reports
    """TMC refused the CONNECT (a bad sign, an unknown app key): not retried."""

    def __init__(self, status_code: int, status_phrase: str) -> None:
        super().__init__(
            f"TMC refused the connection: {status_code} {cut(status_phrase)}"
        )
        self.status_code = status_code
        self.status_phrase = status_phrase

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.status_code, self.status_phrase), self.__dict__)


class TmcConnectionLost(TmcError):  # noqa: N818 - named as the event it reports
    """The connection a frame was for is gone: a confirm not sent, a publish not answered."""


class TmcPublishError(TmcError):
    """TMC answered a publish with an error (its SENDACK carried a status)."""

    def __init__(self, status_code: int, status_phrase: str) -> None:
        super().__init__(f"TMC refused the message: {status_code} {cut(status_phrase)}")
        self.status_code = status_code
        self.status_phrase = status_phrase

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.status_code, self.status_phrase), self.__dict__)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
