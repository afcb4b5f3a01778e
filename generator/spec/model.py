"""The typed model of TOP APIs that every later stage reads; built from validated specs."""

from __future__ import annotations

from dataclasses import astuple, dataclass
from enum import StrEnum
from typing import Any

from . import names


class SignMethod(StrEnum):
    """The signature algorithms of the TOP gateway."""

    MD5 = "md5"
    HMAC = "hmac"
    HMAC_SHA256 = "hmac-sha256"


class SessionUse(StrEnum):
    """Whether an API needs the user's session key."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    NONE = "none"


class Direction(StrEnum):
    """Who sends a TMC topic's messages: TOP pushes `in` topics, the app publishes `out` ones."""

    IN = "in"
    OUT = "out"


class Scalar(StrEnum):
    """The TOP scalar types, by the names the documentation uses."""

    STRING = "String"
    NUMBER = "Number"
    BOOLEAN = "Boolean"
    DATE = "Date"
    PRICE = "Price"
    BIG_DECIMAL = "BigDecimal"
    JSON = "Json"
    BYTES = "byte[]"
    MAP = "Map"


@dataclass(frozen=True)
class TopType:
    """The type of a field: a scalar or a named object, possibly a list of either."""

    scalar: Scalar | None
    class_name: str | None
    is_list: bool = False

    @property
    def name(self) -> str:
        """The TOP spelling: String, TenderPrePayCmd, Number[]."""
        base = self.scalar.value if self.scalar else str(self.class_name)
        return f"{base}[]" if self.is_list else base


@dataclass(frozen=True)
class Limits:
    """A request field's documented limits (OpenAPI maxLength, maxItems, minimum, maximum)."""

    max_length: int | None = None
    max_items: int | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None

    def __bool__(self) -> bool:
        """Whether any limit is set."""
        return any(value is not None for value in astuple(self))


NO_LIMITS = Limits()


@dataclass(frozen=True)
class Field:
    """A request parameter or a response field; `default` is the documented default, if any."""

    wire_name: str
    top_type: TopType
    required: bool
    description: str
    example: Any = None
    limits: Limits = NO_LIMITS
    default: Any = None

    @property
    def python_name(self) -> str:
        """The attribute name in Python; the wire name survives as an alias when they differ."""
        return names.field_name(self.wire_name)


@dataclass(frozen=True)
class ObjectType:
    """A named structure of an API (TenderPrePayCmd), scoped to that API's module."""

    class_name: str
    top_name: str
    description: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Example:
    """A documented example: a request, a response or an error, as text or as data."""

    name: str
    media_type: str
    value: Any
    derived_from: str | None = None


@dataclass(frozen=True)
class BusinessResult:
    """Where a new-style API reports business failure inside a normal response."""

    path: tuple[str, ...]
    success: str
    error_code: str | None
    error_message: str | None


@dataclass(frozen=True)
class Api:
    """One TOP API: its method, parameters, response, types and examples."""

    method: str
    title: str
    description: str
    spec_file: str
    session: SessionUse
    params: tuple[Field, ...]
    response_fields: tuple[Field, ...]
    types: tuple[ObjectType, ...]
    request_examples: tuple[Example, ...]
    response_examples: tuple[Example, ...]
    error_examples: tuple[Example, ...]
    code_examples: tuple[tuple[str, str], ...]
    business_result: BusinessResult | None

    @property
    def module_name(self) -> str:
        """alibaba_idle_tender_pre_pay_action."""
        return names.module_name(self.method)

    @property
    def request_class(self) -> str:
        """AlibabaIdleTenderPrePayActionRequest."""
        return names.class_prefix(self.method) + "Request"

    @property
    def response_class(self) -> str:
        """AlibabaIdleTenderPrePayActionResponse."""
        return names.class_prefix(self.method) + "Response"

    @property
    def response_key(self) -> str:
        """alibaba_idle_tender_pre_pay_action_response."""
        return names.response_key(self.method)

    @property
    def heading(self) -> ApiHeading:
        """What the clients show of this API without importing its module."""
        lines = self.description.strip().splitlines()
        return ApiHeading(self.method, self.title, lines[0].strip() if lines else "")


@dataclass(frozen=True)
class ApiHeading:
    """An API as the clients list it before its module is imported: title and first line."""

    method: str
    title: str
    summary: str
    """The first line of the API's description."""

    @property
    def module_name(self) -> str:
        """alibaba_idle_tender_pre_pay_action."""
        return names.module_name(self.method)


@dataclass(frozen=True)
class Topic:
    """One TMC topic: its name, title, direction, payload fields and example contents."""

    topic: str
    title: str
    description: str
    category: str
    direction: Direction
    spec_file: str
    fields: tuple[Field, ...]
    examples: tuple[Example, ...]

    @property
    def module_name(self) -> str:
        """taobao_trade_trade_buyer_pay."""
        return self.heading.module_name

    @property
    def class_name(self) -> str:
        """TradeBuyerPay."""
        return self.heading.class_name

    @property
    def heading(self) -> TopicHeading:
        """What the registry of topapi.topics lists of this topic."""
        return TopicHeading(self.topic, self.title, self.direction)


@dataclass(frozen=True)
class TopicHeading:
    """A topic as topapi.topics lists it before its module is imported."""

    topic: str
    title: str
    direction: Direction

    @property
    def module_name(self) -> str:
        """taobao_trade_trade_buyer_pay."""
        return names.topic_module(self.topic)

    @property
    def class_name(self) -> str:
        """TradeBuyerPay."""
        return names.topic_class(self.topic)


@dataclass(frozen=True)
class Gateway:
    """A TOP gateway URL with the name topapi exposes it under."""

    name: str
    url: str
    description: str


@dataclass(frozen=True)
class SystemParam:
    """A parameter the gateway takes on every call (method, app_key, sign, ...)."""

    name: str
    required: bool
    description: str
    secret: bool


@dataclass(frozen=True)
class Envelope:
    """What every TOP API shares: gateways, system parameters, signing and error fields."""

    gateways: tuple[Gateway, ...]
    system_params: tuple[SystemParam, ...]
    sign_methods: tuple[SignMethod, ...]
    default_sign_method: SignMethod
    error_fields: tuple[str, ...]
    error_examples: tuple[Example, ...]


@dataclass(frozen=True)
class Project:
    """The envelope, every API sorted by method and every topic sorted by name."""

    envelope: Envelope
    apis: tuple[Api, ...]
    topics: tuple[Topic, ...] = ()


@dataclass(frozen=True)
class Package:
    """What the files shared by every API are made of: the envelope, each API's heading, version."""

    envelope: Envelope
    apis: tuple[ApiHeading, ...]
    version: str
    topics: tuple[TopicHeading, ...] = ()

    @property
    def module_names(self) -> tuple[str, ...]:
        """The module of each API, in order."""
        return tuple(api.module_name for api in self.apis)
