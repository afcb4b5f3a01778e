"""TMC message payloads: the base of the generated topic models, decoding and encoding.

Every payload field may be missing from a message (then it is None) and a message may carry
fields its topic does not list (they are kept): a message is never refused for its shape.
Ids are ints whether TOP sends numbers or quoted text, money is Decimal, and dates are GMT+8
aware datetimes from `yyyy-MM-dd HH:mm:ss` text or epoch milliseconds (ResponseModel's rules).
"""

from __future__ import annotations

import importlib
import json
from enum import StrEnum
from functools import cache
from typing import Any, ClassVar, TypeVar

from pydantic import ValidationError

from topapi._codec import problems, to_json
from topapi._errors import TopapiError, cut
from topapi._model import ResponseModel


class Direction(StrEnum):
    """Who sends a topic's messages: TOP pushes `in` topics, the app publishes `out` ones."""

    IN = "in"
    OUT = "out"


class ContentError(TopapiError, ValueError):
    """A message's content does not fit its topic's model; `raw` holds the content as text."""

    def __init__(self, message: str, *, topic: str = "", raw: str = "") -> None:
        super().__init__(message)
        self.topic = topic
        self.raw = raw


class TopicPayload(ResponseModel):
    """The content of a TMC message of one topic, typed by the topic's fields."""

    top_topic: ClassVar[str] = ""
    top_title: ClassVar[str] = ""
    top_direction: ClassVar[Direction] = Direction.IN

    def to_content(self) -> str:
        """The content as TOP takes it: JSON text, dates as GMT+8 text, decimals as text."""
        data = to_json(self)
        data.update(to_json(self.model_extra or {}))
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


PayloadT = TypeVar("PayloadT", bound=TopicPayload)


def decode(
    model: type[PayloadT], text: str
) -> tuple[PayloadT | None, ContentError | None]:
    """The typed content of a message, or None and why it does not fit; never raises for it."""
    try:  # strict=False: TOP's JSON sometimes holds raw control characters inside strings
        data = json.loads(text, strict=False)
    except RecursionError:
        return None, _error(model, "nests too deeply to read", text)
    except ValueError as exc:
        return None, _error(model, f"is not JSON: {cut(str(exc))}", text)
    return decode_data(model, data, text)


def decode_data(
    model: type[PayloadT], data: Any, text: str = ""
) -> tuple[PayloadT | None, ContentError | None]:
    """The typed content of a message already read as JSON (`text`: its raw form, for errors)."""
    if not isinstance(data, dict):
        return None, _error(model, "is not a JSON object", text)
    try:
        return model.model_validate(data), None
    except ValidationError as exc:
        why = f"does not fit {model.__name__}: {problems(exc)}"
    except RecursionError:
        why = "nests too deeply to read"
    return None, _error(model, why, text)


def _error(model: type[TopicPayload], why: str, text: str) -> ContentError:
    topic = model.top_topic or model.__name__
    return ContentError(f"{topic}: the content {why}", topic=topic, raw=text)


def payload_type(topic: str) -> type[TopicPayload] | None:
    """The payload model of a topic of topapi.topics (its module imported now), or None."""
    entry = _registry().get(topic)
    if entry is None:
        return None
    module_name, class_name = entry
    module = importlib.import_module(f"topapi.topics.{module_name}")
    model: type[TopicPayload] = getattr(module, class_name)
    return model


@cache
def _registry() -> dict[str, tuple[str, str]]:
    module = importlib.import_module("topapi.topics")
    registry: dict[str, tuple[str, str]] = module.REGISTRY
    return registry
