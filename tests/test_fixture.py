"""The fixture spec set (tests/fixture/) covers every feature it claims, validates cleanly, and its
generated topapi reads each of its documented examples.

Its committed output is held to the golden tests (test_golden.py) and to mypy, ruff and black
(test_quality.py) like generated/.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

from topgen.pipeline import check_specs
from topgen.spec.model import Api, Field, Project, Scalar, SessionUse

from .conftest import FIXTURE_GENERATED, FIXTURE_SPECS, run_python, run_topgen

RESERVED_WIRE_NAMES = {"class", "from", "type", "json", "model_config", "status_code"}


def fixture_project() -> Project:
    """The model of the fixture's specs."""
    project, _ = check_specs(FIXTURE_SPECS)
    return project


def every_field(api: Api) -> Iterator[Field]:
    """The request parameters, response fields and fields of nested types of an API."""
    yield from api.params
    yield from api.response_fields
    for object_type in api.types:
        yield from object_type.fields


@pytest.mark.parametrize(
    "path",
    sorted(FIXTURE_SPECS.rglob("*.yaml")),
    ids=lambda p: p.relative_to(FIXTURE_SPECS).as_posix(),
)
def test_fixture_spec_is_valid_openapi_3_1(path: Path) -> None:
    """openapi-spec-validator accepts each fixture spec, resolving the envelope $refs."""
    validate(yaml.safe_load(path.read_text(encoding="utf-8")), base_uri=path.resolve().as_uri())


def test_fixture_specs_validate_with_no_diagnostics() -> None:
    """`topgen validate` accepts the fixture and says nothing on stderr: no warning at all."""
    result = run_topgen("validate", "--specs", FIXTURE_SPECS)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_fixture_covers_every_feature() -> None:
    """Every TOP type, a list of each scalar but byte[], each session use, a business result,
    objects nested in lists, nested required fields, reserved names and every kind of example."""
    apis = fixture_project().apis
    fields = [field for api in apis for field in every_field(api)]
    assert {p.top_type.scalar for api in apis for p in api.params} >= set(Scalar)
    listed = {f.top_type.scalar for f in fields if f.top_type.is_list}
    assert listed >= set(Scalar) - {Scalar.BYTES}
    assert {api.session for api in apis} == set(SessionUse)
    assert any(api.business_result is not None for api in apis)
    objects_in_lists = [f for f in fields if f.top_type.is_list and f.top_type.class_name]
    assert len(objects_in_lists) >= 2
    nested = [f for api in apis for t in api.types for f in t.fields]
    assert any(f.required for f in nested)
    assert {f.wire_name for f in fields} >= RESERVED_WIRE_NAMES
    media = {
        (kind, example.media_type)
        for api in apis
        for kind, examples in (
            ("request", api.request_examples),
            ("response", api.response_examples),
            ("error", api.error_examples),
        )
        for example in examples
    }
    assert {("response", "application/json"), ("response", "application/xml")} <= media
    assert {("error", "application/json"), ("error", "application/xml")} <= media
    assert ("request", "application/x-www-form-urlencoded") in media
    assert any(api.code_examples for api in apis)


EXAMPLES_PROBE = """
import json, warnings
warnings.simplefilter("error")
from importlib import import_module
from pathlib import Path
from pydantic import BaseModel
import topapi
from topapi import TopError
from topapi._codec import decode_response
from topgen.pipeline import check_specs

def extras(model):
    found = dict(model.model_extra or {})
    for name in type(model).model_fields:
        values = getattr(model, name)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, BaseModel):
                found.update({f"{name}.{k}": v for k, v in extras(value).items()})
    return found

def body(example):
    xml = example.media_type.endswith("xml")
    return (example.value if xml else json.dumps(example.value)).encode(), "xml" if xml else "json"

project, _ = check_specs(Path(SPECS))
seen = {"package": topapi.__file__, "apis": {}}
for api in project.apis:
    module = import_module(f"topapi.apis.{api.module_name}")
    request = getattr(module, api.request_class)
    response = getattr(module, api.response_class)
    found = seen["apis"][api.method] = {"requests": [], "responses": {}, "errors": []}
    for example in api.request_examples:
        sent = request.model_validate(example.value).to_params()
        found["requests"].append([sorted(example.value), sorted(sent)])
    for example in api.response_examples:
        decoded = decode_response(response, *body(example))
        found["responses"][example.media_type] = {
            "dump": decoded.model_dump(mode="json"),
            "extra": extras(decoded),
            "derived_from": example.derived_from,
        }
    for example in api.error_examples:
        try:
            decode_response(response, *body(example))
        except TopError as error:
            found["errors"].append([example.media_type, error.code, error.sub_code])
print(json.dumps(seen))
"""


def test_fixture_examples_are_read_by_its_generated_topapi() -> None:
    """Each request example sends every parameter it sets; each response example decodes with no
    field left unknown (an XML example and its JSON equivalent to the same model); each error
    example raises TopError; with warnings as errors."""
    script = EXAMPLES_PROBE.replace("Path(SPECS)", f"Path({str(FIXTURE_SPECS)!r})")
    probe = run_python(script, FIXTURE_GENERATED)
    assert probe.returncode == 0, probe.stderr
    seen = json.loads(probe.stdout)
    assert seen["package"].startswith(str(FIXTURE_GENERATED)), "imported another topapi"
    apis = {api.method: api for api in fixture_project().apis}
    assert set(seen["apis"]) == set(apis)
    for method, found in seen["apis"].items():
        api = apis[method]
        assert len(found["requests"]) == len(api.request_examples), method
        for given, sent in found["requests"]:
            assert sent == given, method
        assert len(found["responses"]) == len(api.response_examples), method
        for media_type, decoded in found["responses"].items():
            assert decoded["extra"] == {}, (method, media_type)
            derived_from = decoded["derived_from"] or ""
            if derived_from.startswith("application/xml/"):
                xml = found["responses"]["application/xml"]["dump"]
                assert decoded["dump"] == xml, (method, media_type)
        assert len(found["errors"]) == len(api.error_examples), method
        assert len({(code, sub_code) for _, code, sub_code in found["errors"]}) <= 1, method
    assert any(found["errors"] for found in seen["apis"].values())
