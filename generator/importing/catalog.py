"""Import stage, TOP doc metadata: one API of the catalog (JSON) as a DocApi."""

from __future__ import annotations

from typing import Any

from ..spec.names import is_method_name
from .docmodel import MAX_DEPTH, DocApi, DocField


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
        title=str(data.get("apiChineseName") or method),
        description=str(data.get("description") or ""),
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
        fields.append(
            DocField(
                name=param["name"],
                type=str(param.get("type") or ""),
                required=bool(param.get("required", False)),
                example="",
                description=str(param.get("description") or ""),
                children=_fields(param.get("subParams"), f"{path}.subParams", depth + 1),
            )
        )
    return tuple(fields)
