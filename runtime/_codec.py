"""The wire format of TOP: application parameters out, response bodies in."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar
from xml.parsers import expat

from pydantic import BaseModel, ValidationError

from topapi._errors import ResponseError, TopError
from topapi._xml import XmlRefusedError, parse_xml

if TYPE_CHECKING:
    from topapi._model import TopResponse

GMT8 = timezone(timedelta(hours=8), "GMT+8")
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"

ResponseT = TypeVar("ResponseT", bound="TopResponse")


@dataclass(frozen=True)
class TopFile:
    """A file parameter (TOP type byte[]): sent as a multipart part, never signed."""

    content: bytes
    filename: str = "file"
    content_type: str = "application/octet-stream"

    def __repr__(self) -> str:
        return f"TopFile(filename={self.filename!r}, {len(self.content)} bytes)"


def encode_params(request: BaseModel) -> dict[str, str]:
    """The text parameters of a request, by wire name; None is left out, 0, False and "" kept."""
    params = {}
    values = request.__dict__
    for name, wire_name in wire_names(type(request)):
        value = values[name]
        if value is None or isinstance(value, bytes | TopFile):
            continue
        params[wire_name] = encode_value(value)
    return params


@cache
def wire_names(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """Each field of a model class with the name it has on the wire."""
    return tuple(
        (name, field.alias or name) for name, field in model.model_fields.items()
    )


def encode_value(value: Any) -> str:
    """One parameter value as TOP reads it."""
    if isinstance(value, BaseModel | dict) or (
        isinstance(value, list)
        and any(isinstance(item, BaseModel | dict) for item in value)
    ):
        return json.dumps(to_json(value), ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, list):
        return ",".join(encode_value(item) for item in value)
    return _scalar_text(value)


def to_json(value: Any) -> Any:
    """A JSON-ready form of a value: models by wire names with None left out."""
    if isinstance(value, str | int | float):
        return value
    if isinstance(value, BaseModel):
        values = value.__dict__
        return {
            wire_name: to_json(item)
            for name, wire_name in wire_names(type(value))
            if (item := values[name]) is not None
        }
    if isinstance(value, dict):
        return {
            str(key): to_json(item) for key, item in value.items() if item is not None
        }
    if isinstance(value, list):
        return [to_json(item) for item in value]
    return _scalar_text(value)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(GMT8)
        return str(value.strftime(DATETIME_FORMAT))
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float | str):
        return str(value)
    raise TypeError(f"topapi cannot send a value of type {type(value).__name__}")


def decode_body(body: bytes, fmt: str, status_code: int = 0) -> dict[str, Any]:
    """The body as a dict; a body that is not JSON or XML of an object raises ResponseError."""
    text = body.decode("utf-8", errors="replace")
    try:  # strict=False: TOP's JSON sometimes holds raw control characters inside strings
        data = parse_xml(body) if fmt == "xml" else json.loads(body, strict=False)
    except (ValueError, expat.ExpatError, XmlRefusedError) as exc:
        raise ResponseError(
            f"TOP answered with a body that is not {fmt.upper()}: {exc}",
            raw=text,
            status_code=status_code,
        ) from None
    if not isinstance(data, dict):
        raise ResponseError(
            "TOP answered with a body that is not an object",
            raw=text,
            status_code=status_code,
        )
    return data


def decode_response(
    response_type: type[ResponseT], body: bytes, fmt: str, status_code: int = 0
) -> ResponseT:
    """The typed response of a body; an error_response raises TopError."""
    data = decode_body(body, fmt, status_code)
    text = body.decode("utf-8", errors="replace")
    error = data.get("error_response")
    if isinstance(error, Mapping):
        top_error = TopError.from_payload(error)
        top_error.raw_body, top_error.status_code = text, status_code
        raise top_error
    payload = _unwrap(response_type.response_key, data)
    try:
        response = response_type.model_validate(payload)
    except ValidationError as exc:
        raise ResponseError(
            _describe(response_type, exc), raw=text, status_code=status_code
        ) from None
    response._attach_raw(text, status_code)
    return response


def _unwrap(response_key: str, data: dict[str, Any]) -> dict[str, Any]:
    """The response object inside its `<method>_response` wrapper, or the body when simplified."""
    inner = data.get(response_key)
    if inner is None and len(data) == 1:
        key, inner = next(iter(data.items()))
        inner = inner if key.endswith("_response") else None
    return inner if isinstance(inner, dict) else data


def _describe(response_type: type[BaseModel], exc: ValidationError) -> str:
    problems = []
    for error in exc.errors(include_url=False):
        path = ".".join(str(part) for part in error["loc"])
        problems.append(f"{path}: {error['msg']} (got {error.get('input')!r})")
    return f"the response does not fit {response_type.__name__}: " + "; ".join(problems)
