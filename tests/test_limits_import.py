"""Documented limits and defaults arrive in imported specs, or are warned about, never bent.

The 更多限制 cells of the shared doc pages are checked against their expected files' `more`
field; the catalog's limits against the catalog JSON itself (in test_catalog.py, on its sample).
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from topgen.diagnostics import Level
from topgen.importing.importer import import_files
from topgen.output.write import write_tree
from topgen.pipeline import generate
from topgen.spec import names

from .conftest import SPECS, run_python, run_topgen
from .test_docpage import EXPECTED_PAGES, FIRST_PAGE, expected

# What each word of a 更多限制 cell means, as specs/README.md says.
KEYWORDS = {"默认值": "default", "最大长度": "maxLength", "最大列表长度": "maxItems"}
KEYWORDS |= {"最小值": "minimum", "最大值": "maximum"}
LIMIT_KEYS = ("maxLength", "maxItems", "minimum", "maximum", "default")
MORE = re.compile(r"(?P<word>[^::]+)[::](?P<value>.*)")


def fresh_specs(tmp_path: Path) -> Path:
    """A specs folder holding only the envelope."""
    specs = tmp_path / "specs"
    (specs / "apis").mkdir(parents=True)
    shutil.copy(SPECS / "top.yaml", specs / "top.yaml")
    return specs


def request_properties(specs: Path, method: str) -> dict[str, Any]:
    """The properties of an imported spec's request schema, by wire name."""
    spec = yaml.safe_load((specs / "apis" / f"{method}.yaml").read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    request = next(v for k, v in schemas.items() if k.endswith("Request") and "properties" in v)
    props: dict[str, Any] = request["properties"]
    return props


def typed(value: str, top_type: str) -> Any:
    """A documented value as the JSON of its field's type (Number 0, Boolean true)."""
    if top_type == "Number":
        return int(value)
    if top_type == "Boolean":
        return {"true": True, "false": False}[value]
    return value


def expected_limits(item: dict[str, Any]) -> dict[str, Any]:
    """The limits an expected field's `more` text documents, as spec keywords."""
    found = {}
    for cell in filter(None, (item.get("more") or "").split("\n")):
        match = MORE.fullmatch(cell.strip())
        assert match is not None, cell
        keyword = KEYWORDS[match["word"]]
        value = match["value"].strip()
        found[keyword] = typed(value, item["type"]) if keyword == "default" else int(value)
    return found


@pytest.fixture(scope="module")
def page_specs(tmp_path_factory: pytest.TempPathFactory, docs: Path) -> Path:
    """Every shared doc page imported."""
    specs = fresh_specs(tmp_path_factory.mktemp("pages"))
    pages = [docs / f"{method}.txt" for method in (FIRST_PAGE, *EXPECTED_PAGES)]
    imported, found = import_files(pages, specs / "apis")
    assert [str(d) for d in found if d.level is Level.ERROR] == []
    assert len(imported) == 9
    return specs


@pytest.mark.parametrize("method", EXPECTED_PAGES)
def test_each_page_s_limits_arrive_in_its_spec(page_specs: Path, docs: Path, method: str) -> None:
    """Every 更多限制 of the page is its property's keyword; no other property has one."""
    props = request_properties(page_specs, method)
    for item in expected(docs, method)["request"]:
        kept = {key: props[item["name"]][key] for key in LIMIT_KEYS if key in props[item["name"]]}
        assert kept == expected_limits(item), item["name"]


def test_the_pages_document_limits_of_every_kind_they_use(docs: Path) -> None:
    """The shared pages hold a maxLength and defaults of three types: the test above sees them."""
    documented = [
        (method, item["name"], key)
        for method in EXPECTED_PAGES
        for item in expected(docs, method)["request"]
        for key in expected_limits(item)
    ]
    assert ("tmall.servicecenter.picture.upload", "picture_name", "maxLength") in documented
    assert {name for _, name, key in documented if key == "default"} == {
        "item_id",
        "lang",
        "is_https",
    }


def test_the_first_page_has_no_limits(page_specs: Path) -> None:
    """The page of the committed spec documents none, so its spec carries none."""
    props = request_properties(page_specs, FIRST_PAGE)
    assert not [key for prop in props.values() for key in LIMIT_KEYS if key in prop]


def catalog_entry(tmp_path: Path, params: list[dict[str, Any]]) -> Path:
    """A catalog entry of a made-up API with these request parameters."""
    entry = {"name": "taobao.limits.case", "requestParams": params, "responseParams": []}
    path = tmp_path / "taobao_limits_case.json"
    path.write_text(json.dumps(entry), encoding="utf-8")
    return path


def test_odd_catalog_limits_are_located_warnings_and_left_out(tmp_path: Path) -> None:
    """Text, a negative count, a float length, a length of a Number: each named, none kept."""
    params = [
        {"name": "title", "type": "String", "maxLength": "32"},
        {"name": "tags", "type": "String[]", "maxListSize": -1},
        {"name": "memo", "type": "String", "maxLength": 2.5},
        {"name": "num", "type": "Number", "maxLength": 19, "minValue": 1, "maxValue": 9},
        {"name": "low", "type": "Number", "minValue": 10, "maxValue": 5},
        {"name": "ids", "type": "Number[]", "minValue": 1, "maxListSize": 20},
    ]
    specs = fresh_specs(tmp_path)
    imported, found = import_files([catalog_entry(tmp_path, params)], specs / "apis")
    assert len(imported) == 1
    warnings = [str(d) for d in found if d.level is Level.WARNING and "not kept" in d.message]
    where = "TaobaoLimitsCaseRequest"
    expected_warnings = [
        f"{where}.title: maxLength '32' not kept: maxLength must be a whole number",
        f"{where}.tags: maxItems -1 not kept: maxItems must be a whole number",
        f"{where}.memo: maxLength 2.5 not kept: maxLength must be a whole number",
        f"{where}.num: maxLength 19 not kept: maxLength bounds text and files, not a Number",
        f"{where}.low: minimum 10 not kept: minimum 10 is more than maximum 5",
        f"{where}.ids: minimum 1 not kept: minimum bounds a number, not a Number[]",
    ]
    assert len(warnings) == len(expected_warnings)
    for warning, text in zip(warnings, expected_warnings, strict=True):
        assert str(tmp_path / "taobao_limits_case.json") in warning and text in warning
    props = request_properties(specs, "taobao.limits.case")
    kept = {name: {k: p[k] for k in LIMIT_KEYS if k in p} for name, p in props.items()}
    assert kept == {
        "title": {},
        "tags": {},
        "memo": {},
        "num": {"minimum": 1, "maximum": 9},
        "low": {"maximum": 5},
        "ids": {"maxItems": 20},
    }


def test_a_doc_page_limit_that_is_not_a_number_is_warned_about(tmp_path: Path, docs: Path) -> None:
    """最大长度:abc on a page: a warning naming the field; the spec still imports without it."""
    page = (docs / "tmall.servicecenter.picture.upload.txt").read_text(encoding="utf-8")
    assert page.count("最大长度:32") == 1
    bad = tmp_path / "tmall.servicecenter.picture.upload.txt"
    bad.write_text(page.replace("最大长度:32", "最大长度:abc").replace("默认值:true", "默认值:yes"))
    specs = fresh_specs(tmp_path)
    imported, found = import_files([bad], specs / "apis")
    assert len(imported) == 1
    messages = [d.message for d in found if "not kept" in d.message]
    assert messages == [
        "TmallServicecenterPictureUploadRequest.picture_name: maxLength 'abc' not kept:"
        " maxLength must be a whole number of 0 or more, not 'abc'",
        "TmallServicecenterPictureUploadRequest.is_https: default 'yes' not kept:"
        " default 'yes' does not fit its TOP type Boolean",
    ]
    props = request_properties(specs, "tmall.servicecenter.picture.upload")
    assert "maxLength" not in props["picture_name"] and "default" not in props["is_https"]


# --- the session warning ------------------------------------------------------------------


def test_the_session_warning_is_one_summary_line_per_run(tmp_path: Path, catalog: Path) -> None:
    """Five catalog entries: one line counting them, not five; --session leaves none."""
    entries = [p for p in sorted(catalog.glob("tbuser/*.json")) if p.name != "catelog.json"][:5]
    assert len(entries) == 5
    specs = fresh_specs(tmp_path)
    run = run_topgen("import", *entries, "--out", specs / "apis")
    assert run.returncode == 0, run.stderr
    said = [line for line in (run.stdout + run.stderr).splitlines() if "x-top-session" in line]
    assert len(said) == 1, said
    assert "x-top-session is optional in 5 of 5 spec(s) written" in said[0]
    forced = run_topgen("import", *entries, "--out", specs / "apis", "--force", "--session", "none")
    assert forced.returncode == 0, forced.stderr
    assert "x-top-session" not in forced.stdout + forced.stderr
    for entry in entries:
        method = json.loads(entry.read_text(encoding="utf-8"))["name"]
        spec = yaml.safe_load((specs / "apis" / f"{method}.yaml").read_text(encoding="utf-8"))
        assert spec["paths"]["/router/rest"]["post"]["x-top-session"] == "none"


def test_session_option_overrides_the_page_with_a_warning(tmp_path: Path, docs: Path) -> None:
    """The page's Java example says required; --session optional wins and says so."""
    specs = fresh_specs(tmp_path)
    page = docs / f"{FIRST_PAGE}.txt"
    run = run_topgen("import", page, "--out", specs / "apis", "--session", "optional")
    assert run.returncode == 0, run.stderr
    assert "--session says, though the documentation's example says required" in run.stderr
    spec = yaml.safe_load((specs / "apis" / f"{FIRST_PAGE}.yaml").read_text(encoding="utf-8"))
    assert spec["paths"]["/router/rest"]["post"]["x-top-session"] == "optional"


def test_an_unknown_session_option_is_refused(tmp_path: Path, docs: Path) -> None:
    """--session sometimes: argparse's usage error, exit 2, nothing written."""
    specs = fresh_specs(tmp_path)
    page = docs / f"{FIRST_PAGE}.txt"
    run = run_topgen("import", page, "--out", specs / "apis", "--session", "x")
    assert run.returncode == 2 and "invalid choice" in run.stderr
    assert list((specs / "apis").iterdir()) == []


GENERATED_FIELDS = textwrap.dedent(
    """
    import dataclasses, importlib, json
    from topapi._limits import Limits
    found = {}
    for module_name, class_name in %r:
        request = getattr(importlib.import_module("topapi.apis." + module_name), class_name)
        for name, field in request.model_fields.items():
            limits = [m for m in field.metadata if isinstance(m, Limits)]
            kept = {k: v for m in limits for k, v in dataclasses.asdict(m).items() if v is not None}
            if not field.is_required() and field.default is not None:
                kept["default"] = field.default
            found.setdefault(request.top_method, {})[field.alias or name] = kept
    print(json.dumps(found))
    """
)
# The names the generated Limits gives the spec keywords.
PYTHON_NAMES = {"maxLength": "max_length", "maxItems": "max_items"}


def test_each_page_s_limits_arrive_in_its_generated_fields(
    page_specs: Path, docs: Path, tmp_path: Path
) -> None:
    """The request models carry each page's limits as Limits(...) and its defaults as defaults."""
    out = tmp_path / "out"
    write_tree(out, generate(page_specs).files)
    classes = [(names.module_name(m), names.class_prefix(m) + "Request") for m in EXPECTED_PAGES]
    run = run_python(GENERATED_FIELDS % (classes,), out)
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout)
    for method in EXPECTED_PAGES:
        for item in expected(docs, method)["request"]:
            wanted = {PYTHON_NAMES.get(k, k): v for k, v in expected_limits(item).items()}
            assert found[method][item["name"]] == wanted, (method, item["name"])
