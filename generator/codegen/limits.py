"""Render, models: a request field's documented limits and default put into its statement.

The limits go into the field's `Annotated[...]` as `Limits(max_length=32)`, which pydantic
keeps and does not enforce: topapi checks them when a call is sent, unless `check=False`
(`TopRequest.check_limits`). The documented default is the field's default. Only what is sent
gets them: a response is never refused for a limit, nor given a default TOP did not send.
"""

from __future__ import annotations

import ast
from dataclasses import fields as dataclass_fields
from decimal import Decimal
from typing import Any

from ..spec.model import Field, Scalar
from .layout import string_literal

LIMITS_IMPORT = "from topapi._limits import Limits"
ANNOTATED_IMPORT = "from typing import Annotated"
_DECIMALS = (Scalar.PRICE, Scalar.BIG_DECIMAL)


def with_limits(statement: ast.AnnAssign, field: Field) -> set[str]:
    """Put `field`'s limits and default into its statement; the imports they need."""
    imports: set[str] = set()
    if field.limits:
        imports |= {LIMITS_IMPORT, ANNOTATED_IMPORT}
        statement.annotation = _annotated(statement.annotation, _limits_call(field))
    if field.default is not None:
        statement.value = _literal(field)
        statement.simple = 1
    return imports


def _limits_call(field: Field) -> ast.Call:
    keywords = [
        ast.keyword(item.name, ast.Constant(value))
        for item in dataclass_fields(field.limits)
        if (value := getattr(field.limits, item.name)) is not None
    ]
    return ast.Call(ast.Name("Limits"), [], keywords)


def _annotated(annotation: ast.expr, metadata: ast.expr) -> ast.expr:
    """`Annotated[T, ..., metadata]`, or `Annotated[T, metadata]` for a bare `T`."""
    if isinstance(annotation, ast.Subscript) and ast.unparse(annotation.value) == "Annotated":
        elements = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else []
        annotation.slice = ast.Tuple([*elements, metadata])
        return annotation
    return ast.Subscript(ast.Name("Annotated"), ast.Tuple([annotation, metadata]))


def default_source(field: Field) -> str:
    """The default as a `call` parameter writes it, the same as the field's."""
    literal = _literal(field)
    if isinstance(literal, ast.Call):
        return f"Decimal({string_literal(str(field.default))})"
    return string_literal(field.default) if isinstance(field.default, str) else repr(field.default)


def _literal(field: Field) -> ast.expr:
    """The default as Python writes it: `"zh_CN"`, `0`, `True`, `Decimal("0.00")`."""
    value: Any = field.default
    if field.top_type.scalar in _DECIMALS:
        return ast.Call(ast.Name("Decimal"), [ast.Constant(str(Decimal(str(value))))], [])
    return ast.Constant(value)
