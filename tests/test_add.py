"""`topgen init` and `topgen add`: specs from topgen's packed catalog, in any folder."""

from __future__ import annotations

import json
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from topgen.importing.adding import add, choose
from topgen.importing.importer import import_files
from topgen.resources import ENVELOPE_FILE

from .conftest import run_topgen
from .test_catalog import catalog_entries

METHOD = "taobao.tmc.user.get"
SPEC = Path("specs/apis") / f"{METHOD}.yaml"


def test_init_writes_the_envelope_once(tmp_path: Path) -> None:
    """init writes topgen's envelope; run again, or over an edited one, it changes nothing."""
    first = run_topgen("init", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    envelope = tmp_path / "specs" / "top.yaml"
    assert envelope.read_bytes() == ENVELOPE_FILE.read_bytes()
    assert (tmp_path / "specs" / "apis").is_dir()
    envelope.write_text(envelope.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    edited = envelope.read_bytes()
    again = run_topgen("init", cwd=tmp_path)
    assert (again.returncode, again.stderr) == (0, "")
    assert "is there already; kept as it is" in again.stdout
    assert envelope.read_bytes() == edited


def test_add_in_an_empty_folder_writes_the_envelope_spec_and_module(tmp_path: Path) -> None:
    """`topgen add METHOD` in an empty folder: envelope, spec, and the generated module."""
    run = run_topgen("add", METHOD, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "specs" / "top.yaml").read_bytes() == ENVELOPE_FILE.read_bytes()
    assert f"x-top-method: {METHOD}" in (tmp_path / SPEC).read_text(encoding="utf-8")
    module = tmp_path / "generated" / "topapi" / "apis" / "taobao_tmc_user_get.py"
    assert "class TaobaoTmcUserGetRequest(" in module.read_text(encoding="utf-8")
    assert "1 APIs, 1 generated" in run.stdout


def test_an_added_spec_is_the_imported_spec(catalog: Path, tmp_path: Path) -> None:
    """add writes byte for byte what `topgen import` writes from the catalog file (a sample)."""
    files = catalog_entries(catalog)[::97]
    methods = [json.loads(path.read_text(encoding="utf-8")).get("name") for path in files]
    files = [path for path, method in zip(files, methods, strict=True) if method]
    imported, _ = import_files(files, tmp_path / "imported" / "apis")
    added, _ = add(choose([m for m in methods if m]), tmp_path / "added")
    assert len(added) == len(imported) == len(files) > 50
    for item in imported:
        assert (tmp_path / "added" / "apis" / item.path.name).read_text(
            encoding="utf-8"
        ) == item.path.read_text(encoding="utf-8"), item.method


def test_a_glob_adds_the_family(catalog: Path, tmp_path: Path) -> None:
    """`taobao.tmc.*` adds every API of the catalog whose method it matches, and no other."""
    run = run_topgen("add", "taobao.tmc.*", "--no-generate", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    methods = (
        json.loads(p.read_text(encoding="utf-8")).get("name") for p in catalog_entries(catalog)
    )
    family = sorted(m for m in methods if m and fnmatchcase(m, "taobao.tmc.*"))
    assert len(family) > 10
    written = sorted(p.stem for p in (tmp_path / "specs" / "apis").glob("*.yaml"))
    assert written == family
    assert "run `topgen generate --specs specs` to update generated" in run.stdout
    assert not (tmp_path / "generated").exists()


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (
            ["taobao.tmc.usr.get"],
            "topgen: error: no API named 'taobao.tmc.usr.get' in topgen's catalog; "
            "did you mean taobao.tmc.user.get,",
        ),
        ([METHOD, "nosuch.family.*"], "topgen: error: no API of topgen's catalog matches"),
        (
            ["taobao_trade_TradeBuyerPy"],
            "topgen: error: no topic named 'taobao_trade_TradeBuyerPy' in topgen's catalog; "
            "did you mean taobao_trade_TradeBuyerPay,",
        ),
    ],
)
def test_an_unknown_name_suggests_the_closest_and_writes_nothing(
    tmp_path: Path, names: list[str], message: str
) -> None:
    """One line naming what is unknown and the closest names; exit 1; not even the envelope."""
    run = run_topgen("add", *names, cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.startswith(message), run.stderr
    assert len(run.stderr.splitlines()) == 1 and "Traceback" not in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_existing_spec_is_kept_without_force(tmp_path: Path) -> None:
    """A second add of a spec refuses to overwrite it; --force writes the catalog's again."""
    assert run_topgen("add", METHOD, "--no-generate", cwd=tmp_path).returncode == 0
    spec = tmp_path / SPEC
    original = spec.read_bytes()
    spec.write_bytes(original.replace(b"summary:", b"summary: edited", 1))
    edited = spec.read_bytes()
    kept = run_topgen("add", METHOD, "--no-generate", cwd=tmp_path)
    assert kept.returncode == 1
    assert f"{SPEC} exists; pass --force to overwrite it" in kept.stderr
    assert "Traceback" not in kept.stderr
    assert spec.read_bytes() == edited
    forced = run_topgen("add", METHOD, "--no-generate", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert spec.read_bytes() == original


def test_an_added_topic_spec_is_the_imported_one_real_example_included(
    topic_catalog: Path, tmp_path: Path
) -> None:
    """add of a topic writes byte for byte what `topgen import` of its catalog file writes,
    the catalog's real example included."""
    names = sorted(p.stem for p in (topic_catalog / "examples").glob("*.json"))
    chosen = [*names, "taobao_trade_TradeClose"]
    files = [next(topic_catalog.glob(f"*/{name}.json")) for name in chosen]
    imported, _ = import_files(files, tmp_path / "unused", topics_dir=tmp_path / "imported")
    added, _ = add(choose(chosen), tmp_path / "added")
    assert len(added) == len(imported) == 5
    for item in imported:
        text = item.path.read_text(encoding="utf-8")
        assert (tmp_path / "added" / "topics" / item.path.name).read_text(encoding="utf-8") == text
        assert ("real:" in text) == (item.method in names), item.method


def test_topics_are_added_by_name_or_glob_and_generate_payload_models(tmp_path: Path) -> None:
    """A topic name or glob writes topic specs (the topic writer's), generated as payloads."""
    run = run_topgen("add", "taobao_trade_TradeClose", "taobao_refund_Refund*", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    written = sorted(p.stem for p in (tmp_path / "specs" / "topics").glob("*.yaml"))
    assert "taobao_trade_TradeClose" in written
    refunds = [name for name in written if name.startswith("taobao_refund_Refund")]
    assert len(refunds) > 3 and len(written) == len(refunds) + 1
    module = tmp_path / "generated" / "topapi" / "topics" / "taobao_trade_trade_close.py"
    assert "class TradeClose(" in module.read_text(encoding="utf-8")
