"""What each TOP scalar type means, in one table: Python type, OpenAPI form, examples, spellings.

validate, build, the code generator, the importer and the sandbox all read `TOP_TYPES`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .model import Scalar

# A dotted name inside a Python type: `datetime.datetime`, `topapi._codec.TopFile`.
_QUALIFIED = re.compile(r"\b((?:[A-Za-z_]\w*\.)+)([A-Za-z_]\w*)")


@dataclass(frozen=True)
class ScalarType:
    """One TOP scalar type: how Python, OpenAPI, examples and the documentation write it."""

    scalar: Scalar
    python: str  # qualified, as datamodel-code-generator is told it (`x-python-type`)
    schema: Mapping[str, Any]  # the OpenAPI form a spec writes it in
    example: Any  # the example an imported spec gets when the page documents none
    stand_in: Any  # what the sandbox answers for a documented value that does not fit
    values: tuple[type, ...]  # the JSON values of this type besides text (exact types)
    text: re.Pattern[str] | None  # the text form of a value; None: any text fits
    spellings: tuple[str, ...]  # the names TOP's documentation gives the type

    @property
    def annotation(self) -> str:
        """The annotation in a generated module: `datetime`, `TopFile | bytes`."""
        return _QUALIFIED.sub(r"\2", self.python)

    @property
    def imports(self) -> tuple[str, ...]:
        """The import statements `annotation` needs."""
        return tuple(
            f"from {match[1].removesuffix('.')} import {match[2]}"
            for match in _QUALIFIED.finditer(self.python)
        )

    def fits(self, value: Any) -> bool:
        """Whether a value (JSON, or text as in XML and form parameters) is one of this type."""
        if self.text is None:
            return True
        if isinstance(value, str):
            return bool(self.text.fullmatch(value))
        return type(value) in self.values


def _frozen(schema: dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(schema)


_INTEGER = re.compile(r"-?\d{1,19}")  # a Java long has at most 19 digits
_DECIMAL = re.compile(r"-?\d+(\.\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?")
_BOOLEAN = re.compile(r"true|false")
_DECIMAL_SCHEMA = _frozen({"type": "string", "format": "decimal"})

_TABLE = (
    ScalarType(
        scalar=Scalar.STRING,
        python="str",
        schema=_frozen({"type": "string"}),
        example="string",
        stand_in="",
        values=(),
        text=None,
        spellings=("String",),
    ),
    ScalarType(
        scalar=Scalar.NUMBER,
        python="int",
        schema=_frozen({"type": "integer", "format": "int64"}),
        example=1,
        stand_in=0,
        values=(int,),
        text=_INTEGER,
        spellings=("Number",),
    ),
    ScalarType(
        scalar=Scalar.BOOLEAN,
        python="bool",
        schema=_frozen({"type": "boolean"}),
        example=True,
        stand_in=False,
        values=(bool,),
        text=_BOOLEAN,
        spellings=("Boolean",),
    ),
    ScalarType(
        scalar=Scalar.DATE,
        python="datetime.datetime",
        schema=_frozen({"type": "string", "format": "date-time"}),
        example="2024-01-01 12:00:00",
        stand_in="2024-01-01 00:00:00",
        values=(),
        text=_DATE,
        spellings=("Date",),
    ),
    ScalarType(
        scalar=Scalar.PRICE,
        python="decimal.Decimal",
        schema=_DECIMAL_SCHEMA,
        example="1.00",
        stand_in="0.00",
        values=(int, float),
        text=_DECIMAL,
        spellings=("Price",),
    ),
    ScalarType(
        scalar=Scalar.BIG_DECIMAL,
        python="decimal.Decimal",
        schema=_DECIMAL_SCHEMA,
        example="1.00",
        stand_in="0",
        values=(int, float),
        text=_DECIMAL,
        spellings=("BigDecimal",),
    ),
    ScalarType(
        scalar=Scalar.JSON,
        python="str",
        schema=_frozen({"type": "string", "contentMediaType": "application/json"}),
        example="{}",
        stand_in="{}",
        values=(),
        text=None,
        spellings=("Json",),
    ),
    ScalarType(
        scalar=Scalar.BYTES,
        python="topapi._codec.TopFile | bytes",
        schema=_frozen({"type": "string", "format": "binary"}),
        example=None,
        stand_in="",
        values=(),
        text=None,
        spellings=("byte[]", "byte"),
    ),
    ScalarType(
        scalar=Scalar.MAP,
        python="dict[str, typing.Any]",
        schema=_frozen({"type": "object", "additionalProperties": True}),
        example={},
        stand_in={},
        values=(),
        text=None,
        spellings=("Map", "HashMap", "Serializable"),
    ),
)
TOP_TYPES: Mapping[Scalar, ScalarType] = MappingProxyType({t.scalar: t for t in _TABLE})

# Every documented spelling of a scalar type: String, byte, HashMap, ...
SPELLINGS: Mapping[str, Scalar] = MappingProxyType(
    {spelling: t.scalar for t in TOP_TYPES.values() for spelling in t.spellings}
)


def top_type_of(written: str) -> tuple[Scalar | None, bool]:
    """The scalar (None for an object type) and list-ness of an `x-top-type` such as `Number[]`."""
    return scalar_named(written.removesuffix("[]")), written.endswith("[]")


def scalar_named(name: str) -> Scalar | None:
    """The scalar a TOP type name denotes, or None for an object type name."""
    try:
        return Scalar(name)
    except ValueError:
        return None


def schema_mismatch(scalar: Scalar, schema: Mapping[str, Any]) -> str | None:
    """Why `schema` does not write `scalar` the topgen way, or None when it does."""
    expected = TOP_TYPES[scalar].schema
    for key in ("type", "format", "contentMediaType"):
        if schema.get(key) != expected.get(key):
            wanted = ", ".join(f"{k}: {v}" for k, v in expected.items())
            return f"TOP type {scalar.value} is written as {{{wanted}}}"
    return None


def example_fits(scalar: Scalar, value: Any) -> bool:
    """Whether an example value can be a value of `scalar` (as JSON or as XML text)."""
    return TOP_TYPES[scalar].fits(value)


def example_value(scalar: Scalar | None, is_list: bool = False) -> Any:
    """The example a field of this type gets when none is documented (a list of one)."""
    value = TOP_TYPES[scalar].example if scalar else None
    return [value] if is_list else value
