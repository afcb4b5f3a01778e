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

from topapi._errors import ResponseError, TopapiError, TopError, UsageError, cut, quoted
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
    """The text parameters of a request as sent, by wire name: None and blank text left out."""
    params = {}
    values = request.__dict__
    for name, wire_name in wire_names(type(request)):
        value = values[name]
        if value is None or isinstance(value, bytes | TopFile):
            continue
        try:
            params[wire_name] = encode_value(value)
        except TypeError as exc:
            method = getattr(request, "top_method", type(request).__name__)
            raise UsageError(f"{method}: {wire_name}: {exc}") from None
    return sent(params)


def sent(params: Mapping[str, str]) -> dict[str, str]:
    """The parameters TOP gets: blank values left out (as Java's SDK does), 0 and false kept."""
    return {key: value for key, value in params.items() if value.strip()}


@cache
def wire_names(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """Each field of a model class with the name it has on the wire."""
    return tuple(
        (name, field.alias or name) for name, field in model.model_fields.items()
    )


def is_json_list(value: Any) -> bool:
    """Whether a list goes as a JSON array (it holds objects), not comma-joined."""
    return isinstance(value, list) and any(
        isinstance(item, BaseModel | dict) for item in value
    )


def encode_value(value: Any) -> str:
    """One parameter value as TOP reads it."""
    if isinstance(value, BaseModel | dict) or is_json_list(value):
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
        return str(in_gmt8(value).strftime(DATETIME_FORMAT))
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float | str):
        return str(value)
    raise TypeError(f"topapi cannot send a value of type {type(value).__name__}")


def in_gmt8(moment: datetime) -> datetime:
    """A moment in TOP's time zone: a naive one is taken as GMT+8, an aware one converted."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=GMT8)
    return moment.astimezone(GMT8)


def datetimes_in_gmt8(value: Any) -> Any:
    """A field value with its datetimes (alone or in a list) in GMT+8, anything else as is."""
    if isinstance(value, datetime):
        return in_gmt8(value)
    if isinstance(value, list) and any(isinstance(item, datetime) for item in value):
        return [datetimes_in_gmt8(item) for item in value]
    return value


def decode_body(
    body: bytes, fmt: str, status_code: int = 0, method: str = ""
) -> dict[str, Any]:
    """The body as a dict; a body that is not JSON or XML of an object raises ResponseError."""
    text = body.decode("utf-8", errors="replace")
    where = f"{method}: " if method else ""
    try:  # strict=False: TOP's JSON sometimes holds raw control characters inside strings
        data = parse_xml(body) if fmt == "xml" else json.loads(body, strict=False)
    except RecursionError:
        why = "it nests too deeply to read"
    except (ValueError, expat.ExpatError, XmlRefusedError) as exc:
        why = cut(str(exc))
    else:
        why = ""
    # Raised outside the except clause: no chain to carry the recursion's frames.
    if why:
        raise ResponseError(
            f"{where}TOP answered with a body that is not {fmt.upper()}: {why}",
            raw=text,
            status_code=status_code,
        )
    if not isinstance(data, dict):
        raise ResponseError(
            f"{where}TOP answered with a body that is not an object",
            raw=text,
            status_code=status_code,
        )
    return data


def decode_response(
    response_type: type[ResponseT],
    body: bytes,
    fmt: str,
    status_code: int = 0,
    *,
    simplify: bool = False,
) -> ResponseT:
    """The typed response of a body; error_response raises TopError, other shapes ResponseError.

    Only the API's own `<method>_response` root is a response, or with `simplify` (JSON only)
    the simplified body; a non-2xx HTTP status is an error whatever the body.
    """
    method = response_type.top_method or response_type.__name__
    data = decode_body(body, fmt, status_code, method)
    text = body.decode("utf-8", errors="replace")
    if "error_response" in data:
        raise top_error(method, data["error_response"], text, status_code)
    try:
        if status_code and not 200 <= status_code < 300:
            raise _NotAResponseError(
                f"TOP answered HTTP {status_code} without error_response"
            )
        response = response_type.model_validate(
            _unwrap(response_type, data, simplify and fmt == "json")
        )
    except _NotAResponseError as exc:
        why = str(exc)
    except ValidationError as exc:
        why = _describe(response_type, exc)
    except RecursionError:
        why = "the answer nests too deeply to read"
    else:
        response._attach_raw(text, status_code)
        return response
    raise ResponseError(f"{method}: {why}", raw=text, status_code=status_code)


class _NotAResponseError(Exception):
    """Why a body is not the API's response."""


def top_error(method: str, error: Any, text: str, status_code: int) -> TopapiError:
    """The error an `error_response` stands for; one that is not an object is a ResponseError."""
    why = "TOP answered an error_response that is not an object"
    if isinstance(error, Mapping):
        try:
            found = TopError.from_payload(error)
        except ResponseError as refused:
            why = str(refused)
        else:
            found.method = method
            found.raw_body = text
            found.status_code = status_code
            return found
    return ResponseError(f"{method}: {why}", raw=text, status_code=status_code)


def _unwrap(
    response_type: type[TopResponse], data: dict[str, Any], simplified: bool
) -> dict[str, Any]:
    """The response object of a body; _NotAResponseError when the body holds none.

    Wrapped, it is the object under the API's own `<method>_response` key. Simplified, it is
    the body itself (or, as TOP's own samples have it, the body under that key), and a body
    that holds another method's root or none of the response's fields is not a response.
    """
    key = response_type.response_key
    inner = data.get(key)
    if isinstance(inner, dict):
        return inner
    if inner is not None:
        raise _NotAResponseError(f"the {key} of the answer is not an object")
    if not simplified:
        raise _NotAResponseError(f"the answer has no {key}: it holds {_keys(data)}")
    if any(name.endswith("_response") for name in data):
        raise _NotAResponseError(f"the answer is not a {key}: it holds {_keys(data)}")
    if not data.keys() & _wire_name_set(response_type):
        raise _NotAResponseError(
            f"the answer holds none of the fields of {key}: it holds {_keys(data)}"
        )
    return data


@cache
def _wire_name_set(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(wire_name for _, wire_name in wire_names(model))


def _keys(data: dict[str, Any], shown: int = 5) -> str:
    """The keys of a body for a message: a few, each cut short (the raw body has them all)."""
    if not data:
        return "nothing"
    names = [repr(name[:40]) for name in sorted(data)[:shown]]
    more = f" and {len(data) - shown} more" if len(data) > shown else ""
    return ", ".join(names) + more


def _describe(response_type: type[BaseModel], exc: ValidationError) -> str:
    return f"the response does not fit {response_type.__name__}: {problems(exc)}"


def problems(exc: ValidationError) -> str:
    """What a validation error found, one `path: message (got value)` per problem."""
    found = []
    for error in exc.errors(include_url=False):
        path = ".".join(str(part) for part in error["loc"])
        found.append(f"{cut(path)}: {error['msg']} (got {quoted(error.get('input'))})")
    return "; ".join(found)
