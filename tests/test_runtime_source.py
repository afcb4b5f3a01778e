"""topapi's runtime is source: copied byte for byte, never rendered or reformatted; templates
given with --templates replace their namesakes only; the package metadata is checked too."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from topgen.codegen import render
from topgen.codegen.render import OUTPUT_ENTRIES
from topgen.output.write import existing_files
from topgen.pipeline import generate
from topgen.resources import RUNTIME_DIR, TEMPLATES_DIR

from .conftest import GENERATED, SPECS, run_topgen

# Black would reformat every line of it, and Jinja would render the braces: kept as written.
EDIT = "\n\nx = {  'odd' :  ( 1 ) }  # {{ not a template }}\n"


def test_runtime_files_are_the_sources_byte_for_byte() -> None:
    """Every file of runtime/ but topgen's package file is in generated/topapi/ unchanged."""
    sources = sorted(RUNTIME_DIR.glob("*.py"))
    assert sources
    for source in sources:
        if source.name != render.RUNTIME_PACKAGE_FILE:
            assert (GENERATED / "topapi" / source.name).read_bytes() == source.read_bytes()


def test_topgen_imports_the_runtime_as_its_own_package() -> None:
    """`topgen.runtime._tmc_wire` imports (an editable install too); its __init__ stays topgen's."""
    result = subprocess.run(
        [sys.executable, "-c", "import topgen.runtime._tmc_wire as w; print(w.__file__)"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).resolve() == (RUNTIME_DIR / "_tmc_wire.py").resolve()
    topapi_init = (GENERATED / "topapi" / "__init__.py").read_bytes()
    assert topapi_init != (RUNTIME_DIR / render.RUNTIME_PACKAGE_FILE).read_bytes()


def test_an_edit_of_a_runtime_source_changes_its_copy_by_exactly_that_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The edited file's copy is the edited text; nothing else of the output changes."""
    runtime = tmp_path / "runtime"
    shutil.copytree(RUNTIME_DIR, runtime)
    edited = runtime / "_sign.py"
    edited.write_text(edited.read_text(encoding="utf-8") + EDIT, encoding="utf-8")
    monkeypatch.setattr(render, "RUNTIME_DIR", runtime)
    files = generate(SPECS).files
    committed = existing_files(GENERATED, OUTPUT_ENTRIES)
    changed = sorted(path for path in files if files[path] != committed.get(path))
    assert changed == ["topapi/_sign.py"]
    assert files["topapi/_sign.py"] == committed["topapi/_sign.py"] + EDIT


def test_templates_folder_overlays_the_built_in_ones(tmp_path: Path) -> None:
    """A template given replaces its namesake; every other file comes from topgen's own."""
    overlay = tmp_path / "templates"
    overlay.mkdir()
    index = (TEMPLATES_DIR / "apis_init.py.jinja").read_text(encoding="utf-8")
    (overlay / "apis_init.py.jinja").write_text(index + "# my index\n", encoding="utf-8")
    files = generate(SPECS, overlay).files
    committed = existing_files(GENERATED, OUTPUT_ENTRIES)
    changed = sorted(path for path in files if files[path] != committed.get(path))
    assert changed == ["topapi/apis/__init__.py"]
    assert files["topapi/apis/__init__.py"].endswith("# my index\n")


def test_a_broken_overlay_template_is_a_located_error(tmp_path: Path) -> None:
    """A template of the user's that does not parse is named, with its line; nothing written."""
    overlay = tmp_path / "templates"
    overlay.mkdir()
    (overlay / "apis_init.py.jinja").write_text('"""Index."""\n{% if %}\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run_topgen("generate", "--templates", overlay, "--out", out, "--no-cache")
    assert result.returncode == 1
    assert f"{overlay / 'apis_init.py.jinja'}:2: error:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_check_catches_a_hand_edit_of_the_package_metadata(tmp_path: Path) -> None:
    """generated/pyproject.toml is output like any module: an edit of it is stale."""
    out = tmp_path / "out"
    shutil.copytree(GENERATED, out, ignore=shutil.ignore_patterns("*.egg-info", "build"))
    assert run_topgen("generate", "--check", "--out", out, "--no-cache").returncode == 0
    metadata = out / "pyproject.toml"
    text = metadata.read_text(encoding="utf-8")
    metadata.write_text(text.replace('"httpx>=0.27,<1",', '"httpx>=0.27,<1", "rich",'))
    result = run_topgen("generate", "--check", "--out", out, "--no-cache")
    assert result.returncode == 1
    assert "pyproject.toml: stale" in result.stderr


def test_the_package_version_follows_the_specs(specs_copy: Path) -> None:
    """topapi's version is derived from the specs: another spec, another version."""
    before = generate(specs_copy).files["pyproject.toml"]
    spec = specs_copy / "apis" / "alibaba.idle.tender.order.get.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    after = generate(specs_copy).files["pyproject.toml"]
    versions = [line for text in (before, after) for line in text.splitlines() if "version" in line]
    assert len(versions) == 2 and versions[0] != versions[1]
