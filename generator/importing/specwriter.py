"""Import stage, second half: a documented API (DocApi) as a spec in the hand-written format."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

import yaml

from ..spec import limits, names, toptypes
from ..spec.model import Scalar, SessionUse
from ..spec.validate import ENVELOPE_REF, ROUTER_PATH, SCHEMA_REF
from .docmodel import DocApi, DocField

_SUCCESS = re.compile(r"^(success|succeed|is_success|[a-z]+_success)$")
_ERROR_CODE = re.compile(r"^([a-z]+_)?(err|error)_code(_info)?$|^result_code$")
_ERROR_MESSAGE = re.compile(r"^([a-z]+_)?(err|error)_(msg|message)(_info)?$|^result_message$")


@dataclass(frozen=True)
class FieldType:
    """A documented type, normalised: a scalar or a class, possibly a list."""

    scalar: Scalar | None
    class_name: str | None
    is_list: bool
    top_name: str


@dataclass
class _Types:
    """The API's classes: name → properties, deduplicated by shape, named without numbers."""

    reserved: set[str]
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    shapes: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def build_spec(doc: DocApi, session: SessionUse | None = None) -> tuple[dict[str, Any], list[str]]:
    """The spec of a documented API, and what the importer had to decide on its own.

    `session` (`topgen import --session`) is the API's x-top-session whatever the page says;
    without it, an API whose documentation does not say is `optional` (see `session_of`).
    """
    prefix = names.class_prefix(doc.method)
    request_class, response_class = prefix + "Request", prefix + "Response"
    types = _Types(reserved={request_class, response_class}, warnings=list(doc.warnings))
    request_schema = _object_schema(
        doc.request, types, request_class, f"The application parameters of {doc.method}."
    )
    request_types = dict(types.schemas)
    response_schema = _object_schema(
        doc.response, types, response_class, f"The response of {doc.method}."
    )
    schemas = {
        request_class: request_schema,
        **request_types,
        response_class: response_schema,
        **{k: v for k, v in types.schemas.items() if k not in request_types},
    }
    spec = {
        "openapi": "3.1.0",
        "info": _info(doc),
        "paths": {
            ROUTER_PATH: {"post": _operation(doc, request_class, response_class, types, session)}
        },
        "components": {"schemas": schemas},
    }
    return spec, types.warnings


def _info(doc: DocApi) -> dict[str, Any]:
    info: dict[str, Any] = {"title": doc.title or doc.method, "version": "2.0"}
    if doc.description:
        info["description"] = doc.description
    if doc.source:
        info["x-top-source"] = doc.source
    return info


def session_of(doc: DocApi, session: SessionUse | None) -> SessionUse:
    """The x-top-session of an imported API: the one given, else the page's, else optional."""
    return session or doc.session or SessionUse.OPTIONAL


def _operation(
    doc: DocApi, request: str, response: str, types: _Types, session: SessionUse | None
) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": doc.method, "summary": doc.title or doc.method}
    if doc.description:
        op["description"] = doc.description
    op["x-top-method"] = doc.method
    if session is not None and doc.session is not None and session is not doc.session:
        types.warnings.append(
            f"x-top-session: {session.value} as --session says, though the documentation's"
            f" example says {doc.session.value}"
        )
    op["x-top-session"] = session_of(doc, session).value
    business = _business_result(doc.response)
    if business is not None:
        op["x-top-business-result"] = business
    if doc.java_example:
        op["x-top-request-examples"] = {"java": doc.java_example.rstrip() + "\n"}
    op["requestBody"] = _request_body(doc, request)
    op["responses"] = _responses(doc, response)
    return op


def _request_body(doc: DocApi, request: str) -> dict[str, Any]:
    files = any(field_type(f).scalar is Scalar.BYTES for f in doc.request)
    media = "multipart/form-data" if files else "application/x-www-form-urlencoded"
    content: dict[str, Any] = {"schema": {"$ref": SCHEMA_REF + request}}
    encoding = {
        f.name: {"contentType": "application/json"}
        for f in doc.request
        if field_type(f).class_name is not None or field_type(f).scalar is Scalar.MAP
    }
    if encoding:
        content["encoding"] = encoding
    value, documented = _example_object(doc.request)
    if value:
        source = "the examples of the documented fields" if documented else "the field types"
        content["examples"] = {
            "documented": {
                "summary": f"Application parameters built from {source}.",
                "x-top-derived-from": "x-top-type" if not documented else "examples",
                "value": value,
            }
        }
    return {"required": any(f.required for f in doc.request), "content": {media: content}}


def _responses(doc: DocApi, response: str) -> dict[str, Any]:
    schema = {"$ref": SCHEMA_REF + response}
    key = names.response_key(doc.method)
    json_entry: dict[str, Any] = {"schema": schema}
    xml_entry: dict[str, Any] = {"schema": schema}
    if doc.xml_example:
        xml_entry["examples"] = {
            "documented": {
                "summary": "The XML response example of the documentation page.",
                "value": _block(doc.xml_example),
            }
        }
        json_entry["examples"] = {
            "documented": {
                "summary": "The JSON equivalent of the XML example, typed as the fields are.",
                "x-top-derived-from": "application/xml/documented",
                "value": xml_as_json(doc.xml_example, doc.response),
            }
        }
    else:
        json_entry["examples"] = {
            "generated": {
                "summary": "Made from the field types: the documentation has no example.",
                "x-top-derived-from": "x-top-type",
                "value": {key: _generated(doc.response)},
            }
        }
    ok = {
        "description": "The API's response (TOP answers errors with HTTP 200 too).",
        "content": {"application/json": json_entry, "application/xml": xml_entry},
    }
    return {"200": ok, "default": _error_response(doc)}


# The fields of TOP's error_response as the envelope's ErrorResponse types them (a test holds the
# two together): the XML example carries them as text, the JSON equivalent as TOP sends them.
ERROR_FIELDS = (
    DocField("code", "Number", True, "", ""),
    DocField("msg", "String", True, "", ""),
    DocField("sub_code", "String", False, "", ""),
    DocField("sub_msg", "String", False, "", ""),
    DocField("request_id", "String", False, "", ""),
)


def _error_response(doc: DocApi) -> dict[str, Any]:
    if not doc.error_example:
        return {"$ref": ENVELOPE_REF + "/components/responses/Error"}
    error = xml_as_json(doc.error_example, ERROR_FIELDS)
    return {
        "description": "The error example of the documentation page.",
        "content": {
            "application/xml": {
                "examples": {
                    "documented": {
                        "summary": "The XML error example of the documentation page.",
                        "value": _block(doc.error_example),
                    }
                }
            },
            "application/json": {
                "schema": {
                    "$ref": ENVELOPE_REF
                    + "/components/responses/Error/content/application~1json/schema"
                },
                "examples": {
                    "documented": {
                        "summary": "The JSON equivalent of the XML error example.",
                        "x-top-derived-from": "application/xml/documented",
                        "value": error,
                    }
                },
            },
        },
    }


def field_type(doc_field: DocField) -> FieldType:
    """The normalised type of a documented field (class names are settled later)."""
    spelled = doc_field.type.replace(" ", "")
    if spelled == "byte[][]":
        return FieldType(Scalar.BYTES, None, True, "byte[][]")
    is_list = spelled.endswith("[]") and spelled != "byte[]"
    base = spelled.removesuffix("[]") if is_list else spelled
    scalar = toptypes.SPELLINGS.get(base)
    if scalar is not None and not (scalar is Scalar.MAP and doc_field.children):
        return FieldType(scalar, None, is_list, spelled)
    if not doc_field.children:
        return FieldType(Scalar.MAP if base else Scalar.STRING, None, is_list, spelled)
    return FieldType(None, base or "?", is_list, spelled)


def _object_schema(
    fields: tuple[DocField, ...],
    types: _Types,
    owner: str,
    description: str = "",
    top_name: str = "",
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object"}
    if description:
        schema["description"] = description
    if top_name:
        schema["x-top-type"] = top_name
    required = [f.name for f in fields if f.required]
    if required:
        schema["required"] = required
    schema["properties"] = {f.name: _property(f, types, owner) for f in fields}
    return schema


def _property(doc_field: DocField, types: _Types, owner: str) -> dict[str, Any]:
    kind = field_type(doc_field)
    where = f"{owner}.{doc_field.name}"
    prop: dict[str, Any]
    if kind.scalar is not None:
        if not doc_field.type.strip():
            types.warnings.append(f"{where}: no type documented; typed as String")
        elif (
            kind.scalar is Scalar.MAP
            and toptypes.SPELLINGS.get(kind.top_name.removesuffix("[]")) is None
        ):
            types.warnings.append(
                f"{where}: object type {kind.top_name} has no documented fields; typed as Map"
            )
        item = dict(toptypes.TOP_TYPES[kind.scalar].schema)
        top = kind.scalar.value + ("[]" if kind.is_list else "")
        prop = {"type": "array", "items": item} if kind.is_list else item
        prop = {**prop, "x-top-type": top}
    else:
        class_name = _register(doc_field, kind, types, owner)
        ref = {"$ref": SCHEMA_REF + class_name}
        prop = {"type": "array", "items": ref} if kind.is_list else dict(ref)
        prop["x-top-type"] = kind.top_name
    if doc_field.description:
        prop["description"] = doc_field.description
    prop.update(_limits(doc_field, kind, types.warnings, where))
    example = _typed_example(kind, doc_field.example)
    if example is not None:
        prop["examples"] = [[example] if kind.is_list else example]
    return prop


def _limits(
    doc_field: DocField, kind: FieldType, warnings: list[str], where: str
) -> dict[str, Any]:
    """The field's documented limits a spec can hold; each one it cannot is a warning."""
    kept: dict[str, Any] = {}
    for key, value in doc_field.limits:
        if key not in limits.KEYS:
            warnings.append(f"{where}: {key} {value!r} not kept: topgen keeps no such limit")
        elif key in kept:
            warnings.append(f"{where}: {key} {value!r} not kept: documented twice")
        else:
            kept[key] = _typed_default(kind, value) if key == limits.DEFAULT else value
    documented = dict(kept)
    for _ in range(len(limits.KEYS)):  # each round drops at least one, or ends
        found = limits.problems(kept, kind.scalar, kind.is_list)
        if not found:
            break
        for key, why in found:
            if key in kept:
                warnings.append(f"{where}: {key} {documented[key]!r} not kept: {why}")
                del kept[key]
    return {key: kept[key] for key in limits.KEYS if key in kept}


def _typed_default(kind: FieldType, value: Any) -> Any:
    """A documented default as the JSON value of its type; one that does not fit stays as is."""
    if not isinstance(value, str) or kind.scalar is None or kind.is_list:
        return value
    if kind.scalar in (Scalar.NUMBER, Scalar.BOOLEAN):
        return typed_scalar(kind.scalar, value.strip())
    return value


def _register(doc_field: DocField, kind: FieldType, types: _Types, owner: str) -> str:
    """The class of an object field: its documented name unless a different shape has it."""
    shape = _shape(doc_field.children)
    for candidate in _class_candidates(doc_field, kind, owner):
        if candidate in types.reserved or not names.is_class_name(candidate):
            continue
        if candidate not in types.shapes:
            types.shapes[candidate] = shape
            types.schemas[candidate] = {}  # claim the name before the children are named
            top_name = kind.top_name.removesuffix("[]")
            types.schemas[candidate] = _object_schema(
                doc_field.children, types, candidate, top_name=top_name
            )
            if candidate != (kind.class_name or ""):
                types.warnings.append(
                    f"{owner}.{doc_field.name}: type {kind.top_name} named {candidate} in this API"
                )
            return candidate
        if types.shapes[candidate] == shape:
            return candidate
    raise AssertionError("the last candidate is always free")


def _class_candidates(doc_field: DocField, kind: FieldType, owner: str) -> list[str]:
    documented = (
        kind.class_name if kind.class_name and kind.class_name not in toptypes.SPELLINGS else ""
    )
    documented = documented[:1].upper() + documented[1:]
    by_field = _pascal(doc_field.name)
    base = documented or by_field
    candidates = [
        base,
        base if base.startswith(by_field) else by_field + base,
        owner + by_field + base,
    ]
    return candidates + [f"{owner}{by_field}{base}{n}" for n in range(2, 100)]


def _pascal(name: str) -> str:
    return (
        "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", name) if part)
        or "Field"
    )


def _shape(fields: tuple[DocField, ...]) -> Any:
    return tuple((f.name, f.type.replace(" ", ""), f.required, _shape(f.children)) for f in fields)


def _typed_example(kind: FieldType, text: str) -> Any:
    text = text.strip()
    if not text or kind.scalar is None or kind.scalar is Scalar.MAP:
        return None
    return typed_scalar(kind.scalar, text)


def typed_scalar(scalar: Scalar, text: str) -> Any:
    """An example text as the JSON value of its type; text that does not fit stays text."""
    if not toptypes.TOP_TYPES[scalar].fits(text):
        return text
    if scalar is Scalar.NUMBER:
        return int(text) if _is_int64(int(text)) else text
    return text == "true" if scalar is Scalar.BOOLEAN else text


def _is_int64(value: int) -> bool:
    """Whether a Number (a Java long) can hold `value`."""
    return -(2**63) <= value < 2**63


def _business_result(fields: tuple[DocField, ...]) -> dict[str, Any] | None:
    """Where the response reports business failure: its fields or an object's one level down."""
    holders = [("", fields)] + [
        (f.name, f.children) for f in fields if f.children and not field_type(f).is_list
    ]
    for path, holder in holders:
        flags = [
            f.name
            for f in holder
            if _SUCCESS.match(f.name) and field_type(f).scalar is Scalar.BOOLEAN
        ]
        if flags:
            found: dict[str, Any] = {"path": path} if path else {}
            found["success"] = flags[0]
            code = next((f.name for f in holder if _ERROR_CODE.match(f.name)), None)
            message = next((f.name for f in holder if _ERROR_MESSAGE.match(f.name)), None)
            if code:
                found["error-code"] = code
            if message:
                found["error-message"] = message
            return found
    return None


def _example_object(fields: tuple[DocField, ...]) -> tuple[dict[str, Any], bool]:
    """An example value of an object: the documented examples, or values made from the types."""
    documented = any(f.example.strip() for f in fields) or any(
        _example_object(f.children)[1] for f in fields
    )
    return (_documented(fields) if documented else _generated(fields)), documented


def _documented(fields: tuple[DocField, ...]) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for doc_field in fields:
        kind = field_type(doc_field)
        if doc_field.children:
            inner = _documented(doc_field.children)
            if inner:
                value[doc_field.name] = [inner] if kind.is_list else inner
        elif (example := _typed_example(kind, doc_field.example)) is not None:
            value[doc_field.name] = [example] if kind.is_list else example
    return value


def _generated(fields: tuple[DocField, ...]) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for doc_field in fields:
        kind = field_type(doc_field)
        if kind.scalar is Scalar.BYTES:
            continue
        item = (
            _generated(doc_field.children)
            if kind.scalar is None
            else toptypes.TOP_TYPES[kind.scalar].example
        )
        value[doc_field.name] = [item] if kind.is_list else item
    return value


def xml_as_json(xml_text: str, fields: tuple[DocField, ...]) -> dict[str, Any]:
    """The JSON equivalent of a documented XML example, typed by the documented fields."""
    root = ElementTree.fromstring(xml_text.strip())
    return {root.tag: _element_json(root, fields)}


def _element_json(element: ElementTree.Element, fields: tuple[DocField, ...]) -> dict[str, Any]:
    by_name = {f.name: f for f in fields}
    value: dict[str, Any] = {}
    for child in element:
        doc_field = by_name.get(child.tag)
        converted = _child_json(child, doc_field)
        if converted is not None:
            value[child.tag] = converted
    return value


def _child_json(child: ElementTree.Element, doc_field: DocField | None) -> Any:
    kind = field_type(doc_field) if doc_field else None
    children = doc_field.children if doc_field else ()
    if kind is not None and kind.is_list:
        items = [
            _child_json(
                item, DocField(item.tag, kind.top_name.removesuffix("[]"), False, "", "", children)
            )
            for item in child
        ]
        return [item for item in items if item is not None]
    if len(child):
        return _element_json(child, children)
    text = (child.text or "").strip()
    if not text:
        return None
    return typed_scalar(kind.scalar, text) if kind and kind.scalar else text


def _block(text: str) -> str:
    return text.strip("\n") + "\n"


class _SpecDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes specs as people write them: block style, multi-line text as literal blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.SequenceNode:
    flat = all(not isinstance(item, dict | list) and "\n" not in str(item) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flat)


_SpecDumper.add_representer(str, _represent_text)
_SpecDumper.add_representer(list, _represent_list)


def dump_spec(spec: dict[str, Any]) -> str:
    """The YAML text of a spec."""
    return yaml.dump(
        spec,
        Dumper=_SpecDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
