"""Render, models: an API's structures as pydantic v2 models, by datamodel-code-generator.

datamodel-code-generator costs about a millisecond per field, and the TOP catalog has some
85,000 fields in a few dozen shapes (TOP type, list or not, required, aliased, described). So
each shape is generated once per process, with placeholder names, and a field of that shape is
that code with its own names put in (`generate_models`). `generate_models_in_one_call` gives
the same code the slow way; `tests/test_datamodels.py` holds the two equal.
"""

from __future__ import annotations

import ast
import copy
import warnings
from dataclasses import dataclass
from functools import cache
from typing import Any

from datamodel_code_generator import InputFileType, PythonVersion, generate
from datamodel_code_generator.enums import DataModelType
from datamodel_code_generator.format import DatetimeClassType

from ..diagnostics import Diagnostic, Level, SpecError
from ..spec import toptypes
from ..spec.model import Api, Field, ObjectType, Scalar, TopType
from .modelcode import LayoutError, class_code

MODEL_BASES = "topapi._model"
REQUEST_BASE = f"{MODEL_BASES}.RequestModel"
RESPONSE_BASE = f"{MODEL_BASES}.ResponseModel"

# Placeholders of the one-field classes that teach us each field shape.
_PROBE = "TopgenShapeProbe"
_PROBE_TARGET = "TopgenShapeTarget"
_PROBE_WIRE = "topgen-shape-wire"
_PROBE_NAME = "topgen_shape_name"
_PROBE_TEXT = "topgen shape description"


@dataclass(frozen=True)
class ModelsCode:
    """The generated models of one API: the imports they need and the class definitions."""

    imports: tuple[str, ...]
    body: str


@dataclass(frozen=True)
class FieldShape:
    """What datamodel-code-generator's code for a field depends on, names and texts aside."""

    scalar: Scalar | None
    is_list: bool
    required: bool
    aliased: bool
    described: bool


@dataclass(frozen=True)
class _ShapeCode:
    statements: tuple[ast.stmt, ...]
    imports: tuple[str, ...]


def generate_models(api: Api) -> ModelsCode:
    """Pydantic models for `api.types`, assembled from the code of each field shape."""
    if not api.types:
        return ModelsCode(imports=(), body="")
    bases = _bases(api)
    imports = {f"from {MODEL_BASES} import {base.rsplit('.', 1)[1]}" for base in bases.values()}
    classes = []
    for object_type in sorted(api.types, key=lambda t: t.class_name):
        body, needed = _class_body(object_type)
        imports.update(needed)
        classes.append(_class_node(object_type, bases[object_type.class_name], body))
    return _models_code(api, sorted(imports), classes)


def generate_models_in_one_call(api: Api) -> ModelsCode:
    """The same models as `generate_models`, from one datamodel-code-generator run per API."""
    if not api.types:
        return ModelsCode(imports=(), body="")
    tree = ast.parse(_run(api.method, api.types, _bases(api)))
    imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    expected = {t.class_name for t in api.types}
    produced = {node.name for node in classes}
    if produced != expected or len(classes) + len(imports) != len(tree.body):
        detail = f"expected classes {sorted(expected)}, got {sorted(produced)}"
        raise _failure(api, f"datamodel-code-generator renamed or added definitions: {detail}")
    return _models_code(api, [ast.unparse(node) for node in imports], classes)


def same_models(first: ModelsCode, second: ModelsCode) -> bool:
    """Whether two ways of generating gave the same classes and import the same names."""
    return first.body == second.body and _imported(first) == _imported(second)


def _imported(models: ModelsCode) -> set[tuple[str, str]]:
    return {
        (getattr(node, "module", None) or "", f"{alias.name} {alias.asname}")
        for statement in models.imports
        for node in ast.parse(statement).body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }


def shape_of(field: Field) -> FieldShape:
    """The shape of a field."""
    return FieldShape(
        scalar=field.top_type.scalar,
        is_list=field.top_type.is_list,
        required=field.required,
        aliased=field.python_name != field.wire_name,
        described=bool(field.description),
    )


@cache
def _shape_code(shape: FieldShape | None) -> _ShapeCode:
    """datamodel-code-generator's code for a one-field class of `shape` (None: no field)."""
    fields: tuple[Field, ...] = ()
    if shape is not None:
        target = None if shape.scalar else _PROBE_TARGET
        top_type = TopType(shape.scalar, target, shape.is_list)
        wire_name = _PROBE_WIRE if shape.aliased else _PROBE_NAME
        description = _PROBE_TEXT if shape.described else ""
        fields = (Field(wire_name, top_type, shape.required, description),)
    types = (
        ObjectType(_PROBE_TARGET, _PROBE_TARGET, "", ()),
        ObjectType(_PROBE, _PROBE, "", fields),
    )
    tree = ast.parse(_run(_PROBE, types, dict.fromkeys((_PROBE, _PROBE_TARGET), REQUEST_BASE)))
    probe = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == _PROBE)
    imports = (ast.unparse(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom))
    return _ShapeCode(tuple(probe.body), tuple(i for i in imports if MODEL_BASES not in i))


def _class_body(object_type: ObjectType) -> tuple[list[ast.stmt], set[str]]:
    """The statements of a model class and the imports they need."""
    if not object_type.fields:
        empty = _shape_code(None)
        return list(empty.statements), set(empty.imports)
    statements: list[ast.stmt] = []
    imports: set[str] = set()
    for field in object_type.fields:
        shape = _shape_code(shape_of(field))
        statements.append(_field_statement(field, shape))
        imports.update(shape.imports)
    return statements, imports


def _field_statement(field: Field, shape: _ShapeCode) -> ast.stmt:
    """The shape's statement with the field's own names and description put in."""
    (statement,) = copy.deepcopy(shape.statements)
    if not (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)):
        raise RuntimeError(f"datamodel-code-generator wrote a field as {ast.unparse(statement)}")
    statement.target.id = field.python_name
    replacements: dict[str, str] = {_PROBE_WIRE: field.wire_name, _PROBE_TEXT: field.description}
    for node in ast.walk(statement.annotation):
        if isinstance(node, ast.Name) and node.id == _PROBE_TARGET:
            node.id = str(field.top_type.class_name)
        elif isinstance(node, ast.Constant) and node.value in replacements:
            node.value = replacements[node.value]
    return statement


def _class_node(object_type: ObjectType, base: str, body: list[ast.stmt]) -> ast.ClassDef:
    if object_type.description:
        body = [ast.Expr(ast.Constant(object_type.description)), *body]
    base_name = ast.Name(base.rsplit(".", 1)[1])
    return ast.ClassDef(object_type.class_name, [base_name], [], body, [])


def _models_code(api: Api, imports: list[str], classes: list[ast.ClassDef]) -> ModelsCode:
    try:
        body = "\n\n\n".join(class_code(node) for node in classes)
    except LayoutError as exc:
        message = f"datamodel-code-generator wrote {exc}, which topgen cannot lay out"
        raise _failure(api, message) from None
    return ModelsCode(imports=tuple(imports), body=body)


def _run(title: str, types: tuple[ObjectType, ...], bases: dict[str, str]) -> str:
    """datamodel-code-generator's module for `types`, unformatted."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = generate(
            _openapi_document(title, types),
            input_file_type=InputFileType.OpenAPI,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            use_annotated=True,
            field_constraints=True,
            disable_timestamp=True,
            formatters=[],
            use_schema_description=True,
            keep_model_order=True,
            use_standard_collections=True,
            use_union_operator=True,
            output_datetime_class=DatetimeClassType.Datetime,
            base_class_map=dict(bases),
            aliases=_aliases(types),
        )
    if not isinstance(source, str):
        raise RuntimeError(f"{title}: datamodel-code-generator returned no single module")
    return source


def _openapi_document(title: str, types: tuple[ObjectType, ...]) -> dict[str, Any]:
    schemas = {t.class_name: _object_schema(t) for t in types}
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "2.0"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def _object_schema(object_type: ObjectType) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {f.wire_name: _field_schema(f) for f in object_type.fields},
    }
    if object_type.description:
        schema["description"] = object_type.description
    required = [f.wire_name for f in object_type.fields if f.required]
    if required:
        schema["required"] = required
    return schema


def _field_schema(field: Field) -> dict[str, Any]:
    top_type = field.top_type
    if top_type.scalar is not None:
        item: dict[str, Any] = dict(toptypes.SCHEMAS[top_type.scalar])
    else:
        item = {"$ref": f"#/components/schemas/{top_type.class_name}"}
    schema = {"type": "array", "items": item} if top_type.is_list else item
    if field.description:
        schema = {**schema, "description": field.description}
    return schema


def _bases(api: Api) -> dict[str, str]:
    """RequestModel for what is only sent, ResponseModel (tolerant) for anything received."""
    by_name = {t.class_name: t for t in api.types}
    received = _closure(api.response_fields, by_name)
    return {name: RESPONSE_BASE if name in received else REQUEST_BASE for name in by_name}


def _closure(fields: tuple[Field, ...], by_name: dict[str, ObjectType]) -> set[str]:
    seen: set[str] = set()
    todo = [f.top_type.class_name for f in fields if f.top_type.class_name]
    while todo:
        name = todo.pop()
        if name is None or name in seen:
            continue
        seen.add(name)
        todo.extend(f.top_type.class_name for f in by_name[name].fields if f.top_type.class_name)
    return seen


def _aliases(types: tuple[ObjectType, ...]) -> dict[str, str]:
    return {
        f"{t.class_name}.{f.wire_name}": f.python_name
        for t in types
        for f in t.fields
        if f.python_name != f.wire_name
    }


def _failure(api: Api, message: str) -> SpecError:
    return SpecError([Diagnostic(Level.ERROR, api.spec_file, None, "components.schemas", message)])
