"""Stage 2, validate: check loaded specs against what topgen can generate from."""

from __future__ import annotations

import difflib
import re
from pathlib import PurePosixPath
from typing import Any

from ..diagnostics import Diagnostic, Level, quote
from . import limits, names, toptypes
from .load import Document, Mapping, Sequence
from .model import Scalar, SessionUse, SignMethod

ROUTER_PATH = "/router/rest"
SCHEMA_REF = "#/components/schemas/"
ENVELOPE_REF = "../top.yaml#"
FORM_MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
SYSTEM_PARAMS = (
    "method",
    "app_key",
    "session",
    "timestamp",
    "v",
    "sign_method",
    "sign",
    "format",
    "simplify",
    "partner_id",
    "target_app_key",
)
ERROR_FIELDS = ("code", "msg", "sub_code", "sub_msg", "request_id")
BUSINESS_KEYS = ("path", "success", "error-code", "error-message")
JSON_SCHEMA_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")
# A gateway name becomes the constant GATEWAY_<NAME> (upper case, `-` as `_`).
_GATEWAY_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


class Report:
    """Collects the diagnostics of one document."""

    def __init__(self, doc: Document) -> None:
        self.file = doc.path
        self.found: list[Diagnostic] = []

    def error(self, node: Mapping | Sequence | None, key: str | int, where: str, msg: str) -> None:
        self.found.append(Diagnostic(Level.ERROR, self.file, _line(node, key), where, msg))

    def warn(self, node: Mapping | Sequence | None, key: str | int, where: str, msg: str) -> None:
        self.found.append(Diagnostic(Level.WARNING, self.file, _line(node, key), where, msg))

    def note(self, node: Mapping | Sequence | None, key: str | int, where: str, msg: str) -> None:
        self.found.append(Diagnostic(Level.NOTE, self.file, _line(node, key), where, msg))

    def child(self, node: Mapping, key: str, where: str, kind: type, optional: bool = False) -> Any:
        """node[key] when it is of `kind`; reports a missing or mistyped key and returns None."""
        path = f"{where}.{key}" if where else key
        if key not in node:
            if not optional:
                self.error(node, key, where, f"missing required key {key!r}")
            return None
        value = node[key]
        if not isinstance(value, kind):
            kind_name = _KIND_NAMES.get(kind, kind.__name__)
            self.error(node, key, path, f"must be a {kind_name}, not {quote(value)}")
            return None
        return value

    def entries(self, node: Mapping | None, where: str) -> list[tuple[str, Mapping]]:
        """The items of `node` whose values are mappings; reports each one that is not."""
        found = []
        for key, value in (node or Mapping()).items():
            if isinstance(value, Mapping):
                found.append((key, value))
            else:
                self.error(node, key, f"{where}.{key}", f"must be a mapping, not {quote(value)}")
        return found


_KIND_NAMES = {Mapping: "mapping", Sequence: "list", str: "string", bool: "boolean"}


def _line(node: Mapping | Sequence | None, key: str | int) -> int | None:
    if isinstance(node, Mapping):
        return node.line_of(str(key))
    if isinstance(node, Sequence):
        index = int(key)
        return node.item_lines[index] if 0 <= index < len(node.item_lines) else node.line
    return None


def check_api(doc: Document, envelope: Document) -> list[Diagnostic]:
    """Every problem in one API spec."""
    return _ApiCheck(doc, envelope).run()


def check_envelope(doc: Document) -> list[Diagnostic]:
    """Every problem in the envelope spec."""
    report = Report(doc)
    root = doc.root
    check_openapi_version(report, root)
    _check_servers(report, root)
    _check_sign_methods(report, root)
    components = report.child(root, "components", "", Mapping)
    if components is not None:
        _check_system_params(report, components)
        _check_error_schema(report, components)
        responses = report.child(components, "responses", "components", Mapping, optional=True)
        where = "components.responses"
        error = (
            report.child(responses, "Error", where, Mapping, optional=True) if responses else None
        )
        if error is not None:
            check_content(report, error, f"{where}.Error", optional=True)
    return report.found


def _check_servers(report: Report, root: Mapping) -> None:
    servers = report.child(root, "servers", "", Sequence)
    gateway_names: set[str] = set()
    for index, server in enumerate(servers or []):
        where = f"servers[{index}]"
        if not isinstance(server, Mapping):
            report.error(servers, index, where, f"must be a mapping, not {quote(server)}")
            continue
        report.child(server, "url", where, str)
        report.child(server, "description", where, str, optional=True)
        gateway = report.child(server, "x-top-gateway", where, str)
        if gateway is None:
            continue
        if not _GATEWAY_NAME.fullmatch(gateway):
            msg = f"{quote(gateway)} is not a gateway name (a letter, then letters, digits, - or _)"
            report.error(server, "x-top-gateway", where, msg)
        elif gateway in gateway_names:
            report.error(server, "x-top-gateway", where, f"duplicate gateway name {gateway!r}")
        gateway_names.add(gateway)


def check_openapi_version(report: Report, root: Mapping) -> None:
    """Report an `openapi` version other than 3.1.x."""
    version = report.child(root, "openapi", "", str)
    if version is not None and not version.startswith("3.1."):
        report.error(root, "openapi", "openapi", f"must be 3.1.x, not {version!r}")


def _check_sign_methods(report: Report, root: Mapping) -> None:
    methods = report.child(root, "x-top-sign-methods", "", Sequence)
    known = [m.value for m in SignMethod]
    listed = []
    for index, item in enumerate(methods or []):
        name = item.get("name") if isinstance(item, Mapping) else None
        if not isinstance(name, str) or name not in known:
            msg = f"unknown sign method {quote(name)}; known: {', '.join(known)}"
            report.error(methods, index, "x-top-sign-methods", msg)
        listed.append(name)
    default = report.child(root, "x-top-default-sign-method", "", str)
    if default is not None and default not in listed:
        report.error(root, "x-top-default-sign-method", "", f"{default!r} is not a listed method")


def _check_system_params(report: Report, components: Mapping) -> None:
    params = report.child(components, "parameters", "components", Mapping)
    for name in SYSTEM_PARAMS if params is not None else ():
        param = report.child(params, name, "components.parameters", Mapping)
        if param is None:
            continue
        where = f"components.parameters.{name}"
        if param.get("name") != name:
            report.error(param, "name", where, f"name must be {name!r}")
        report.child(param, "required", where, bool, optional=True)
        report.child(param, "description", where, str, optional=True)
        report.child(param, "x-top-secret", where, bool, optional=True)


def _check_error_schema(report: Report, components: Mapping) -> None:
    schemas: Mapping | None = report.child(components, "schemas", "components", Mapping)
    where = "components.schemas"
    error: Mapping | None = (
        report.child(schemas, "ErrorResponse", where, Mapping) if schemas is not None else None
    )
    if error is None:
        return
    props = report.child(error, "properties", f"{where}.ErrorResponse", Mapping)
    for name in ERROR_FIELDS if props is not None else ():
        report.child(props, name, f"{where}.ErrorResponse.properties", Mapping)


def check_content(
    report: Report, holder: Mapping, where: str, *, optional: bool = False
) -> list[tuple[str, Mapping]]:
    """The media types of holder['content'], each a mapping with well-formed examples."""
    content = report.child(holder, "content", where, Mapping, optional=optional)
    where = f"{where}.content"
    entries = report.entries(content, where)
    for media_type, entry in entries:
        path = f"{where}.{media_type}"
        examples = report.child(entry, "examples", path, Mapping, optional=True)
        for name, example in report.entries(examples, f"{path}.examples"):
            report.child(example, "value", f"{path}.examples.{name}", object)
            report.child(example, "summary", f"{path}.examples.{name}", str, optional=True)
            report.child(
                example, "x-top-derived-from", f"{path}.examples.{name}", str, optional=True
            )
    return entries


class SchemaCheck:
    """Checks the schemas of one document (an API's or a topic's) and its references."""

    def __init__(self, doc: Document, envelope: Document | None) -> None:
        self.doc = doc
        self.envelope = envelope
        self.report = Report(doc)
        self.schemas: Mapping = Mapping()
        self.method = ""

    INFO_EXTRAS: tuple[str, ...] = ()  # optional text keys of `info` beyond the description

    def run(self) -> list[Diagnostic]:
        """Every check of the document: version, info, references, schemas, its operation."""
        root = self.doc.root
        check_openapi_version(self.report, root)
        info = self.report.child(root, "info", "", Mapping)
        if info is not None:
            self.report.child(info, "title", "info", str)
            for key in ("description", *self.INFO_EXTRAS):
                self.report.child(info, key, "info", str, optional=True)
        self._check_refs(root, "")
        components = self.report.child(root, "components", "", Mapping)
        if components is not None:
            self.schemas = (
                self.report.child(components, "schemas", "components", Mapping) or Mapping()
            )
        for name, schema in self.schemas.items():
            self._check_component(name, schema)
        operation = self._operation(root)
        if operation is not None:
            self._check_operation(operation)
        return self.report.found

    def _check_component(self, name: str, schema: Any) -> None:
        self._check_schema(name, schema)

    def _operation(self, root: Mapping) -> Mapping | None:
        raise NotImplementedError

    def _check_operation(self, op: Mapping) -> None:
        raise NotImplementedError

    def _check_schema(self, name: str, schema: Any) -> None:
        where = f"components.schemas.{name}"
        if not names.is_class_name(name):
            self.report.error(self.schemas, name, where, "is not usable as a Python class name")
        if not isinstance(schema, Mapping):
            self.report.error(self.schemas, name, where, f"must be a mapping, not {quote(schema)}")
            return
        if schema.get("type") != "object":
            written = quote(schema["type"]) if "type" in schema else "nothing"
            self.report.error(schema, "type", where, f"must be of type object, not {written}")
        self.report.child(schema, "description", where, str, optional=True)
        self.report.child(schema, "x-top-type", where, str, optional=True)
        props = self.report.child(schema, "properties", where, Mapping, optional=True) or Mapping()
        required = (
            self.report.child(schema, "required", where, Sequence, optional=True) or Sequence()
        )
        for index, wire in enumerate(required):
            if not isinstance(wire, str):
                msg = f"must be a property name, not {quote(wire)}"
                self.report.error(required, index, f"{where}.required", msg)
            elif wire not in props:
                self.report.error(required, index, f"{where}.required", f"no property {wire!r}")
        python_names: dict[str, str] = {}
        for wire in props:
            python = names.field_name(wire)
            if python in python_names:
                other = python_names[python]
                msg = f"{wire!r} and {other!r} both become the Python name {python!r}"
                self.report.error(props, wire, f"{name}.{wire}", msg)
            python_names[python] = wire
            self._check_property(props, wire, f"{name}.{wire}")
            self._check_file_list(props[wire], f"{name}.{wire}")

    def _check_property(self, props: Mapping, wire: str, where: str) -> None:
        prop = props[wire]
        if not isinstance(prop, Mapping):
            self.report.error(props, wire, where, f"must be a mapping, not {quote(prop)}")
            return
        self.report.child(prop, "description", where, str, optional=True)
        examples = self.report.child(prop, "examples", where, Sequence, optional=True)
        top_type = self.report.child(prop, "x-top-type", where, str)
        is_list = prop.get("type") == "array"
        schema = self.report.child(prop, "items", where, Mapping) if is_list else prop
        if top_type is None or schema is None:
            return
        if "$ref" in schema:
            self._check_property_ref(schema, where)
            self._check_limits(prop, None, is_list, where)
            return
        if not _json_schema_type(self.report, schema, where):
            return
        scalar = self._scalar(prop, top_type, is_list, where)
        if scalar is None:
            return
        self._check_limits(prop, scalar, is_list, where)
        if (mismatch := toptypes.schema_mismatch(scalar, schema)) is not None:
            key = "type" if "type" in schema else "x-top-type"
            self.report.error(schema, key, where, f"{mismatch}, not {_written(schema)}")
        for index, example in enumerate(examples or ()):
            values = example if is_list and isinstance(example, list) else [example]
            if not all(toptypes.example_fits(scalar, value) for value in values):
                msg = f"example {example!r} does not fit its TOP type {scalar.value}"
                if isinstance(prop.get("x-top-quirk"), str):  # acknowledged: a note, not a warning
                    self.report.note(examples, index, where, f"{msg} (its x-top-quirk says why)")
                else:
                    self.report.warn(examples, index, where, msg)

    def _check_limits(
        self, prop: Mapping, scalar: Scalar | None, is_list: bool, where: str
    ) -> None:
        """A limit or default that is not a number, on a type it does not bound, or contradicts."""
        items = prop.get("items")
        for key, why in limits.problems(prop, scalar, is_list):
            holder = items if key not in prop and isinstance(items, Mapping) else prop
            self.report.error(holder, key, where, why)

    def _scalar(self, prop: Mapping, top_type: str, is_list: bool, where: str) -> Scalar | None:
        """The scalar a property's x-top-type names; reports one that names none."""
        name = top_type.removesuffix("[]") if is_list else top_type
        if is_list and (not top_type.endswith("[]") or top_type == "byte[]"):
            msg = f"a list needs a X[] type, not {top_type!r}"
        elif (scalar := toptypes.scalar_named(name)) is not None:
            return scalar
        elif name in self.schemas:
            msg = f"{name} is an object: refer to it with $ref: '{SCHEMA_REF}{name}'"
        else:
            msg = _unknown_top_type(top_type, is_list)
        self.report.error(prop, "x-top-type", where, msg)
        return None

    def _check_property_ref(self, schema: Mapping, where: str) -> None:
        ref = schema["$ref"]
        if (
            isinstance(ref, str)
            and ref.startswith(SCHEMA_REF)
            and "/" not in ref[len(SCHEMA_REF) :]
        ):
            return  # _check_refs says whether it names a schema of this document
        msg = f"$ref must name a schema, {SCHEMA_REF}<Name>, not {quote(ref)}"
        self.report.error(schema, "$ref", where, msg)

    def _check_file_list(self, prop: Any, where: str) -> None:
        """TOP sends each file (byte[]) as one multipart part: a list of files has no wire form."""
        file_list = f"{Scalar.BYTES.value}[]"
        is_list = isinstance(prop, Mapping) and prop.get("type") == "array"
        if is_list and prop.get("x-top-type") == file_list:
            msg = (
                f"a list of files ({file_list!r}) cannot be sent: TOP takes each file as one"
                " multipart part, and topapi refuses to send a list of them"
            )
            self.report.warn(prop, "x-top-type", where, msg)

    def _check_refs(self, node: Any, where: str) -> None:
        if isinstance(node, Mapping):
            ref = node.get("$ref")
            if isinstance(ref, str) and self._resolve(ref) is None:
                self.report.error(node, "$ref", where, f"$ref {ref!r} points to nothing")
            for key, value in node.items():
                self._check_refs(value, f"{where}.{key}" if where else key)
        elif isinstance(node, Sequence):
            for index, value in enumerate(node):
                self._check_refs(value, f"{where}[{index}]")

    def _resolve(self, ref: str) -> Any:
        if ref.startswith("#/"):
            target, pointer = self.doc.root, ref[2:]
        elif ref.startswith(ENVELOPE_REF + "/") and self.envelope is not None:
            target, pointer = self.envelope.root, ref[len(ENVELOPE_REF) + 1 :]
        else:
            return None
        for part in pointer.split("/"):
            key = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, Mapping) or key not in target:
                return None
            target = target[key]
        return target


class _ApiCheck(SchemaCheck):
    """Checks one API document."""

    def _operation(self, root: Mapping) -> Mapping | None:
        paths = self.report.child(root, "paths", "", Mapping)
        if paths is None:
            return None
        if list(paths) != [ROUTER_PATH]:
            self.report.error(paths, "", "paths", f"must hold exactly one path, {ROUTER_PATH!r}")
            return None
        item = self.report.child(paths, ROUTER_PATH, "paths", Mapping)
        where = f"paths.{ROUTER_PATH}"
        return self.report.child(item, "post", where, Mapping) if item is not None else None

    def _check_operation(self, op: Mapping) -> None:
        where = f"paths.{ROUTER_PATH}.post"
        self.report.child(op, "summary", where, str, optional=True)
        self.report.child(op, "description", where, str, optional=True)
        self._check_method(op, where)
        session = self.report.child(op, "x-top-session", where, str)
        allowed = [s.value for s in SessionUse]
        if session is not None and session not in allowed:
            msg = f"{quote(session)} is not one of {', '.join(allowed)}"
            self.report.error(op, "x-top-session", f"{where}.x-top-session", msg)
        self._check_code_examples(op, where)
        if not self.method:
            return
        prefix = names.class_prefix(self.method)
        self._check_request(op, where, prefix + "Request")
        self._check_responses(op, where, prefix + "Response")
        if any(d.level is Level.ERROR for d in self.report.found):
            return  # the checks below walk the schemas and need them sound
        self._check_business_result(op, where, prefix + "Response")
        self._warn_unreachable()

    def _check_method(self, op: Mapping, where: str) -> None:
        method = self.report.child(op, "x-top-method", where, str)
        stem = PurePosixPath(self.doc.name).name.removesuffix(".yaml")
        if method is not None and not names.is_method_name(method):
            self.report.error(
                op, "x-top-method", where, f"{quote(method)} is not a TOP method name"
            )
        elif method is not None and method != stem:
            self.report.error(op, "x-top-method", where, f"{method!r} must match the file name")
        else:
            self.method = method or ""

    def _check_code_examples(self, op: Mapping, where: str) -> None:
        key = "x-top-request-examples"
        examples = self.report.child(op, key, where, Mapping, optional=True)
        for language in examples or ():
            self.report.child(examples, language, f"{where}.{key}", str)

    def _check_request(self, op: Mapping, where: str, class_name: str) -> None:
        body = self.report.child(op, "requestBody", where, Mapping, optional=True)
        if body is None:
            return
        where = f"{where}.requestBody"
        entries = dict(check_content(self.report, body, where))
        media = [m for m in FORM_MEDIA_TYPES if m in entries]
        if isinstance(body.get("content"), Mapping) and not media:
            self.report.error(body, "content", where, f"needs one of {', '.join(FORM_MEDIA_TYPES)}")
        for media_type in media:
            self._check_body_schema(
                entries[media_type], f"{where}.content.{media_type}", class_name
            )
        request = self.schemas.get(class_name)
        props = request.get("properties") if isinstance(request, Mapping) else None
        for name in props if isinstance(props, Mapping) else ():
            if name in SYSTEM_PARAMS:
                self.report.error(
                    props, name, f"{class_name}.{name}", "clashes with a TOP system parameter"
                )

    def _check_responses(self, op: Mapping, where: str, class_name: str) -> None:
        responses = self.report.child(op, "responses", where, Mapping)
        if responses is None:
            return
        where = f"{where}.responses"
        ok = self.report.child(responses, "200", where, Mapping)
        if ok is not None:
            entries = check_content(self.report, ok, f"{where}.200")
            for media_type, entry in entries:
                self._check_body_schema(entry, f"{where}.200.content.{media_type}", class_name)
            if ok.get("content") == {}:
                self.report.error(ok, "content", f"{where}.200", "needs a media type")
        default = self.report.child(responses, "default", where, Mapping, optional=True)
        if default is not None:
            check_content(self.report, default, f"{where}.default", optional=True)

    def _check_body_schema(self, entry: Mapping, where: str, class_name: str) -> None:
        schema = self.report.child(entry, "schema", where, Mapping)
        if schema is None:
            return
        ref = schema.get("$ref")
        if ref != SCHEMA_REF + class_name:
            self.report.error(
                schema, "$ref", f"{where}.schema", f"must be {SCHEMA_REF}{class_name}"
            )

    def _check_business_result(self, op: Mapping, where: str, response_class: str) -> None:
        spec = self.report.child(op, "x-top-business-result", where, Mapping, optional=True)
        if spec is None:
            return
        where = f"{where}.x-top-business-result"
        for key in spec:
            if key not in BUSINESS_KEYS:
                self.report.error(
                    spec, key, where, f"unknown key; expected {', '.join(BUSINESS_KEYS)}"
                )
        path = self.report.child(spec, "path", where, str, optional=True)
        named = {
            key: self.report.child(spec, key, where, str, optional=key != "success")
            for key in BUSINESS_KEYS[1:]
        }
        holder = self._walk_fields(response_class, path.split(".") if path else [])
        if holder is None:
            self.report.error(
                spec, "path", where, f"{path!r} is not an object field of the response"
            )
            return
        fields = self.schemas[holder].get("properties") or {}
        for key, value in named.items():
            if value is not None and value not in fields:
                self.report.error(spec, key, where, f"{holder} has no field {value!r}")
        success = named["success"]
        if success in fields and fields[success].get("x-top-type") != "Boolean":
            self.report.error(spec, "success", where, f"{success!r} must be a Boolean field")

    def _walk_fields(self, class_name: str, path: list[str]) -> str | None:
        for name in path:
            props = self.schemas.get(class_name, {}).get("properties") or {}
            prop = props.get(name)
            if prop is None or "$ref" not in prop:
                return None
            class_name = property_class(prop) or ""
        return class_name if class_name in self.schemas else None

    def _warn_unreachable(self) -> None:
        prefix = names.class_prefix(self.method)
        roots = [prefix + "Request", prefix + "Response"]
        seen = set()
        while roots:
            name = roots.pop()
            if name in seen or not isinstance(self.schemas.get(name), Mapping):
                continue
            seen.add(name)
            for prop in (self.schemas[name].get("properties") or {}).values():
                if (class_name := property_class(prop)) is not None:
                    roots.append(class_name)
        for name in self.schemas:
            if name not in seen:
                self.report.warn(self.schemas, name, f"components.schemas.{name}", "is never used")


def property_class(prop: Mapping) -> str | None:
    """The schema a checked property holds (itself or as list items), or None for a scalar."""
    schema = prop["items"] if prop.get("type") == "array" else prop
    ref = schema.get("$ref")
    return ref.removeprefix(SCHEMA_REF) if isinstance(ref, str) else None


def _json_schema_type(report: Report, schema: Mapping, where: str) -> bool:
    """Whether the schema's `type`, if any, is one JSON Schema knows; reports it when not."""
    written = schema.get("type")
    if "type" not in schema or (isinstance(written, str) and written in JSON_SCHEMA_TYPES):
        return True
    known = ", ".join(JSON_SCHEMA_TYPES)
    report.error(schema, "type", where, f"type {quote(written)} is not one of {known}")
    return False


def _written(schema: Mapping) -> str:
    """How a schema writes its type: {type: 'strnig', format: 'int64'}."""
    keys = [key for key in ("type", "format", "contentMediaType") if key in schema]
    return "{" + ", ".join(f"{key}: {quote(schema[key])}" for key in keys) + "}"


def _unknown_top_type(top_type: str, is_list: bool) -> str:
    """The message for an x-top-type that names no TOP type: the nearest one, and all of them."""
    known = [scalar.value + ("[]" if is_list else "") for scalar in Scalar]
    message = f"unknown TOP type {top_type!r}"
    nearest = difflib.get_close_matches(top_type, known, n=1)
    if nearest:
        message += f" (did you mean {nearest[0]!r}?)"
    return f"{message}; the TOP types are {', '.join(known)}, or an object's $ref"
