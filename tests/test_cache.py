"""The module cache and the worker pool change how fast output comes, never what it is."""

from __future__ import annotations

import shutil
from pathlib import Path

from topgen.pipeline import generate

from .conftest import FIRST_API, REPO, SPECS


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


def test_only_generates_the_matching_apis() -> None:
    """--only restricts the package, its client and its index to the matching methods."""
    subset = generate(SPECS, only=["alibaba.idle.tender.b*", "*.pre.pay.*"])
    modules = sorted(p for p in subset.files if p.startswith("topapi/apis/alibaba"))
    assert modules == [
        "topapi/apis/alibaba_idle_tender_btob_item_delete.py",
        "topapi/apis/alibaba_idle_tender_btob_item_query.py",
        "topapi/apis/alibaba_idle_tender_btob_item_upload.py",
        "topapi/apis/alibaba_idle_tender_pre_pay_action.py",
    ]
    assert "def alibaba_idle_tender_order_get" not in subset.files["topapi/_client.py"]
