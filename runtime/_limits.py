"""TOP's documented limits of a request parameter, and what a wire value breaks of them.

Stdlib only: topgen's sandbox reads it too (as `topgen.runtime._limits`), so the client and
the sandbox refuse the same calls, in the same words, as TOP does with code 41.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal, Protocol

ListForm = Literal["joined", "json"]
"""How a list travels: `joined` by commas (basic items), `json` as a JSON array."""


class LimitsLike(Protocol):
    """Anything with the four limits (topapi's Limits, topgen's model)."""

    @property
    def max_length(self) -> int | None: ...

    @property
    def max_items(self) -> int | None: ...

    @property
    def minimum(self) -> int | float | None: ...

    @property
    def maximum(self) -> int | float | None: ...


@dataclass(frozen=True)
class Limits:
    """The documented limits of a request field, checked before a call is sent.

    `max_length` counts the characters of text and the bytes of a file; `max_items` the
    items of a list (of a comma-joined list, as TOP splits it); `minimum` and `maximum`
    bound a number, both included.
    """

    max_length: int | None = None
    max_items: int | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None


def broken_limit(
    limits: LimitsLike, wire: str | bytes, list_form: ListForm | None = None
) -> str | None:
    """The limit a parameter's wire value (text, or a file's bytes) breaks, or None."""
    if list_form is not None and limits.max_items is not None:
        count = _items(wire, list_form)
        if count > limits.max_items:
            return f"has {count} items, more than its maxItems {limits.max_items}"
    if limits.max_length is not None and len(wire) > limits.max_length:
        unit = "bytes" if isinstance(wire, bytes) else "characters"
        return f"has {len(wire)} {unit}, more than its maxLength {limits.max_length}"
    if isinstance(wire, bytes) or list_form is not None:
        return None
    return _out_of_range(limits, wire)


def _out_of_range(limits: LimitsLike, wire: str) -> str | None:
    number = _number(wire)
    if number is None:
        return None
    if limits.minimum is not None and number < Decimal(str(limits.minimum)):
        return f"is {wire[:40]}, less than its minimum {limits.minimum}"
    if limits.maximum is not None and number > Decimal(str(limits.maximum)):
        return f"is {wire[:40]}, more than its maximum {limits.maximum}"
    return None


def _items(wire: str | bytes, list_form: ListForm) -> int:
    if isinstance(wire, bytes):
        return 1
    if list_form == "json":
        try:
            value = json.loads(wire)
        except (ValueError, RecursionError):
            return 1
        return len(value) if isinstance(value, list) else 1
    return len(wire.split(",")) if wire else 0


def _number(wire: str) -> Decimal | None:
    try:
        number = Decimal(wire)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
