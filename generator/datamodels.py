"""Render, models: an API's structures as pydantic v2 models, by datamodel-code-generator."""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass
from typing import Any

from datamodel_code_generator import InputFileType, PythonVersion, generate
from datamodel_code_generator.enums import DataModelType
from datamodel_code_generator.format import DatetimeClassType

from . import toptypes
from .diagnostics import Diagnostic, Level, SpecError
from .model import Api, Field, ObjectType

MODEL_BASES = "topapi._model"
REQUEST_BASE = f"{MODEL_BASES}.RequestModel"
RESPONSE_BASE = f"{MODEL_BASES}.ResponseModel"


@dataclass(frozen=True)
class ModelsCode:
    """The generated models of one API: the imports they need and the class definitions."""

    imports: tuple[str, ...]
    body: str


def generate_models(api: Api) -> ModelsCode:
    """Pydantic models for `api.types`, named exactly as the model names them."""
    if not api.types:
        return ModelsCode(imports=(), body="")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = generate(
            _openapi_document(api),
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
            base_class_map=_bases(api),
            aliases=_aliases(api.types),
        )
    if not isinstance(source, str):
        raise _failure(api, "datamodel-code-generator returned no single module")
    return _split(api, source)


def _openapi_document(api: Api) -> dict[str, Any]:
    schemas = {t.class_name: _object_schema(t) for t in api.types}
    return {
        "openapi": "3.1.0",
        "info": {"title": api.method, "version": "2.0"},
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


def _bases(api: Api) -> dict[str, str | list[str]]:
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


def _split(api: Api, source: str) -> ModelsCode:
    """Separate the imports from the classes, and check the classes are the expected ones."""
    tree = ast.parse(source)
    imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    expected = {t.class_name for t in api.types}
    produced = {node.name for node in classes}
    if produced != expected or len(classes) + len(imports) != len(tree.body):
        detail = f"expected classes {sorted(expected)}, got {sorted(produced)}"
        raise _failure(api, f"datamodel-code-generator renamed or added definitions: {detail}")
    lines = source.splitlines()
    body = "\n".join(lines[classes[0].lineno - 1 :]) if classes else ""
    return ModelsCode(imports=tuple(ast.unparse(node) for node in imports), body=body)


def _failure(api: Api, message: str) -> SpecError:
    return SpecError([Diagnostic(Level.ERROR, api.spec_file, None, "components.schemas", message)])
