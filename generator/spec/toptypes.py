"""How each TOP scalar type is written in OpenAPI and what example values fit it."""

from __future__ import annotations

import re
from typing import Any

from .model import Scalar

SCHEMAS: dict[Scalar, dict[str, Any]] = {
    Scalar.STRING: {"type": "string"},
    Scalar.NUMBER: {"type": "integer", "format": "int64"},
    Scalar.BOOLEAN: {"type": "boolean"},
    Scalar.DATE: {"type": "string", "format": "date-time"},
    Scalar.PRICE: {"type": "string", "format": "decimal"},
    Scalar.BIG_DECIMAL: {"type": "string", "format": "decimal"},
    Scalar.JSON: {"type": "string", "contentMediaType": "application/json"},
    Scalar.BYTES: {"type": "string", "format": "binary"},
    Scalar.MAP: {"type": "object", "additionalProperties": True},
}

_INTEGER = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$")


def scalar_named(name: str) -> Scalar | None:
    """The scalar a TOP type name denotes, or None for an object type name."""
    try:
        return Scalar(name)
    except ValueError:
        return None


def schema_mismatch(scalar: Scalar, schema: dict[str, Any]) -> str | None:
    """Why `schema` does not write `scalar` the topgen way, or None when it does."""
    expected = SCHEMAS[scalar]
    for key in ("type", "format", "contentMediaType"):
        if schema.get(key) != expected.get(key):
            wanted = ", ".join(f"{k}: {v}" for k, v in expected.items())
            return f"TOP type {scalar.value} is written as {{{wanted}}}"
    return None


def example_fits(scalar: Scalar, value: Any) -> bool:
    """Whether an example value can be a value of `scalar` (as JSON or as XML text)."""
    match scalar:
        case Scalar.NUMBER:
            return _is_int(value) or (isinstance(value, str) and bool(_INTEGER.match(value)))
        case Scalar.BOOLEAN:
            return isinstance(value, bool) or value in ("true", "false")
        case Scalar.PRICE | Scalar.BIG_DECIMAL:
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            return numeric or (isinstance(value, str) and bool(_DECIMAL.match(value)))
        case Scalar.DATE:
            return isinstance(value, str) and bool(_DATE.match(value))
        case _:
            return True


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
