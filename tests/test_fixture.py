"""The fixture spec set (tests/fixture/) covers every feature it claims, validates cleanly, and its
generated topapi reads each of its documented examples, to the Python types they document.

Its committed output is held to the golden tests (test_golden.py) and to mypy, ruff and black
(test_quality.py) like generated/.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from openapi_spec_validator import validate

from topgen.pipeline import check_specs
from topgen.spec.model import Api, Field, ObjectType, Project, Scalar, SessionUse

from .conftest import FIXTURE_GENERATED, FIXTURE_SPECS, run_python, run_topgen

RESERVED_WIRE_NAMES = {"class", "from", "type", "json", "model_config", "status_code"}
# Properties of TopResponse: a top-level response field of these names is renamed (`status_code_`).
RESPONSE_PROPERTIES = {"status_code", "raw_body"}


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


def reached(api: Api, fields: tuple[Field, ...]) -> list[ObjectType]:
    """The object types reachable from `fields`: the request's or the response's nested types."""
    types = {t.class_name: t for t in api.types}
    found: dict[str, ObjectType] = {}
    todo = [f.top_type.class_name for f in fields]
    while todo:
        name = todo.pop()
        if name is None or name in found:
            continue
        found[name] = types[name]
        todo.extend(f.top_type.class_name for f in types[name].fields)
    return list(found.values())


def nested_scalars(apis: tuple[Api, ...], side: str) -> set[Scalar | None]:
    """The TOP scalars of the fields of the request's (`params`) or response's nested types."""
    return {
        field.top_type.scalar
        for api in apis
        for object_type in reached(api, getattr(api, side))
        for field in object_type.fields
    }


def wrapped_list_depths(
    value: Any, fields: tuple[Field, ...], api: Api, depth: int = 0
) -> set[int]:
    """How deep each list of objects that a JSON example writes in TOP's wrapper
    (`{"items": {"order_item": [...]}}`) sits."""
    types = {t.class_name: t for t in api.types}
    by_wire = {f.wire_name: f for f in fields}
    found: set[int] = set()
    for key, item in value.items() if isinstance(value, dict) else ():
        field = by_wire.get(key)
        if field is None or field.top_type.class_name is None:
            continue
        elements = item
        if field.top_type.is_list and isinstance(item, dict) and len(item) == 1:
            found.add(depth)
            (elements,) = item.values()
        inner = types[field.top_type.class_name].fields
        for element in elements if isinstance(elements, list) else [elements]:
            found |= wrapped_list_depths(element, inner, api, depth + 1)
    return found


def nested_xml_lists(text: str) -> bool:
    """Whether an XML example has a `list="true"` element inside another one."""
    outer = ElementTree.fromstring(text).iter()
    return any(
        inner.get("list") == "true"
        for element in outer
        if element.get("list") == "true"
        for inner in list(element.iter())[1:]
    )


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
    """Every TOP type (at the top level and nested in request and response objects), a list of
    each scalar but byte[], each session use, a business result, objects nested in lists (their
    wrapped form in the examples), nested required fields, reserved names and every kind of
    example."""
    apis = fixture_project().apis
    fields = [field for api in apis for field in every_field(api)]
    assert {p.top_type.scalar for api in apis for p in api.params} >= set(Scalar)
    assert {f.top_type.scalar for api in apis for f in api.response_fields} >= set(Scalar) - {
        Scalar.BYTES
    }
    assert nested_scalars(apis, "params") >= set(Scalar)
    assert nested_scalars(apis, "response_fields") >= set(Scalar)
    listed = {f.top_type.scalar for f in fields if f.top_type.is_list}
    assert listed >= set(Scalar) - {Scalar.BYTES}
    assert not any(f.top_type.scalar is Scalar.BYTES and f.top_type.is_list for f in fields)
    assert {api.session for api in apis} == set(SessionUse)
    assert any(api.business_result is not None for api in apis)
    objects_in_lists = [f for f in fields if f.top_type.is_list and f.top_type.class_name]
    assert len(objects_in_lists) >= 2
    nested = [f for api in apis for t in api.types for f in t.fields]
    assert any(f.required for f in nested)
    assert {f.wire_name for f in fields} >= RESERVED_WIRE_NAMES
    assert {f.wire_name for api in apis for f in api.response_fields} >= RESPONSE_PROPERTIES
    responses = [(api, e) for api in apis for e in api.response_examples]
    json_depths = {
        depth
        for api, e in responses
        if e.media_type == "application/json"
        for depth in wrapped_list_depths(e.value[api.response_key], api.response_fields, api)
    }
    assert max(json_depths, default=0) >= 2, "no wrapped list inside an item of another"
    assert any(nested_xml_lists(e.value) for _, e in responses if e.media_type.endswith("xml"))
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


TYPES_PROBE = """
import json, warnings
warnings.simplefilter("error")
from topapi import UsageError
from topapi._codec import TopFile, decode_response
from topapi.apis import taobao_fixture_order_get as order
from topapi.apis import topgen_fixture_file_upload as upload
from topapi.apis import topgen_fixture_types_echo as echo

EXAMPLES = json.loads(EXAMPLES_JSON)

def decoded(module, name, method):
    for media_type, value in EXAMPLES[method].items():
        fmt = "xml" if media_type.endswith("xml") else "json"
        body = value if fmt == "xml" else json.dumps(value)
        yield media_type, body, decode_response(getattr(module, name), body.encode(), fmt, 200)

seen = {"upload": {}, "echo": {}, "order": {}}
for media_type, body, response in decoded(
    upload, "TopgenFixtureFileUploadResponse", "topgen.fixture.file.upload"
):
    seen["upload"][media_type] = {
        "status_code_": response.status_code_,
        "raw_body_": response.raw_body_,
        "status_code": response.status_code,
        "raw_body_is_the_body": response.raw_body == body,
    }
echo_method = "topgen.fixture.types.echo"
for media_type, _, response in decoded(echo, "TopgenFixtureTypesEchoResponse", echo_method):
    payload = response.echo.payload
    seen["echo"][media_type] = [type(payload).__name__, payload]
order_method = "taobao.fixture.order.get"
for media_type, _, response in decoded(order, "TaobaoFixtureOrderGetResponse", order_method):
    items = response.result.orders[0].items
    seen["order"][media_type] = [
        type(items).__name__,
        [type(item).__name__ for item in items],
        [item.sku_id for item in items],
        [type(item.price).__name__ for item in items],
    ]
annotations = {
    "TopgenFixtureFileUploadRequest": upload.TopgenFixtureFileUploadRequest,
    "TypeParam": echo.TypeParam,
    "TypeSet": echo.TypeSet,
}
seen["data"] = {
    name: str(model.model_fields["data"].annotation) for name, model in annotations.items()
}
seen["payload"] = {
    name: model.model_fields["payload"].json_schema_extra
    for name, model in [
        ("TopgenFixtureTypesEchoRequest", echo.TopgenFixtureTypesEchoRequest),
        ("TypeParam", echo.TypeParam),
        ("TypeSet", echo.TypeSet),
    ]
}
try:
    echo.TopgenFixtureTypesEchoRequest(
        text="a", count=1, nested=echo.TypeParam(text="a", count=1, data=TopFile(b"x"))
    ).to_params()
except UsageError as error:
    seen["nested_file"] = str(error)
print(json.dumps(seen))
"""


def test_fixture_examples_decode_to_their_python_types() -> None:
    """A top-level `status_code` field is `status_code_` (the property stays the HTTP status),
    nested Json is a str, TOP's wrapped lists inside list items decode to lists of the item
    model, and Json and byte[] fields are typed alike at every level."""
    apis = {api.method: api for api in fixture_project().apis}
    examples = {
        method: {e.media_type: e.value for e in api.response_examples}
        for method, api in apis.items()
    }
    script = TYPES_PROBE.replace("EXAMPLES_JSON", repr(json.dumps(examples)))
    probe = run_python(script, FIXTURE_GENERATED)
    assert probe.returncode == 0, probe.stderr
    seen = json.loads(probe.stdout)
    upload_key = apis["topgen.fixture.file.upload"].response_key
    documented = examples["topgen.fixture.file.upload"]["application/json"][upload_key]
    assert seen["upload"]["application/json"] == {
        "status_code_": documented["status_code"],
        "raw_body_": documented["raw_body"],
        "status_code": 200,
        "raw_body_is_the_body": True,
    }
    assert documented["status_code"] != 200
    echo_key = apis["topgen.fixture.types.echo"].response_key
    nested_json = examples["topgen.fixture.types.echo"]["application/json"][echo_key]["echo"]
    assert seen["echo"] == {
        "application/json": ["str", nested_json["payload"]],
        "application/xml": ["str", nested_json["payload"]],
    }
    order_key = apis["taobao.fixture.order.get"].response_key
    order_json = examples["taobao.fixture.order.get"]["application/json"][order_key]
    items = order_json["result"]["orders"]["order"][0]["items"]["order_item"]
    assert len(items) == 2 and "price" not in items[1]
    order_items = [
        "list",
        ["OrderItem"] * len(items),
        [item["sku_id"] for item in items],
        ["Decimal" if "price" in item else "NoneType" for item in items],
    ]
    assert seen["order"] == {"application/json": order_items, "application/xml": order_items}
    file_type = "topapi._codec.TopFile | bytes"
    assert seen["data"] == {
        "TopgenFixtureFileUploadRequest": file_type,
        "TypeParam": f"{file_type} | None",
        "TypeSet": f"{file_type} | None",
    }
    assert set(map(str, seen["payload"].values())) == {"{'contentMediaType': 'application/json'}"}
    assert seen["nested_file"].startswith("topgen.fixture.types.echo: nested: "), seen
