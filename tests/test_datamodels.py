"""Models assembled from datamodel-code-generator's code per field shape equal a whole-API run."""

from __future__ import annotations

import itertools
from dataclasses import replace

from topgen.codegen.datamodels import (
    generate_models,
    generate_models_in_one_call,
    same_models,
    shape_of,
)
from topgen.pipeline import check_specs
from topgen.spec.model import Api, Field, ObjectType, Scalar, TopType

from .conftest import SPECS


def agrees(api: Api) -> bool:
    """Whether the shape-assembled models of `api` are those of one whole-API run."""
    return same_models(generate_models(api), generate_models_in_one_call(api))


def test_every_api_of_the_repository_gets_the_models_of_a_whole_run() -> None:
    """Each of this repository's APIs, both ways."""
    project, _ = check_specs(SPECS)
    assert project.apis
    assert [api.method for api in project.apis if not agrees(api)] == []


def test_a_changed_description_or_alias_is_not_taken_from_another_field() -> None:
    """Fields of one shape share code, never their names, descriptions or types."""
    project, _ = check_specs(SPECS)
    api = next(a for a in project.apis if a.method == "alibaba.idle.tender.pre.pay.action")
    fields = [f for t in api.types for f in t.fields]
    assert len({shape_of(f) for f in fields}) < len(fields)  # some fields do share a shape
    body = generate_models(api).body
    for field in fields:
        assert f"{field.python_name}: " in body
        assert f'description="{field.description}"' in body


def test_every_field_shape_at_once() -> None:
    """Every TOP type, list or not, required or not, aliased or not, described or not."""
    project, _ = check_specs(SPECS)
    api = project.apis[0]
    fields = []
    for number, (scalar, is_list, required, aliased, described) in enumerate(
        itertools.product([*Scalar, None], *[(False, True)] * 4)
    ):
        wire_name = f"field-{number}" if aliased else f"field{number}"
        top_type = TopType(scalar, None if scalar else "Other", is_list)
        fields.append(Field(wire_name, top_type, required, "说明 'x' \"y\"" if described else ""))
    types = (
        ObjectType("Every", "Every", "每一种", tuple(fields)),
        ObjectType("Other", "Other", "", ()),
    )
    assert len({shape_of(f) for f in fields}) == len(fields) == 160
    assert agrees(replace(api, types=types, response_fields=(), params=()))
    everywhere = tuple(fields)  # the request's and the response's own fields, too
    assert agrees(replace(api, types=types, response_fields=everywhere, params=everywhere))


def test_classes_come_in_datamodel_code_generators_dependency_order() -> None:
    """Chains, a cycle and a self-reference: the order datamodel-code-generator itself picks."""
    project, _ = check_specs(SPECS)
    api = project.apis[0]

    def uses(*names: str) -> tuple[Field, ...]:
        return tuple(
            Field(f"f{n}", TopType(None, name, n % 2 == 1), False, "")
            for n, name in enumerate(names)
        )

    types = (
        ObjectType("Zed", "Zed", "", uses("Apple", "Mid")),
        ObjectType("Apple", "Apple", "", uses("Mid")),
        ObjectType("Mid", "Mid", "", ()),
        ObjectType("Node", "Node", "", uses("Node", "Beta")),
        ObjectType("Beta", "Beta", "", uses("Alpha")),
        ObjectType("Alpha", "Alpha", "", uses("Beta", "Mid")),
    )
    changed = replace(api, types=types, response_fields=uses("Zed", "Node"), params=())
    assert agrees(changed)
    body = generate_models(changed).body
    defined = [
        line.split("(")[0].removeprefix("class ")
        for line in body.splitlines()
        if line.startswith("class ")
    ]
    assert defined.index("Mid") < defined.index("Apple") < defined.index("Zed")
    assert body.endswith("Alpha.model_rebuild()")
