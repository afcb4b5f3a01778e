"""Render, models: an API's structures as pydantic v2 models, by datamodel-code-generator.

datamodel-code-generator costs about a millisecond per field, and the TOP catalog has some
85,000 fields in a few dozen shapes (TOP type, list or not, required, aliased, described). So
each shape is generated once per process, with placeholder names, and a field of that shape is
that code with its own names put in (`generate_models`). `generate_models_in_one_call` gives
the same code the slow way; `tests/test_datamodels.py` holds the two equal.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from datamodel_code_generator import InputFileType, PythonVersion, generate
from datamodel_code_generator.enums import DataModelType
from datamodel_code_generator.format import DatetimeClassType

from ..diagnostics import Diagnostic, Level, SpecError
from ..spec.model import Api, Field, ObjectType, Scalar, TopType
from ..spec.toptypes import TOP_TYPES
from .limits import with_limits
from .modelcode import LayoutError, class_code, statement_code
from .order import dependency_order, forward_referencing

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
    """The generated code of one API: imports, nested classes, request and response fields."""

    imports: tuple[str, ...]
    body: str
    request_fields: tuple[str, ...] = ()
    response_fields: tuple[str, ...] = ()


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
    """Pydantic models for `api.types`, and the API's own fields, from each field shape's code."""
    bases = _bases(api)
    imports = {"from __future__ import annotations", *_base_imports(api)}
    classes = []
    for object_type in dependency_order(api.types):
        base = bases[object_type.class_name]
        body, needed = _class_body(object_type, sent=base == REQUEST_BASE)
        imports.update(needed)
        classes.append(_class_node(object_type, base, body))
    own = []
    for fields, sent in zip(_own_fields(api), (True, False), strict=True):
        statements, needed = _field_statements(fields, sent=sent)
        imports.update(needed)
        own.append(statements)
    return _models_code(api, sorted(imports), classes, own)


def generate_models_in_one_call(api: Api) -> ModelsCode:
    """The same code as `generate_models`, from one datamodel-code-generator run per API.

    A second run without postponed annotations gives datamodel-code-generator's own
    definition order (dependencies first), which the classes are put in.
    """
    request, response = _own_types(api)
    types = (*api.types, request, response)
    bases = {**_bases(api), request.class_name: REQUEST_BASE, response.class_name: RESPONSE_BASE}
    tree = ast.parse(_run(api.method, types, bases))
    imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    expected = {t.class_name for t in types}
    rebuilds = [node for node in tree.body if _is_rebuild(node)]
    if set(classes) != expected or len(classes) + len(imports) + len(rebuilds) != len(tree.body):
        detail = f"expected classes {sorted(expected)}, got {sorted(classes)}"
        raise _failure(api, f"datamodel-code-generator renamed or added definitions: {detail}")
    own = [list(classes.pop(t.class_name).body) for t in (request, response)]
    own = [[s for s in body if not isinstance(s, ast.Pass)] for body in own]
    sent = [(own[0], request)] + [
        (classes[t.class_name].body, t) for t in api.types if bases[t.class_name] == REQUEST_BASE
    ]
    limits_imports = _limits_in_place(sent)
    order = _definition_order(api, types, bases) if len(classes) > 1 else list(classes)
    ordered = [classes[name] for name in order if name in classes]
    statements = [ast.unparse(node) for node in imports]
    # The request and response stand-ins import a base the module's classes may not use.
    statements = [s for s in statements if MODEL_BASES not in s] + _base_imports(api)
    statements += sorted(limits_imports - set(statements))
    return _models_code(api, statements, ordered, own)


def _limits_in_place(sent: list[tuple[list[ast.stmt], ObjectType]]) -> set[str]:
    """The limits and defaults of sent classes put into their statements; the imports needed."""
    imports: set[str] = set()
    for body, object_type in sent:
        fields = {f.python_name: f for f in object_type.fields}
        for statement in body:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                imports |= with_limits(statement, fields[statement.target.id])
    return imports


def _definition_order(api: Api, types: tuple[ObjectType, ...], bases: dict[str, str]) -> list[str]:
    tree = ast.parse(_run(api.method, types, bases, postponed=False))
    return [node.name for node in tree.body if isinstance(node, ast.ClassDef)]


def _is_rebuild(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and ast.unparse(node).endswith(".model_rebuild()")


def _own_types(api: Api) -> tuple[ObjectType, ObjectType]:
    """The request and the response as classes: every response field may be missing."""
    request_fields, response_fields = _own_fields(api)
    return (
        ObjectType(api.request_class, api.method, "", request_fields),
        ObjectType(api.response_class, api.method, "", response_fields),
    )


def _own_fields(api: Api) -> tuple[tuple[Field, ...], tuple[Field, ...]]:
    """The request's fields, and the response's, none of them required (TOP omits empty ones)."""
    return api.params, tuple(replace(f, required=False) for f in api.response_fields)


def field_code(field: Field) -> str:
    """One field of any generated class, as datamodel-code-generator writes its shape, laid out."""
    return statement_code(_field_statement(field, _shape_code(shape_of(field))))


def fields_code(fields: tuple[Field, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Some received fields (no limits), each laid out as one statement, and their imports."""
    statements, imports = _field_statements(fields, sent=False)
    return tuple(statement_code(s) for s in statements), tuple(sorted(imports))


def same_models(first: ModelsCode, second: ModelsCode) -> bool:
    """Whether two ways of generating gave the same code and import the same names."""
    return (
        first.body == second.body
        and first.request_fields == second.request_fields
        and first.response_fields == second.response_fields
        and _imported(first) == _imported(second)
    )


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


def _class_body(object_type: ObjectType, *, sent: bool) -> tuple[list[ast.stmt], set[str]]:
    """The statements of a model class and the imports they need."""
    if not object_type.fields:
        empty = _shape_code(None)
        return list(empty.statements), set(empty.imports)
    return _field_statements(object_type.fields, sent=sent)


def _field_statements(fields: tuple[Field, ...], *, sent: bool) -> tuple[list[ast.stmt], set[str]]:
    """The statements of some fields and the imports they need; `sent` ones get their limits."""
    statements: list[ast.stmt] = []
    imports: set[str] = set()
    for field in fields:
        shape = _shape_code(shape_of(field))
        statement = _field_statement(field, shape)
        if sent and isinstance(statement, ast.AnnAssign):
            imports |= with_limits(statement, field)
        statements.append(statement)
        imports.update(shape.imports)
    return statements, imports


def _field_statement(field: Field, shape: _ShapeCode) -> ast.stmt:
    """The shape's statement with the field's own names and description put in."""
    (statement,) = (_copied(node) for node in shape.statements)
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


def _copied(node: Any) -> Any:
    """A copy of a syntax tree's nodes, without their source positions (which nothing here reads):
    several times cheaper than `copy.deepcopy`, which made a third of the cost of rendering."""
    if isinstance(node, ast.AST):
        fields = {
            name: _copied(getattr(node, name)) for name in node._fields if hasattr(node, name)
        }
        return type(node)(**fields)
    if isinstance(node, list):
        return [_copied(item) for item in node]
    return node


def _class_node(object_type: ObjectType, base: str, body: list[ast.stmt]) -> ast.ClassDef:
    if object_type.description:
        body = [ast.Expr(ast.Constant(object_type.description)), *body]
    base_name = ast.Name(base.rsplit(".", 1)[1])
    return ast.ClassDef(object_type.class_name, [base_name], [], body, [])


def _models_code(
    api: Api, imports: list[str], classes: list[ast.ClassDef], own: list[list[ast.stmt]]
) -> ModelsCode:
    ordered = tuple(_object_type(api, node.name) for node in classes)
    rebuilds = [f"{name}.model_rebuild()" for name in forward_referencing(ordered)]
    request, response = own
    try:
        body = "\n\n\n".join([*(class_code(node) for node in classes), "\n".join(rebuilds)])
        request_fields = tuple(statement_code(s) for s in request)
        response_fields = tuple(statement_code(s) for s in response)
    except LayoutError as exc:
        message = f"datamodel-code-generator wrote {exc}, which topgen cannot lay out"
        raise _failure(api, message) from None
    return ModelsCode(tuple(imports), body.rstrip("\n"), request_fields, response_fields)


def _object_type(api: Api, class_name: str) -> ObjectType:
    return next(t for t in api.types if t.class_name == class_name)


def _run(
    title: str, types: tuple[ObjectType, ...], bases: dict[str, str], *, postponed: bool = True
) -> str:
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
            disable_future_imports=not postponed,
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
        scalar_type = TOP_TYPES[top_type.scalar]
        item: dict[str, Any] = {**scalar_type.schema, "x-python-type": scalar_type.python}
    else:
        item = {"$ref": f"#/components/schemas/{top_type.class_name}"}
    schema = {"type": "array", "items": item} if top_type.is_list else item
    if field.description:
        schema = {**schema, "description": field.description}
    return schema


def _base_imports(api: Api) -> list[str]:
    bases = sorted(set(_bases(api).values()))
    return [f"from {MODEL_BASES} import {base.rsplit('.', 1)[1]}" for base in bases]


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
