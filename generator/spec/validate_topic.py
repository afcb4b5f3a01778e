"""Stage 2, validate, for topic specs: one TMC topic under `webhooks`, its payload a schema."""

from __future__ import annotations

from functools import cached_property
from pathlib import PurePosixPath
from typing import Any

from ..diagnostics import Diagnostic, errors, quote
from . import names, toptypes
from .load import Document, Mapping, Sequence
from .model import Direction, Scalar
from .validate import SCHEMA_REF, SchemaCheck, check_content

JSON_MEDIA_TYPE = "application/json"
_NO_REQUIRED = "a payload has no required fields: TOP omits any field of a message"
_SCALARS_ONLY = "a payload's fields are TOP scalars or lists of them, not objects"


def check_topic(doc: Document) -> list[Diagnostic]:
    """Every problem in one topic spec (topic specs refer to nothing outside themselves)."""
    return _TopicCheck(doc, None).run()


class _TopicCheck(SchemaCheck):
    """Checks one topic document."""

    INFO_EXTRAS = ("x-top-source",)

    def _check_component(self, name: str, schema: Any) -> None:
        self._check_schema(name, schema)
        self._check_payload_schema(name, schema)

    def _operation(self, root: Mapping) -> Mapping | None:
        webhooks = self.report.child(root, "webhooks", "", Mapping)
        if webhooks is None:
            return None
        stem = self._stem
        if list(webhooks) != [stem]:
            msg = f"must hold exactly one topic, the file's: {stem!r}"
            self.report.error(webhooks, next(iter(webhooks), ""), "webhooks", msg)
            return None
        item = self.report.child(webhooks, stem, "webhooks", Mapping)
        return self.report.child(item, "post", f"webhooks.{stem}", Mapping) if item else None

    @cached_property
    def _stem(self) -> str:
        """The topic the file's name says."""
        return PurePosixPath(self.doc.name).name.removesuffix(".yaml")

    def _check_operation(self, op: Mapping) -> None:
        stem = self._stem
        where = f"webhooks.{stem}.post"
        for key in ("operationId", "summary", "description", "x-top-category"):
            self.report.child(op, key, where, str, optional=True)
        topic = self.report.child(op, "x-top-topic", where, str)
        if topic is not None and not names.is_topic_name(topic):
            msg = f"{quote(topic)} is not a TMC topic name (namespace_words_EventName)"
            self.report.error(op, "x-top-topic", where, msg)
        elif topic is not None and topic != stem:
            self.report.error(op, "x-top-topic", where, f"{topic!r} must match the file name")
        direction = self.report.child(op, "x-top-direction", where, str)
        allowed = [d.value for d in Direction]
        if direction is not None and direction not in allowed:
            msg = f"{quote(direction)} is not one of {', '.join(allowed)}"
            self.report.error(op, "x-top-direction", where, msg)
        self.report.child(op, "responses", where, Mapping, optional=True)
        if topic == stem:
            self._check_body(op, where, names.topic_class(stem))

    def _check_body(self, op: Mapping, where: str, class_name: str) -> None:
        body = self.report.child(op, "requestBody", where, Mapping)
        if body is None:
            return
        where = f"{where}.requestBody"
        entries = dict(check_content(self.report, body, where))
        entry = entries.get(JSON_MEDIA_TYPE)
        if entry is None:
            if isinstance(body.get("content"), Mapping):
                self.report.error(body, "content", where, f"needs {JSON_MEDIA_TYPE}")
            return
        where = f"{where}.content.{JSON_MEDIA_TYPE}"
        schema = self.report.child(entry, "schema", where, Mapping)
        if schema is not None and schema.get("$ref") != SCHEMA_REF + class_name:
            msg = f"must be {SCHEMA_REF}{class_name}"
            self.report.error(schema, "$ref", f"{where}.schema", msg)
        if class_name not in self.schemas or errors(self.report.found):
            return
        for name, example in (entry.get("examples") or {}).items():
            self._check_example(example, f"{where}.examples.{name}", self.schemas[class_name])
        for name in self.schemas:
            if name != class_name:
                msg = f"is never used: a topic spec holds only its payload, {class_name}"
                self.report.error(self.schemas, name, f"components.schemas.{name}", msg)

    def _check_payload_schema(self, name: str, schema: object) -> None:
        if not isinstance(schema, Mapping):
            return
        where = f"components.schemas.{name}"
        if "required" in schema:
            self.report.error(schema, "required", where, _NO_REQUIRED)
        props = schema.get("properties")
        for wire, prop in props.items() if isinstance(props, Mapping) else ():
            is_list = isinstance(prop, Mapping) and prop.get("type") == "array"
            item = prop.get("items") if is_list else prop
            if isinstance(item, Mapping) and "$ref" in item:
                self.report.error(item, "$ref", f"{name}.{wire}", _SCALARS_ONLY)

    def _check_example(self, example: Mapping, where: str, schema: Mapping) -> None:
        value = example.get("value")
        if not isinstance(value, Mapping):
            msg = f"must be a message content (a mapping), not {quote(value)}"
            self.report.error(example, "value", where, msg)
            return
        props = schema.get("properties") or {}
        for wire, item in value.items():
            prop = props.get(wire)
            scalar = _scalar_of(prop) if isinstance(prop, Mapping) else None
            values = item if isinstance(item, Sequence) else [item]
            if scalar is not None and not all(_fits(scalar, v) for v in values):
                msg = f"{wire}: {item!r} does not fit its TOP type {scalar.value}"
                self.report.warn(value, wire, f"{where}.value", msg)


def _fits(scalar: Scalar, value: object) -> bool:
    """Whether a message value is of its type; some TMC producers send dates in epoch ms."""
    epoch_ms = scalar is Scalar.DATE and type(value) is int
    return epoch_ms or toptypes.example_fits(scalar, value)


def _scalar_of(prop: Mapping) -> Scalar | None:
    top_type = prop.get("x-top-type")
    if not isinstance(top_type, str):
        return None
    return toptypes.top_type_of(top_type)[0]
