"""Field names that would shadow an attribute of the models' base classes are renamed."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest
from pydantic import BaseModel

from topapi._model import RequestModel, ResponseModel, TopRequest, TopResponse
from topgen.codegen.render import render_api
from topgen.pipeline import check_specs
from topgen.spec import names
from topgen.spec.model import Field, ObjectType, Scalar, TopType
from topgen.spec.reserved import base_attributes, module_names

from .conftest import FIRST_API, SPECS, run_topgen

BASES = (TopRequest, TopResponse, RequestModel, ResponseModel, BaseModel)


def public_attributes(cls: type[BaseModel]) -> set[str]:
    """What a field of a subclass of `cls` would shadow: public names that are no field."""
    return {n for n in dir(cls) if not n.startswith("_") and n not in cls.model_fields}


def test_every_attribute_of_the_base_classes_is_reserved() -> None:
    """status_code, raw_body, to_params, json, ...: each becomes `name_`, and no other."""
    attributes = set().union(*(public_attributes(cls) for cls in BASES))
    assert {"status_code", "raw_body", "to_params", "json", "model_dump"} <= attributes
    assert {name for name in attributes if names.field_name(name) == name} == set()
    assert attributes - public_attributes(BaseModel) <= base_attributes()
    assert names.field_name("request_id") == "request_id"  # a field of TopResponse, redeclared


def _module_level_names(tree: ast.Module) -> set[str]:
    """What a module binds at its top level, and the free names it reads anywhere."""
    bound: set[str] = set()
    read: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            bound.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            bound.add(node.name)
        elif isinstance(node, ast.Assign):
            bound.update(t.id for t in node.targets if isinstance(t, ast.Name))
        local: set[str] = set()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            local = {
                a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            }
            local |= {
                n.id
                for n in ast.walk(node)
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
            }
        read |= {
            n.id
            for n in ast.walk(node)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id not in local
        }
    return bound | read


def test_schema_names_that_would_replace_a_module_name_are_exactly_the_reserved_ones() -> None:
    """Every import, function, builtin and TOP type name an API module uses, and nothing else."""
    project, _ = check_specs(SPECS)
    api = next(a for a in project.apis if a.business_result is not None)
    every = tuple(
        Field(f"f{n}", TopType(scalar, None, n % 2 == 1), n % 3 == 0, "说明")
        for n, scalar in enumerate([*Scalar, *Scalar])
    )
    nested = ObjectType("Nested", "Nested", "", every)
    sent = ObjectType("Sent", "Sent", "", every)  # only sent: a RequestModel
    holder = Field("nested", TopType(None, "Nested", False), False, "")
    sender = Field("sent", TopType(None, "Sent", False), False, "")
    probe = replace(
        api,
        params=(*every, sender),
        response_fields=(*every, holder),
        types=(nested, sent),
    )
    tree = ast.parse(render_api(probe)[1])
    own = {"Nested", "Sent", probe.request_class, probe.response_class}
    assert _module_level_names(tree) - own == module_names()


@pytest.mark.parametrize("taken", ["str", "int", "list", "call", "SyncClientBase", "float"])
def test_a_schema_named_like_a_module_name_is_a_located_error(specs_copy: Path, taken: str) -> None:
    """`validate` names the schema's line; nothing is generated."""
    path = specs_copy / "apis" / f"{FIRST_API}.yaml"
    text = path.read_text(encoding="utf-8").replace("TenderPrePayCmd", taken)
    path.write_text(text, encoding="utf-8")
    run = run_topgen("validate", "--specs", specs_copy)
    line = text.splitlines().index(f"    {taken}:") + 1
    assert run.returncode == 1
    assert (
        f"{path}:{line}: error: components.schemas.{taken}: is not usable as a Python class name"
        in run.stderr
    )
