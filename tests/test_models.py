"""Generated models are complete right after import: fields, descriptions, signatures."""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from pathlib import Path

from topgen.codegen.render import render_api
from topgen.pipeline import check_specs
from topgen.spec.model import Api, Field, ObjectType, Scalar, TopType

from .conftest import GENERATED, SPECS, run_python

COMPLETENESS = """
import importlib, inspect, json, sys, typing
from pydantic import BaseModel

def resolved(annotation):
    if isinstance(annotation, (str, typing.ForwardRef)):
        return False
    return all(resolved(arg) for arg in typing.get_args(annotation) if arg is not ...)

expected = json.load(open(sys.argv[1], encoding="utf-8"))
problems = []
for module_name, classes in expected.items():
    module = importlib.import_module("topapi.apis." + module_name)
    for class_name, descriptions in classes.items():
        model = getattr(module, class_name)
        where = module_name + "." + class_name
        if model.__pydantic_complete__:
            problems.append(where + ": built at import")
        fields = model.model_fields
        if sorted(fields) != sorted(descriptions):
            problems.append(where + ": fields " + repr(sorted(fields)))
            continue
        for name, field in fields.items():
            if not resolved(field.annotation):
                problems.append(where + "." + name + ": " + repr(field.annotation))
            if (field.description or "") != descriptions[name]:
                problems.append(where + "." + name + ": description " + repr(field.description))
        parameters = inspect.signature(model).parameters
        named = [p for p in parameters.values() if p.kind is p.KEYWORD_ONLY]
        if len(named) != len(fields):
            problems.append(where + ": signature " + str(inspect.signature(model)))
print(json.dumps(problems))
"""


def expected_fields(specs: Path) -> dict[str, dict[str, dict[str, str]]]:
    """module -> class -> field -> description, for every class of every API of `specs`."""
    project, _ = check_specs(specs)
    expected: dict[str, dict[str, dict[str, str]]] = {}
    for api in project.apis:
        classes = {t.class_name: t.fields for t in api.types}
        classes[api.request_class] = api.params
        response = {f.python_name: f.description for f in api.response_fields}
        expected[api.module_name] = {
            name: {f.python_name: f.description for f in fields} for name, fields in classes.items()
        }
        expected[api.module_name][api.response_class] = {"request_id": "", **response}
    return expected


def incomplete_models(specs: Path, generated: Path, scratch: Path) -> list[str]:
    """What a fresh interpreter finds incomplete in the models of `generated` after import."""
    data = scratch / "expected-fields.json"
    data.write_text(json.dumps(expected_fields(specs), ensure_ascii=False), encoding="utf-8")
    run = run_python(COMPLETENESS.replace("sys.argv[1]", repr(str(data))), generated)
    assert run.returncode == 0, run.stderr[-3000:]
    problems: list[str] = json.loads(run.stdout)
    return problems


def test_every_model_is_complete_right_after_import(tmp_path: Path) -> None:
    """Resolved annotations, descriptions and a signature with every field; nothing built."""
    assert incomplete_models(SPECS, GENERATED, tmp_path) == []


def _field(name: str, scalar: Scalar | None, class_name: str | None = None, **kw: bool) -> Field:
    top_type = TopType(scalar, class_name, kw.get("is_list", False))
    return Field(name, top_type, kw.get("required", False), f"{name} 说明")


def _tricky_api() -> Api:
    """Classes named like imported types, a cycle, a self-reference, Json and byte[] everywhere."""
    project, _ = check_specs(SPECS)
    types = (
        ObjectType(
            "AnyResult",
            "AnyResult",
            "",
            (
                _field("name", Scalar.STRING),
                _field("kids", None, "AnyResult", is_list=True),
                _field("other", None, "CycB"),
                _field("info", None, "TopFileInfo"),
            ),
        ),
        ObjectType("CycB", "CycB", "", (_field("back", None, "AnyResult"),)),
        ObjectType(
            "TopFileInfo",
            "TopFileInfo",
            "",
            (_field("payload", Scalar.JSON), _field("data", Scalar.BYTES, required=True)),
        ),
    )
    return replace(
        project.apis[0],
        params=(_field("payload", Scalar.JSON, required=True), _field("data", Scalar.BYTES)),
        response_fields=(
            _field("result", None, "AnyResult"),
            _field("payload", Scalar.JSON),
            _field("data", Scalar.BYTES),
        ),
        types=types,
        business_result=None,
    )


def _annotations(tree: ast.Module, field_name: str) -> set[str]:
    return {
        ast.unparse(node.annotation).replace(" | None", "")
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == field_name
    }


def test_one_annotation_per_top_type_in_every_kind_of_class() -> None:
    """Json and byte[] read alike in request, response and nested classes."""
    tree = ast.parse(render_api(_tricky_api())[1])
    for name in ("payload", "data"):
        assert len(_annotations(tree, name)) == 1, _annotations(tree, name)
    assert _annotations(tree, "data") == {
        "Annotated[TopFile | bytes, Field(description='data 说明')]"
    }


def test_imports_follow_the_types_used_not_class_names() -> None:
    """A class named AnyResult imports no `typing.Any`; a byte[] field imports TopFile."""
    tree = ast.parse(render_api(_tricky_api())[1])
    imported = {
        alias.name for node in tree.body if isinstance(node, ast.ImportFrom) for alias in node.names
    }
    assert "Any" not in imported  # no Map field: `AnyResult` is a class name, not a type use
    assert "TopFile" in imported


def test_cycles_and_self_references_are_complete_after_import(tmp_path: Path) -> None:
    """A cycle gets a rebuild at module end; every field resolves; a nested body decodes."""
    _, source = render_api(_tricky_api())
    (tmp_path / "tricky.py").write_text(source, encoding="utf-8")
    script = (
        "import inspect, typing\n"
        "import tricky\n"
        "for model in (tricky.AnyResult, tricky.CycB, tricky.TopFileInfo):\n"
        "    for field in model.model_fields.values():\n"
        "        assert 'ForwardRef' not in repr(field.annotation), field\n"
        "    assert len(inspect.signature(model).parameters) > 1\n"
        "body = {'result': {'kids': {'any_result': [{'name': 'a'}]}, 'other': {'back': {}}}}\n"
        "response = tricky.AlibabaIdleIsvMediaUploadResponse.model_validate(body)\n"
        "print(response.result.kids[0].name, type(response.result.other.back).__name__)\n"
    )
    run = run_python(script, tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["a", "AnyResult"]
