"""Stage 2, validate: check loaded specs against what topgen can generate from."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from ..diagnostics import Diagnostic, Level
from . import names, toptypes
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


class _Report:
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
            self.error(node, key, path, f"must be a {_KIND_NAMES.get(kind, kind.__name__)}")
            return None
        return value


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
    report = _Report(doc)
    root = doc.root
    _check_openapi_version(report, root)
    servers = report.child(root, "servers", "", Sequence)
    gateway_names: set[str] = set()
    for index, server in enumerate(servers or []):
        where = f"servers[{index}]"
        if not isinstance(server, Mapping):
            report.error(servers, index, where, "must be a mapping")
            continue
        report.child(server, "url", where, str)
        gateway = report.child(server, "x-top-gateway", where, str)
        if gateway in gateway_names:
            report.error(server, "x-top-gateway", where, f"duplicate gateway name {gateway!r}")
        gateway_names.add(gateway)
    _check_sign_methods(report, root)
    components = report.child(root, "components", "", Mapping)
    if components is not None:
        _check_system_params(report, components)
        _check_error_schema(report, components)
    return report.found


def _check_openapi_version(report: _Report, root: Mapping) -> None:
    version = report.child(root, "openapi", "", str)
    if version is not None and not version.startswith("3.1."):
        report.error(root, "openapi", "openapi", f"must be 3.1.x, not {version!r}")


def _check_sign_methods(report: _Report, root: Mapping) -> None:
    methods = report.child(root, "x-top-sign-methods", "", Sequence)
    known = {m.value for m in SignMethod}
    listed = []
    for index, item in enumerate(methods or []):
        name = item.get("name") if isinstance(item, Mapping) else None
        if name not in known:
            report.error(methods, index, "x-top-sign-methods", f"unknown sign method {name!r}")
        listed.append(name)
    default = report.child(root, "x-top-default-sign-method", "", str)
    if default is not None and default not in listed:
        report.error(root, "x-top-default-sign-method", "", f"{default!r} is not a listed method")


def _check_system_params(report: _Report, components: Mapping) -> None:
    params = report.child(components, "parameters", "components", Mapping)
    for name in SYSTEM_PARAMS if params is not None else ():
        param = report.child(params, name, "components.parameters", Mapping)
        if param is not None and param.get("name") != name:
            report.error(param, "name", f"components.parameters.{name}", f"name must be {name!r}")


def _check_error_schema(report: _Report, components: Mapping) -> None:
    schemas: Mapping | None = report.child(components, "schemas", "components", Mapping)
    where = "components.schemas"
    error: Mapping | None = (
        report.child(schemas, "ErrorResponse", where, Mapping) if schemas else None
    )
    if error is None:
        return
    props = report.child(error, "properties", f"{where}.ErrorResponse", Mapping)
    for name in ERROR_FIELDS if props is not None else ():
        report.child(props, name, f"{where}.ErrorResponse.properties", Mapping)


class _ApiCheck:
    """Checks one API document."""

    def __init__(self, doc: Document, envelope: Document) -> None:
        self.doc = doc
        self.envelope = envelope
        self.report = _Report(doc)
        self.schemas: Mapping = Mapping()
        self.method = ""

    def run(self) -> list[Diagnostic]:
        root = self.doc.root
        _check_openapi_version(self.report, root)
        info = self.report.child(root, "info", "", Mapping)
        if info is not None:
            self.report.child(info, "title", "info", str)
        self._check_refs(root, "")
        components = self.report.child(root, "components", "", Mapping)
        if components is not None:
            self.schemas = (
                self.report.child(components, "schemas", "components", Mapping) or Mapping()
            )
        for name, schema in self.schemas.items():
            self._check_schema(name, schema)
        operation = self._operation(root)
        if operation is not None:
            self._check_operation(operation)
        return self.report.found

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
        method = self.report.child(op, "x-top-method", where, str)
        stem = PurePosixPath(self.doc.name).name.removesuffix(".yaml")
        if method is not None and not names.is_method_name(method):
            self.report.error(op, "x-top-method", where, f"{method!r} is not a TOP method name")
        elif method is not None and method != stem:
            self.report.error(op, "x-top-method", where, f"{method!r} must match the file name")
        else:
            self.method = method or ""
        session = self.report.child(op, "x-top-session", where, str)
        if session is not None and session not in {s.value for s in SessionUse}:
            allowed = ", ".join(s.value for s in SessionUse)
            self.report.error(op, "x-top-session", where, f"must be one of {allowed}")
        if not self.method:
            return
        prefix = names.class_prefix(self.method)
        self._check_request(op, where, prefix + "Request")
        self._check_responses(op, where, prefix + "Response")
        if any(d.level is Level.ERROR for d in self.report.found):
            return  # the checks below walk the schemas and need them sound
        self._check_business_result(op, where, prefix + "Response")
        self._warn_unreachable()

    def _check_request(self, op: Mapping, where: str, class_name: str) -> None:
        body = self.report.child(op, "requestBody", where, Mapping, optional=True)
        if body is None:
            return
        where = f"{where}.requestBody"
        content = self.report.child(body, "content", where, Mapping)
        media = [m for m in FORM_MEDIA_TYPES if content is not None and m in content]
        if content is not None and not media:
            self.report.error(body, "content", where, f"needs one of {', '.join(FORM_MEDIA_TYPES)}")
        for media_type in media:
            entry = self.report.child(content, media_type, f"{where}.content", Mapping)
            if entry is not None:
                self._check_body_schema(entry, f"{where}.content.{media_type}", class_name)
        request = self.schemas.get(class_name)
        props = request.get("properties") if isinstance(request, Mapping) else None
        for name in props or ():
            if name in SYSTEM_PARAMS:
                self.report.error(
                    props, name, f"{class_name}.{name}", "clashes with a TOP system parameter"
                )

    def _check_responses(self, op: Mapping, where: str, class_name: str) -> None:
        responses = self.report.child(op, "responses", where, Mapping)
        ok = (
            self.report.child(responses, "200", f"{where}.responses", Mapping)
            if responses
            else None
        )
        content = (
            self.report.child(ok, "content", f"{where}.responses.200", Mapping) if ok else None
        )
        for media_type, entry in (content or Mapping()).items():
            path = f"{where}.responses.200.content.{media_type}"
            if isinstance(entry, Mapping):
                self._check_body_schema(entry, path, class_name)
        if content is not None and not content:
            self.report.error(ok, "content", f"{where}.responses.200", "needs a media type")

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
        holder = self._walk_fields(response_class, path.split(".") if path else [])
        if holder is None:
            self.report.error(
                spec, "path", where, f"{path!r} is not an object field of the response"
            )
            return
        fields = self.schemas[holder].get("properties") or {}
        success = self.report.child(spec, "success", where, str)
        for key in ("success", "error-code", "error-message"):
            value = spec.get(key)
            if value is not None and value not in fields:
                self.report.error(spec, key, where, f"{holder} has no field {value!r}")
        if success is not None and fields.get(success, {}).get("x-top-type") != "Boolean":
            self.report.error(spec, "success", where, f"{success!r} must be a Boolean field")

    def _walk_fields(self, class_name: str, path: list[str]) -> str | None:
        for name in path:
            props = self.schemas.get(class_name, {}).get("properties") or {}
            ref = props.get(name, {}).get("$ref", "")
            if not ref.startswith(SCHEMA_REF):
                return None
            class_name = ref.removeprefix(SCHEMA_REF)
        return class_name if class_name in self.schemas else None

    def _check_schema(self, name: str, schema: Any) -> None:
        where = f"components.schemas.{name}"
        if not names.is_class_name(name):
            self.report.error(self.schemas, name, where, "is not usable as a Python class name")
        if not isinstance(schema, Mapping):
            self.report.error(self.schemas, name, where, "must be a mapping")
            return
        if schema.get("type") != "object":
            self.report.error(schema, "type", where, "must be of type object")
        props = self.report.child(schema, "properties", where, Mapping, optional=True) or Mapping()
        required = (
            self.report.child(schema, "required", where, Sequence, optional=True) or Sequence()
        )
        for index, wire in enumerate(required):
            if wire not in props:
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
            self.report.error(props, wire, where, "must be a mapping")
            return
        self.report.child(prop, "description", where, str, optional=True)
        top_type = self.report.child(prop, "x-top-type", where, str)
        if top_type is None:
            return
        if "$ref" in prop:
            return
        schema, scalar_name = prop, top_type
        if prop.get("type") == "array":
            schema = self.report.child(prop, "items", where, Mapping) or Mapping()
            if "$ref" in schema:
                return
            if not top_type.endswith("[]") or top_type == "byte[]":
                self.report.error(
                    prop, "x-top-type", where, f"a list needs a X[] type, not {top_type!r}"
                )
                return
            scalar_name = top_type.removesuffix("[]")
        scalar = toptypes.scalar_named(scalar_name)
        if scalar is None:
            self.report.error(prop, "x-top-type", where, f"unknown TOP type {top_type!r}")
            return
        if (mismatch := toptypes.schema_mismatch(scalar, schema)) is not None:
            self.report.error(prop, "x-top-type", where, mismatch)
        examples = prop.get("examples")
        for index, example in enumerate(examples if isinstance(examples, Sequence) else []):
            values = example if schema is not prop and isinstance(example, list) else [example]
            if not all(toptypes.example_fits(scalar, value) for value in values):
                msg = f"example {example!r} does not fit its TOP type {scalar.value}"
                if isinstance(prop.get("x-top-quirk"), str):  # acknowledged: a note, not a warning
                    self.report.note(examples, index, where, f"{msg} (its x-top-quirk says why)")
                else:
                    self.report.warn(examples, index, where, msg)

    def _check_file_list(self, prop: Any, where: str) -> None:
        """TOP sends each file (byte[]) as one multipart part: a list of files has no wire form."""
        file_list = f"{Scalar.BYTES.value}[]"
        is_list = isinstance(prop, Mapping) and prop.get("type") == "array"
        if is_list and prop.get("x-top-type") == file_list:
            msg = f"no list of files ({file_list!r}): TOP sends each file as one multipart part"
            self.report.error(prop, "x-top-type", where, msg)

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
        elif ref.startswith(ENVELOPE_REF + "/"):
            target, pointer = self.envelope.root, ref[len(ENVELOPE_REF) + 1 :]
        else:
            return None
        for part in pointer.split("/"):
            key = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, Mapping) or key not in target:
                return None
            target = target[key]
        return target

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
                ref = prop.get("$ref") or (prop.get("items") or {}).get("$ref") or ""
                if ref.startswith(SCHEMA_REF):
                    roots.append(ref.removeprefix(SCHEMA_REF))
        for name in self.schemas:
            if name not in seen:
                self.report.warn(self.schemas, name, f"components.schemas.{name}", "is never used")
