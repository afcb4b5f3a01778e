"""Import stage, topics: one entry of the TMC topic catalog (JSON) as a topic spec.

A catalog entry: `topic`, `title`, `category`, `direction` (in/out), `doc_url` and `fields`
(`name`, `type`, `description`; tmc.js's `required` is not reliable, so every payload field
is optional). Money fields the catalog types as text or numbers become Price (Decimal).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Level, SpecError, errors, quote
from ..fileio import write_atomically
from ..spec import names, toptypes
from ..spec.load import TOPICS_DIR, parse_document
from ..spec.model import Direction, Scalar
from ..spec.validate import SCHEMA_REF
from ..spec.validate_topic import JSON_MEDIA_TYPE, check_topic
from .specwriter import dump_spec

# payment, price, refund_fee, total_price, distributor_payment: money, which TOP writes as text.
_MONEY = re.compile(r"(.+_)?(payment|price|fee)")
_MONEY_TYPES = (Scalar.STRING, Scalar.NUMBER)
_REFUSED = (Scalar.BYTES,)  # a message's content is JSON: it holds no files


class TopicEntryError(ValueError):
    """The JSON is not an entry of the topic catalog; `where` names the field."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where


def is_topic_entry(data: Any) -> bool:
    """Whether catalog JSON is a topic's entry (it names a topic) rather than an API's."""
    return isinstance(data, dict) and "topic" in data and "name" not in data


def write_topic_spec(
    entry: Mapping[str, Any],
    out_dir: Path,
    *,
    source: str,
    example: Any = None,
    force: bool = False,
    shown: str | None = None,
) -> tuple[Path, list[Diagnostic]]:
    """Write the spec of one topic catalog entry as `out_dir/<topic>.yaml`; return its path.

    `source` is recorded as the spec's origin; `example` is a real message content (a JSON
    object) to keep as the spec's example; `shown` names the entry's file in errors (default:
    `source`). Bad input raises SpecError naming the file and field, and writes nothing.
    """
    where = shown or source
    try:
        spec = topic_spec(entry, source, example)
    except TopicEntryError as exc:
        message = f"not a TMC topic catalog entry: {exc}"
        raise SpecError([Diagnostic(Level.ERROR, where, None, exc.where, message)]) from None
    topic = entry["topic"]
    target = out_dir / f"{topic}.yaml"
    if target.exists() and not force:
        message = f"{target} exists; pass --force to overwrite it"
        raise SpecError([Diagnostic(Level.ERROR, where, None, "", message)])
    text = dump_spec(spec)
    document = parse_document(text, str(target), f"{TOPICS_DIR}/{target.name}")
    found = check_topic(document)
    if errors(found):
        raise SpecError(found)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_atomically(target, text)
    except OSError as exc:
        message = f"cannot write {quote(str(target))}: {exc.strerror or exc}"
        raise SpecError([Diagnostic(Level.ERROR, where, None, "", message)]) from None
    return target, found


def topic_spec(entry: Mapping[str, Any], source: str, example: Any = None) -> dict[str, Any]:
    """The spec of a topic catalog entry; TopicEntryError naming the field that does not fit."""
    if not isinstance(entry, Mapping):
        raise TopicEntryError("", "expected an object with the topic's name in 'topic'")
    topic = _text(entry, "topic", required=True)
    if not names.is_topic_name(topic):
        raise TopicEntryError("topic", f"{quote(topic)} is not a TMC topic name")
    direction = _text(entry, "direction", required=True)
    if direction not in {d.value for d in Direction}:
        raise TopicEntryError("direction", f"must be 'in' or 'out', not {quote(direction)}")
    title = _text(entry, "title") or topic
    properties = _properties(entry.get("fields"))
    class_name = names.topic_class(topic)
    operation: dict[str, Any] = {"operationId": topic, "summary": title, "x-top-topic": topic}
    if category := _text(entry, "category"):
        operation["x-top-category"] = category
    operation["x-top-direction"] = direction
    if doc_url := _text(entry, "doc_url"):
        operation["externalDocs"] = {"url": doc_url}
    operation["requestBody"] = _body(class_name, properties, example)
    operation["responses"] = {"200": {"description": "Handled: the consumer confirms it."}}
    schema: dict[str, Any] = {
        "type": "object",
        "description": f"The content of a {topic} message.",
        "properties": properties,
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "2.0", "x-top-source": source},
        "webhooks": {topic: {"post": operation}},
        "components": {"schemas": {class_name: schema}},
    }


def _body(class_name: str, properties: dict[str, Any], example: Any) -> dict[str, Any]:
    if example is not None:
        if not isinstance(example, dict):
            raise TopicEntryError("content", f"the example must be an object, not {quote(example)}")
        examples = {"real": {"summary": "A message content as TOP delivered it.", "value": example}}
    else:
        value = {wire: _generated(prop) for wire, prop in properties.items()}
        summary = "Made from the field types: the catalog has no example."
        examples = {
            "generated": {"summary": summary, "x-top-derived-from": "x-top-type", "value": value}
        }
    content = {"schema": {"$ref": SCHEMA_REF + class_name}, "examples": examples}
    return {"description": "The message content.", "content": {JSON_MEDIA_TYPE: content}}


def _generated(prop: dict[str, Any]) -> Any:
    return toptypes.example_value(*toptypes.top_type_of(prop["x-top-type"]))


def _properties(fields: Any) -> dict[str, Any]:
    if fields is None:
        return {}
    if not isinstance(fields, list):
        raise TopicEntryError("fields", f"must be a list, not {quote(fields)}")
    properties: dict[str, Any] = {}
    for index, field in enumerate(fields):
        where = f"fields[{index}]"
        if not isinstance(field, dict):
            raise TopicEntryError(where, f"must be an object, not {quote(field)}")
        name = _text(field, "name", required=True, where=where)
        if name in properties:
            raise TopicEntryError(f"{where}.name", f"{name!r} is listed twice")
        properties[name] = _property(field, where)
    return properties


def _property(field: dict[str, Any], where: str) -> dict[str, Any]:
    spelled = _text(field, "type", required=True, where=where).replace(" ", "")
    is_list = spelled.endswith("[]") and spelled != "byte[]"
    scalar = toptypes.SPELLINGS.get(spelled.removesuffix("[]") if is_list else spelled)
    if scalar is None or scalar in _REFUSED:
        known = "String, Number, Boolean, Date, Price, String [], Number []"
        message = f"{quote(field['type'])} is not a topic field type ({known})"
        raise TopicEntryError(f"{where}.type", message)
    if not is_list and scalar in _MONEY_TYPES and _MONEY.fullmatch(field["name"]):
        scalar = Scalar.PRICE
    item = dict(toptypes.TOP_TYPES[scalar].schema)
    prop: dict[str, Any] = {"type": "array", "items": item} if is_list else item
    prop["x-top-type"] = scalar.value + ("[]" if is_list else "")
    if description := _text(field, "description", where=where):
        prop["description"] = description
    return prop


def _text(entry: Mapping[str, Any], key: str, *, required: bool = False, where: str = "") -> str:
    """entry[key] when it is text ("" when absent or null); TopicEntryError otherwise."""
    path = f"{where}.{key}" if where else key
    value = entry.get(key)
    if value is None and required:
        raise TopicEntryError(path, "missing")
    if value is None or isinstance(value, str):
        if required and not value:
            raise TopicEntryError(path, "must not be empty")
        return value or ""
    raise TopicEntryError(path, f"must be text, not {quote(value)}")
