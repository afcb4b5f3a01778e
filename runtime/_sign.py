"""TOP request signing: md5, hmac (HMAC-MD5) and hmac-sha256."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from topapi._envelope import SignMethod


def string_to_sign(params: Mapping[str, str]) -> str:
    """Every non-empty parameter but `sign`, sorted by key, as key+value with no separators."""
    return "".join(
        key + value for key, value in sorted(params.items()) if value and key != "sign"
    )


def sign(params: Mapping[str, str], secret: str, method: SignMethod) -> str:
    """The upper-case hex signature of `params` (text parameters only, never file parts)."""
    text = string_to_sign(params).encode("utf-8")
    key = secret.encode("utf-8")
    if method == "md5":
        digest = hashlib.md5(key + text + key).hexdigest()
    elif method == "hmac":
        digest = hmac.new(key, text, hashlib.md5).hexdigest()
    elif method == "hmac-sha256":
        digest = hmac.new(key, text, hashlib.sha256).hexdigest()
    else:
        raise ValueError(f"unknown sign method {method!r}")
    return digest.upper()
