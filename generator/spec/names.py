"""Python names derived from TOP names: modules, classes and fields."""

from __future__ import annotations

import keyword
import re

# Attributes of pydantic's BaseModel and of topapi's base classes that a field must not shadow.
RESERVED_FIELD_NAMES = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
        "response_type",
        "response_key",
        "session_use",
        "top_method",
        "to_params",
        "business_result",
        "business_ok",
        "raise_for_business",
        "file_params",
        # The other parameters and locals of the generated client methods.
        "self",
        "cls",
        "top_client",
        "request",
        "timeout",
        "max_retries",
        # Names the generated annotations use: a field of that name would shadow them in its class.
        "str",
        "int",
        "bool",
        "bytes",
        "list",
        "datetime",
        "Decimal",
        "Any",
        "Annotated",
        "ClassVar",
        "Field",
        "TopFile",
    }
)

# Names the generated API modules import or define besides the API's own classes.
RESERVED_CLASS_NAMES = frozenset(
    {
        "Annotated",
        "Any",
        "BaseModel",
        "BusinessResult",
        "ClassVar",
        "Decimal",
        "Field",
        "RequestModel",
        "ResponseModel",
        "SessionUse",
        "TopFile",
        "TopRequest",
        "TopResponse",
        "annotations",
        "datetime",
    }
)

# Mostly lower-case dotted words; a few real methods have camelCase parts or dated suffixes
# (alibaba.aliqin.fc.iot.cardInfo, push.aliyuncs.com.pushMsg.2015-03-18).
_METHOD = re.compile(r"[a-z][a-z0-9-]*(\.[A-Za-z0-9_-]+)+")
_NOT_WORD = re.compile(r"[^0-9A-Za-z]+")
_NOT_IDENTIFIER = re.compile(r"\W", re.ASCII)


def is_method_name(text: str) -> bool:
    """Whether `text` is a TOP method name such as alibaba.idle.tender.pre.pay.action."""
    return _METHOD.fullmatch(text) is not None  # not match(): `$` lets a final newline through


def module_name(method: str) -> str:
    """The module of an API: alibaba.idle.tender.pre.pay.action -> alibaba_idle_..._action."""
    return re.sub(r"[^0-9A-Za-z_]", "_", method)


def class_prefix(method: str) -> str:
    """The class-name prefix of an API: taobao.tmc.user.topics.get -> TaobaoTmcUserTopicsGet."""
    return "".join(part[:1].upper() + part[1:] for part in _NOT_WORD.split(method) if part)


def response_key(method: str) -> str:
    """The key TOP wraps a response in: the method with `_` for `.`, minus a leading `taobao_`."""
    return method.replace(".", "_").removeprefix("taobao_") + "_response"


def field_name(wire_name: str) -> str:
    """A Python attribute name for a wire name; it differs only where it must."""
    name = _NOT_IDENTIFIER.sub("_", wire_name)
    if not name or name[0].isdigit():
        name = f"field_{name}"
    if keyword.iskeyword(name) or name in RESERVED_FIELD_NAMES or name.startswith("model_"):
        name = f"{name}_"
    if name.startswith("_"):
        name = f"field{name}"
    return name


def is_class_name(name: str) -> bool:
    """Whether `name` can be a generated class name."""
    return (
        name.isidentifier()
        and name.isascii()
        and not keyword.iskeyword(name)
        and not name.startswith("_")
        and name not in RESERVED_CLASS_NAMES
    )
