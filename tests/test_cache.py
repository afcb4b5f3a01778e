"""The module cache and the worker pool change how fast output comes, never what it is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from topgen.codegen.render import OUTPUT_ENTRIES
from topgen.output import cache as cache_module
from topgen.output.write import existing_files, write_tree
from topgen.pipeline import generate
from topgen.spec import check as speccheck
from topgen.spec.load import Document

from .conftest import FIRST_API, REPO, SPECS, api_index, client_methods


def test_cached_and_parallel_runs_give_the_same_files(tmp_path: Path) -> None:
    """Cold, warm, serial and parallel generation all produce identical files."""
    plain = generate(SPECS).files
    cold = generate(SPECS, jobs=2, cache_dir=tmp_path / "cache")
    warm = generate(SPECS, jobs=2, cache_dir=tmp_path / "cache")
    assert cold.files == plain and warm.files == plain
    assert cold.from_cache == 0
    assert warm.from_cache == warm.apis == len(list((SPECS / "apis").glob("*.yaml")))


def test_a_changed_spec_regenerates_only_its_api(tmp_path: Path, specs_copy: Path) -> None:
    """Editing one spec misses the cache for that API alone."""
    cache = tmp_path / "cache"
    first = generate(specs_copy, cache_dir=cache)
    spec = specs_copy / "apis" / f"{FIRST_API}.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("订单id", "订单编号"), encoding="utf-8"
    )
    second = generate(specs_copy, cache_dir=cache)
    assert second.from_cache == first.apis - 1
    module = f"topapi/apis/{FIRST_API.replace('.', '_')}.py"
    assert "订单编号" in second.files[module] and "订单编号" not in first.files[module]


def test_a_changed_template_invalidates_every_module(tmp_path: Path) -> None:
    """A template edit is a new fingerprint: nothing stale comes out of the cache."""
    cache = tmp_path / "cache"
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    generate(SPECS, templates, cache_dir=cache)
    api_template = templates / "api_module.py.jinja"
    api_template.write_text(
        api_template.read_text(encoding="utf-8").replace("do not edit.", "do not edit!"),
        encoding="utf-8",
    )
    again = generate(SPECS, templates, cache_dir=cache)
    assert again.from_cache == 0
    module = f"topapi/apis/{FIRST_API.replace('.', '_')}.py"
    assert "do not edit!" in again.files[module]


def test_only_generates_the_matching_apis_and_lists_every_api() -> None:
    """--only makes the matching modules (and those missing); the index and client list all."""
    modules = {f"topapi/apis/{FIRST_API.replace('.', '_')}.py"}
    others = {p for p in generate(SPECS).files if p.startswith("topapi/apis/")} - modules
    subset = generate(SPECS, only=["*.pre.pay.*"], existing=frozenset(others))
    made = {
        p for p in subset.files if p.startswith("topapi/apis/") and p != "topapi/apis/__init__.py"
    }
    assert made == modules
    assert set(subset.kept) == others - {"topapi/apis/__init__.py"}
    every = sorted(p.removeprefix("topapi/apis/").removesuffix(".py") for p in modules | others)
    every.remove("__init__")
    assert api_index(subset.files) == every
    assert client_methods(subset.files) == {"TopClient": every, "AsyncTopClient": every}


def test_a_warm_run_parses_no_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unchanged API specs come from the spec index: their YAML is not parsed again."""
    cache = tmp_path / "cache"
    cold = generate(SPECS, cache_dir=cache)
    parse_document = speccheck.parse_document

    def envelope_only(text: str, shown: str, name: str) -> Document:
        assert not name.startswith("apis/"), f"{name} was parsed again"
        return parse_document(text, shown, name)

    monkeypatch.setattr(speccheck, "parse_document", envelope_only)
    warm = generate(SPECS, cache_dir=cache)
    assert warm.files == cold.files and warm.warnings == cold.warnings
    assert warm.from_cache == warm.apis


def test_a_changed_envelope_invalidates_every_module(tmp_path: Path, specs_copy: Path) -> None:
    """Every spec's key covers the envelope's bytes."""
    cache = tmp_path / "cache"
    generate(specs_copy, cache_dir=cache)
    envelope = specs_copy / "top.yaml"
    envelope.write_text(envelope.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert generate(specs_copy, cache_dir=cache).from_cache == 0


def test_another_black_version_invalidates_every_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The versions of datamodel-code-generator and black are part of every key."""
    cache = tmp_path / "cache"
    generate(SPECS, cache_dir=cache)
    real_version = cache_module.version
    monkeypatch.setattr(
        cache_module,
        "version",
        lambda tool: "99.0" if tool == "black" else real_version(tool),
    )
    again = generate(SPECS, cache_dir=cache)
    assert again.from_cache == 0


def test_modules_missing_from_the_cache_are_rebuilt_from_their_specs(tmp_path: Path) -> None:
    """With the spec index kept but the modules gone, each spec is read again and generated."""
    cache = tmp_path / "cache"
    cold = generate(SPECS, cache_dir=cache)
    for stored in cache.glob("*/*.json"):
        stored.unlink()
    again = generate(SPECS, jobs=2, cache_dir=cache)
    assert again.files == cold.files and again.from_cache == 0


def test_writing_an_unchanged_tree_writes_nothing(tmp_path: Path) -> None:
    """An up-to-date output is left alone; a stale one is replaced, unchanged files linked."""
    files = generate(SPECS).files
    out = tmp_path / "out"
    assert write_tree(out, files).written == tuple(sorted(files))
    module = out / "topapi" / "apis" / f"{FIRST_API.replace('.', '_')}.py"
    before = module.stat()
    assert write_tree(out, files).changed is False
    assert module.stat().st_mtime_ns == before.st_mtime_ns
    changed = dict(files)
    changed["topapi/py.typed"] = "# typed\n"
    assert write_tree(out, changed).written == ("topapi/py.typed",)
    assert (out / "topapi" / "py.typed").read_text(encoding="utf-8") == "# typed\n"
    assert module.stat().st_ino == before.st_ino  # the same file, linked into the new tree
    assert existing_files(out, OUTPUT_ENTRIES) == changed


def test_a_changed_generator_source_invalidates_every_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """topgen's own code is part of every key: an edited stage is a new fingerprint."""
    sources = tmp_path / "generator"
    shutil.copytree(cache_module.PACKAGE_DIR, sources, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "PACKAGE_DIR", sources)
    cache = tmp_path / "cache"
    generate(SPECS, cache_dir=cache)
    assert generate(SPECS, cache_dir=cache).from_cache > 0
    layout = sources / "codegen" / "layout.py"
    layout.write_text(layout.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert generate(SPECS, cache_dir=cache).from_cache == 0
