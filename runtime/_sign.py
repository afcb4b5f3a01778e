"""TOP request signing: md5, hmac (HMAC-MD5) and hmac-sha256."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import NoReturn

from topapi._envelope import SignMethod
from topapi._errors import UsageError, quoted

REDACTED = "***"


class Secret:
    """A secret (app secret, session key) that never shows itself: not in repr, str or pickle.

    Passed down wrapped, so frame locals and tracebacks that show them hold only this; the
    text is revealed inside the expression that uses it.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret's text: use it in an expression, never keep it in a variable."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return repr(REDACTED)

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:
        raise TypeError("a topapi secret cannot be pickled")


def string_to_sign(params: Mapping[str, str], body: str = "") -> str:
    """Every non-empty parameter but `sign`, sorted by key, as key+value with no separators.

    A batch's raw body follows the parameters (before md5's closing secret).
    """
    return (
        "".join(
            key + value
            for key, value in sorted(params.items())
            if value and key != "sign"
        )
        + body
    )


def sign(
    params: Mapping[str, str],
    secret: Secret | str,
    method: SignMethod,
    body: str = "",
) -> str:
    """The upper-case hex signature of `params` (text parameters only, never file parts).

    `body` is a batch's raw text body, signed after the parameters.

    Neither the secret nor the string-to-sign is kept in a local variable or an exception
    (a UnicodeEncodeError holds the whole text it failed on): a traceback shows neither.
    """
    wrapped = secret if isinstance(secret, Secret) else Secret(secret)
    del secret
    try:
        digest = _digest(params, wrapped, method, body)
    except UnicodeEncodeError:
        digest = ""
    if not digest:  # raised here, outside the except clause: no __context__ to leak
        raise UsageError("a parameter or the app secret is not valid text (UTF-8)")
    return digest.upper()


def _digest(
    params: Mapping[str, str], secret: Secret, method: SignMethod, body: str
) -> str:
    if method == "md5":
        return hashlib.md5(
            secret.reveal().encode()
            + string_to_sign(params, body).encode()
            + secret.reveal().encode()
        ).hexdigest()
    if method == "hmac":
        return hmac.new(
            secret.reveal().encode(), string_to_sign(params, body).encode(), hashlib.md5
        ).hexdigest()
    if method == "hmac-sha256":
        return hmac.new(
            secret.reveal().encode(),
            string_to_sign(params, body).encode(),
            hashlib.sha256,
        ).hexdigest()
    raise UsageError(f"unknown sign method {quoted(method)}")
