"""Base classes of the generated models, requests and responses."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, PrivateAttr

from topapi._codec import encode_params


class SessionUse(StrEnum):
    """Whether an API needs the user's session key."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    NONE = "none"


class RequestModel(BaseModel):
    """A structure sent to TOP; unknown fields are refused."""

    model_config = ConfigDict(
        extra="forbid",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )


class ResponseModel(BaseModel):
    """A structure received from TOP; fields TOP adds later are kept, not refused."""

    model_config = ConfigDict(
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        coerce_numbers_to_str=True,
    )


@dataclass(frozen=True)
class BusinessResult:
    """Where a new-style API reports business failure inside a normal response."""

    path: tuple[str, ...]
    success: str
    error_code: str | None
    error_message: str | None


class TopResponse(ResponseModel):
    """The response of a TOP API, with the raw answer it was read from."""

    response_key: ClassVar[str] = ""
    business_result: ClassVar[BusinessResult | None] = None

    request_id: str | None = None

    _raw_body: str = PrivateAttr(default="")
    _status_code: int = PrivateAttr(default=0)

    @property
    def raw_body(self) -> str:
        """The body TOP answered with, as text."""
        return self._raw_body

    @property
    def status_code(self) -> int:
        """The HTTP status of the answer (0 when the response was not read from HTTP)."""
        return self._status_code

    def _attach_raw(self, body: str, status_code: int) -> None:
        self._raw_body = body
        self._status_code = status_code


ResponseT = TypeVar("ResponseT", bound=TopResponse)


class TopRequest(RequestModel, Generic[ResponseT]):
    """The application parameters of one call to a TOP API."""

    top_method: ClassVar[str]
    session_use: ClassVar[SessionUse]
    response_type: ClassVar[type[TopResponse]]

    def to_params(self) -> dict[str, str]:
        """The text application parameters as sent on the wire (files excluded)."""
        return encode_params(self)
