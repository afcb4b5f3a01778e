"""A call's parameters off the HTTP request: query and form, strictly UTF-8, within limits.

Percent-encoded bytes are decoded as strictly as raw ones, so `%FF` and a raw 0xFF byte are
both code 47; every limit is refused with an error_response that names it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from aiohttp import BodyPartReader, web

from .gateway import CallError

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


@dataclass(frozen=True)
class Limits:
    """What one request may bring: body bytes, parameters, and seconds to send the body in."""

    max_body: int = 16 * 1024 * 1024
    max_fields: int = 1000
    body_seconds: float = 30.0


@dataclass(frozen=True)
class Call:
    """The parameters of one call (the query's first, as TOP reads them) and its file fields."""

    params: dict[str, str]
    files: frozenset[str]


def not_utf8() -> CallError:
    """Code 47: a parameter's bytes, raw or percent-encoded, are not UTF-8."""
    return CallError(47, "Invalid Encoding", "isv.invalid-encoding", "not UTF-8")


def body_error(why: str) -> CallError:
    """Code 43: the body cannot be read as a form."""
    return CallError(43, "Parameter Error", "isv.invalid-body", why)


def parse_pairs(text: str, limits: Limits) -> list[tuple[str, str]]:
    """`a=1&b=2` decoded strictly; CallError for bytes that are not UTF-8 or too many fields."""
    try:
        return parse_qsl(
            text, keep_blank_values=True, errors="strict", max_num_fields=limits.max_fields
        )
    except UnicodeDecodeError:
        raise not_utf8() from None
    except ValueError:  # parse_qsl's own count, before it decodes anything
        raise _too_many(limits) from None


async def read_call(request: web.Request, limits: Limits) -> Call:
    """The query's and the body's parameters; CallError for what TOP would refuse."""
    query = request.rel_url.raw_query_string
    pairs = parse_pairs(query, limits) if query else []
    files: set[str] = set()
    if request.method == "POST":
        if request.content_type == MULTIPART:
            pairs.extend(await _multipart(request, limits, files))
        elif request.content_type in (FORM, ""):
            pairs.extend(parse_pairs(_utf8(await _body(request, limits)), limits))
    _count(limits, len(pairs) + len(files))
    return Call(_first_wins(pairs), frozenset(files))


def _count(limits: Limits, count: int) -> None:
    if count > limits.max_fields:
        raise _too_many(limits)


def _too_many(limits: Limits) -> CallError:
    why = f"more than {limits.max_fields} parameters (the sandbox's limit)"
    return CallError(43, "Parameter Error", "isv.too-many-parameters", why)


def _first_wins(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value in pairs:
        params.setdefault(name, value)
    return params


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise not_utf8() from None


def _too_large(limits: Limits) -> CallError:
    return body_error(f"the body is larger than {limits.max_body} bytes (the sandbox's limit)")


async def _body(request: web.Request, limits: Limits) -> bytes:
    body = bytearray()
    while chunk := await request.content.readany():
        body.extend(chunk)
        if len(body) > limits.max_body:
            raise _too_large(limits)
    return bytes(body)


async def _multipart(
    request: web.Request, limits: Limits, files: set[str]
) -> list[tuple[str, str]]:
    """Text fields decoded strictly; a file field is only noted (the gateway checks presence)."""
    pairs: list[tuple[str, str]] = []
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or part.name is None:
            raise body_error("a multipart field without a name, or nested multipart")
        _count(limits, len(pairs) + len(files) + 1)
        data = bytearray()
        while chunk := await part.read_chunk():
            if request.content.total_bytes > limits.max_body:
                raise _too_large(limits)
            if not part.filename:
                data.extend(chunk)
        if part.filename:
            files.add(part.name)
        else:
            pairs.append((part.name, _utf8(bytes(data))))
    return pairs
