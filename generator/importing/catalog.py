"""Import stage, TOP doc metadata: one API of the catalog (JSON) as a DocApi."""

from __future__ import annotations

from typing import Any

from ..diagnostics import quote
from ..spec.names import is_method_name
from .docmodel import MAX_DEPTH, DocApi, DocField

# The catalog's names of the documented limits, and the OpenAPI keywords that mean them.
_LIMITS = {
    "maxLength": "maxLength",
    "maxListSize": "maxItems",
    "minValue": "minimum",
    "maxValue": "maximum",
}


class CatalogError(ValueError):
    """The JSON is not the doc metadata of a TOP API."""


def parse_catalog_entry(data: Any, source: str) -> DocApi:
    """The DocApi of one catalog entry (`name`, `apiChineseName`, `requestParams`, ...)."""
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise CatalogError("expected an object with the API's method in 'name'")
    method = data["name"]
    if not is_method_name(method):
        raise CatalogError(f"'name' is not a TOP method name: {method!r}")
    return DocApi(
        method=method,
        title=_text(data, "apiChineseName", "") or method,
        description=_text(data, "description", ""),
        session=None,
        request=_fields(data.get("requestParams"), "requestParams"),
        response=_fields(data.get("responseParams"), "responseParams"),
        source=source,
    )


def _fields(params: Any, where: str, depth: int = 1) -> tuple[DocField, ...]:
    if params is None:
        return ()
    if not isinstance(params, list):
        raise CatalogError(f"{where} must be a list")
    if depth > MAX_DEPTH:
        raise CatalogError(f"{where.partition('[')[0]} nest deeper than {MAX_DEPTH} levels")
    fields = []
    for index, param in enumerate(params):
        path = f"{where}[{index}]"
        if not isinstance(param, dict) or not isinstance(param.get("name"), str):
            raise CatalogError(f"{path} must be an object with a 'name'")
        required = param.get("required", False)
        if not isinstance(required, bool):
            raise CatalogError(f"{path}.required must be true or false, not {quote(required)}")
        fields.append(
            DocField(
                name=param["name"],
                type=_text(param, "type", path),
                required=required,
                example="",
                description=_text(param, "description", path),
                children=_fields(param.get("subParams"), f"{path}.subParams", depth + 1),
                limits=tuple((kw, param[key]) for key, kw in _LIMITS.items() if key in param),
            )
        )
    return tuple(fields)


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    """entry[key] when it is text, "" when it is absent or null; CatalogError otherwise."""
    value = entry.get(key)
    if value is None or isinstance(value, str):
        return value or ""
    raise CatalogError(f"{where}.{key} must be text, not {quote(value)}".lstrip("."))
