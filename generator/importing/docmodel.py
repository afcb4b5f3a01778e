"""What the importer reads out of TOP documentation, before it becomes a spec."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..spec.model import SessionUse

# The deepest nesting of fields (and of example elements) the importer reads; TOP's own
# documentation goes five levels deep, and deeper input is refused rather than recursed into.
MAX_DEPTH = 32


@dataclass(frozen=True)
class DocField:
    """A request parameter or response field as documented, type spelled as on the page."""

    name: str
    type: str
    required: bool
    example: str
    description: str
    children: tuple[DocField, ...] = ()
    # The documented limits and default, as (OpenAPI keyword, value as documented); a limit
    # topgen keeps no keyword for is under the documentation's own word (最小长度).
    limits: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class DocApi:
    """One API as its documentation gives it; text is kept verbatim."""

    method: str
    title: str
    description: str
    session: SessionUse | None
    request: tuple[DocField, ...]
    response: tuple[DocField, ...]
    java_example: str | None = None
    xml_example: str | None = None
    error_example: str | None = None
    source: str = ""
    warnings: tuple[str, ...] = ()
