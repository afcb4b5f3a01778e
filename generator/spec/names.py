"""Python names derived from TOP names: modules, classes and fields."""

from __future__ import annotations

import keyword
import re
from functools import cache

# Mostly lower-case dotted words; a few real methods have camelCase parts or dated suffixes
# (alibaba.aliqin.fc.iot.cardInfo, push.aliyuncs.com.pushMsg.2015-03-18).
_METHOD = re.compile(r"[a-z][a-z0-9-]*(\.[A-Za-z0-9_-]+)+")
_NOT_WORD = re.compile(r"[^0-9A-Za-z]+")
_NOT_IDENTIFIER = re.compile(r"\W", re.ASCII)
# A TMC topic: lower-case namespace words, then the event in CamelCase (taobao_trade_TradeBuyerPay).
_TOPIC = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*_[A-Z][A-Za-z0-9]*")
_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def is_method_name(text: str) -> bool:
    """Whether `text` is a TOP method name such as alibaba.idle.tender.pre.pay.action."""
    return _METHOD.fullmatch(text) is not None  # not match(): `$` lets a final newline through


def module_name(method: str) -> str:
    """The module of an API: alibaba.idle.tender.pre.pay.action -> alibaba_idle_..._action."""
    return re.sub(r"[^0-9A-Za-z_]", "_", method)


def is_topic_name(text: str) -> bool:
    """Whether `text` is a TMC topic name such as taobao_trade_TradeBuyerPay."""
    return _TOPIC.fullmatch(text) is not None


def topic_module(topic: str) -> str:
    """The module of a topic: taobao_trade_TradeBuyerPay -> taobao_trade_trade_buyer_pay."""
    namespace, _, event = topic.rpartition("_")
    return f"{namespace}_{_WORD_START.sub('_', event).lower()}"


def topic_class(topic: str) -> str:
    """The payload class of a topic: its event (TradeBuyerPay), or the whole topic when that
    name is taken in a topic module (taobao_trade_Field -> TaobaoTradeField)."""
    event = topic.rpartition("_")[2]
    return (
        event
        if is_class_name(event) and event not in _topic_module_names()
        else class_prefix(topic)
    )


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
    if keyword.iskeyword(name) or name in _reserved() or name.startswith("model_"):
        name = f"{name}_"
    if name.startswith("_"):
        name = f"field{name}"
    return name


@cache
def _reserved() -> frozenset[str]:
    from .reserved import field_names  # noqa: PLC0415 - it reads toptypes, which imports model

    return field_names()


@cache
def _module_names() -> frozenset[str]:
    from .reserved import module_names  # noqa: PLC0415 - as above

    return module_names()


@cache
def _topic_module_names() -> frozenset[str]:
    from .reserved import topic_module_names  # noqa: PLC0415 - as above

    return topic_module_names()


def is_class_name(name: str) -> bool:
    """Whether `name` can be a generated class name."""
    return (
        name.isidentifier()
        and name.isascii()
        and not keyword.iskeyword(name)
        and not name.startswith("_")
        and name not in _module_names()
    )
