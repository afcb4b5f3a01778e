"""Base classes of the generated models, requests and responses."""

from __future__ import annotations

import inspect
import keyword
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any, ClassVar, Generic, Self, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from topapi._codec import (
    TopFile,
    datetimes_in_gmt8,
    encode_params,
    encode_value,
    is_json_list,
    problems,
    wire_names,
)
from topapi._errors import BusinessError, UsageError, invalid_argument
from topapi._limits import Limits, ListForm, broken_limit


class SessionUse(StrEnum):
    """Whether an API needs the user's session key."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    NONE = "none"


class _FieldsSignature:
    """`inspect.signature` of a model class from its fields, before pydantic builds it.

    Models are built on first use (`defer_build`); until then pydantic's own signature is
    `(**data)`. Its fields are complete from the start (classes come in dependency order).
    """

    def __get__(self, instance: object, owner: type[BaseModel]) -> inspect.Signature:
        if instance is not None:
            raise AttributeError("__signature__")
        parameters = [
            inspect.Parameter(
                _parameter_name(name, field.alias),
                inspect.Parameter.KEYWORD_ONLY,
                default=(
                    inspect.Parameter.empty if field.is_required() else field.default
                ),
                annotation=field.annotation,
            )
            for name, field in owner.model_fields.items()
        ]
        if owner.model_config.get("extra") == "allow":
            kind = inspect.Parameter.VAR_KEYWORD
            parameters.append(inspect.Parameter("extra_data", kind, annotation=Any))
        return inspect.Signature(parameters, return_annotation=None)


def _parameter_name(name: str, alias: str | None) -> str:
    return (
        alias
        if alias and alias.isidentifier() and not keyword.iskeyword(alias)
        else name
    )


class RequestModel(BaseModel):
    """A structure sent to TOP; unknown fields are refused."""

    __signature__ = _FieldsSignature()

    model_config = ConfigDict(
        extra="forbid",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        defer_build=True,
    )


class ResponseModel(BaseModel):
    """A structure received from TOP; fields TOP adds later are kept, not refused.

    Lists arrive bare (`[...]`) or in TOP's wrappers (`{"items": {"item": [...]}}`, or one
    XML element where there is a single item); each list field takes all of these.
    """

    __signature__ = _FieldsSignature()

    model_config = ConfigDict(
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        coerce_numbers_to_str=True,
        defer_build=True,
    )

    @model_validator(mode="after")
    def _datetimes_in_gmt8(self) -> Self:
        """Every datetime in TOP's time zone, whether the wire held GMT+8 text or epoch ms."""
        values = self.__dict__
        for name, value in values.items():
            values[name] = datetimes_in_gmt8(value)
        return self

    @model_validator(mode="before")
    @classmethod
    def _unwrap_lists(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        keys = _list_keys(cls) & data.keys()
        return {**data, **{key: _as_list(data[key]) for key in keys}} if keys else data


@cache
def _list_keys(model: type[BaseModel]) -> frozenset[str]:
    """The wire names of the fields of `model` whose type is a list.

    The types are read from the class's annotations, evaluated now (when a body is decoded,
    every class of the module exists), not from `model_fields`, which keeps a forward
    reference unresolved until pydantic builds that very class.
    """
    hints = typing.get_type_hints(model)
    return frozenset(
        field.alias or name
        for name, field in model.model_fields.items()
        if _is_list(hints.get(name, field.annotation))
    )


def _is_list(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_list(arg) for arg in typing.get_args(annotation))
    if origin is typing.Annotated:
        return _is_list(typing.get_args(annotation)[0])
    return origin is list


def _as_list(value: Any) -> Any:
    if isinstance(value, list) or value is None:
        return value
    if value == "":
        return []
    if isinstance(value, dict) and len(value) == 1:
        (inner,) = value.values()
        return inner if isinstance(inner, list) else [inner]
    return [value]


@cache
def _limited_fields(model: type[BaseModel]) -> tuple[tuple[str, str, Limits], ...]:
    """(name, wire name, limits) of each field of `model` that has documented limits."""
    return tuple(
        (name, field.alias or name, limits)
        for name, field in model.model_fields.items()
        for limits in field.metadata
        if isinstance(limits, Limits)
    )


def broken_limits(model: BaseModel, path: str = "") -> Iterator[tuple[str, str]]:
    """(field path, why) for each value of a request, nested ones too, that breaks a limit."""
    values = model.__dict__
    for name, wire_name, limits in _limited_fields(type(model)):
        value = values[name]
        try:
            wire = None if value is None else _wire(value)
        except TypeError:  # a value topapi cannot send: to_params says so
            continue
        why = None if wire is None else broken_limit(limits, wire, _list_form(value))
        if why is not None:
            yield f"{path}{wire_name}", why
    for name, wire_name in wire_names(type(model)):
        value = values[name]
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if isinstance(item, RequestModel):
                at = f"[{index}]" if isinstance(value, list) else ""
                yield from broken_limits(item, f"{path}{wire_name}{at}.")


def _wire(value: Any) -> str | bytes:
    if isinstance(value, TopFile):
        return value.content
    return value if isinstance(value, bytes) else encode_value(value)


def _list_form(value: Any) -> ListForm | None:
    if not isinstance(value, list):
        return None
    return "json" if is_json_list(value) else "joined"


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
    top_method: ClassVar[str] = ""
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

    @property
    def business_ok(self) -> bool | None:
        """False when the API reported business failure, True on success, None if it cannot say."""
        holder = self._business_holder()
        spec = self.business_result
        if holder is None or spec is None:
            return None
        success = holder.get(spec.success)
        return success if isinstance(success, bool) else None

    def raise_for_business(self) -> Self:
        """Raise BusinessError when the API reported business failure; else return self."""
        holder = self._business_holder()
        spec = self.business_result
        if self.business_ok is False and holder is not None and spec is not None:
            code = holder.get(spec.error_code) if spec.error_code else None
            message = holder.get(spec.error_message) if spec.error_message else None
            raise BusinessError(
                self.top_method, _str_or_none(code), _str_or_none(message)
            )
        return self

    def _business_holder(self) -> dict[str, Any] | None:
        if self.business_result is None:
            return None
        node: Any = self.model_dump(by_alias=True)
        for key in self.business_result.path:
            node = node.get(key) if isinstance(node, dict) else None
        return node if isinstance(node, dict) else None


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


ResponseT = TypeVar("ResponseT", bound=TopResponse)


class TopRequest(RequestModel, Generic[ResponseT]):
    """The application parameters of one call to a TOP API."""

    top_method: ClassVar[str]
    session_use: ClassVar[SessionUse]
    response_type: ClassVar[type[TopResponse]]

    def __class_getitem__(cls, response_type: Any) -> Any:
        """`TopRequest[SomeResponse]` as a plain generic alias, for type checkers and bases.

        Pydantic's own parametrisation would build this class's validator as soon as an API
        module is imported (and with it look for pydantic plugins); models are built on first
        use instead, so importing an API costs little.
        """
        return types.GenericAlias(cls, response_type)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Take `response_type` from the class's base, TopRequest[ThatResponse]."""
        super().__pydantic_init_subclass__(**kwargs)
        for base in cls.__dict__.get("__orig_bases__", ()):
            args = typing.get_args(base)
            if (
                typing.get_origin(base) is TopRequest
                and args
                and isinstance(args[0], type)
            ):
                cls.response_type = args[0]
                return

    def __init__(self, /, **data: Any) -> None:
        """The parameters of a call; one that does not fit raises UsageError naming the API."""
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise UsageError(f"{self.top_method}: {problems(exc)}") from None

    def check_limits(self) -> None:
        """Raise InvalidArgumentError (TOP's code 41) if a value breaks a documented limit."""
        for path, why in broken_limits(self):
            raise invalid_argument(self.top_method, path, why)

    def to_params(self) -> dict[str, str]:
        """The text application parameters as sent on the wire (files excluded)."""
        return encode_params(self)

    def file_params(self) -> dict[str, TopFile]:
        """The file parameters, sent as multipart parts and left out of the signature."""
        files = {}
        for name, wire_name in wire_names(type(self)):
            value = self.__dict__[name]
            if isinstance(value, bytes):
                value = TopFile(value, filename=wire_name)
            if isinstance(value, TopFile):
                files[wire_name] = value
        return files
