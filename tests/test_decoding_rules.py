"""Decoding accepts and refuses exactly what the README's "How values are read" says."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

import pytest

from topapi import ResponseError
from topapi._codec import decode_response
from topapi._model import TopResponse

from .conftest import REPO


class Values(TopResponse):
    response_key: ClassVar[str] = "test_values_response"
    top_method: ClassVar[str] = "test.values"

    number: int | None = None
    boolean: bool | None = None
    string: str | None = None
    price: Decimal | None = None
    date: datetime | None = None


def _decode(field: str, value: Any) -> Any:
    body = json.dumps({Values.response_key: {field: value}}).encode()
    return getattr(decode_response(Values, body, "json"), field)


ACCEPTED = [
    ("number", 1234, 1234),
    ("number", 12.0, 12),
    ("number", "1234", 1234),
    ("number", " 12 ", 12),
    ("number", "1_000", 1000),
    ("number", "12.0", 12),
    ("number", True, 1),
    *[("boolean", text, True) for text in ("true", "1", "yes", "on", "t", "y", "TRUE", "Yes")],
    *[("boolean", text, False) for text in ("false", "0", "no", "off", "f", "n", "False")],
    ("boolean", 1, True),
    ("boolean", False, False),
    ("string", 1234567890123, "1234567890123"),
    ("string", "", ""),
    ("price", "12.50", Decimal("12.50")),
    ("price", 3, Decimal(3)),
]
REFUSED = [
    ("number", 12.5),
    ("number", "12.5"),
    ("number", "abc"),
    ("number", ""),
    ("boolean", "maybe"),
    ("boolean", ""),
    ("boolean", 2),
    ("string", True),
    ("string", {"a": 1}),
    ("string", [1]),
    ("price", "lots"),
    ("date", "2024/01/01 12:00:00"),
    ("date", ""),
]


@pytest.mark.parametrize(("field", "wire", "expected"), ACCEPTED)
def test_what_decoding_accepts(field: str, wire: Any, expected: Any) -> None:
    """Each value the README lists as accepted is read as it says."""
    value = _decode(field, wire)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(("field", "wire"), REFUSED)
def test_what_decoding_refuses(field: str, wire: Any) -> None:
    """Each value the README lists as refused raises ResponseError naming the field."""
    with pytest.raises(ResponseError, match=rf"test\.values: .*{field}"):
        _decode(field, wire)


def test_readme_says_how_values_are_read() -> None:
    """The README states the lax rules and no longer claims that nothing is coerced."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "silently coerced" not in readme
    assert "pydantic in lax mode" in readme
    for claim in ('"1_000"', "`yes`/`no`", "`12.5`", "`model_extra`", "GMT+8"):
        assert claim in readme.split("## The sandbox")[0]
