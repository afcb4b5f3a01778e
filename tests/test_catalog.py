"""A deterministic sample of the real TOP catalog imports, generates and imports in Python.

`benchmarks/catalog_all.py` runs the same over every API of the catalog.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from topgen.importing.importer import import_files
from topgen.output.write import write_tree
from topgen.pipeline import check_specs, generate
from topgen.spec import names
from topgen.spec.reserved import base_attributes

from . import wrapped
from .conftest import SPECS, run_python
from .test_datamodels import agrees
from .test_models import incomplete_models

SAMPLE = 300


def catalog_entries(catalog: Path) -> list[Path]:
    """Every API file of the catalog, sorted (group indexes and packages.json left out)."""
    return sorted(p for p in catalog.glob("*/*.json") if p.name != "catelog.json" and p.stem)


def sample_entries(catalog: Path) -> list[Path]:
    """Every n-th API of the catalog, SAMPLE of them."""
    entries = catalog_entries(catalog)
    assert len(entries) > 5000
    return entries[:: len(entries) // SAMPLE][:SAMPLE]


@pytest.fixture(scope="module")
def sample_specs(tmp_path_factory: pytest.TempPathFactory, catalog: Path) -> Path:
    """Specs imported from every n-th API of the catalog."""
    sample = sample_entries(catalog)
    specs = tmp_path_factory.mktemp("sample") / "specs"
    (specs / "apis").mkdir(parents=True)
    shutil.copy(SPECS / "top.yaml", specs / "top.yaml")
    imported, found = import_files(sample, specs / "apis")
    assert [str(d) for d in found if d.level == "error"] == []
    assert len(imported) == SAMPLE
    return specs


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory, sample_specs: Path) -> Path:
    """The topapi package generated from the sample."""
    out = tmp_path_factory.mktemp("sample") / "out"
    write_tree(out, generate(sample_specs, jobs=2).files)
    return out


def test_a_sample_of_the_catalog_imports_generates_and_imports(sample_out: Path) -> None:
    """Every n-th API of the catalog: a spec, a module, and an import that works."""
    out = sample_out
    modules = sorted(p.stem for p in (out / "topapi" / "apis").glob("*.py") if p.stem != "__init__")
    assert len(modules) == SAMPLE
    script = (
        "import importlib, topapi\n"
        f"names = {modules!r}\n"
        "for name in names:\n"
        "    module = importlib.import_module('topapi.apis.' + name)\n"
        "    assert module.__all__\n"
        "print(len(names))\n"
    )
    run = run_python(script, out)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip() == str(SAMPLE)


@pytest.fixture(scope="module")
def shadowing_out(tmp_path_factory: pytest.TempPathFactory, catalog: Path) -> Path:
    """The catalog's APIs with a top-level field named like an attribute of the base classes."""
    attributes = base_attributes()
    entries = [e for e in catalog_entries(catalog) if _top_level_names(e) & attributes]
    assert len(entries) >= 20  # status_code alone: 20 APIs
    specs = tmp_path_factory.mktemp("shadowing") / "specs"
    (specs / "apis").mkdir(parents=True)
    shutil.copy(SPECS / "top.yaml", specs / "top.yaml")
    imported, found = import_files(entries, specs / "apis")
    assert [str(d) for d in found if d.level == "error"] == []
    assert len(imported) == len(entries)
    out = tmp_path_factory.mktemp("shadowing") / "out"
    write_tree(out, generate(specs, jobs=2).files)
    return out


def _top_level_names(entry: Path) -> set[str]:
    data = json.loads(entry.read_text(encoding="utf-8"))
    params = [*(data.get("requestParams") or []), *(data.get("responseParams") or [])]
    return {p.get("name") for p in params if isinstance(p, dict)}


@pytest.mark.parametrize("out", ["sample_out", "shadowing_out"])
def test_every_module_imports_without_a_warning(out: str, request: pytest.FixtureRequest) -> None:
    """No field shadows a base class's attribute (20 catalog APIs have `status_code`)."""
    generated: Path = request.getfixturevalue(out)
    modules = sorted(p.stem for p in (generated / "topapi" / "apis").glob("*.py"))
    script = (
        "import importlib, warnings\n"
        "warnings.simplefilter('error')\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module('topapi.apis.' + name)\n"
        "print('imported')\n"
    )
    run = run_python(script, generated)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.split() == ["imported"]


def test_every_sample_model_is_complete_right_after_import(
    sample_specs: Path, sample_out: Path, tmp_path: Path
) -> None:
    """Resolved annotations, descriptions and signatures in every module, nothing built."""
    assert incomplete_models(sample_specs, sample_out, tmp_path) == []


def test_wrapped_lists_decode_in_every_sample_module_with_a_list_of_objects(
    sample_specs: Path, sample_out: Path, tmp_path: Path
) -> None:
    """TOP's default JSON (`{"items": {"item": [...]}}`) and XML, for each such API."""
    project, _ = check_specs(sample_specs)
    apis = [api for api in project.apis if wrapped.has_object_list(api)]
    assert len(apis) > 50
    assert wrapped.failures(apis, sample_out, tmp_path) == []


def test_the_sample_is_exactly_what_black_makes_of_it(sample_out: Path) -> None:
    """The modules topgen lays out itself are black's fixed points: black is the oracle."""
    black = Path(sys.executable).with_name("black")
    result = subprocess.run(
        [str(black), "--check", str(sample_out)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    python_files = [p for p in sample_out.rglob("*") if p.suffix in (".py", ".pyi")]
    assert len(python_files) > SAMPLE
    assert f"{len(python_files)} files would be left unchanged" in result.stderr


def test_models_from_field_shapes_equal_one_run_per_api(sample_specs: Path) -> None:
    """The models assembled from learnt field shapes are those of a whole-API run."""
    project, _ = check_specs(sample_specs)
    differing = [api.method for api in project.apis if not agrees(api)]
    assert differing == []


def test_progress_bar_on_a_terminal_only(tmp_path: Path, catalog: Path) -> None:
    """A long run shows rich's bar when stderr is a terminal, and never in a pipe or a log."""
    specs = tmp_path / "specs"
    (specs / "apis").mkdir(parents=True)
    shutil.copy(SPECS / "top.yaml", specs / "top.yaml")
    entries = catalog_entries(catalog)
    imported, _ = import_files(entries[:: len(entries) // 60][:60], specs / "apis")
    assert len(imported) == 60
    command = [sys.executable, "-m", "topgen.cli", "generate", "--specs", str(specs), "--no-cache"]
    piped = subprocess.run(
        [*command, "--out", str(tmp_path / "piped")], capture_output=True, text=True, check=False
    )
    assert piped.returncode == 0, piped.stderr
    assert "generating API modules" not in piped.stderr and "checking" not in piped.stderr
    assert "60 APIs, 60 generated and 0 from cache" in piped.stdout
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [*command, "--out", str(tmp_path / "tty")], stdout=subprocess.DEVNULL, stderr=follower
    ) as process:
        os.close(follower)
        shown = _read_all(leader)
        assert process.wait(timeout=300) == 0
    assert "checking specs" in shown and "generating API modules" in shown


def _read_all(descriptor: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(descriptor, 65536)
        except OSError:  # the terminal closed when the process ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(descriptor)
    return b"".join(chunks).decode("utf-8", errors="replace")


# The catalog's limits, the spec keywords that mean them, and the TOP types each one bounds
# (specs/README.md): a limit documented on another type is left out with a warning.
CATALOG_LIMITS = {
    "maxLength": ("maxLength", {"String", "Json", "byte[]"}),
    "maxListSize": ("maxItems", None),  # None: any list
    "minValue": ("minimum", {"Number", "Price", "BigDecimal"}),
    "maxValue": ("maximum", {"Number", "Price", "BigDecimal"}),
}


def _bounds(top_type: str, types: set[str] | None) -> bool:
    return top_type.endswith("[]") if types is None else top_type in types


def test_the_sample_s_limits_arrive_in_its_specs(sample_specs: Path, catalog: Path) -> None:
    """Each limit of a sampled API's parameters is its property's keyword, with its value."""
    seen: dict[str, int] = {}
    for entry in sample_entries(catalog):
        data = json.loads(entry.read_text(encoding="utf-8"))
        spec = yaml.safe_load((sample_specs / "apis" / f"{data['name']}.yaml").read_text("utf-8"))
        schemas = spec["components"]["schemas"]
        request = schemas.get(names.class_prefix(data["name"]) + "Request", {})
        for param in data.get("requestParams") or []:
            prop = request["properties"][param["name"]]
            for key, (keyword, types) in CATALOG_LIMITS.items():
                if key in param and _bounds(param["type"], types):
                    assert prop.get(keyword) == param[key], (data["name"], param["name"])
                    seen[keyword] = seen.get(keyword, 0) + 1
                else:
                    assert keyword not in prop, (data["name"], param["name"])
    assert set(seen) == {"maxLength", "maxItems", "minimum", "maximum"}, seen


def test_the_sample_s_limits_arrive_in_its_generated_fields(
    sample_specs: Path, sample_out: Path
) -> None:
    """Each limited parameter of the sample's models holds its spec's limits as Limits(...)."""
    project, _ = check_specs(sample_specs)
    wanted = {
        f"{api.method} {field.wire_name}": dataclasses.asdict(field.limits)
        for api in project.apis
        for field in api.params
        if field.limits
    }
    assert len(wanted) > 50
    classes = [(api.module_name, api.request_class) for api in project.apis]
    script = (
        "import dataclasses, importlib, json\n"
        "from topapi._limits import Limits\n"
        "found = {}\n"
        f"for module_name, class_name in {classes!r}:\n"
        "    request = getattr(importlib.import_module('topapi.apis.' + module_name), class_name)\n"
        "    for name, field in request.model_fields.items():\n"
        "        for limits in (m for m in field.metadata if isinstance(m, Limits)):\n"
        "            key = request.top_method + ' ' + (field.alias or name)\n"
        "            found[key] = dataclasses.asdict(limits)\n"
        "print(json.dumps(found))\n"
    )
    run = run_python(script, sample_out)
    assert run.returncode == 0, run.stderr[-3000:]
    assert json.loads(run.stdout) == wanted
