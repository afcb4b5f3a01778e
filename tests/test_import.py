"""`topgen import`: TOP documentation (doc pages, catalog JSON) into specs that generate."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from topgen.importing.specwriter import ERROR_FIELDS, typed_scalar
from topgen.pipeline import generate
from topgen.spec.model import Scalar

from .conftest import DOCS, FIRST_API, REPO, SPECS, run_python, run_topgen

FIRST_MODULE = "topapi/apis/alibaba_idle_tender_pre_pay_action.py"


def fresh_specs(tmp_path: Path) -> Path:
    """A specs folder holding only the envelope."""
    specs = tmp_path / "specs"
    (specs / "apis").mkdir(parents=True)
    shutil.copy(SPECS / "top.yaml", specs / "top.yaml")
    return specs


def test_first_page_generates_the_same_module_as_the_hand_written_spec(
    tmp_path: Path, docs: Path
) -> None:
    """Import the first API's page: its module is byte-identical to the committed one."""
    specs = fresh_specs(tmp_path)
    page = docs / f"{FIRST_API}.txt"
    result = run_topgen("import", page, "--out", specs / "apis")
    assert result.returncode == 0, result.stderr
    imported = generate(specs).files[FIRST_MODULE]
    assert imported == generate(SPECS).files[FIRST_MODULE]


def test_an_imported_error_example_keeps_the_code_as_the_number_top_sends(
    tmp_path: Path, docs: Path
) -> None:
    """The JSON equivalent of the page's XML error example has `code: 50`, not `'50'`."""
    specs = fresh_specs(tmp_path)
    result = run_topgen("import", docs / f"{FIRST_API}.txt", "--out", specs / "apis")
    assert result.returncode == 0, result.stderr
    spec = yaml.safe_load((specs / "apis" / f"{FIRST_API}.yaml").read_text(encoding="utf-8"))
    error = spec["paths"]["/router/rest"]["post"]["responses"]["default"]["content"]
    value = error["application/json"]["examples"]["documented"]["value"]["error_response"]
    assert value["code"] == 50 and value["sub_code"] == "isv.invalid-parameter"


def test_the_importers_error_fields_are_the_envelopes() -> None:
    """What the importer knows of error_response's fields is what top.yaml says of them."""
    envelope = yaml.safe_load((SPECS / "top.yaml").read_text(encoding="utf-8"))
    schema = envelope["components"]["schemas"]["ErrorResponse"]
    types = {"integer": "Number", "string": "String"}
    documented = {
        name: (types[prop["type"]], name in schema["required"])
        for name, prop in schema["properties"].items()
    }
    assert {f.name: (f.type, f.required) for f in ERROR_FIELDS} == documented


PAGES = sorted(p.name for p in DOCS.glob("*.txt")) or ["(no pages found)"]


@pytest.mark.parametrize("page", PAGES)
def test_every_doc_page_imports_validates_and_generates(
    tmp_path: Path, docs: Path, page: str
) -> None:
    """Each of the real pages becomes a valid spec whose module imports."""
    specs = fresh_specs(tmp_path)
    result = run_topgen("import", docs / page, "--out", specs / "apis")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    generated = run_topgen("generate", "--specs", specs, "--out", out)
    assert generated.returncode == 0, generated.stderr
    module = page.removesuffix(".txt").replace(".", "_")
    check = run_python(f"import topapi.apis.{module} as m; print(m.__all__)", out)
    assert check.returncode == 0, check.stderr


def test_bad_input_names_the_file_writes_nothing_and_the_rest_imports(
    tmp_path: Path, docs: Path
) -> None:
    """A file that is not TOP documentation fails alone; the exit code is 1 at the end."""
    specs = fresh_specs(tmp_path)
    readme = tmp_path / "notes.txt"
    readme.write_text("Shopping list\n\n- milk\n- bread\n", encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"name": "taobao.x.get",\n "requestParams": [1, }\n', encoding="utf-8")
    page = docs / "taobao.tmc.user.topics.get.txt"
    result = run_topgen("import", readme, broken, page, "--out", specs / "apis")
    assert result.returncode == 1
    assert f"{readme}:" in result.stderr and "not a TOP documentation page" in result.stderr
    assert f"{broken}:2: error:" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (specs / "apis").iterdir()) == ["taobao.tmc.user.topics.get.yaml"]


def _nested_params(depth: int) -> dict[str, Any]:
    param: dict[str, Any] = {"name": "leaf", "type": "String"}
    for level in range(depth):
        param = {"name": f"o{level}", "type": "Obj", "subParams": [param]}
    return param


# Catalog entries that each defeat the importer in one way, the line and words of its error.
BAD_CATALOG_ENTRIES = {
    "too-long-file-name": (
        json.dumps({"name": "taobao." + "x" * 300 + ".get"}),
        None,
        "File name too long",
    ),
    "json-nested-deeper-than-python-recurses": (
        '{"name": "taobao.deep.get", "requestParams": ' + "[" * 100_000 + "]" * 100_000 + "}",
        None,
        "nests too deeply",
    ),
    "fields-nested-deeper-than-max-depth": (
        json.dumps({"name": "taobao.deep.get", "requestParams": [_nested_params(40)]}),
        None,
        "requestParams nest deeper than 32 levels",
    ),
    "method-with-a-final-newline": (
        json.dumps({"name": "taobao.x.get\n"}),
        None,
        "'name' is not a TOP method name: 'taobao.x.get\\n'",
    ),
    "required-as-text": (
        json.dumps({"name": "taobao.x.get", "requestParams": [{"name": "a", "required": "false"}]}),
        None,
        "requestParams[0].required must be true or false, not 'false'",
    ),
    "type-not-text": (
        json.dumps({"name": "taobao.x.get", "responseParams": [{"name": "a", "type": 5}]}),
        None,
        "responseParams[0].type must be text, not 5",
    ),
    "integer-too-long-to-read": (
        '{"name": "taobao.big.get",\n "x": ' + "9" * 5000 + "}",
        2,
        "a number of 5000 digits",
    ),
}


@pytest.mark.parametrize("case", BAD_CATALOG_ENTRIES.values(), ids=BAD_CATALOG_ENTRIES.keys())
def test_a_file_the_importer_cannot_take_is_a_located_error_and_the_rest_imports(
    tmp_path: Path, case: tuple[str, int | None, str]
) -> None:
    """One located error for the bad file, no traceback; the good page beside it is imported."""
    text, line, words = case
    specs = fresh_specs(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    page = REPO / "tests" / "broken" / "good.txt"

    result = run_topgen("import", bad, page, "--out", specs / "apis")

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    place = f"{bad}:{line}" if line else str(bad)
    errors = [row for row in result.stderr.splitlines() if ": error: " in row]
    assert len(errors) == 1 and errors[0].startswith(f"{place}: error: "), result.stderr
    assert words in errors[0], result.stderr
    assert [p.name for p in (specs / "apis").iterdir()] == ["alibaba.idle.isv.user.info.yaml"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12),
        ("-9223372036854775808", -(2**63)),
        ("9223372036854775808", "9223372036854775808"),
        ("9" * 5000, "9" * 5000),
    ],
    ids=["small", "least-long", "beyond-long", "beyond-what-int-reads"],
)
def test_a_number_example_is_an_int_only_where_a_java_long_holds_it(
    text: str, value: int | str
) -> None:
    """A documented Number example beyond a Java long stays text (and never fails to convert)."""
    assert typed_scalar(Scalar.NUMBER, text) == value


def test_an_out_folder_that_is_a_file_is_one_error(tmp_path: Path) -> None:
    """--out naming a file: one line naming it, exit 1, no traceback."""
    out = tmp_path / "apis"
    out.write_text("not a folder\n", encoding="utf-8")

    result = run_topgen("import", REPO / "tests" / "broken" / "good.txt", "--out", out)

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.splitlines()[0].startswith(f"{out}: error: cannot create the folder")


def test_a_spec_that_cannot_be_replaced_is_a_located_error_leaving_nothing_behind(
    tmp_path: Path,
) -> None:
    """--force over a folder of the spec's name: one error naming it, no temporary file left."""
    specs = fresh_specs(tmp_path)
    in_the_way = specs / "apis" / "alibaba.idle.isv.user.info.yaml"
    in_the_way.mkdir()

    page = REPO / "tests" / "broken" / "good.txt"
    result = run_topgen("import", page, "--out", specs / "apis", "--force")

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert f"{page}: error: cannot write" in result.stderr, result.stderr
    assert [p.name for p in (specs / "apis").iterdir()] == [in_the_way.name]


def test_existing_spec_is_kept_without_force(tmp_path: Path, docs: Path) -> None:
    """Importing over an existing spec needs --force."""
    specs = fresh_specs(tmp_path)
    target = specs / "apis" / f"{FIRST_API}.yaml"
    target.write_text("hand-written\n", encoding="utf-8")
    page = docs / f"{FIRST_API}.txt"
    refused = run_topgen("import", page, "--out", specs / "apis")
    assert refused.returncode == 1
    assert "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "hand-written\n"
    forced = run_topgen("import", page, "--out", specs / "apis", "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.read_text(encoding="utf-8").startswith("openapi: 3.1.0")


def test_catalog_entry_without_examples_gets_generated_ones(tmp_path: Path, catalog: Path) -> None:
    """Catalog metadata has no examples: the spec's are made from the types."""
    specs = fresh_specs(tmp_path)
    entry = catalog / "idle" / "alibaba_idle_tender_order_get.json"
    result = run_topgen("import", entry, "--out", specs / "apis")
    assert result.returncode == 0, result.stderr
    text = (specs / "apis" / "alibaba.idle.tender.order.get.yaml").read_text(encoding="utf-8")
    assert "x-top-derived-from: x-top-type" in text
    assert "top-catalog/idle/alibaba_idle_tender_order_get.json" in text


def test_same_type_name_with_two_shapes_in_one_api(tmp_path: Path) -> None:
    """A type name reused with another shape inside one API gets a second, unnumbered class."""
    specs = fresh_specs(tmp_path)
    entry = tmp_path / "clash.json"
    result_a = {"name": "result", "type": "Result", "subParams": [{"name": "a", "type": "String"}]}
    module = {"name": "module", "type": "Result", "subParams": [{"name": "b", "type": "Number"}]}
    result_a["subParams"].append(module)
    entry.write_text(
        json.dumps(
            {"name": "taobao.clash.get", "apiChineseName": "t", "responseParams": [result_a]}
        ),
        encoding="utf-8",
    )
    assert run_topgen("import", entry, "--out", specs / "apis").returncode == 0
    files = generate(specs).files["topapi/apis/taobao_clash_get.py"]
    assert "class Result(ResponseModel)" in files
    assert "class ModuleResult(ResponseModel)" in files
    assert "module: ModuleResult | None = None" in files


def test_keywords_and_odd_names_keep_their_wire_names(tmp_path: Path) -> None:
    """`from`, `class` and dotted names become Python names with the wire name as alias."""
    specs = fresh_specs(tmp_path)
    entry = tmp_path / "names.json"
    params = [
        {"name": "from", "type": "String", "required": True},
        {"name": "class", "type": "Number"},
        {"name": "reentry.employee.account", "type": "String"},
    ]
    entry.write_text(
        json.dumps({"name": "taobao.names.get", "requestParams": params}), encoding="utf-8"
    )
    assert run_topgen("import", entry, "--out", specs / "apis").returncode == 0
    out = tmp_path / "out"
    assert run_topgen("generate", "--specs", specs, "--out", out).returncode == 0
    script = textwrap.dedent(
        """
        from topapi.apis.taobao_names_get import TaobaoNamesGetRequest as R
        request = R(from_="a", class_=1, reentry_employee_account="b")
        print(request.to_params())
        """
    )
    run = run_python(script, out)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "{'from': 'a', 'class': '1', 'reentry.employee.account': 'b'}"


def test_tender_family_specs_are_imported_from_the_catalog(catalog: Path) -> None:
    """specs/apis holds the tender family, each spec naming its catalog source."""
    family = sorted(p.name for p in (catalog / "idle").glob("alibaba_*tender*.json"))
    assert len(family) == 9
    committed = {p.stem for p in (SPECS / "apis").glob("*.yaml")}
    expected = {
        "alibaba.idle.tender.aftersale.order.get",
        "alibaba.idle.tender.aftersale.order.perform",
        "alibaba.idle.tender.btob.item.delete",
        "alibaba.idle.tender.btob.item.query",
        "alibaba.idle.tender.btob.item.upload",
        "alibaba.idle.tender.order.get",
        "alibaba.idle.tender.pre.pay.action",
        "alibaba.idle.tender.upload.report",
        "alibaba.xianyu.tender.order.perform",
    }
    assert expected <= committed
    for method in expected - {FIRST_API}:
        text = (SPECS / "apis" / f"{method}.yaml").read_text(encoding="utf-8")
        assert f"top-catalog/idle/{method.replace('.', '_')}.json" in text
    assert (REPO / "generated" / "topapi" / "apis" / "alibaba_idle_tender_order_get.py").exists()


EXPECTED_PAGES = sorted(p.stem for p in (DOCS / "expected").glob("*.json")) or ["(none found)"]
ALIASES = {"HashMap": "Map", "Serializable": "Map", "byte": "byte[]"}


def _spec_tree(schemas: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields of a schema as the expected files write them: name, type, required, children."""
    required = set(schema.get("required", []))
    fields = []
    for name, prop in (schema.get("properties") or {}).items():
        target = prop.get("$ref") or (prop.get("items") or {}).get("$ref")
        children = _spec_tree(schemas, schemas[target.rsplit("/", 1)[1]]) if target else []
        fields.append(
            {
                "name": name,
                "type": prop["x-top-type"],
                "required": name in required,
                "children": children,
            }
        )
    return fields


def _expected_tree(fields: list[dict[str, Any]], side: str) -> list[dict[str, Any]]:
    tree = []
    for field in fields:
        spelled = field["type"].replace(" ", "")
        base = spelled.removesuffix("[]") if spelled != "byte[]" else spelled
        kind = ALIASES.get(base, base) + (
            "[]" if spelled.endswith("[]") and spelled != "byte[]" else ""
        )
        if field["children"] and base in ("HashMap", "Serializable", "Map"):
            kind = spelled
        tree.append(
            {
                "name": field["name"],
                "type": kind,
                "required": bool(field.get("required")) if side == "request" else False,
                "children": _expected_tree(field["children"], side),
            }
        )
    return tree


@pytest.mark.parametrize("method", EXPECTED_PAGES)
def test_imported_spec_holds_the_expected_fields(tmp_path: Path, docs: Path, method: str) -> None:
    """The spec written from each page has the expected names, types, required flags, nesting."""
    specs = fresh_specs(tmp_path)
    result = run_topgen("import", docs / f"{method}.txt", "--out", specs / "apis")
    assert result.returncode == 0, result.stderr
    spec = yaml.safe_load((specs / "apis" / f"{method}.yaml").read_text(encoding="utf-8"))
    expected = json.loads((docs / "expected" / f"{method}.json").read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    prefix = "".join(part[:1].upper() + part[1:] for part in method.split("."))
    for side, suffix in (("request", "Request"), ("response", "Response")):
        got = _spec_tree(schemas, schemas[prefix + suffix])
        assert got == _expected_tree(expected[side], side), side
